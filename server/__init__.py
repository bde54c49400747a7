"""Serve a finished mkg build: SPARQL endpoint and linked-data pages (read-only)."""
