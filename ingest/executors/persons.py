"""Person names across documents mapped side by side.

`add_review` keeps one dict of printed names by person IRI across the documents of a build:
the first printed form of a key takes the plain IRI, and another printed form with the same
key ('De Vos, F.Y.' after 'de Vos, F.Y.') gets an IRI of its own. So a document's graph
depends on the names of the documents before it in page order.

An executor that maps documents side by side maps each one with an empty dict and keeps the
dict each one filled. `merge` then gives, in page order, the dict a build in order would hold;
a document is mapped as it would be in order unless it filled an entry differently from the
merged dict (it saw a key first that an earlier document had printed otherwise). `conflicts`
names those documents; each is mapped again starting from `earlier_names`, the merged entries
of the keys it uses, and then gives what mapping in order gives. Collisions of keys are rare,
and so are documents mapped twice.
"""

from collections.abc import Mapping, Sequence

from rdflib import URIRef


def merge(seen: Sequence[Mapping[URIRef, str]]) -> dict[URIRef, str]:
    """Return the names the documents filled, in page order, the first printed form winning."""
    merged: dict[URIRef, str] = {}
    for names in seen:
        for key, printed in names.items():
            merged.setdefault(key, printed)
    return merged


def conflicts(seen: Sequence[Mapping[URIRef, str]], merged: Mapping[URIRef, str]) -> list[int]:
    """Return the positions of the documents that filled an entry otherwise than `merged`."""
    return [
        position
        for position, names in enumerate(seen)
        if any(merged[key] != printed for key, printed in names.items())
    ]


def earlier_names(names: Mapping[URIRef, str], merged: Mapping[URIRef, str]) -> dict[URIRef, str]:
    """Return the dict to map a conflicting document again with: `merged` on the keys it uses."""
    return {key: merged[key] for key in names}
