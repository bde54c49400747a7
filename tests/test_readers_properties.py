"""Property tests: any list of journal articles, written as RIS, BibTeX and CSL-JSON, reads back
as the same citations, field for field, in order."""

import json
import os
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.readers.bibtex import read_bibtex_references
from ingest.readers.common import initials, person, work
from ingest.readers.csl import read_csl_references
from ingest.readers.ris import read_ris_references
from ingest.records import Citation, Kind


def examples(count: int) -> int:
    """Return how many examples a property test draws (MKG_HYPOTHESIS_EXAMPLES overrides)."""
    if "MKG_HYPOTHESIS_EXAMPLES" in os.environ:
        return int(os.environ["MKG_HYPOTHESIS_EXAMPLES"])
    return min(count, 20) if "MUTANT_UNDER_TEST" in os.environ else count


# Words BibTeX reads as part of its syntax in a list of names.
_RESERVED = {"and", "others"}
_word = st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True).filter(
    lambda w: w.lower() not in _RESERVED
)
_title_word = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,10}", fullmatch=True).filter(
    lambda w: not w.endswith("-")
)


@dataclass(frozen=True)
class Article:
    """A journal article as an export holds it: names in full, pages as numbers."""

    names: tuple[tuple[str, str], ...]
    title: str
    journal: str
    volume: str
    first: int
    last: int
    year: int
    doi: str | None
    pmid: str | None

    def citation(self) -> Citation:
        return work(
            Kind.JOURNAL_ARTICLE,
            authors=[person(family, given) for family, given in self.names],
            title=self.title,
            journal=self.journal,
            volume=self.volume,
            pages=(str(self.first), str(self.last)),
            year=self.year,
            doi=self.doi,
            pmid=self.pmid,
        )


@st.composite
def articles(draw: st.DrawFn) -> Article:
    names = draw(
        st.lists(
            st.tuples(
                st.one_of(_word, st.builds(lambda a, b: f"{a}-{b}", _word, _word)),
                st.lists(_word, min_size=1, max_size=2).map(" ".join),
            ),
            min_size=1,
            max_size=5,
        )
    )
    first = draw(st.integers(1, 9999))
    return Article(
        names=tuple(names),
        title=" ".join(draw(st.lists(_title_word, min_size=1, max_size=12))),
        journal=" ".join(draw(st.lists(_word, min_size=1, max_size=4))),
        volume=str(draw(st.integers(1, 999))),
        first=first,
        last=first + draw(st.integers(1, 60)),
        year=draw(st.integers(1900, 2030)),
        doi=draw(st.none() | st.from_regex(r"10\.5555/[a-z0-9]{1,12}", fullmatch=True)),
        pmid=draw(st.none() | st.integers(1, 99_999_999).map(str)),
    )


def _ris(items: list[Article]) -> str:
    records = []
    for item in items:
        lines = ["TY  - JOUR"]
        lines += [f"AU  - {family}, {given}" for family, given in item.names]
        lines += [f"TI  - {item.title}", f"J2  - {item.journal}", f"PY  - {item.year}"]
        lines += [f"VL  - {item.volume}", f"SP  - {item.first}", f"EP  - {item.last}"]
        if item.doi:
            lines.append(f"DO  - {item.doi}")
        if item.pmid:
            lines += [f"AN  - {item.pmid}", "DB  - PubMed"]
        lines.append("ER  - ")
        records.append("\n".join(lines))
    return "\n\n".join(records) + "\n"


def _bibtex(items: list[Article]) -> str:
    entries = []
    for number, item in enumerate(items, 1):
        names = " and ".join(f"{family}, {given}" for family, given in item.names)
        fields = {
            "author": names,
            "title": item.title,
            "journal": item.journal,
            "year": str(item.year),
            "volume": item.volume,
            "pages": f"{item.first}--{item.last}",
            "doi": item.doi,
            "pmid": item.pmid,
        }
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        entries.append(f"@article{{ref{number},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def _csl(items: list[Article]) -> str:
    records = []
    for number, item in enumerate(items, 1):
        record = {
            "id": f"ref{number}",
            "type": "article-journal",
            "author": [{"family": family, "given": given} for family, given in item.names],
            "title": item.title,
            "container-title": item.journal,
            "volume": item.volume,
            "page": f"{item.first}-{item.last}",
            "issued": {"date-parts": [[item.year]]},
        }
        if item.doi:
            record["DOI"] = item.doi
        if item.pmid:
            record["PMID"] = item.pmid
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1)


@settings(max_examples=examples(40), deadline=None)
@given(items=st.lists(articles(), min_size=1, max_size=4))
def test_ris_bibtex_and_csl_read_the_same_articles(items: list[Article]) -> None:
    expected = [item.citation() for item in items]
    for name, text, read in (
        ("refs.ris", _ris(items), read_ris_references),
        ("refs.bib", _bibtex(items), read_bibtex_references),
        ("refs.json", _csl(items), read_csl_references),
    ):
        references = read(text, source=name)
        assert [r.number for r in references] == list(range(1, len(items) + 1)), name
        assert [r.partial for r in references] == [None] * len(items), name
        assert [r.citation for r in references] == expected, name


@settings(max_examples=examples(100), deadline=None)
@given(given_name=st.lists(_word, min_size=1, max_size=3).map(" ".join))
def test_initials_are_one_per_given_name(given_name: str) -> None:
    printed = initials(given_name)
    assert printed is not None
    assert printed == "".join(f"{word[0]}." for word in given_name.split())
    assert initials(printed) == printed
