"""The named queries the query page offers: published in the graph, else read from queries/.

The query page lists the examples the graph publishes (sh:SPARQLExecutable, as SIB and UniProt
do), so it shows what clients discover; the queries/ files are the fallback for data without.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from ingest.resources import data_path
from server.display import href
from server.engine import Engine


@dataclass(frozen=True)
class Example:
    """A named query: its name, the question it asks, its text, its IRI and keywords."""

    name: str
    question: str
    text: str
    iri: str | None = None
    keywords: tuple[str, ...] = ()


_PUBLISHED = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX schema: <https://schema.org/>
SELECT ?example ?name ?question ?text ?keyword WHERE {
  ?example a sh:SPARQLExecutable ; sh:select|sh:ask|sh:construct|sh:describe ?text .
  OPTIONAL { ?example rdfs:label ?name }
  OPTIONAL { ?example rdfs:comment ?question }
  OPTIONAL { ?example schema:keywords ?keyword }
}
"""
_KEYWORDS_LINE = re.compile(r"^#\s*keywords:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


def load_examples(directory: Path | None = None) -> list[Example]:
    """Read every .rq file of queries/ (first line a '#' question; a '# keywords:' line)."""
    try:
        folder = directory or data_path("queries")
    except FileNotFoundError:
        return []
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        question = first.lstrip("#").strip() if first.startswith("#") else path.stem
        match = _KEYWORDS_LINE.search(text)
        words = [w.strip() for w in match.group(1).split(",")] if match else []
        examples.append(Example(path.stem, question, text, None, tuple(w for w in words if w)))
    return examples


def published_examples(engine: Engine) -> list[Example]:
    """Return the example queries the graph publishes, sorted by name (empty when none)."""
    found: dict[str, dict[str, Any]] = {}
    for row in engine.select(_PUBLISHED):
        iri = row["example"].value
        entry = found.setdefault(iri, {"keywords": set()})
        for name in ("name", "question", "text"):
            if row[name] is not None and name not in entry:
                entry[name] = row[name].value
        if row["keyword"] is not None:
            entry["keywords"].add(row["keyword"].value)
    examples = []
    for iri, entry in found.items():
        name = entry.get("name") or iri.rstrip("/").rsplit("/", 1)[-1]
        examples.append(
            Example(
                name=name,
                question=entry.get("question") or name,
                text=entry["text"],
                iri=iri,
                keywords=tuple(sorted(entry["keywords"], key=str.lower)),
            )
        )
    return sorted(examples, key=lambda example: example.name)


def examples() -> list[Example]:
    """Return the named queries this app offers."""
    return current_app.extensions["mkg_examples"]  # type: ignore[no-any-return]


def matching(text: str) -> Example | None:
    """Return the named query whose text is `text` (ignoring surrounding white space), if any."""
    wanted = text.strip()
    return next((e for e in examples() if e.text.strip() == wanted), None)


def setup(app: Flask) -> None:
    """Offer the graph's published examples, or the queries/ files when it publishes none."""
    published = published_examples(app.extensions["mkg"])
    app.extensions["mkg_examples"] = published or load_examples()
    app.extensions["mkg_examples_source"] = "graph" if published else "files"

    @app.context_processor
    def _example_context() -> dict[str, Any]:
        return {"examples_source": app.extensions["mkg_examples_source"], "page_of": href}
