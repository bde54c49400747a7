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

import pyoxigraph

from ingest.namespaces import MKG, canonical_iri
from ingest.textkey import form_keys, iter_tokens

FORMAT = "mkg-search 1"
# Names longer than this get no trigrams (IUPAC names, long titles): words find them.
GRAM_MAX_CHARACTERS = 80
# Kinds in the order that breaks ties between equally good matches.
KINDS = (
    "gene",
    "gene family",
    "drug",
    "cancer",
    "anatomical site",
    "cell type",
    "metastatic process",
    "organism",
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
_ENTITY_CLASSES = {
    "Gene": "gene",
    "GeneFamily": "gene family",
    "Drug": "drug",
    "Cancer": "cancer",
    "AnatomicalSite": "anatomical site",
    "CellType": "cell type",
    "MetastaticProcess": "metastatic process",
    "Organism": "organism",
}
_FABIO = "http://purl.org/spar/fabio/"
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


def write_search_index(store: pyoxigraph.Store, path: Path) -> dict[str, int]:
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
    names = grams = 0
    rank = {kind: index for index, kind in enumerate(KINDS)}
    for number, thing in enumerate(things, start=1):
        connection.execute(
            "INSERT INTO things VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                number,
                thing.iri,
                thing.label,
                thing.kind,
                thing.identifier,
                thing.detail,
                thing.weight,
                rank.get(thing.kind, len(KINDS)),
            ),
        )
        seen: set[tuple[str, str]] = set()
        for name_field, text in thing.names:
            text = " ".join(text.split())
            for key in name_keys(text):
                if (name_field, key) in seen:
                    continue
                seen.add((name_field, key))
                names += 1
                own = trigrams(key) if _has_grams(name_field, text) else set()
                connection.execute(
                    "INSERT INTO names VALUES (?, ?, ?, ?, ?, ?)",
                    (names, number, name_field, text, key, len(own)),
                )
                table = "title_words" if name_field in TITLE_FIELDS else "name_words"
                connection.execute(f"INSERT INTO {table} (rowid, key) VALUES (?, ?)", (names, key))
                connection.executemany(
                    "INSERT INTO grams VALUES (?, ?)", ((gram, names) for gram in sorted(own))
                )
                grams += len(own)
    return {"things": len(things), "names": names, "grams": grams}


def _has_grams(name_field: str, text: str) -> bool:
    return name_field in GRAM_FIELDS and len(text) <= GRAM_MAX_CHARACTERS


def _rows(store: pyoxigraph.Store, query: str) -> Iterator[dict[str, str]]:
    solutions = store.query(_PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    variables = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {name: solution[name].value for name in variables if solution[name] is not None}


def collect_things(store: pyoxigraph.Store) -> list[Thing]:
    """Return every thing to index with its names, by kind, weight (highest first) and IRI."""
    found: dict[str, Thing] = {}
    _entities(store, found)
    _broader_terms(store, found)
    _works(store, found)
    _people(store, found)
    _journals(store, found)
    rank = {kind: index for index, kind in enumerate(KINDS)}
    # In the order that breaks ties (kind, weight), so a stage may read the first rows only.
    return sorted(
        found.values(),
        key=lambda thing: (rank.get(thing.kind, len(KINDS)), -thing.weight, thing.iri),
    )


def _entities(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    classes = " ".join(f"mkg:{name}" for name in _ENTITY_CLASSES)
    order = list(_ENTITY_CLASSES)
    rows = sorted(
        _rows(
            store,
            f"SELECT ?thing ?class ?label ?identifier WHERE {{ VALUES ?class {{ {classes} }}\n"
            "  ?thing a ?class ; rdfs:label ?label .\n"
            "  OPTIONAL { ?thing dcterms:identifier ?identifier } }",
        ),
        key=lambda row: order.index(row["class"].removeprefix(str(MKG))),
    )
    for row in rows:
        if row["thing"] in found:
            continue
        kind = _ENTITY_CLASSES[row["class"].removeprefix(str(MKG))]
        identifier = row.get("identifier", "")
        thing = Thing(row["thing"], row["label"], kind, identifier)
        thing.names.append(("label", row["label"]))
        if identifier:
            thing.names.append(("identifier", identifier))
        found[row["thing"]] = thing
    for row in _rows(
        store,
        "SELECT ?thing ?name ?hidden WHERE {\n"
        "  { ?thing skos:altLabel ?name BIND(false AS ?hidden) }\n"
        "  UNION { ?thing skos:hiddenLabel ?name BIND(true AS ?hidden) } }",
    ):
        if row["thing"] in found:
            name_field = "hidden" if row["hidden"] == "true" else "synonym"
            found[row["thing"]].names.append((name_field, row["name"]))
    _exact_matches(store, found)
    for row in _rows(
        store,
        "SELECT ?thing (COUNT(DISTINCT ?source) AS ?sources) WHERE {\n"
        "  ?source mkg:mentions ?thing } GROUP BY ?thing",
    ):
        if row["thing"] in found:
            found[row["thing"]].weight = int(row["sources"])


def _exact_matches(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    """Add the identifiers of the entities' exact matches (NCBIGene:8600, UniProtKB:O14788)."""
    bases = sorted(
        ((str(canonical_iri(f"{prefix}:X"))[:-1], prefix) for prefix in _SCHEMES),
        key=lambda pair: -len(pair[0]),
    )
    for row in _rows(store, "SELECT ?thing ?match WHERE { ?thing skos:exactMatch ?match }"):
        thing = found.get(row["thing"])
        if thing is None:
            continue
        for base, prefix in bases:
            if row["match"].startswith(base):
                local = row["match"][len(base) :]
                curie = f"{prefix}:{local}"
                if curie != thing.identifier:
                    thing.names.append(("identifier", curie))
                # An accession that names its scheme (O14788, CHEMBL941, DB06643) alone too.
                if any(char.isalpha() for char in local):
                    thing.names.append(("identifier", local))
                break


def _broader_terms(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    for row in _rows(
        store,
        "SELECT ?thing ?label ?identifier (COUNT(DISTINCT ?below) AS ?below_count) WHERE {\n"
        "  ?thing a mkg:BroaderTerm ; rdfs:label ?label ; dcterms:identifier ?identifier .\n"
        "  OPTIONAL { ?below skos:broader ?thing } } GROUP BY ?thing ?label ?identifier",
    ):
        if row["thing"] in found:
            continue
        thing = Thing(row["thing"], row["label"], "broader term", row["identifier"])
        thing.weight = int(row["below_count"])
        thing.names += [("label", row["label"]), ("identifier", row["identifier"])]
        found[row["thing"]] = thing


def _works(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    """Add the review and the cited works: title, DOI, PubMed id, authors; weight: citations."""
    works: dict[str, Thing] = {}
    for row in _rows(
        store,
        "SELECT ?work (MIN(?title) AS ?name) (MIN(?label) AS ?other) (MIN(?year) AS ?published)\n"
        "  (MIN(?journal) AS ?venue) (COUNT(DISTINCT ?review) AS ?citations) WHERE {\n"
        "  { ?review cito:cites ?work } UNION { ?work a fabio:ReviewArticle }\n"
        "  OPTIONAL { ?work dcterms:title ?title } OPTIONAL { ?work rdfs:label ?label }\n"
        "  OPTIONAL { ?work mkg:publicationYear ?year }\n"
        "  OPTIONAL { ?work dcterms:isPartOf/fabio:hasShortTitle ?journal }\n"
        "} GROUP BY ?work",
    ):
        label = row.get("name") or row.get("other")
        if row["work"] in found or not label:
            continue
        detail = ", ".join(part for part in (row.get("venue"), row.get("published")) if part)
        thing = Thing(row["work"], label, "work", detail=detail)
        thing.weight = int(row["citations"])
        works[row["work"]] = thing
    kinds: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "SELECT ?work ?class WHERE { ?work a ?class }"):
        if row["work"] in works and row["class"].startswith(_FABIO):
            kinds[row["work"]].add(row["class"].removeprefix(_FABIO))
    for iri, thing in works.items():
        thing.kind = next((kind for cls, kind in _WORK_CLASSES if cls in kinds[iri]), "work")
    for row in _rows(
        store,
        "SELECT ?work ?title WHERE { ?work dcterms:title ?title }",
    ):
        if row["work"] in works:
            works[row["work"]].names.append(("title", row["title"]))
    _work_identifiers(store, works)
    for row in _rows(
        store,
        "SELECT ?work ?name ?family WHERE { ?work dcterms:creator ?person .\n"
        "  OPTIONAL { ?person foaf:name ?name } OPTIONAL { ?person foaf:familyName ?family } }",
    ):
        author_of = works.get(row["work"])
        if author_of is not None:
            author_of.names += [("author", row[key]) for key in ("name", "family") if key in row]
    for thing in works.values():
        if not any(name_field == "title" for name_field, _ in thing.names):
            thing.names.append(("title", thing.label))
    found.update(works)


def _work_identifiers(store: pyoxigraph.Store, works: dict[str, Thing]) -> None:
    for row in _rows(
        store,
        "SELECT ?work ?doi ?identifier ?pubmed WHERE {\n"
        "  { ?work prism:doi ?doi } UNION { ?work dcterms:identifier ?identifier }\n"
        "  UNION { ?work fabio:hasPubMedId ?pubmed } }",
    ):
        thing = works.get(row["work"])
        if thing is None:
            continue
        if "doi" in row:
            doi = row["doi"]
            thing.names += [("doi", doi), ("doi", f"doi:{doi}")]
            thing.identifier = thing.identifier or f"doi:{doi.lower()}"
        if "identifier" in row:
            thing.names.append(("identifier", row["identifier"]))
            thing.identifier = thing.identifier or row["identifier"]
        if "pubmed" in row:
            thing.names += [("identifier", row["pubmed"]), ("identifier", f"pmid:{row['pubmed']}")]
            thing.identifier = thing.identifier or f"pmid:{row['pubmed']}"


def _people(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    """Add printed names of people and organizations; weight: the works naming them."""
    for row in _rows(
        store,
        "SELECT ?who ?label ?class (SAMPLE(?family) AS ?surname)\n"
        "  (COUNT(DISTINCT ?work) AS ?works) WHERE {\n"
        "  VALUES ?class { foaf:Person foaf:Organization }\n"
        "  ?who a ?class ; rdfs:label ?label .\n"
        "  OPTIONAL { ?who foaf:familyName ?family }\n"
        "  OPTIONAL { ?work dcterms:creator ?who } } GROUP BY ?who ?label ?class",
    ):
        if row["who"] in found:
            continue
        kind = "person" if row["class"].endswith("Person") else "organization"
        thing = Thing(row["who"], row["label"], kind, weight=int(row["works"]))
        thing.names.append(("label", row["label"]))
        if "surname" in row:
            thing.names.append(("family name", row["surname"]))
        found[row["who"]] = thing


def _journals(store: pyoxigraph.Store, found: dict[str, Thing]) -> None:
    """Add the journals: full and short titles, ISSNs, NLM ID; weight: their papers."""
    journals: dict[str, Thing] = {}
    for row in _rows(
        store,
        "SELECT ?journal (SAMPLE(?full) AS ?title) (MIN(?short) AS ?abbreviation)\n"
        "  (COUNT(DISTINCT ?work) AS ?works) WHERE {\n"
        "  ?journal a fabio:Journal .\n"
        "  OPTIONAL { ?journal dcterms:title ?full }\n"
        "  OPTIONAL { ?journal fabio:hasShortTitle ?short }\n"
        "  OPTIONAL { ?work dcterms:isPartOf ?journal } } GROUP BY ?journal",
    ):
        label = row.get("title") or row.get("abbreviation")
        if row["journal"] in found or not label:
            continue
        thing = Thing(row["journal"], label, "journal", weight=int(row["works"]))
        thing.names.append(("label", label))
        journals[row["journal"]] = thing
    for row in _rows(
        store,
        "SELECT ?journal ?short ?issn ?nlm WHERE { ?journal a fabio:Journal .\n"
        "  { ?journal fabio:hasShortTitle ?short }\n"
        "  UNION { ?journal prism:issn|prism:eIssn ?issn }\n"
        "  UNION { ?journal mkg:nlmId ?nlm } }",
    ):
        journal = journals.get(row["journal"])
        if journal is None:
            continue
        if "short" in row:
            journal.names.append(("short title", row["short"]))
        for key in ("issn", "nlm"):
            if key in row:
                journal.names.append(("identifier", row[key]))
                journal.identifier = journal.identifier or (
                    f"ISSN:{row[key]}" if key == "issn" else f"NLM:{row[key]}"
                )
    found.update(journals)


def read_meta(path: Path) -> dict[str, str]:
    """Return the meta rows of a search index file (its format and counts)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(connection.execute("SELECT name, value FROM meta").fetchall())
    finally:
        connection.close()
