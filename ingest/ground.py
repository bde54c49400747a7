"""Find mentions of lexicon entities in text, with exact offsets (no RDF here).

A text is cut into tokens by `ingest.textkey` (words, single punctuation characters, and between
them soft separators: whitespace and dashes); a form matches a run of consecutive tokens when the
tokens' keys, joined by one space, are one of the form's keys. The forms come from a `FormIndex`
(`ingest.formindex`), asked by key, so the finder's work grows with the length of the text and
not with the size of the vocabulary: at each token the key is extended token by token while the
index says a longer form may follow, at most `max_tokens` tokens.

The rules, applied in this order (tests/data/expected_mentions.tsv checks them by hand):

R1 Dashes and spaces: any run of whitespace and dashes (- ‐ ‑ ‒ – — ― − and the soft hyphen)
   between two tokens is one separator, so a dash and a space in a form match each other and
   any such run in the text ("non-small cell lung cancer" matches "non-small-cell lung cancer"
   and "non - small cell lung cancer"). A dash between two words of a form also matches nothing
   ("non-small cell" matches "nonsmall cell", "IL-6" matches "IL6"); a space in a form never
   does, and the text is never joined ("nonsmall" in a form does not match "non-small").
   Punctuation is a token of its own and must match exactly, but separators around it do not
   count ("MMP-2/9" matches "MMP2 / 9").
R2 Greek letters: a Greek letter reads as its name inside a word (α as "alpha", κ as "kappa",
   any letter of the alphabet), so "TGFβ", "TGF-β" and "TGFbeta" match "TGF-beta" and back.
R3 Case: `case` forms match only as listed, compared on the tokens' case keys (a Greek letter
   reads as its name in lower case whatever its own case); `nocase` forms match in any case
   (full case folding). Both ignore accents and compatibility variants (Sjögren = Sjogren).
R4 Plurals: a `nocase` form ending in a letter other than 's' also matches when the last token
   of the text adds 's' or 'es' to the form's last token ("cells", "boxes"); a form ending in
   's', a digit or punctuation has no plural, and neither has a `case` form.
R5 Whole words: a match starts at the start of a token and ends at the end of one, so it is
   never found inside a word ("Met" is not in "Metastasis", "VEGF" not in "VEGF165").
R6 Longest match wins: candidates are ranked by length in characters, then position, then entity
   id; a candidate is kept only if it overlaps no kept one (mentions may touch). So "breast
   cancer" is the cancer and not also the organ.
R7 Ambiguous symbols (gene symbols that are English words, marked in the lexicon): a mention
   starting at the first non-space character of a text counts only if no token follows it, or
   the character right after it is not whitespace ("Met, metastasis", "Met-dependent"), or the
   next token holds an upper-case letter or a digit ("Prune cAMP", "Met VEGF").
R8 A form belongs to one entity across all tables (ingest.entities refuses duplicates).
R9 "-like": a match followed by a dash and the word "like" names something that resembles the
   entity, not the entity ("insulin-like growth factors", "EGF-like domain"), so it does not
   count; a longer form that holds the whole phrase still does.

Where this differs from the regular expressions it replaces (one per form, which could not
scale to vocabularies of hundreds of thousands of forms); none of it changes a mention of the
shipped review:
- R1: a run of several separators ("non - small", "lymph  -  node") now matches like one (a dash
  in a form matched at most one character, a space in a form whitespace or one dash); so does a
  separator next to punctuation ("MMP2 / 9"); typographic apostrophes read as "'".
- R2: a form written with a Greek letter ("β1 integrin") now also matches the spelled name
  ("beta1 integrin"): the expressions matched only the letter; and every Greek letter is spelled
  out, not only alpha, beta, gamma, delta and kappa ("μ-opioid" matches "mu-opioid").
- R3: a capital Greek letter matches a `case` form's lower-case name (it is a symbol, not a
  capital: "IκBΒ" matches "IkappaBbeta"); case is folded fully ("STRASSE" matches "Straße");
  accents are ignored.
- R5: a form may start with punctuation ("(-)-epicatechin"); the expressions started only at a
  letter or digit.
- R7: the next token is read instead of the next run of non-space characters, so "Met (HGF)"
  no longer counts while "Met – VEGF" does; any script's capitals and digits count; a symbol
  followed only by spaces is at the end of the text, as if nothing followed it.
"""

import functools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ingest.entities import Form
from ingest.formindex import FormIndex, MemoryFormIndex
from ingest.records import Citation, Figure, Review, Sentence
from ingest.textkey import DASHES, Token, form_keys, iter_tokens, may_be_plural, plural_stems


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an entity."""

    entity: str
    start: int
    end: int
    text: str
    form: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A match before R6: the mention and the indexes of its first and last tokens."""

    first: int
    last: int
    mention: Mention


def _form_case_keys(form: str) -> frozenset[str]:
    return frozenset(form_keys(form, case_sensitive=True))


# Each case form's keys are made once (a plain function under the cache, so that mutation tools
# reach its body).
_case_keys = functools.lru_cache(maxsize=1 << 16)(_form_case_keys)


class Finder:
    """Find the forms of an index in texts under the rules of this module."""

    def __init__(self, index: FormIndex | Iterable[Form]) -> None:
        self.index: FormIndex = index if isinstance(index, FormIndex) else MemoryFormIndex(index)

    def candidates(self, text: str) -> list[Mention]:
        """Return every match of every form (R1-R5, R7, R9), in order of their first token."""
        return [candidate.mention for candidate in self._scan(text)]

    def find(self, text: str) -> list[Mention]:
        """Return the mentions in `text` in order: candidates kept longest first (R6)."""
        kept: list[Mention] = []
        cluster: list[_Candidate] = []
        reach = -1
        # Candidates come in order of their first token; once one starts after every token the
        # current cluster covers, no later candidate can overlap the cluster, so it is settled.
        for candidate in self._scan(text):
            if candidate.first > reach:
                kept += _longest(cluster)
                cluster = []
            cluster.append(candidate)
            reach = max(reach, candidate.last)
        kept += _longest(cluster)
        return kept

    def _scan(self, text: str) -> Iterator[_Candidate]:
        """Yield the candidates of every token of `text`, holding only a window of tokens."""
        limit = self.index.max_tokens
        if limit <= 0:
            return
        first = _first_non_space(text)
        tokens = iter_tokens(text)
        # The tokens of the longest possible match and the token after it (for R7).
        window: deque[Token] = deque()
        for token in tokens:
            window.append(token)
            if len(window) > limit:
                break
        position = 0
        while window:
            candidates = self._at(text, window, position, first)
            if candidates:
                yield from candidates
            window.popleft()
            position += 1
            following = next(tokens, None)
            if following is not None:
                window.append(following)

    def _at(self, text: str, window: deque[Token], position: int, first: int) -> list[_Candidate]:
        """Return the candidates whose first token is window[0] (the `position`-th token)."""
        index = self.index
        found: list[_Candidate] = []
        key = ""
        for length in range(1, min(index.max_tokens, len(window)) + 1):
            token = window[length - 1]
            prefix = key
            key = f"{prefix} {token.key}" if prefix else token.key
            for form in index.lookup(key):
                if not form.case_sensitive or _case_key(window, length) in _case_keys(form.text):
                    _add(found, text, window, position, length, form, first)
            # Only a token ending in 's' has plural stems: most tokens skip the call.
            if token.key.endswith("s"):
                for stem in plural_stems(token.key):
                    for form in index.lookup(f"{prefix} {stem}" if prefix else stem):
                        if not form.case_sensitive and may_be_plural(form.text):
                            _add(found, text, window, position, length, form, first)
            if not index.has_prefix(key):
                break
        return found


def _add(
    found: list[_Candidate],
    text: str,
    window: deque[Token],
    position: int,
    length: int,
    form: Form,
    first: int,
) -> None:
    """Add the match of `form` over the first `length` tokens of the window unless R7 refuses it."""
    start, end = window[0].start, window[length - 1].end
    following = window[length] if length < len(window) else None
    if following is not None and following.key == "like" and _dashed(text[end : following.start]):
        return
    if form.ambiguous and not _in_context(text, start, end, first, following):
        return
    mention = Mention(form.entity, start, end, text[start:end], form.text)
    found.append(_Candidate(position, position + length - 1, mention))


def _dashed(between: str) -> bool:
    """Return whether the separator between two tokens holds a dash (R9)."""
    return any(char in DASHES for char in between)


def _case_key(window: deque[Token], length: int) -> str:
    return " ".join(window[i].case_key for i in range(length))


def _first_non_space(text: str) -> int:
    position = 0
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _in_context(text: str, start: int, end: int, first: int, following: Token | None) -> bool:
    """Apply R7: an ambiguous symbol opening a text needs a gene-like neighbour."""
    if start > first or following is None or not text[end].isspace():
        return True
    return any(c.isupper() or c.isdigit() for c in text[following.start : following.end])


def _longest(cluster: Sequence[_Candidate]) -> list[Mention]:
    """Apply R6 to candidates that overlap only each other; return the kept ones in order."""
    if len(cluster) == 1:
        return [cluster[0].mention]
    taken: set[int] = set()
    kept: list[Mention] = []
    for candidate in sorted(cluster, key=_rank):
        tokens = range(candidate.first, candidate.last + 1)
        if not any(token in taken for token in tokens):
            taken.update(tokens)
            kept.append(candidate.mention)
    return sorted(kept, key=lambda mention: mention.start)


def _rank(candidate: _Candidate) -> tuple[int, int, str, str]:
    mention = candidate.mention
    return (mention.start - mention.end, mention.start, mention.entity, mention.form)


@dataclass(frozen=True)
class Passage:
    """A text of a page searched for mentions: a paper's title or abstract, or a figure title."""

    label: str
    field: str
    text: str
    mentions: tuple[Mention, ...]
    citation: Citation | None = None
    figure: Figure | None = None
    # A sentence of the body that cites references (a citation context), field "sentence".
    sentence: Sentence | None = None


def ground_review(
    review: Review, finder: Finder, *, on_passage: Callable[[Passage], None] | None = None
) -> list[Passage]:
    """Find the mentions in the review's title, abstract, figure titles, cited titles and
    citing sentences.

    `on_passage` is called with each passage once it is grounded (to report progress).
    """
    texts: list[tuple[str, str, str, Citation | None, Figure | None]] = [
        ("review-title", "title", review.citation.title, review.citation, None),
        ("abstract", "abstract", review.abstract, review.citation, None),
        *((f"figure-{f.number}", "title", f.title, None, f) for f in review.figures),
        *(
            (f"ref-{r.number}", "title", r.citation.title, r.citation, None)
            for r in review.references
        ),
    ]
    grounded = []
    for label, field, text, citation, figure in texts:
        found = tuple(finder.find(text))
        grounded.append(Passage(label, field, text, found, citation=citation, figure=figure))
        if on_passage is not None:
            on_passage(grounded[-1])
    for sentence in review.sentences:
        found = tuple(finder.find(_without_pointers(sentence)))
        label = f"sentence-{sentence.number}"
        grounded.append(Passage(label, "sentence", sentence.text, found, sentence=sentence))
        if on_passage is not None:
            on_passage(grounded[-1])
    return grounded


def _without_pointers(sentence: Sentence) -> str:
    """Return a sentence's text with its pointers blanked out, at the same offsets.

    A pointer printed as a superscript runs into the word before it ('to bone1,2.'); blanked,
    the word is found ('to bone   .') and every offset still points into the printed text.
    """
    text = sentence.text
    for pointer in sentence.pointers:
        if pointer.start is not None and pointer.end is not None:
            text = text[: pointer.start] + " " * (pointer.end - pointer.start) + text[pointer.end :]
    return text


_CANDIDATE = re.compile(r"(?<![^\W_])[^\W_](?:[\w./-]*[^\W_])?")


def unmapped_candidates(passage: Passage) -> list[tuple[int, int, str, str]]:
    """Return tokens that look like names but lie in no mention: (start, end, text, why)."""
    found = []
    mentions = sorted(passage.mentions, key=lambda m: (m.start, m.end))
    # Candidates come in order and do not overlap, and neither do the mentions: one sweep.
    next_mention = 0
    for token in _CANDIDATE.finditer(passage.text):
        start, end, text = token.start(), token.end(), token.group(0)
        while next_mention < len(mentions) and mentions[next_mention].end <= start:
            next_mention += 1
        if next_mention < len(mentions) and mentions[next_mention].start < end:
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
