"""A plain token-walking finder over a `FormIndex`, for the vocabulary's tests and benchmark.

It applies the finder's rules as `ingest.ground` states them (tokens and keys of
`ingest.textkey`; R3 case keys for case-sensitive forms; R4 plurals; R5 whole tokens; R6 longest
match, then leftmost, then entity id; R7 the context check of ambiguous forms at the start of a
text). It exists so that the index can be measured on its own; `ingest.ground.Finder` is the
finder a build uses.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.entities import Form
from ingest.textkey import Token, form_keys, may_be_plural, plural_stems, tokenize
from ingest.vocabulary import VocabularyForms


@dataclass(frozen=True)
class Found:
    """A mention: its entity, offsets, text and the form that matched."""

    entity: str
    start: int
    end: int
    text: str
    form: str


def _case_key(tokens: Sequence[Token]) -> str:
    return " ".join(token.case_key for token in tokens)


def _in_context(text: str, tokens: Sequence[Token], first: int, last: int) -> bool:
    """R7: an ambiguous form opening a text needs a gene-like neighbour or no space after it."""
    if text[: tokens[first].start].strip():
        return True
    end = tokens[last].end
    if last + 1 >= len(tokens) or not text[end : end + 1].isspace():
        return True
    following = text[tokens[last + 1].start : tokens[last + 1].end]
    return any(char.isupper() or char.isdigit() for char in following)


def candidates(index: VocabularyForms, text: str) -> Iterator[Found]:
    """Yield every match of every form of the index in `text` (rules R1-R5, R7)."""
    tokens = tokenize(text)
    for first in range(len(tokens)):
        key = ""
        for last in range(first, min(len(tokens), first + index.max_tokens)):
            token = tokens[last]
            prefix = key
            key = f"{prefix} {token.key}" if prefix else token.key
            matched: list[Form] = []
            for form in index.lookup(key):
                if form.case_sensitive:
                    case = _case_key(tokens[first : last + 1])
                    if case not in form_keys(form.text, case_sensitive=True):
                        continue
                matched.append(form)
            for stem in plural_stems(token.key):
                for form in index.lookup(f"{prefix} {stem}" if prefix else stem):
                    if not form.case_sensitive and may_be_plural(form.text):
                        matched.append(form)
            for form in matched:
                if form.ambiguous and not _in_context(text, tokens, first, last):
                    continue
                start, end = tokens[first].start, tokens[last].end
                yield Found(form.entity, start, end, text[start:end], form.text)
            if not index.has_prefix(key):
                break


def find(index: VocabularyForms, text: str) -> list[Found]:
    """Return the mentions of `text`: longest first, then leftmost, never overlapping (R6)."""
    kept: list[Found] = []
    ranked = sorted(
        set(candidates(index, text)), key=lambda m: (m.start - m.end, m.start, m.entity)
    )
    for mention in ranked:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
