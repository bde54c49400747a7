"""The readers of the build's inputs: one module per format, all producing the same records.

- `page` (page.py, ingest/parse.py): the publisher's article page saved as text; one review;
- `jats` (jats.py): a JATS (NISO Z39.96) article, from PubMed Central or a publisher; one review;
- `pubmed` (pubmed.py): a PubMed XML set; one review with its ReferenceList, or a reference list;
- `csl-json` (csl.py): a CSL-JSON array of items; a reference list;
- `ris` (ris.py): RIS records; a reference list;
- `bibtex` (bibtex.py): BibTeX or BibLaTeX entries; a reference list.

The format is chosen by the file's content, never by its name (`detect`). A reference list
needs the work that cites it (`mkg build refs.ris --citing-doi 10.1038/nm1469`, or `--citing
FILE` naming a record in any of these formats): it becomes the review of the document, known by
what its record holds. Every reader returns a `Review` (ingest/records.py), so grounding,
mapping, validation and everything after are the same for every format.

`read_input` reads a file in the build process (as a `Page`, which is what the build's tasks
are handed: plain, picklable data); `read_review` turns a Page into its Review in a task.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import PageFormatError
from ingest.parse import MAX_PAGE_BYTES, read_page
from ingest.readers.bibtex import read_bibtex, read_bibtex_references
from ingest.readers.common import citing_doi
from ingest.readers.csl import read_csl, read_csl_references
from ingest.readers.jats import read_jats
from ingest.readers.page import read_page_text
from ingest.readers.pubmed import read_pubmed
from ingest.readers.ris import read_ris, read_ris_references
from ingest.records import Citation, Review

__all__ = ["FORMATS", "Page", "citing_doi", "detect", "read_citing", "read_input", "read_review"]

FORMATS = ("page", "jats", "pubmed", "csl-json", "ris", "bibtex")
# Formats whose files are reference lists only: the citing work is given apart.
REFERENCE_LISTS = frozenset({"csl-json", "ris", "bibtex"})
# Formats read from bytes (XML declares its own encoding); the others are UTF-8 text.
_BINARY = frozenset({"jats", "pubmed"})
_NAMES = {
    "page": "a review page",
    "jats": "a JATS article",
    "pubmed": "a PubMed XML set",
    "csl-json": "a CSL-JSON file",
    "ris": "a RIS file",
    "bibtex": "a BibTeX file",
}
# How much of a file `detect` looks at.
_HEAD = 64 * 1024
_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_BIBTEX_ENTRY = re.compile(r"@[A-Za-z]+\s*[{(]")


@dataclass(frozen=True)
class Page:
    """An input file as the build process read it: its name, content and reader.

    A publisher page keeps its text (as before other formats were read); an XML file its bytes;
    a reference list its text and the citing work it was given.
    """

    name: str
    text: str
    reader: str = "page"
    data: bytes = b""
    citing: Citation | None = None


def detect(data: bytes) -> str:
    """Return the format of a file from its content: one of FORMATS.

    XML is told by its root element (`article`: JATS; `PubmedArticleSet`: PubMed), JSON by its
    opening bracket (CSL-JSON), RIS by its first line ('TY  - '), BibTeX by its first entry
    ('@article{'); anything else is read as a publisher page (whose reader says what is wrong).
    """
    head = data[:_HEAD].removeprefix(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    if stripped.startswith(b"<"):
        for match in _ROOT.finditer(stripped):
            name = match.group(1).decode("ascii", "replace").rpartition(":")[2]
            if name in ("article",):
                return "jats"
            if name in ("PubmedArticleSet", "PubmedArticle"):
                return "pubmed"
            if name.lower() == "html":
                return "page"
            return "xml"
        return "page"
    if stripped.startswith((b"[", b"{")):
        return "csl-json"
    text = stripped.decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and lines[0].startswith("TY  -"):
        return "ris"
    meaningful = [line for line in lines if not line.lstrip().startswith("%")]
    if meaningful and _BIBTEX_ENTRY.match(meaningful[0].lstrip()):
        return "bibtex"
    return "page"


def read_input(path: Path, *, citing: Citation | None = None) -> Page:
    """Read an input file of any format into a Page; refuse what no reader reads, in one line."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        raise PageFormatError(
            path.name,
            None,
            f"the file is {size:,} bytes; files of up to {MAX_PAGE_BYTES:,} bytes are read",
        )
    data = path.read_bytes()
    reader = detect(data)
    if reader == "xml":
        raise PageFormatError(
            path.name, 1, "this XML is neither a JATS <article> nor a PubMed <PubmedArticleSet>"
        )
    if reader == "page":
        return Page(path.name, read_page(path))
    if reader == "pubmed" and b"<ReferenceList" in data:
        # A set holding a review with its reference list is that review, whatever the citing
        # work the build names for its reference lists.
        citing = None
    if reader in REFERENCE_LISTS and citing is None:
        raise PageFormatError(
            path.name,
            None,
            f"{_NAMES[reader]} is a reference list: name the work that cites it with "
            "--citing-doi DOI or --citing FILE",
        )
    if reader in _BINARY:
        return Page(path.name, "", reader=reader, data=data, citing=citing)
    return Page(path.name, _text(data, path.name), reader=reader, citing=citing)


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PageFormatError(name, line, "the file is not UTF-8; save it as UTF-8") from None


def read_review(page: Page) -> Review:
    """Read a Page into the Review it describes, by the reader `read_input` chose."""
    if page.reader == "page":
        return read_page_text(page.text, source=page.name)
    if page.reader == "jats":
        return read_jats(page.data, source=page.name)
    if page.reader == "pubmed":
        return read_pubmed(page.data, source=page.name, citing=page.citing)
    assert page.citing is not None, page.name
    if page.reader == "csl-json":
        return read_csl(page.text, source=page.name, citing=page.citing)
    if page.reader == "ris":
        return read_ris(page.text, source=page.name, citing=page.citing)
    if page.reader == "bibtex":
        return read_bibtex(page.text, source=page.name, citing=page.citing)
    raise ValueError(f"no reader {page.reader!r}")


def read_citing(path: Path) -> Citation:
    """Read the citing work of a reference list from a file holding its record, in any format.

    The file holds one record (a reference list of one, a JATS article, a PubMed article, a
    review page); the citing work must have a DOI, which names the review in the graph.
    """
    data = path.read_bytes()
    reader = detect(data)
    if reader in _BINARY or reader == "page":
        page = read_input(path, citing=citing_doi("10.0000/none") if reader == "pubmed" else None)
        citations = (
            [r.citation for r in read_review(page).references]
            if reader == "pubmed"
            else [read_review(page).citation]
        )
    else:
        text = _text(data, path.name)
        read = {
            "csl-json": read_csl_references,
            "ris": read_ris_references,
            "bibtex": read_bibtex_references,
        }[reader]
        references = read(text, source=path.name)
        if any(r.partial for r in references):
            first = next(r for r in references if r.partial)
            raise PageFormatError(path.name, first.line, f"the citing work {first.partial}")
        citations = [r.citation for r in references]
    if len(citations) != 1:
        raise PageFormatError(
            path.name, None, f"holds {len(citations)} records; expected the one citing work"
        )
    citation = citations[0]
    if not citation.doi:
        raise PageFormatError(
            path.name, None, "the citing work has no DOI; mkg names reviews by it"
        )
    return citation
