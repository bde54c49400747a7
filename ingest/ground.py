"""Find mentions of lexicon entities in text, with exact offsets (no RDF here).

The rules, applied in this order (tests/data/expected_mentions.tsv checks them by hand):

R1 Dashes: any of - ‐ ‑ ‒ – — − in the text equals a '-' in a form. A '-' in a form also matches a
   space or nothing ("non-small cell" matches "nonsmall cell"); a space in a form matches spaces
   or one dash ("non-small cell lung cancer" matches "non-small-cell lung cancer").
R2 Greek letters: alpha, beta, gamma, delta, kappa inside a form also match α β γ δ κ, and back.
R3 Case: `case` forms match only as listed; `nocase` forms match in any case.
R4 Plurals: a `nocase` form ending in a letter other than 's' also matches with 's' or 'es'.
R5 Whole words: the characters before and after a match are not letters or digits.
R6 Longest match wins: candidates are ranked by length, then position; a candidate is kept only
   if it overlaps no kept one. So "breast cancer" is the cancer and not also the organ.
R7 Ambiguous symbols (gene symbols that are English words, marked in the lexicon): as the first
   word of a text they count only when the next character is not a space or the next word holds
   an upper-case letter or a digit ("Met, metastasis", "Prune cAMP").
R8 A form belongs to one entity across all tables (ingest.entities refuses duplicates).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ingest.entities import Form
from ingest.records import Citation, Figure, Review

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH = f"[{_DASHES}]"
_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ"}
_GREEK_NAMES = {letter: name for name, letter in _GREEK.items()}
_GREEK_PATTERN = re.compile("|".join([*_GREEK, *_GREEK_NAMES]), re.IGNORECASE)
_KEY_LENGTH = 3
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]")
_NEXT_WORD = re.compile(r"\s+(\S+)")


@dataclass(frozen=True)
class Mention:
    """A span of text that names an entity."""

    entity: str
    start: int
    end: int
    text: str
    form: str


def _key(text: str) -> str:
    """Return the first letters and digits of a text, Greek letters spelled out, lower-cased."""
    spelled = "".join(_GREEK_NAMES.get(char, char) for char in text.casefold()[: _KEY_LENGTH * 6])
    return "".join(char for char in spelled if char.isalnum())[:_KEY_LENGTH]


def form_pattern(form: Form) -> re.Pattern[str]:
    """Compile the regular expression that matches a form under rules R1-R5."""
    parts: list[str] = []
    position = 0
    text = form.text
    while position < len(text):
        greek = _GREEK_PATTERN.match(text, position)
        char = text[position]
        if greek:
            word = greek.group(0).casefold()
            name = _GREEK_NAMES.get(word, word)
            parts.append(f"(?:{re.escape(greek.group(0))}|{_GREEK[name]})")
            position = greek.end()
            continue
        if char in _DASHES:
            parts.append(rf"(?:{_DASH}|\s)?")
        elif char.isspace():
            parts.append(rf"(?:\s+|{_DASH})")
        else:
            parts.append(re.escape(char))
        position += 1
    if not form.case_sensitive and text[-1].isalpha() and text[-1].casefold() != "s":
        parts.append("(?:e?s)?")
    flags = 0 if form.case_sensitive else re.IGNORECASE
    return re.compile("".join(parts) + r"(?![^\W_])", flags)


class Finder:
    """Find lexicon forms in texts under the rules of this module."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self._index: dict[str, list[tuple[Form, re.Pattern[str]]]] = defaultdict(list)
        for form in forms:
            self._index[_key(form.text)].append((form, form_pattern(form)))
        self._key_lengths = sorted({len(key) for key in self._index})

    def candidates(self, text: str) -> list[Mention]:
        """Return every match of every form that starts at a word start (rules R1-R5, R7)."""
        found = []
        for word in _WORD_START.finditer(text):
            start = word.start()
            key = _key(text[start:])
            for length in self._key_lengths:
                for form, pattern in self._index.get(key[:length], ()):
                    match = pattern.match(text, start)
                    if match and (not form.ambiguous or _in_context(text, start, match.end())):
                        found.append(
                            Mention(form.entity, start, match.end(), match.group(0), form.text)
                        )
        return found

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in `text`, longest first and never overlapping (R6), in order."""
        kept: list[Mention] = []
        ranked = sorted(self.candidates(text), key=lambda m: (m.start - m.end, m.start, m.entity))
        for mention in ranked:
            if all(mention.end <= k.start or mention.start >= k.end for k in kept):
                kept.append(mention)
        return sorted(kept, key=lambda m: m.start)


@dataclass(frozen=True)
class Passage:
    """A text of a page searched for mentions: a paper's title or abstract, or a figure title."""

    label: str
    field: str
    text: str
    mentions: tuple[Mention, ...]
    citation: Citation | None = None
    figure: Figure | None = None


def ground_review(review: Review, finder: Finder) -> list[Passage]:
    """Find the mentions in the review's title, abstract, figure titles and cited titles."""
    passages = [
        Passage("review-title", "title", review.citation.title, (), citation=review.citation),
        Passage("abstract", "abstract", review.abstract, (), citation=review.citation),
        *(Passage(f"figure-{f.number}", "title", f.title, (), figure=f) for f in review.figures),
        *(
            Passage(f"ref-{r.number}", "title", r.citation.title, (), citation=r.citation)
            for r in review.references
        ),
    ]
    return [replace(p, mentions=tuple(finder.find(p.text))) for p in passages]


_CANDIDATE = re.compile(r"(?<![^\W_])[^\W_](?:[\w./-]*[^\W_])?")


def unmapped_candidates(passage: Passage) -> list[tuple[int, int, str, str]]:
    """Return tokens that look like names but lie in no mention: (start, end, text, why)."""
    found = []
    for token in _CANDIDATE.finditer(passage.text):
        start, end, text = token.start(), token.end(), token.group(0)
        if any(m.start < end and start < m.end for m in passage.mentions):
            continue
        has_digit = any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
        inner_capital = any(c.isupper() for c in text[1:])
        capitalised = text[0].isupper() and start > 0
        if has_digit:
            found.append((start, end, text, "letters and digits"))
        elif inner_capital:
            found.append((start, end, text, "inner capital"))
        elif capitalised:
            found.append((start, end, text, "capitalised"))
    return found


def _in_context(text: str, start: int, end: int) -> bool:
    """Apply R7: an ambiguous symbol opening a text needs a gene-like neighbour."""
    if text[:start].strip():
        return True
    if end >= len(text) or not text[end].isspace():
        return True
    following = _NEXT_WORD.match(text, end)
    return bool(following and re.search(r"[A-Z0-9]", following.group(1)))
