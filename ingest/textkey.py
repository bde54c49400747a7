"""Normalised keys of names: one definition shared by the grounding index and the mention finder.

A name and a text are both cut into tokens; a form matches a text when the keys of its tokens
equal the keys of consecutive text tokens. Keys are compared token by token, so a match always
starts and ends at a word boundary, and finding every match costs a bounded number of lookups per
token: linear in the length of the text, whatever the size of the vocabulary.

Tokens:

- *soft separators* (whitespace and every dash: - ‐ ‑ ‒ – — − and the soft hyphen) end a token
  and are not tokens themselves: a dash and a space are the same separator;
- a *word* is a maximal run of letters, digits and combining marks; Greek letters are part of a
  word and are spelled out ("TGFβ" has the key "tgfbeta", as "TGFbeta" does);
- every other character (/ ( ) + ' , . : ; ...) is a token of its own, so punctuation must match
  exactly; typographic apostrophes are read as "'".

Keys: a token's key is its compatibility-decomposed text without combining marks, Greek letters
spelled out, case-folded (`key`); its *case key* is the same without case folding, for forms that
match only as written. The key of a name is its tokens' keys joined by one space.

A dash inside a form also matches nothing ("non-small" matches "nonsmall", "IL-6" matches "IL6"),
so a form has one key per way of joining the words around its dashes (`form_keys`). A text is
never joined: "nonsmall" in a form does not match "non-small" in a text.
"""

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

DASHES = frozenset("-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_APOSTROPHES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'"}
# A form with more dashes than this gets only its all-split and all-joined keys (2**n grows fast).
MAX_JOINED_DASHES = 4


@dataclass(frozen=True)
class Token:
    """A token of a text: [start, end) in the text, its key and its case key."""

    start: int
    end: int
    key: str
    case_key: str
    # A word (letters, digits, marks) rather than a punctuation character.
    word: bool = True


@lru_cache(maxsize=4096)
def _word_part(char: str) -> str | None:
    """Return how a character reads inside a word, or None when it is not a word character.

    Letters and digits are compatibility-decomposed without their combining marks; Greek letters
    are spelled out in lower case; a lone combining mark reads as nothing.
    """
    if unicodedata.category(char).startswith("M"):
        return ""
    if not char.isalnum():
        return None
    parts = []
    for piece in unicodedata.normalize("NFKD", char):
        if unicodedata.combining(piece):
            continue
        name = unicodedata.name(piece, "")
        if name.startswith("GREEK ") and " LETTER " in name:
            parts.append(name.rsplit(" LETTER ", 1)[1].split()[-1].lower())
        else:
            parts.append(piece)
    return "".join(parts) or char


def _is_soft(char: str) -> bool:
    return char.isspace() or char in DASHES


def tokenize(text: str) -> list[Token]:
    """Cut `text` into tokens with their offsets (see the module docstring)."""
    return list(iter_tokens(text))


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield the tokens of `text` in order (linear in its length)."""
    start = -1
    parts: list[str] = []
    for index, char in enumerate(text):
        read = _word_part(char)
        if read is not None:
            if start < 0:
                start = index
            parts.append(read)
            continue
        if start >= 0:
            yield _token(start, index, parts)
            start, parts = -1, []
        if not _is_soft(char):
            mark = _APOSTROPHES.get(char, char)
            yield Token(index, index + 1, mark.casefold(), mark, word=False)
    if start >= 0:
        yield _token(start, len(text), parts)


def _token(start: int, end: int, parts: list[str]) -> Token:
    case_key = "".join(parts)
    return Token(start, end, case_key.casefold(), case_key)


def text_key(text: str) -> str:
    """Return the key of a text: its tokens' keys joined by one space (no dash joining)."""
    return " ".join(token.key for token in iter_tokens(text))


def case_key(text: str) -> str:
    """Return the case key of a text: like `text_key` without case folding."""
    return " ".join(token.case_key for token in iter_tokens(text))


def _gaps(text: str, tokens: list[Token]) -> list[bool]:
    """Return, for each pair of neighbouring tokens, whether a dash (and only soft text) joins them.

    Only word tokens are ever joined: a dash next to punctuation stays a separator.
    """
    joinable = []
    for left, right in zip(tokens, tokens[1:], strict=False):
        between = text[left.end : right.start]
        words = left.word and right.word
        joinable.append(words and any(c in DASHES for c in between) and all(map(_is_soft, between)))
    return joinable


def form_keys(form: str, *, case_sensitive: bool = False) -> tuple[str, ...]:
    """Return every key (or case key) a form is found under: one per way of joining at its dashes.

    The first key is the all-split one (the form's `text_key`). Keys are distinct and ordered.
    """
    tokens = tokenize(form)
    if not tokens:
        return ()
    values = [t.case_key if case_sensitive else t.key for t in tokens]
    joinable = [i for i, joined in enumerate(_gaps(form, tokens)) if joined]
    if len(joinable) > MAX_JOINED_DASHES:
        choices: list[tuple[bool, ...]] = [
            (False,) * len(joinable),
            (True,) * len(joinable),
        ]
    else:
        choices = list(product((False, True), repeat=len(joinable)))
    keys: list[str] = []
    for choice in choices:
        glue = {gap for gap, join in zip(joinable, choice, strict=True) if join}
        key = values[0]
        for index, value in enumerate(values[1:]):
            key += ("" if index in glue else " ") + value
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def plural_stems(token_key: str) -> tuple[str, ...]:
    """Return the singular keys a plural-looking token may stand for ('cells' -> 'cell').

    Rule R4 of the finder: a form that may be plural ends in a letter other than 's' and matches
    with 's' or 'es' appended. So 'boxes' gives 'boxe' and 'box', 'cells' gives 'cell'.
    """
    stems = []
    if token_key.endswith("s") and len(token_key) > 1:
        stems.append(token_key[:-1])
        if token_key.endswith("es") and len(token_key) > 2:
            stems.append(token_key[:-2])
    return tuple(stem for stem in stems if stem[-1:].isalpha() and not stem.endswith("s"))


def may_be_plural(form: str) -> bool:
    """Return whether a case-insensitive form also matches with 's' or 'es' (rule R4)."""
    stripped = form.rstrip()
    return bool(stripped) and stripped[-1].isalpha() and stripped[-1].casefold() != "s"
