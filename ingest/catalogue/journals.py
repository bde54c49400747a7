"""The journal catalogue: every journal of the NLM tables, and a matcher for names as printed.

The catalogue (`journals.tsv.gz` beside this module, made by `python -m
ingest.catalogue.make_journals`, described in README.md here) has one row per journal: NLM ID
where known, title, MEDLINE and ISO abbreviations, ISSNs, the MEDLINE-indexed flag and the table
it came from. It is read once per process, on first use.

A printed journal name is matched through its key (`journal_key`), built by these rules, in order:

1. fold: letters lose their diacritics ("Zürich" -> "zurich"; "æ" -> "ae", "ø" -> "o", "ł" -> "l")
   and are case-folded;
2. apostrophes inside words are dropped ("Nat'l" -> "natl");
3. "&" is read as the word "and";
4. words are the runs of letters and digits: periods, spaces, hyphens, commas, colons and
   brackets only separate words ("Natl." = "Natl", "Acta Derm.-Venereol." = "Acta Derm Venereol");
5. stopwords are dropped ("of", "the", "and", "fur", ...: learned from the data, see below);
6. in a name of two words or more, each word is replaced by its abbreviation when the data
   abbreviate it one way ("Nature Rev." -> "nat rev", "National" -> "natl": learned from the
   data, see below); a name of one word keeps it, as ISO 4 does not abbreviate one-word titles
   ("Nature", "Genetics" and "Genetica" stay apart);
7. the words are joined without separator, so letters spaced or not read alike
   ("USA" = "U S A" = "U.S.A.").

Rules 5 and 6 come from `journal_words.tsv`, which the generator learns from the tables
themselves: every (title, abbreviation) pair of the catalogue is aligned word by word (each
abbreviation word to the next title word that starts with its first letter and contains its
letters in order; one-word names are left out). A title word becomes a rule when it is aligned
to one abbreviation in at least 3 pairs and 80% of its alignments (a one-letter abbreviation
needs 50 pairs and 95%); an ISO word likewise when it stands where the MEDLINE abbreviation has
another word ("Nippon" -> "nihon"). A stopword is a title word of two letters or more that the
alignments skip in 90% of at least 20 titles and that abbreviations almost never keep.

A name is looked up among the keys of the MEDLINE and ISO abbreviations first, then among the
keys of the main titles (before " : ", " = " or "("), then among the keys of abbreviations
without their place qualifier ("Drugs Today (Barc)" -> "Drugs Today"). When a key names several
journals, the one whose abbreviation or title is printed exactly wins (as the tables write it,
else MEDLINE's abbreviation with periods); else the only MEDLINE-indexed one among those printed
exactly, or among all; else the match is "ambiguous" and every candidate is returned: one is never
picked at random.
"""

import functools
import gzip
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.errors import LexiconError

KEY_RULES_VERSION = 1
CATALOGUE = "journals.tsv.gz"
WORDS = "journal_words.tsv"
COLUMNS = (
    "nlm_id",
    "title",
    "med_abbr",
    "iso_abbr",
    "issn_print",
    "issn_online",
    "medline_indexed",
    "source",
    "abbr_keys",
    "title_key",
    "base_keys",
)
WORD_COLUMNS = ("kind", "word", "abbreviation", "pairs", "share")
SOURCES = ("nlm_journals", "journal_abbreviations", "both")

Status = Literal["exact", "normalised", "ambiguous", "unknown"]

_DIRECTORY = Path(__file__).resolve().parent
# Letters NFKD does not take apart into a base letter and a combining mark.
_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)
_APOSTROPHES = re.compile(r"(?<=\w)['’ʹʻʼ`´](?=\w)")
_WORD = re.compile(r"[a-z0-9]+")
_QUALIFIER = re.compile(r"\s*\([^()]*\)")
_TITLE_END = re.compile(r" [:=] | ?\(| / ")
# Where a title may end and a journal begin: after . ? or ! (and closing quotes or brackets).
_BOUNDARY = re.compile(r"(?<=[.?!])[\"'”’)\]]*\s+")
_NAME_WORD = re.compile(r"^(?:[A-Z0-9(&]|[a-z]{1,3}$)")


def fold_text(text: str) -> str:
    """Return `text` case-folded and without diacritics ('Zürich' -> 'zurich', 'Æ' -> 'ae')."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def key_words(text: str) -> list[str]:
    """Return the words a key is made of: folded, '&' as 'and', split at non-alphanumerics."""
    folded = _APOSTROPHES.sub("", fold_text(text)).replace("&", " and ")
    return _WORD.findall(folded)


def main_title(title: str) -> str:
    """Return a title without its subtitle, parallel title or qualifier (' : ', ' = ', '(')."""
    return _TITLE_END.split(title, maxsplit=1)[0]


def without_qualifier(abbreviation: str) -> str:
    """Return an abbreviation without its bracketed qualifiers ('Drugs Today (Barc)')."""
    return " ".join(_QUALIFIER.sub(" ", abbreviation).split())


@dataclass(frozen=True)
class KeyRules:
    """The learned parts of the key: word -> abbreviation, and stopwords."""

    words: Mapping[str, str]
    stopwords: frozenset[str]

    def key(self, text: str) -> str:
        """Return the matching key of a journal name (the module docstring gives the rules)."""
        stopwords = self.stopwords
        kept = [word for word in key_words(text) if word not in stopwords]
        if len(kept) < 2:
            return "".join(kept)
        words = self.words
        return "".join([words.get(word, word) for word in kept])


@dataclass(frozen=True)
class CatalogueJournal:
    """One journal of the catalogue (or of the curated lexicon, with source 'lexicon')."""

    nlm_id: str | None
    title: str
    med_abbr: str | None
    iso_abbr: str | None
    issn_print: str | None
    issn_online: str | None
    medline_indexed: bool | None
    source: str


@dataclass(frozen=True)
class JournalMatch:
    """What a printed journal name names.

    `status` is "exact" (an abbreviation or title printed as the tables write it, periods aside
    for MEDLINE's), "normalised" (equal keys), "ambiguous" (several journals, none preferred:
    `journals` holds them all) or "unknown" (no journal has the key: `journals` is empty).
    `via` names the index or table that matched; `resolved_by` says how one journal was
    preferred among the `candidates` that share the key ("exact" or "MEDLINE-indexed"), or is
    None when there was nothing to prefer.
    """

    printed: str
    status: Status
    journals: tuple[CatalogueJournal, ...]
    key: str
    via: str | None = None
    resolved_by: str | None = None
    candidates: tuple[CatalogueJournal, ...] = field(default=(), repr=False)

    @property
    def journal(self) -> CatalogueJournal | None:
        """Return the journal matched, or None when the match is ambiguous or unknown."""
        return self.journals[0] if self.status in ("exact", "normalised") else None


@dataclass(frozen=True)
class TitleJournalSplit:
    """One way to cut "Title. Journal" into a title and a journal name."""

    title: str
    journal: str
    match: JournalMatch
    looks_like_name: bool


def exactness(printed: str, journal: CatalogueJournal) -> int:
    """Return how exactly `printed` writes a name of `journal`: 2, 1 or 0.

    2: an abbreviation or title as the tables write it; 1: the MEDLINE abbreviation with periods
    ("Nat. Med." for "Nat Med"); 0: neither. Runs of whitespace count as one space.
    """
    text = " ".join(printed.split())
    if text in (journal.med_abbr, journal.iso_abbr, journal.title, main_title(journal.title)):
        return 2
    if journal.med_abbr is not None and " ".join(text.replace(".", " ").split()) == (
        journal.med_abbr
    ):
        return 1
    return 0


class Catalogue:
    """The journal catalogue in memory: rows kept as text, parsed when asked for."""

    def __init__(
        self, lines: list[str], rules: KeyRules, header: list[str], *, name: str = CATALOGUE
    ) -> None:
        self.rules = rules
        self.header = header
        self.name = name
        self._lines = lines
        self._cache: dict[int, CatalogueJournal] = {}
        self._nlm: dict[str, int] | None = None
        self.abbreviations: dict[str, int | tuple[int, ...]] = {}
        self.titles: dict[str, int | tuple[int, ...]] = {}
        self.bases: dict[str, int | tuple[int, ...]] = {}
        for row, line in enumerate(lines):
            cells = line.split("\t")
            if len(cells) != len(COLUMNS):
                raise LexiconError(
                    f"{name}: data row {row + 1} has {len(cells)} fields, expected {len(COLUMNS)}"
                )
            for key in cells[8].split("|"):
                _add(self.abbreviations, key, row)
            _add(self.titles, cells[9], row)
            for key in cells[10].split("|"):
                _add(self.bases, key, row)

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[CatalogueJournal]:
        return (self.journal(row) for row in range(len(self._lines)))

    def journal(self, row: int) -> CatalogueJournal:
        """Return the journal of a row (0-based)."""
        journal = self._cache.get(row)
        if journal is None:
            journal = self._cache[row] = _parse_row(self._lines[row])
        return journal

    def by_nlm_id(self, nlm_id: str) -> CatalogueJournal | None:
        """Return the journal with an NLM ID, or None."""
        if self._nlm is None:
            self._nlm = {}
            for row, line in enumerate(self._lines):
                key = line.partition("\t")[0]
                if key:
                    self._nlm[key] = row
        found = self._nlm.get(nlm_id)
        return None if found is None else self.journal(found)

    def collisions(self, via: str = "abbreviation") -> dict[str, tuple[int, ...]]:
        """Return the keys of one index (abbreviation, title, ...) that name several rows."""
        index = dict(self.indexes())[via]
        return {key: rows for key, rows in index.items() if isinstance(rows, tuple)}

    def lookup(self, printed: str) -> JournalMatch:
        """Return what a journal name, as printed in a reference, names in the catalogue."""
        key = self.rules.key(printed)
        if key:
            for via, index in self.indexes():
                rows = index.get(key)
                if rows is not None:
                    rows = rows if isinstance(rows, tuple) else (rows,)
                    candidates = tuple(self.journal(row) for row in rows)
                    return resolve_candidates(printed, key, candidates, via=via)
        return JournalMatch(printed=printed, status="unknown", journals=(), key=key)

    def indexes(self) -> tuple[tuple[str, dict[str, int | tuple[int, ...]]], ...]:
        """Return the key indexes in the order a lookup tries them, each with its name."""
        return (
            ("abbreviation", self.abbreviations),
            ("title", self.titles),
            ("abbreviation without qualifier", self.bases),
        )


def resolve_candidates(
    printed: str, key: str, candidates: tuple[CatalogueJournal, ...], *, via: str
) -> JournalMatch:
    """Return the match of `printed` among journals sharing its key, preferring as documented."""
    levels = [exactness(printed, journal) for journal in candidates]
    best = max(levels)
    exact = tuple(j for j, level in zip(candidates, levels, strict=True) if best and level == best)
    if len(candidates) == 1:
        status: Status = "exact" if exact else "normalised"
        return JournalMatch(printed, status, candidates, key, via, None, candidates)
    if len(exact) == 1:
        return JournalMatch(printed, "exact", exact, key, via, "exact", candidates)
    pool = exact or candidates
    indexed = tuple(journal for journal in pool if journal.medline_indexed)
    if len(indexed) == 1:
        status = "exact" if exact else "normalised"
        return JournalMatch(printed, status, indexed, key, via, "MEDLINE-indexed", candidates)
    return JournalMatch(printed, "ambiguous", pool, key, via, None, candidates)


def split_title_journal(
    text: str, *, lookup: Callable[[str], JournalMatch] | None = None
) -> list[TitleJournalSplit]:
    """Return the ways to cut `text` ("Title. Journal", the text before the volume), best first.

    A cut follows ".", "?" or "!" and the spaces after it. Cuts whose journal part the catalogue
    knows (exact, normalised or ambiguous) come first, the longest journal first, since journal
    names may end in other journal names ("Nature Rev. Cancer", "Cancer"); then cuts whose journal
    part looks like a name (every word capitalised, a number or a short lower-case word such as
    "of"), longest first; then the rest, shortest journal first. `lookup` defaults to
    `lookup_journal`; pass `ingest.journals.resolve_journal` to let the curated lexicon win.
    """
    find = lookup if lookup is not None else lookup_journal
    splits = []
    for boundary in _BOUNDARY.finditer(text):
        journal = text[boundary.end() :].strip()
        if journal:
            title = text[: boundary.start()] + boundary.group().rstrip()
            match = find(journal)
            splits.append(TitleJournalSplit(title, journal, match, _looks_like_name(journal)))

    def rank(split: TitleJournalSplit) -> tuple[int, int]:
        if split.match.status != "unknown":
            return (0, -len(split.journal))
        if split.looks_like_name:
            return (1, -len(split.journal))
        return (2, len(split.journal))

    return sorted(splits, key=rank)


def _looks_like_name(text: str) -> bool:
    """Tell whether every word of `text` is capitalised, a number or a short function word."""
    words = text.replace(".", " ").split()
    return bool(words) and all(_NAME_WORD.match(word) for word in words)


def _add(index: dict[str, int | tuple[int, ...]], key: str, row: int) -> None:
    if not key:
        return
    rows = index.get(key)
    if rows is None:
        index[key] = row
    elif isinstance(rows, int):
        index[key] = (rows, row)
    elif rows[-1] != row:
        index[key] = (*rows, row)


def _parse_row(line: str) -> CatalogueJournal:
    nlm_id, title, med, iso, issn_print, issn_online, indexed, source = line.split("\t")[:8]
    return CatalogueJournal(
        nlm_id=nlm_id or None,
        title=title,
        med_abbr=med or None,
        iso_abbr=iso or None,
        issn_print=issn_print or None,
        issn_online=issn_online or None,
        medline_indexed={"true": True, "false": False}.get(indexed),
        source=source,
    )


def read_header_and_rows(lines: list[str], *, name: str) -> tuple[list[str], list[str]]:
    """Split a catalogue file's lines into '#' header lines and data rows, checking the columns."""
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    if start == len(lines):
        raise LexiconError(f"{name}: no column header")
    expected = COLUMNS if name.startswith("journals") else WORD_COLUMNS
    if tuple(lines[start].split("\t")) != expected:
        raise LexiconError(f"{name}: columns are {lines[start]!r}, expected {expected}")
    header = [line[1:].strip() for line in lines[:start]]
    return header, [line for line in lines[start + 1 :] if line]


def parse_rules(lines: list[str], *, name: str = WORDS) -> KeyRules:
    """Return the key rules of a journal_words.tsv text."""
    _, rows = read_header_and_rows(lines, name=name)
    words: dict[str, str] = {}
    stopwords: set[str] = set()
    for row in rows:
        kind, word, abbreviation = row.split("\t")[:3]
        if kind == "stopword":
            stopwords.add(word)
        elif kind in ("word", "variant"):
            words[word] = abbreviation
        else:
            raise LexiconError(f"{name}: unknown kind {kind!r}")
    return KeyRules(words=words, stopwords=frozenset(stopwords))


def check_version(header: list[str], *, name: str) -> None:
    """Raise LexiconError unless a shipped file was made with this module's key rules."""
    wanted = f"key rules version: {KEY_RULES_VERSION}"
    if wanted not in header:
        raise LexiconError(
            f"{name} was made with other key rules (expected {wanted!r} in its header): "
            "regenerate it with python -m ingest.catalogue.make_journals"
        )


@functools.cache
def load_key_rules(directory: Path = _DIRECTORY) -> KeyRules:
    """Return the shipped key rules (read once per process)."""
    lines = (directory / WORDS).read_text(encoding="utf-8").splitlines()
    header, _ = read_header_and_rows(lines, name=WORDS)
    check_version(header, name=WORDS)
    return parse_rules(lines)


@functools.cache
def load_catalogue(directory: Path = _DIRECTORY) -> Catalogue:
    """Return the shipped journal catalogue (read once per process; do not modify it)."""
    with gzip.open(directory / CATALOGUE, "rt", encoding="utf-8", newline="\n") as handle:
        lines = handle.read().split("\n")
    header, rows = read_header_and_rows(lines, name=CATALOGUE)
    check_version(header, name=CATALOGUE)
    return Catalogue(rows, load_key_rules(directory), header)


def journal_key(text: str) -> str:
    """Return the matching key of a journal name under the shipped rules."""
    return load_key_rules().key(text)


def lookup_journal(printed: str) -> JournalMatch:
    """Return what a journal name, as printed in a reference, names in the catalogue.

    The curated lexicon is not consulted here: `ingest.journals.resolve_journal` does both.
    """
    return load_catalogue().lookup(printed)
