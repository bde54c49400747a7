"""Read the curated lexicon tables: UTF-8, tab-separated, '#' comment lines before the header."""

import csv
from pathlib import Path

from ingest.errors import LexiconError


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Return the rows of a lexicon table as dicts keyed by its header."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines if line and not line.startswith("#")]
    if not body:
        raise LexiconError(f"{path.name}: no header row")
    rows = list(csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))
    width = len(body[0].split("\t"))
    for number, line in enumerate(body[1:], start=2):
        if len(line.split("\t")) != width:
            raise LexiconError(
                f"{path.name}: data row {number - 1} has {len(line.split(chr(9)))} fields, "
                f"expected {width}"
            )
    return rows


def split_multi(value: str) -> list[str]:
    """Split a '|'-joined multi-valued cell; an empty cell is an empty list."""
    return [part for part in value.split("|") if part]
