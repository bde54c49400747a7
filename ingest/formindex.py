"""Where the mention finder looks forms up: by key, never by iterating over the vocabulary.

A `FormIndex` answers three questions, all about the keys of `ingest.textkey`:

- `lookup(key)`: the forms that have `key` among their `form_keys` (the case-folded keys, also
  for case-sensitive forms: the finder checks their case itself). The order of the forms is not
  significant; an unknown key gives an empty sequence.
- `has_prefix(key)`: whether some form key starts with `key + " "`, that is whether a form may
  continue with more tokens after the tokens of `key`. It may answer True for a prefix no form
  continues (a false positive costs one more lookup), never False for one a form does continue.
- `max_tokens`: an upper bound on the number of tokens of any form key (the all-split key of the
  longest form), at least 1 when the index holds a form and 0 when it holds none.

The finder extends a key token by token while `has_prefix` holds, so it asks at most
`max_tokens` lookups and prefix questions per token of a text, whatever the size of the index.
An index may be in memory (`MemoryFormIndex`, over the curated lexicon) or on disk; both must
give the same answers for the same forms.
"""

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from ingest.entities import Form
from ingest.textkey import form_keys, tokenize


@runtime_checkable
class FormIndex(Protocol):
    """The forms of a vocabulary by key (see the module docstring for the contract)."""

    @property
    def max_tokens(self) -> int:
        """Return an upper bound on the number of tokens of a form key."""
        ...

    def lookup(self, key: str) -> Sequence[Form]:
        """Return the forms having `key` among their form keys."""
        ...

    def has_prefix(self, key: str) -> bool:
        """Tell whether some form key starts with `key` followed by a space."""
        ...


class MemoryFormIndex:
    """A `FormIndex` over forms held in memory: a dictionary of keys and a set of prefixes."""

    def __init__(self, forms: Iterable[Form]) -> None:
        self._forms: dict[str, list[Form]] = {}
        self._prefixes: set[str] = set()
        self._max_tokens = 0
        for form in forms:
            self._max_tokens = max(self._max_tokens, len(tokenize(form.text)))
            for key in form_keys(form.text):
                self._forms.setdefault(key, []).append(form)
                position = key.find(" ")
                while position >= 0:
                    self._prefixes.add(key[:position])
                    position = key.find(" ", position + 1)

    @property
    def max_tokens(self) -> int:
        """Return the number of tokens of the longest form."""
        return self._max_tokens

    def lookup(self, key: str) -> Sequence[Form]:
        """Return the forms having `key` among their form keys, in the order they were given."""
        return self._forms.get(key, ())

    def has_prefix(self, key: str) -> bool:
        """Tell whether some form key starts with `key` followed by a space."""
        return key in self._prefixes

    def __len__(self) -> int:
        """Return the number of distinct keys."""
        return len(self._forms)
