"""Search by name: `/search?q=` finds genes, drugs, sites, cancers, cell types, processes,
papers, people and journals by label, synonym, identifier, DOI, title or author.

It reads the release's search index (`ingest/searchindex.py`, written at install), opened
read-only, and never the store: a search is a handful of indexed SQLite lookups.

Ranking, best first (the `score` of each result):

    1.00  exact label (a paper's title, a person's printed name)
    0.90  exact synonym (skos:altLabel), identifier (HGNC:11926, O14788), DOI, PubMed id,
          family name, journal abbreviation; 0.85 for a hidden label (skos:hiddenLabel)
    0.80  exact name of an author of the paper
    0.70  a name that starts with the query (0.68 a synonym or identifier, 0.66 a hidden label)
    0.60  every word of the query is a word of a name, or starts one when it has three letters
          or more (0.58, 0.56 as above)
    0.50  the same for a title or an author's name
    0.40 x similarity: a name whose trigrams are like the query's (typos: "denosumb"), when the
          similarity (shared trigrams over all trigrams of both) is at least 0.4

A thing counts once, with its best match. Ties go to the kind (genes, families, drugs, cancers,
sites, cell types, processes, organisms, the review, papers and other works, journals, people,
broader terms), then to the weight (the sources mentioning an entity, the reviews citing a paper,
the papers of a person or journal), then to the label. The stages run in this order, each reading
at most 400 candidates in that tie-break order (the index stores things so), and stop once the
limit is reached: a later stage's scores are all lower. Queries are keyed as names are (case,
accents, dashes and punctuation do not count: ingest.searchindex.search_key).
"""

import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request

from ingest import layout
from ingest.searchindex import FORMAT, TITLE_FIELDS, search_key, trigrams
from server.display import href
from server.errors import error_response, wants_html

bp = Blueprint("search", __name__)

MAX_QUERY_CHARACTERS = 200
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
FUZZY_FLOOR = 0.4
FUZZY_WEIGHT = 0.4
# Fuzzy matching needs a query of at least this many characters (fewer trigrams say little).
FUZZY_MINIMUM = 4
# Candidates read per stage, before ranking (the index lists names best kind and weight first).
_CANDIDATES = 400
_EXACT = {
    "label": 1.0,
    "title": 1.0,
    "synonym": 0.9,
    "identifier": 0.9,
    "doi": 0.9,
    "family name": 0.9,
    "short title": 0.9,
    "hidden": 0.85,
    "author": 0.8,
}
# How much less a match on a field counts than one on a label, in the prefix and word tiers.
_LESS = {"hidden": 0.04, "author": 0.06}
_WHY = {
    "label": "label",
    "title": "title",
    "synonym": "synonym",
    "identifier": "identifier",
    "doi": "DOI",
    "family name": "family name",
    "short title": "abbreviation",
    "hidden": "other name",
    "author": "author",
}
_DOI_URL = re.compile(r"^\s*(?:https?://)?(?:dx\.)?doi\.org/", re.IGNORECASE)


class SearchQueryError(ValueError):
    """A query that cannot be searched for (empty, too long, no letters or digits)."""


@dataclass(frozen=True)
class Result:
    """A thing found: what it is, and why and how well it matched."""

    iri: str
    label: str
    kind: str
    identifier: str
    detail: str
    matched: str
    score: float
    weight: int
    rank: int

    def as_json(self) -> dict[str, Any]:
        """Return the result as the JSON answer gives it."""
        return {
            "iri": self.iri,
            "label": self.label,
            "kind": self.kind,
            "identifier": self.identifier,
            "matched": self.matched,
            "score": round(self.score, 3),
        }


def query_key(query: str) -> str:
    """Return the search key of a query, or raise SearchQueryError saying why there is none."""
    text = query.strip()
    if not text:
        raise SearchQueryError(
            "Nothing to search for: give a name, a synonym, an identifier (HGNC:11926), "
            "a DOI, words of a title or an author's name, as ?q=..."
        )
    if len(text) > MAX_QUERY_CHARACTERS:
        raise SearchQueryError(
            f"The query is {len(text):,} characters long; a search takes at most "
            f"{MAX_QUERY_CHARACTERS}. For longer questions, use the SPARQL endpoint (/sparql)."
        )
    key = search_key(_DOI_URL.sub("", text))
    if not key:
        raise SearchQueryError(
            f"Nothing to search for in {text!r}: the search looks at letters and digits only."
        )
    return key


class SearchIndex:
    """The search index of a release, opened read-only (one connection per thread and process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        meta = dict(self._connection().execute("SELECT name, value FROM meta").fetchall())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} file (format {meta.get('format')!r})")
        self.things = int(meta.get("things", 0))

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or getattr(self._local, "pid", None) != os.getpid():
            # immutable: the release never changes, so SQLite takes no locks and trusts its cache.
            connection = sqlite3.connect(
                f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            connection.execute("PRAGMA query_only = ON")
            self._local.connection = connection
            self._local.pid = os.getpid()
        return connection

    def search(self, query: str, *, limit: int = DEFAULT_LIMIT) -> list[Result]:
        """Return the best `limit` things for `query`, best first (see the module docstring).

        The stages run best first; the scores of a stage are all below those of the stages
        before it, so once `limit` things are found the later stages are skipped.
        """
        key = query_key(query)
        found: dict[int, tuple[float, str]] = {}

        def offer(
            rows: Iterable[tuple[int, str, str]], score_of: dict[str, float], how: str
        ) -> bool:
            for thing, field, text in rows:
                score = score_of.get(field, 0.0)
                if score > found.get(thing, (0.0, ""))[0]:
                    found[thing] = (score, _matched(how, field, text))
            return len(found) >= limit

        exact = self._connection().execute(
            "SELECT thing, field, text FROM names WHERE key = ?", (key,)
        )
        words = _fts_query(key)
        done = (
            offer(exact, _EXACT, "exact")
            or offer(self._prefixed(key), _tier(0.7), "prefix")
            or offer(self._words("name_words", words), _tier(0.6), "words")
            or offer(self._words("title_words", words), _tier(0.5), "words")
        )
        if not done and len(key) >= FUZZY_MINIMUM:
            for thing, field, text, similarity in self._similar(key):
                score = round(FUZZY_WEIGHT * similarity, 3)
                if score > found.get(thing, (0.0, ""))[0]:
                    found[thing] = (score, _matched("similar", field, text))
        return self._results(found, limit)

    def _prefixed(self, key: str) -> list[tuple[int, str, str]]:
        if len(key) < 2:
            return []
        return (
            self._connection()
            .execute(
                "SELECT thing, field, text FROM names"
                " WHERE key > ? AND key < ? AND field != 'author' ORDER BY id LIMIT ?",
                (key, key + "\U0010ffff", _CANDIDATES),
            )
            .fetchall()
        )

    def _words(self, table: str, words: str) -> list[tuple[int, str, str]]:
        return (
            self._connection()
            .execute(
                f"SELECT n.thing, n.field, n.text FROM (SELECT rowid FROM {table}"
                f" WHERE {table} MATCH ? ORDER BY rowid LIMIT ?) w JOIN names n ON n.id = w.rowid",
                (words, _CANDIDATES),
            )
            .fetchall()
        )

    def _similar(self, key: str) -> list[tuple[int, str, str, float]]:
        grams = sorted(trigrams(key))
        marks = ", ".join("?" * len(grams))
        size = len(grams)
        rows = self._connection().execute(
            "SELECT n.thing, n.field, n.text, s.shared * 1.0 / (? + n.grams - s.shared) AS similar"
            f" FROM (SELECT name, COUNT(*) AS shared FROM grams WHERE gram IN ({marks})"
            " GROUP BY name) s JOIN names n ON n.id = s.name"
            " WHERE similar >= ? ORDER BY similar DESC, n.id LIMIT ?",
            (size, *grams, FUZZY_FLOOR, _CANDIDATES),
        )
        return rows.fetchall()

    def _results(self, found: dict[int, tuple[float, str]], limit: int) -> list[Result]:
        if not found:
            return []
        ids = list(found)
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += (
                self._connection()
                .execute(
                    "SELECT id, iri, label, kind, identifier, detail, weight, rank FROM things"
                    f" WHERE id IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
                .fetchall()
            )
        results = [
            Result(iri, label, kind, identifier, detail, found[i][1], found[i][0], weight, rank)
            for i, iri, label, kind, identifier, detail, weight, rank in rows
        ]
        results.sort(key=lambda r: (-r.score, r.rank, -r.weight, r.label.casefold(), r.iri))
        return results[:limit]


def _tier(base: float) -> dict[str, float]:
    """Return the scores of a tier by field: a label's, a little less for the other fields."""
    scores = {field: round(base - 0.02, 3) for field in _EXACT}
    scores.update({"label": base, "title": base})
    scores.update({field: round(base - less, 3) for field, less in _LESS.items()})
    return scores


def _matched(how: str, field: str, text: str) -> str:
    """Say why a thing matched: 'label', 'synonym: RANKL', 'label spelt like the query: ...'."""
    what = _WHY.get(field, field)
    if how == "exact":
        return what if field in ("label", "title") else f"{what}: {text}"
    if how == "prefix":
        return f"{what} starting with the query: {text}"
    if how == "words":
        return f"words of the {what}" if field in TITLE_FIELDS else f"words of {what}: {text}"
    return f"{what} spelt like the query: {text}"


def _fts_query(key: str) -> str:
    """Return an FTS5 query asking for every word of `key`, each also as the start of a word."""
    return " ".join(f'"{word}"*' if len(word) >= 3 else f'"{word}"' for word in key.split())


def search_index() -> SearchIndex:
    """Return the search index of the current app."""
    return current_app.extensions["mkg_search"]  # type: ignore[no-any-return]


def setup(app: Flask, release: Path | None) -> bool:
    """Serve /search when the release has a search index; return whether it does.

    Servers of RDF files, or of a release built before the index existed (or with an index of
    another format), have no search page, and the pages no search box: `base.html` shows it
    only where /search exists.
    """
    path = None if release is None else release / layout.SEARCH
    if path is None or not path.is_file():
        return False
    try:
        app.extensions["mkg_search"] = SearchIndex(path)
    except (ValueError, sqlite3.Error) as error:
        # An index this server cannot read (another format): serve the rest without search.
        app.logger.warning("no search: cannot read %s: %s", path, error)
        return False
    app.register_blueprint(bp)
    return True


def _limit() -> int:
    value = request.args.get("limit", "")
    if not value:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise SearchQueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def _wants_json() -> bool:
    chosen = request.args.get("format", "")
    if chosen in ("json", "html"):
        return chosen == "json"
    return not wants_html()


@bp.get("/search")
def search() -> Response:
    """Find things by name, synonym, identifier, DOI, title words or author: HTML or JSON."""
    query = request.args.get("q", "")
    as_json = _wants_json()
    try:
        if not query.strip() and not as_json:
            return _page(query, results=None, status=200)
        limit = _limit()
        results = search_index().search(query, limit=limit)
    except SearchQueryError as error:
        if as_json:
            return error_response(400, str(error))
        return _page(query, results=None, status=400, problem=str(error))
    if as_json:
        response = jsonify({"query": query, "results": [r.as_json() for r in results]})
    else:
        response = _page(query, results=results, status=200)
    response.headers["Vary"] = "Accept"
    return response


def _page(
    query: str, *, results: list[Result] | None, status: int, problem: str | None = None
) -> Response:
    shown = [(result, href(result.iri)) for result in results or []]
    page = render_template(
        "search.html",
        query=query,
        results=shown,
        searched=results is not None,
        problem=problem,
        things=search_index().things,
        limit=DEFAULT_LIMIT,
    )
    response = Response(page, status=status, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
