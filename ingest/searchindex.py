"""The search index of a release: every thing a user may look for, by its names, in SQLite.

`mkg build` writes it at install (`write_search_index`, from the loaded store) as the release's
`search.sqlite` (`ingest.layout.SEARCH`); the server opens it read-only (`server/search.py`),
so a search is a few indexed lookups, never a scan of the graph. What it holds:

- `things`: one row per thing a search may find, with its IRI, label, kind (`gene`, `drug`,
  `paper`, `person`, ...), identifier, a detail line (a paper's year and journal), its weight
  (the sources that mention an entity, the reviews that cite a paper, the papers of a person
  or journal, the terms below a broader term) and the rank of its kind (the tie-breaker);
- `names`: every name of a thing with the field it comes from (`label`, `synonym` for
  skos:altLabel, `hidden` for skos:hiddenLabel, `identifier`, `doi`, `title`, `author`, ...)
  and its search key (`search_key`); a name written with dashes also has a row per way of
  joining its words there ("IL-6" is found as "il 6" and "il6");
- `name_words` and `title_words`: FTS5 tables over the keys of the names and of the titles and
  authors of papers, for word and prefix matches;
- `grams`: the trigrams of the short names (labels, synonyms, identifiers, names of people and
  journals: not titles), with each name's trigram count in `names.grams`, for typo-tolerant
  matches by trigram similarity.
"""

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ingest.kinds import ENTITY_KINDS
from ingest.namespaces import MKG, canonical_iri
from ingest.textkey import form_keys, iter_tokens

if TYPE_CHECKING:
    # Only the writer reads a store; the server imports the keys without pyoxigraph.
    import pyoxigraph

FORMAT = "mkg-search 1"
# Names longer than this get no trigrams (IUPAC names, long titles): words find them.
GRAM_MAX_CHARACTERS = 80
# Kinds in the order that breaks ties between equally good matches: the entity kinds in the
# registry's order, then works, journals, people and broader terms.
KINDS = (
    *(kind.label for kind in ENTITY_KINDS),
    "review",
    "paper",
    "book",
    "book chapter",
    "conference paper",
    "preprint",
    "thesis",
    "report",
    "patent",
    "web page",
    "database",
    "data set",
    "manuscript",
    "personal communication",
    "work",
    "journal",
    "person",
    "organization",
    "broader term",
)
_ENTITY_CLASSES = {kind.cls: kind.label for kind in ENTITY_KINDS}
_FABIO = "http://purl.org/spar/fabio/"
_FOAF = "http://xmlns.com/foaf/0.1/"
# FaBiO classes of works, most specific first; a work of none of them is a "work".
_WORK_CLASSES = (
    ("ReviewArticle", "review"),
    ("JournalArticle", "paper"),
    ("BookChapter", "book chapter"),
    ("Book", "book"),
    ("ConferencePaper", "conference paper"),
    ("Preprint", "preprint"),
    ("Thesis", "thesis"),
    ("ReportDocument", "report"),
    ("PatentDocument", "patent"),
    ("WebContent", "web page"),
    ("Database", "database"),
    ("DataFile", "data set"),
    ("Manuscript", "manuscript"),
    ("PersonalCommunication", "personal communication"),
)
# Fields whose names get trigrams (for typo-tolerant matches).
GRAM_FIELDS = frozenset({"label", "synonym", "hidden", "family name", "short title"})
# Schemes whose exactMatch IRIs become identifiers a search finds (CURIE prefixes).
_SCHEMES = (
    "HGNC",
    "NCBIGene",
    "UniProtKB",
    "CHEMBL.COMPOUND",
    "DRUGBANK",
    "PUBCHEM.COMPOUND",
    "MESH",
    "FPLX",
    "CHEBI",
    "UBERON",
    "MONDO",
    "DOID",
    "NCIT",
    "CL",
    "GO",
    "NCBITaxon",
)
_PREFIXES = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE things (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, label TEXT NOT NULL, kind TEXT NOT NULL,
    identifier TEXT NOT NULL, detail TEXT NOT NULL, weight INTEGER NOT NULL, rank INTEGER NOT NULL
);
CREATE TABLE names (
    id INTEGER PRIMARY KEY, thing INTEGER NOT NULL, field TEXT NOT NULL, text TEXT NOT NULL,
    key TEXT NOT NULL, grams INTEGER NOT NULL
);
CREATE TABLE grams (gram TEXT NOT NULL, name INTEGER NOT NULL, PRIMARY KEY (gram, name))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE name_words USING fts5(key, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE title_words USING fts5(key, tokenize = 'unicode61 remove_diacritics 2');
"""
_INDEXES = """
CREATE INDEX names_key ON names (key);
CREATE INDEX names_thing ON names (thing);
"""
# Fields searched by words in `title_words` rather than `name_words`.
TITLE_FIELDS = frozenset({"title", "author"})


def search_key(text: str) -> str:
    """Return the search key of a text: its words' keys (ingest.textkey), punctuation left out.

    Case, accents, dashes and punctuation do not count ("HGNC:11926" and "hgnc 11926" have one
    key); Greek letters are spelled out ("TGF-β" is "tgf beta").
    """
    return " ".join(token.key for token in iter_tokens(text) if token.word and token.key)


def name_keys(text: str) -> list[str]:
    """Return the keys a name is found under: its search key, and one per way of joining the
    words around its dashes ("IL-6": "il 6", "il6")."""
    keys: list[str] = []
    for key in form_keys(text):
        words = " ".join(word for word in key.split(" ") if word[:1].isalnum())
        if words and words not in keys:
            keys.append(words)
    first = search_key(text)
    if first and first not in keys:
        keys.insert(0, first)
    return keys


def trigrams(key: str) -> set[str]:
    """Return the trigrams of a search key: of each word, padded with two spaces and one."""
    grams: set[str] = set()
    for word in key.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


@dataclass
class Thing:
    """A thing the index finds, with its names as (field, text)."""

    iri: str
    label: str
    kind: str
    identifier: str = ""
    detail: str = ""
    weight: int = 0
    names: list[tuple[str, str]] = field(default_factory=list)


def write_search_index(store: "pyoxigraph.Store", path: Path) -> dict[str, int]:
    """Write the search index of the graph in `store` to `path`; return its row counts."""
    things = collect_things(store)
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        counts = _insert(connection, things)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", FORMAT), *((name, str(count)) for name, count in counts.items())],
        )
        connection.executescript(_INDEXES + "ANALYZE;")
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    return counts


def _insert(connection: sqlite3.Connection, things: list[Thing]) -> dict[str, int]:
    """Insert the things, their names, words and trigrams (in batches); return the counts."""
    rank = {kind: index for index, kind in enumerate(KINDS)}
    rows: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    counts = {"things": len(things), "names": 0, "grams": 0}
    for number, thing in enumerate(things, start=1):
        kind_rank = rank.get(thing.kind, len(KINDS))
        rows["things"].append(
            (number, thing.iri, thing.label, thing.kind, thing.identifier, thing.detail)
            + (thing.weight, kind_rank)
        )
        seen: set[tuple[str, str]] = set()
        for name_field, text in thing.names:
            text = " ".join(text.split())
            # Titles and authors are found by their words: no joined keys for them.
            keys = [search_key(text)] if name_field in TITLE_FIELDS else name_keys(text)
            for key in keys:
                if not key or (name_field, key) in seen:
                    continue
                seen.add((name_field, key))
                counts["names"] += 1
                name = counts["names"]
                own = sorted(trigrams(key)) if _has_grams(name_field, text) else []
                rows["names"].append((name, number, name_field, text, key, len(own)))
                table = "title_words" if name_field in TITLE_FIELDS else "name_words"
                rows[table].append((name, key))
                rows["grams"] += [(gram, name) for gram in own]
                counts["grams"] += len(own)
        if len(rows["names"]) >= _BATCH:
            _flush(connection, rows)
    _flush(connection, rows)
    return counts


_BATCH = 20000
_INSERTS = {
    "things": "INSERT INTO things VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "names": "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
    "name_words": "INSERT INTO name_words (rowid, key) VALUES (?, ?)",
    "title_words": "INSERT INTO title_words (rowid, key) VALUES (?, ?)",
    "grams": "INSERT INTO grams VALUES (?, ?)",
}


def _flush(connection: sqlite3.Connection, rows: dict[str, list[tuple[object, ...]]]) -> None:
    for table, statement in _INSERTS.items():
        connection.executemany(statement, rows[table])
        rows[table].clear()


def _has_grams(name_field: str, text: str) -> bool:
    return name_field in GRAM_FIELDS and len(text) <= GRAM_MAX_CHARACTERS


def _rows(store: "pyoxigraph.Store", query: str) -> Iterator[dict[str, str]]:
    solutions = cast(
        "pyoxigraph.QuerySolutions", store.query(_PREFIXES + query, use_default_graph_as_union=True)
    )
    variables = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {name: solution[name].value for name in variables if solution[name] is not None}


def _values(store: "pyoxigraph.Store", pattern: str) -> dict[str, list[str]]:
    """Return ?s -> every distinct ?o of a pattern, in a stable order.

    Every query here is one triple pattern (or one join) and the rest is done in Python: the
    store's planner may evaluate OPTIONAL blocks before their variables are bound, which costs
    minutes on a build of 100 reviews. DISTINCT, because a triple that several document graphs
    hold (a journal's titles) comes once per graph from the union of the graphs.
    """
    found: dict[str, list[str]] = defaultdict(list)
    for row in _rows(store, f"SELECT DISTINCT ?s ?o WHERE {{ {pattern} }}"):
        found[row["s"]].append(row["o"])
    return {subject: sorted(set(objects)) for subject, objects in found.items()}


def _counts(store: "pyoxigraph.Store", pattern: str) -> dict[str, int]:
    """Return ?o -> the number of distinct ?s of a pattern (papers citing, sources mentioning)."""
    rows = _rows(store, f"SELECT ?o (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {pattern} }} GROUP BY ?o")
    return {row["o"]: int(row["n"]) for row in rows}


def _first(values: dict[str, list[str]], subject: str) -> str:
    return values.get(subject, [""])[0]


def collect_things(store: "pyoxigraph.Store") -> list[Thing]:
    """Return every thing to index with its names, by kind, weight (highest first) and IRI."""
    labels = _values(store, "?s rdfs:label ?o")
    # The types that decide a thing's kind, looked up class by class (not every typed node).
    classes = [str(MKG) + cls for cls in _ENTITY_CLASSES]
    classes += [_FABIO + cls for cls, _ in _WORK_CLASSES] + [_FABIO + "Journal"]
    classes += [_FOAF + "Person", _FOAF + "Organization"]
    wanted = " ".join(f"<{iri}>" for iri in classes)
    types = _values(store, f"VALUES ?o {{ {wanted} }} ?s a ?o")
    found: dict[str, Thing] = {}
    _entities(store, found, labels, types)
    _broader_terms(store, found, labels, types)
    _works(store, found, labels, types)
    _people(store, found, labels, types)
    _journals(store, found, types)
    rank = {kind: index for index, kind in enumerate(KINDS)}
    # In the order that breaks ties (kind, weight), so a stage may read the first rows only.
    return sorted(
        found.values(),
        key=lambda thing: (rank.get(thing.kind, len(KINDS)), -thing.weight, thing.iri),
    )


def _entities(
    store: "pyoxigraph.Store",
    found: dict[str, Thing],
    labels: dict[str, list[str]],
    types: dict[str, list[str]],
) -> None:
    identifiers = _values(store, "?s dcterms:identifier ?o")
    for iri in sorted(types):
        kind = next((k for cls, k in _ENTITY_CLASSES.items() if str(MKG) + cls in types[iri]), None)
        if kind is None or iri not in labels:
            continue
        thing = Thing(iri, labels[iri][0], kind, _first(identifiers, iri))
        thing.names.append(("label", thing.label))
        if thing.identifier:
            thing.names.append(("identifier", thing.identifier))
        found[iri] = thing
    for name_field, predicate in (("synonym", "skos:altLabel"), ("hidden", "skos:hiddenLabel")):
        for iri, names in _values(store, f"?s {predicate} ?o").items():
            if iri in found:
                found[iri].names += [(name_field, name) for name in names]
    _exact_matches(store, found)
    for iri, sources in _counts(store, "?s mkg:mentions ?o").items():
        if iri in found:
            found[iri].weight = sources


def _exact_matches(store: "pyoxigraph.Store", found: dict[str, Thing]) -> None:
    """Add the identifiers of the entities' exact matches (NCBIGene:8600, UniProtKB:O14788)."""
    bases = sorted(
        ((str(canonical_iri(f"{prefix}:X"))[:-1], prefix) for prefix in _SCHEMES),
        key=lambda pair: -len(pair[0]),
    )
    for iri, matches in _values(store, "?s skos:exactMatch ?o").items():
        thing = found.get(iri)
        if thing is None:
            continue
        for match in matches:
            for base, prefix in bases:
                if match.startswith(base):
                    local = match[len(base) :]
                    curie = f"{prefix}:{local}"
                    if curie != thing.identifier:
                        thing.names.append(("identifier", curie))
                    # An accession that names its scheme (O14788, CHEMBL941, DB06643) alone too.
                    if any(char.isalpha() for char in local):
                        thing.names.append(("identifier", local))
                    break


def _broader_terms(
    store: "pyoxigraph.Store",
    found: dict[str, Thing],
    labels: dict[str, list[str]],
    types: dict[str, list[str]],
) -> None:
    identifiers = _values(store, "?s a mkg:BroaderTerm ; dcterms:identifier ?o")
    below = _counts(store, "?s skos:broader ?o")
    for iri, identifier in sorted(identifiers.items()):
        if iri in found or iri not in labels:
            continue
        thing = Thing(iri, labels[iri][0], "broader term", identifier[0], weight=below.get(iri, 0))
        thing.names += [("label", thing.label), ("identifier", thing.identifier)]
        found[iri] = thing


def _works(
    store: "pyoxigraph.Store",
    found: dict[str, Thing],
    labels: dict[str, list[str]],
    types: dict[str, list[str]],
) -> None:
    """Add the review and the cited works: title, DOI, PubMed id, authors; weight: citations."""
    citations = _counts(store, "?s cito:cites ?o")
    reviews = {iri for iri, classes in types.items() if _FABIO + "ReviewArticle" in classes}
    titles = _values(store, "?s dcterms:title ?o")
    years = _values(store, "?s mkg:publicationYear ?o")
    venues = _values(store, "?s dcterms:isPartOf/fabio:hasShortTitle ?o")
    works: dict[str, Thing] = {}
    for iri in sorted(set(citations) | reviews):
        label = _first(titles, iri) or _first(labels, iri)
        if iri in found or not label:
            continue
        classes = {cls.removeprefix(_FABIO) for cls in types.get(iri, ())}
        kind = next((kind for cls, kind in _WORK_CLASSES if cls in classes), "work")
        detail = ", ".join(part for part in (_first(venues, iri), _first(years, iri)) if part)
        thing = Thing(iri, label, kind, detail=detail, weight=citations.get(iri, 0))
        thing.names += [("title", title) for title in titles.get(iri, [label])]
        works[iri] = thing
    _work_identifiers(store, works)
    names = _values(store, "?s foaf:name ?o")
    families = _values(store, "?s foaf:familyName ?o")
    for iri, authors in _values(store, "?s dcterms:creator ?o").items():
        work = works.get(iri)
        if work is not None:
            for author in authors:
                work.names += [("author", name) for name in names.get(author, [])]
                work.names += [("author", name) for name in families.get(author, [])]
    found.update(works)


def _work_identifiers(store: "pyoxigraph.Store", works: dict[str, Thing]) -> None:
    for iri, dois in _values(store, "?s prism:doi ?o").items():
        if iri in works:
            for doi in dois:
                works[iri].names += [("doi", doi), ("doi", f"doi:{doi}")]
            works[iri].identifier = f"doi:{dois[0].lower()}"
    for iri, values in _values(store, "?s fabio:hasPubMedId ?o").items():
        if iri in works:
            for value in values:
                works[iri].names += [("identifier", value), ("identifier", f"pmid:{value}")]
            works[iri].identifier = works[iri].identifier or f"pmid:{values[0]}"
    for iri, values in _values(store, "?s dcterms:identifier ?o").items():
        if iri in works:
            works[iri].names += [("identifier", value) for value in values]
            works[iri].identifier = works[iri].identifier or values[0]


def _people(
    store: "pyoxigraph.Store",
    found: dict[str, Thing],
    labels: dict[str, list[str]],
    types: dict[str, list[str]],
) -> None:
    """Add printed names of people and organizations; weight: the works naming them."""
    families = _values(store, "?s foaf:familyName ?o")
    works = _counts(store, "?s dcterms:creator ?o")
    for iri in sorted(types):
        classes = types[iri]
        if _FOAF + "Person" in classes:
            kind = "person"
        elif _FOAF + "Organization" in classes:
            kind = "organization"
        else:
            continue
        if iri in found or iri not in labels:
            continue
        thing = Thing(iri, labels[iri][0], kind, weight=works.get(iri, 0))
        thing.names.append(("label", thing.label))
        thing.names += [("family name", family) for family in families.get(iri, [])]
        found[iri] = thing


def _journals(
    store: "pyoxigraph.Store", found: dict[str, Thing], types: dict[str, list[str]]
) -> None:
    """Add the journals: full and short titles, ISSNs, NLM ID; weight: their papers."""
    titles = _values(store, "?s a fabio:Journal ; dcterms:title ?o")
    shorts = _values(store, "?s a fabio:Journal ; fabio:hasShortTitle ?o")
    issns = _values(store, "?s a fabio:Journal ; prism:issn|prism:eIssn ?o")
    nlm = _values(store, "?s a fabio:Journal ; mkg:nlmId ?o")
    papers = _counts(store, "?s dcterms:isPartOf ?o")
    for iri in sorted(types):
        if _FABIO + "Journal" not in types[iri] or iri in found:
            continue
        label = _first(titles, iri) or _first(shorts, iri)
        if not label:
            continue
        thing = Thing(iri, label, "journal", weight=papers.get(iri, 0))
        thing.names.append(("label", label))
        thing.names += [("short title", short) for short in shorts.get(iri, [])]
        thing.names += [("identifier", issn) for issn in issns.get(iri, [])]
        thing.names += [("identifier", value) for value in nlm.get(iri, [])]
        if issns.get(iri):
            thing.identifier = f"ISSN:{issns[iri][0]}"
        elif nlm.get(iri):
            thing.identifier = f"NLM:{nlm[iri][0]}"
        found[iri] = thing


def read_meta(path: Path) -> dict[str, str]:
    """Return the meta rows of a search index file (its format and counts)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(connection.execute("SELECT name, value FROM meta").fetchall())
    finally:
        connection.close()
