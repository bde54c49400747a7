"""Catalogues derived from public reference data and shipped with mkg (see README.md here)."""
