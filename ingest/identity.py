"""One paper, one node: the works that several citations name, across reviews and formats.

Each citation gives its work an IRI from its own fields (ingest.namespaces.natural_key): first
author's family name, year, journal, volume and first page for a journal article. Two citations
of one work may not agree on those (one input gives only a DOI and a year, another the volume
and pages; a journal printed two ways), and two works may share them (two papers on one page of
a supplement). So the build decides, over all the citations of all the reviews it reads:

1. citations with the same DOI (normalised: lower case, no resolver) are one work;
2. else citations with the same PubMed ID are one work, unless their DOIs differ;
3. else citations whose fields give the same key are one work, unless their DOIs or PubMed IDs
   differ.

A work that several citations name, with keys that differ, takes one key for them all: the key
of the review itself when the work is a review of the build, else the key of the citation
most fully located (every part of the article key), the first in sort order among equals. Two
works that the rule tells apart but whose fields give the same key are each keyed by what
identifies them (`identified_key`: the DOI, else the PubMed ID). A citation whose work needs
none of this keeps `key` None, and its IRI is the one its fields give.

A reference read only partly names a node of its own entry, unless its DOI or PubMed ID names
a work that another citation of the build gives in full (`completions`): then it cites that work.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ingest.namespaces import identified_key, natural_key, work_path
from ingest.records import Citation, Review

__all__ = ["completions", "identify", "keyed_review"]


class _Groups:
    """Union-find over citations, each group holding the DOIs and PubMed IDs of its members."""

    def __init__(self, citations: Sequence[Citation]) -> None:
        self.parent = list(range(len(citations)))
        self.dois = [{c.doi} if c.doi else set() for c in citations]
        self.pmids = [{c.pmid} if c.pmid else set() for c in citations]

    def find(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, a: int, b: int, *, check_dois: bool, check_pmids: bool) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if check_dois and self.dois[ra] and self.dois[rb] and self.dois[ra] != self.dois[rb]:
            return
        if check_pmids and self.pmids[ra] and self.pmids[rb] and self.pmids[ra] != self.pmids[rb]:
            return
        first, second = sorted((ra, rb))
        self.parent[second] = first
        self.dois[first] |= self.dois[second]
        self.pmids[first] |= self.pmids[second]


def _key(citation: Citation) -> tuple[str, str]:
    return work_path(citation), natural_key(citation)


def _located(citation: Citation) -> bool:
    parts = (citation.year, citation.journal, citation.volume, citation.first_page)
    return all(part not in (None, "") for part in parts)


def identify(reviews: Iterable[Review]) -> dict[Citation, str]:
    """Return the key ('paper/kang-2003-cancer-cell-3-537') each cited work must take.

    Only the citations whose work needs a key other than its fields' own are in the result.
    """
    reviews = list(reviews)
    citing = {review.citation for review in reviews}
    cited = {r.citation for review in reviews for r in review.references if r.partial is None}
    citations = sorted(citing | cited, key=lambda c: (_key(c), repr(c)))
    groups = _Groups(citations)
    for field, checks in (
        ("doi", {"check_dois": False, "check_pmids": False}),
        ("pmid", {"check_dois": True, "check_pmids": False}),
    ):
        first: dict[str, int] = {}
        for index, citation in enumerate(citations):
            value = getattr(citation, field)
            if value:
                groups.join(first.setdefault(value, index), index, **checks)
    by_key: dict[tuple[str, str], int] = {}
    for index, citation in enumerate(citations):
        at = by_key.setdefault(_key(citation), index)
        groups.join(at, index, check_dois=True, check_pmids=True)
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(citations)):
        members[groups.find(index)].append(index)
    # A key that the members of two groups give: each of those groups is keyed by identifier.
    owners: dict[tuple[str, str], set[int]] = defaultdict(set)
    for root, indices in members.items():
        for index in indices:
            owners[_key(citations[index])].add(root)
    keys: dict[Citation, str] = {}
    for indices in members.values():
        group = [citations[i] for i in indices]
        natural = {_key(c) for c in group}
        shared = any(len(owners[k]) > 1 for k in natural)
        if len(natural) == 1 and not shared:
            continue
        chosen = _chosen(group, citing=citing)
        path, key = _key(chosen)
        if shared:
            key = identified_key(replace(chosen, key=None))
        for citation in group:
            if citation not in citing and _key(citation) != (path, key):
                keys[citation] = f"{path}/{key}"
    return keys


def _chosen(group: list[Citation], *, citing: set[Citation]) -> Citation:
    reviews = sorted((c for c in group if c in citing), key=_key)
    if reviews:
        return reviews[0]
    return min(group, key=lambda c: (not _located(c), _key(c)))


def completions(reviews: Iterable[Review], keys: dict[Citation, str]) -> dict[Citation, Citation]:
    """Return, for each reference read partly, the complete citation of the work it names.

    A reference read only partly (PubMed gives most cited works as text only) keeps its DOI
    or PubMed ID; when another citation of the build gives that work in full (the review itself,
    or a reference of any review), the reference cites that work, with its fields and key.
    """
    reviews = list(reviews)
    complete = [review.citation for review in reviews] + [
        r.citation for review in reviews for r in review.references if r.partial is None
    ]
    keyed = [replace(c, key=keys[c]) if c in keys else c for c in complete]
    ranked = sorted(keyed, key=lambda c: (not _located(c), _key(c), repr(c)))
    by_doi: dict[str, Citation] = {}
    by_pmid: dict[str, Citation] = {}
    for citation in ranked:
        if citation.doi:
            by_doi.setdefault(citation.doi, citation)
        if citation.pmid:
            by_pmid.setdefault(citation.pmid, citation)
    found: dict[Citation, Citation] = {}
    for review in reviews:
        for reference in review.references:
            partly = reference.citation
            if reference.partial is None:
                continue
            work = by_doi.get(partly.doi or "")
            if work is None and partly.pmid in by_pmid:
                candidate = by_pmid[partly.pmid]
                if not (partly.doi and candidate.doi and partly.doi != candidate.doi):
                    work = candidate
            if work is not None:
                found[partly] = work
    return found


def keyed_review(
    review: Review, keys: dict[Citation, str], completed: dict[Citation, Citation] | None = None
) -> Review:
    """Return a review whose cited works carry the keys `identify` gave them.

    A reference read partly whose work `completions` found cites that work and is complete.
    """
    completed = completed or {}
    if not keys and not completed:
        return review
    references = []
    for r in review.references:
        if r.partial is None and r.citation in keys:
            r = replace(r, citation=replace(r.citation, key=keys[r.citation]))
        elif r.partial is not None and r.citation in completed:
            r = replace(r, citation=completed[r.citation], partial=None)
        references.append(r)
    return replace(review, references=tuple(references))
