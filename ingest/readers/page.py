"""The publisher's article page saved as text: read by `ingest.parse`, the seed's reader."""

from ingest.parse import parse_page
from ingest.records import Review


def read_page_text(text: str, *, source: str) -> Review:
    """Read a review page's text into a Review (ingest.parse.parse_page)."""
    return parse_page(text, source=source)
