"""The curated journal lexicon: journal abbreviations as printed, with NLM titles and ISSNs.

The lexicon overrides the NLM journal catalogue (`ingest.catalogue.journals`) for the journals it
names: `resolve_journal` looks a printed name up in the lexicon first, then in the catalogue.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.catalogue.journals import (
    CatalogueJournal,
    JournalMatch,
    journal_key,
    load_catalogue,
    lookup_journal,
)
from ingest.errors import LexiconError
from ingest.resources import lexicon_path
from ingest.tsv import read_tsv

LEXICON = "journals.tsv"
COLUMNS = ("abbreviation", "title", "issn_print", "issn_online", "nlm_id", "source")
_ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")
_NOT_KEY = re.compile(r"[^a-z0-9]")
# Lexicon rows the catalogue alone would not resolve to the same journal, and why the row stands.
CATALOGUE_OVERRIDES = {
    "Arch. Surg.": (
        "the catalogue has two journals abbreviated 'Arch Surg', Archives of surgery (Chicago, "
        "Ill. : 1920) and (Chicago, Ill. : 1960), neither MEDLINE-indexed in 2021, so its lookup "
        "is ambiguous; the cited paper (1992) belongs to the one begun in 1960, NLM 9716528"
    ),
}


@dataclass(frozen=True)
class Journal:
    """A journal as cited on the page: the printed abbreviation and what NLM records for it."""

    abbreviation: str
    title: str
    issn_print: str | None
    issn_online: str | None
    nlm_id: str | None


def abbr_key(text: str) -> str:
    """Return the matching key of a journal abbreviation: its lower-cased letters and digits."""
    return _NOT_KEY.sub("", text.lower())


def issn_check_digit(first_seven: str) -> str:
    """Return the ISSN check character ('0'-'9' or 'X') for the first seven digits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_seven, range(8, 1, -1), strict=True)
    )
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def is_valid_issn(issn: str) -> bool:
    """Tell whether `issn` is written NNNN-NNNC and its check character is right."""
    if not _ISSN.match(issn):
        return False
    digits = issn.replace("-", "")
    return digits[7] == issn_check_digit(digits[:7])


@functools.cache
def load_journals(*, path: Path | None = None) -> dict[str, Journal]:
    """Return the journal lexicon keyed by abbreviation as printed.

    Reads ingest/lexicon/journals.tsv unless `path` is given. Raises LexiconError naming the row
    for a missing column, an empty abbreviation or title, a duplicate abbreviation, or an ISSN
    that is malformed or fails its check digit. The result is cached: do not modify it.
    """
    table = path if path is not None else lexicon_path(LEXICON)
    rows = read_tsv(table)
    if rows:
        missing = [column for column in COLUMNS if column not in rows[0]]
        if missing:
            raise LexiconError(f"{table.name}: missing column(s) {', '.join(missing)}")
    journals: dict[str, Journal] = {}
    for number, row in enumerate(rows, start=1):
        journal = _journal(row, where=f"{table.name}: data row {number}")
        if journal.abbreviation in journals:
            raise LexiconError(
                f"{table.name}: data row {number}: duplicate abbreviation "
                f"{journal.abbreviation!r} (keep one row per printed abbreviation)"
            )
        journals[journal.abbreviation] = journal
    return journals


def _journal(row: dict[str, str], *, where: str) -> Journal:
    """Turn one table row into a Journal, checking its cells."""
    abbreviation = row["abbreviation"]
    if not abbreviation.strip():
        raise LexiconError(f"{where}: empty abbreviation")
    if not row["title"].strip():
        raise LexiconError(f"{where} ({abbreviation!r}): empty title")
    for column in ("issn_print", "issn_online"):
        issn = row[column]
        if issn and not is_valid_issn(issn):
            raise LexiconError(
                f"{where} ({abbreviation!r}): {column} {issn!r} is not a valid ISSN "
                "(expected NNNN-NNNC with a correct check digit)"
            )
    return Journal(
        abbreviation=abbreviation,
        title=row["title"],
        issn_print=row["issn_print"] or None,
        issn_online=row["issn_online"] or None,
        nlm_id=row["nlm_id"] or None,
    )


def resolve_journal(printed: str) -> JournalMatch:
    """Return what a printed journal name names: the curated lexicon first, else the catalogue.

    A name printed as a lexicon row's abbreviation is "exact", one with the key of a single
    lexicon journal "normalised", both with `via` "lexicon" and the journal's `source` "lexicon";
    any other name is looked up in the catalogue (`ingest.catalogue.journals.lookup_journal`).
    """
    curated = load_journals()
    journal = curated.get(printed)
    if journal is not None:
        record = _curated_record(journal)
        key = journal_key(printed)
        return JournalMatch(printed, "exact", (record,), key, "lexicon", None, (record,))
    key = journal_key(printed)
    records = _curated_by_key().get(key, ())
    if len(records) == 1:
        return JournalMatch(printed, "normalised", records, key, "lexicon", None, records)
    return lookup_journal(printed)


@functools.cache
def _curated_by_key() -> dict[str, tuple[CatalogueJournal, ...]]:
    """Return the lexicon's journals by key, one record per distinct journal."""
    found: dict[str, dict[CatalogueJournal, None]] = {}
    for abbreviation, journal in load_journals().items():
        found.setdefault(journal_key(abbreviation), {})[_curated_record(journal)] = None
    return {key: tuple(records) for key, records in found.items()}


@functools.cache
def _curated_record(journal: Journal) -> CatalogueJournal:
    """Return a lexicon row as a catalogue record, abbreviations taken from its catalogue row."""
    row = catalogue_row(journal)
    return CatalogueJournal(
        nlm_id=journal.nlm_id,
        title=journal.title,
        med_abbr=row.med_abbr if row else None,
        iso_abbr=row.iso_abbr if row else None,
        issn_print=journal.issn_print,
        issn_online=journal.issn_online,
        medline_indexed=row.medline_indexed if row else None,
        source="lexicon",
    )


def catalogue_row(journal: Journal) -> CatalogueJournal | None:
    """Return the catalogue's row of a lexicon journal: by NLM ID, else by name and title."""
    if journal.nlm_id:
        return load_catalogue().by_nlm_id(journal.nlm_id)
    match = lookup_journal(journal.abbreviation)
    rows = [row for row in match.candidates if row.title == journal.title]
    return rows[0] if len(rows) == 1 else None
