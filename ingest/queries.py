"""Read the named queries of queries/: the question, keywords and text of each (no RDF here)."""

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError
from ingest.resources import data_path

_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class NamedQuery:
    """A competency question and the SPARQL that answers it."""

    name: str
    question: str
    keywords: tuple[str, ...]
    text: str
    form: str


def read_named_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Return the named queries, in file-name order; a file without its question is an error."""
    directory = directory or data_path("queries")
    queries = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if (
            len(lines) < 2
            or not lines[0].startswith("# ")
            or not lines[1].startswith("# keywords:")
        ):
            raise IngestError(
                f"{path.name}:1: a named query starts with '# <question>' and '# keywords: ...'"
            )
        form = _FORM.search(text)
        if form is None:
            raise IngestError(f"{path.name}: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
        keywords = tuple(
            k.strip() for k in lines[1].removeprefix("# keywords:").split(",") if k.strip()
        )
        queries.append(
            NamedQuery(path.stem, lines[0][2:].strip(), keywords, text, form.group(1).upper())
        )
    return queries
