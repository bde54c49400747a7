"""The documentation in docs/ runs and stays true to the build.

- every ```sparql block without SERVICE runs on the real build and returns something;
- the federated examples run against a local stand-in for UniProt, Wikidata and ChEMBL (an
  `mkg serve --data` over the hand-made triples below), both directly in pyoxigraph and through
  `mkg serve --allow-service`, and return the expected joined rows; no test reaches the internet:
  every SERVICE target is rewritten to 127.0.0.1 and checked before a query runs;
- every ```turtle block parses, and every IRI and triple of the worked examples is in the build
  (of the seed, or of the test pages for the kinds of work the seed does not cite);
- every `$ mkg query` shown in a ```console block prints exactly the output shown;
- every ```mermaid block starts with a diagram type, and its flowchart is well formed.
"""

import re
import shlex
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
from rdflib.namespace import RDF

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
PAGES = (
    "data-model.md",
    "newcomer.md",
    "protege.md",
    "linking.md",
    "loading.md",
    "input-format.md",
)
BASE = "https://w3id.org/mkg/"

# The remote endpoints the docs federate with; tests send their SERVICE blocks to a local stand-in.
REMOTES = (
    "https://sparql.uniprot.org/sparql",
    "https://query.wikidata.org/sparql",
    "https://www.ebi.ac.uk/rdf/services/sparql",
    "https://opencitations.net/meta/sparql",
)
SERVICE_TARGET = re.compile(r"\bSERVICE\s+(?:SILENT\s+)?(\S+)", re.IGNORECASE)

# VoID counts change with the data; the docs show those of one build.
VOLATILE = frozenset(
    str(rdflib.URIRef("http://rdfs.org/ns/void#" + name))
    for name in ("triples", "entities", "distinctSubjects", "properties", "classes")
)

# Stand-ins for the remote sources: a few triples each, in the shape the source publishes, about
# identifiers the project's reference tables pair: HGNC:12680 VEGFA = UniProt P15692 = NCBI Gene
# 7422; HGNC:11926 TNFSF11 = UniProt O14788 = NCBI Gene 8600 (HGNC table); CHEMBL1336 = sorafenib
# = CHEBI:50924, CHEMBL1237023 = denosumab, CHEMBL1201583 = bevacizumab (ChEBI and drug tables).
# Wikidata items and ChEMBL mechanisms and targets are blank nodes: their own identifiers are in no
# reference table, so none is written down. The mechanisms pair each antibody with the protein of
# the gene the project's drug lexicon names as its target (DrugBank); no action type is given.
UNIPROT_TTL = """\
@prefix up: <http://purl.uniprot.org/core/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<http://purl.uniprot.org/uniprot/P15692> a up:Protein ;
    up:organism <http://purl.uniprot.org/taxonomy/9606> ;
    up:encodedBy [ skos:prefLabel "VEGFA" ] ;
    rdfs:seeAlso <http://purl.uniprot.org/geneid/7422> .

<http://purl.uniprot.org/uniprot/O14788> a up:Protein ;
    up:organism <http://purl.uniprot.org/taxonomy/9606> ;
    up:encodedBy [ skos:prefLabel "TNFSF11" ] ;
    rdfs:seeAlso <http://purl.uniprot.org/geneid/8600> .
"""
WIKIDATA_TTL = """\
@prefix wdt: <http://www.wikidata.org/prop/direct/> .

[] wdt:P354 "12680" ; wdt:P351 "7422" .
[] wdt:P354 "11926" ; wdt:P351 "8600" .
[] wdt:P592 "CHEMBL1336" ; wdt:P683 "50924" .
[] wdt:P592 "CHEMBL1237023" .
[] wdt:P356 "10.1038/NM1469" .
[] wdt:P356 "10.5555/MKG-CTX-4" ; wdt:P698 "99100004" ; wdt:P932 "9910004" .
[] wdt:P356 "10.5555/MKG-CTX-2" ; wdt:P698 "99100002" .
"""
# Works by DOI, as OpenCitations Meta describes them: the review, and two papers it cites with the
# DOIs and PubMed IDs that tests/data/contexts/review.jats.xml prints for them. The works (OMIDs in
# OpenCitations) are blank nodes: no reference table holds their OMIDs.
OPENCITATIONS_TTL = """\
@prefix datacite: <http://purl.org/spar/datacite/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix literal: <http://www.essepuntato.it/2010/06/literalreification/> .

[] a fabio:Expression ;
    dcterms:title "Tumor metastasis: mechanistic insights and clinical challenges" ;
    datacite:hasIdentifier [ datacite:usesIdentifierScheme datacite:doi ;
                             literal:hasLiteralValue "10.1038/nm1469" ] .
[] a fabio:Expression ;
    dcterms:title "Genes that mediate breast cancer metastasis to lung" ;
    datacite:hasIdentifier [ datacite:usesIdentifierScheme datacite:doi ;
                             literal:hasLiteralValue "10.5555/mkg-ctx-4" ] ,
                           [ datacite:usesIdentifierScheme datacite:pmid ;
                             literal:hasLiteralValue "99100004" ] .
[] a fabio:Expression ;
    dcterms:title "A multigenic program mediating breast cancer metastasis to bone" ;
    datacite:hasIdentifier [ datacite:usesIdentifierScheme datacite:doi ;
                             literal:hasLiteralValue "10.5555/mkg-ctx-2" ] ,
                           [ datacite:usesIdentifierScheme datacite:pmid ;
                             literal:hasLiteralValue "99100002" ] .
"""
CHEMBL_TTL = """\
@prefix cco: <http://rdf.ebi.ac.uk/terms/chembl#> .
@prefix molecule: <http://rdf.ebi.ac.uk/resource/chembl/molecule/> .
@prefix uniprot: <http://purl.uniprot.org/uniprot/> .

[] a cco:Mechanism ;
    cco:hasMolecule molecule:CHEMBL1201583 ;
    cco:hasTarget [ cco:hasTargetComponent [ cco:targetCmptXref uniprot:P15692 ] ] .
[] a cco:Mechanism ;
    cco:hasMolecule molecule:CHEMBL1237023 ;
    cco:hasTarget [ cco:hasTargetComponent [ cco:targetCmptXref uniprot:O14788 ] ] .
uniprot:P15692 a cco:UniprotRef .
uniprot:O14788 a cco:UniprotRef .
"""

UNIPROT = "http://purl.uniprot.org/uniprot/"
REVIEW = "https://w3id.org/mkg/paper/steeg-2006-nat-med-12-895"
CHEMBL_MOLECULE = "http://rdf.ebi.ac.uk/resource/chembl/molecule/"
# The rows each federated example must return against the stand-ins, keyed by its question.
EXPECTED: dict[str, list[dict[str, str]]] = {
    "Which UniProt entries are the products": [
        {
            "drug": "bevacizumab",
            "gene": "VEGFA",
            "protein": UNIPROT + "P15692",
            "uniprot_gene_name": "VEGFA",
            "organism": "http://purl.uniprot.org/taxonomy/9606",
            "ncbigene": "http://identifiers.org/ncbigene/7422",
        },
        {
            "drug": "denosumab",
            "gene": "TNFSF11",
            "protein": UNIPROT + "O14788",
            "uniprot_gene_name": "TNFSF11",
            "organism": "http://purl.uniprot.org/taxonomy/9606",
            "ncbigene": "http://identifiers.org/ncbigene/8600",
        },
    ],
    "Which Wikidata items are the genes": [
        {"gene": "TNFSF11", "hgnc": "HGNC:11926", "entrez": "8600", "same_ncbigene": "true"},
        {"gene": "VEGFA", "hgnc": "HGNC:12680", "entrez": "7422", "same_ncbigene": "true"},
    ],
    "Which Wikidata items are the drugs": [
        {"drug": "denosumab", "chembl_id": "CHEMBL1237023"},
        {
            "drug": "sorafenib",
            "chembl_id": "CHEMBL1336",
            "wikidata_chebi": "http://purl.obolibrary.org/obo/CHEBI_50924",
            "mkg_chebi": "http://purl.obolibrary.org/obo/CHEBI_50924",
        },
    ],
    "Which mechanisms of action does ChEMBL record": [
        {
            "drug": "bevacizumab",
            "gene": "VEGFA",
            "molecule": CHEMBL_MOLECULE + "CHEMBL1201583",
            "protein": UNIPROT + "P15692",
        },
        {
            "drug": "denosumab",
            "gene": "TNFSF11",
            "molecule": CHEMBL_MOLECULE + "CHEMBL1237023",
            "protein": UNIPROT + "O14788",
        },
    ],
    # The seed's page prints the review's DOI and no other identifier of any paper.
    "Which OpenCitations Meta records are the papers": [
        {
            "paper": REVIEW,
            "doi": "10.1038/nm1469",
            "oc_title": "Tumor metastasis: mechanistic insights and clinical challenges",
        }
    ],
    "Which Wikidata items are the papers": [{"paper": REVIEW, "doi": "10.1038/nm1469"}],
}
# Variables that must stay unbound in a row (the antibody has no ChEBI entry on either side; mkg
# has no PubMed ID for the review), by the row's drug ('' for a row without one).
UNBOUND = {
    "Which Wikidata items are the drugs": {"denosumab": ("wikidata_chebi", "mkg_chebi")},
    "Which OpenCitations Meta records are the papers": {"": ("oc_pmid", "same_pmid")},
    "Which Wikidata items are the papers": {"": ("wikidata_pmid", "same_pmid", "same_pmcid")},
}


@dataclass(frozen=True)
class Block:
    """A fenced code block of a docs page."""

    page: str
    line: int
    lang: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    fence = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
    for path in sorted(DOCS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in fence.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(path.name, line, match.group(1).lower(), match.group(2)))
    return found


BLOCKS = _blocks()


def _of(lang: str, *, service: bool | None = None, page: str | None = None) -> list[Block]:
    chosen = [b for b in BLOCKS if b.lang == lang and (page is None or b.page == page)]
    if service is not None:
        chosen = [b for b in chosen if bool(SERVICE_TARGET.search(b.text)) == service]
    return chosen


def _params(blocks: list[Block]) -> list:
    return [pytest.param(block, id=block.name) for block in blocks]


# ------------------------------------------------------------------------------------ the pages


def test_docs_pages_exist_and_the_readme_links_them() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert (DOCS / page).is_file(), f"docs/{page} is missing"
        assert f"docs/{page}" in readme, f"README.md does not link docs/{page}"


def test_docs_have_the_blocks_the_tests_check() -> None:
    assert _of("sparql", service=False), "no runnable SPARQL block in docs/"
    assert len(_of("sparql", service=True)) == len(EXPECTED)
    assert _of("turtle", page="data-model.md")
    assert _of("mermaid", page="data-model.md")
    assert _of("console", page="newcomer.md")


# ------------------------------------------------------------------------------ SPARQL, locally


@pytest.mark.parametrize("block", _params(_of("sparql", service=False)))
def test_sparql_block_runs_on_the_build(block: Block, store) -> None:
    result = store.query(block.text, use_default_graph_as_union=True)
    if isinstance(result, pyoxigraph.QueryBoolean):
        assert bool(result), f"{block.name}: the ASK query answers false"
    else:
        assert list(result), f"{block.name}: the query returns nothing on the build"


# -------------------------------------------------------------------- SPARQL, federated examples


def _rewrite(text: str, endpoint: str) -> str:
    """Send every SERVICE of `text` to `endpoint`; refuse any target that is not on 127.0.0.1."""
    for remote in REMOTES:
        text = text.replace(f"<{remote}>", f"<{endpoint}>")
    for target in SERVICE_TARGET.findall(text):
        assert target.startswith("<http://127.0.0.1:"), f"SERVICE {target} would leave the machine"
    return text


def _question(block: Block) -> str:
    first = block.text.lstrip().splitlines()[0]
    for key in EXPECTED:
        if key in first:
            return key
    raise AssertionError(f"{block.name}: no expected rows for the federated query {first!r}")


def _check_rows(block: Block, rows: list[dict[str, str]]) -> None:
    key = _question(block)
    expected = EXPECTED[key]
    assert len(rows) == len(expected), f"{block.name}: {len(rows)} rows, expected {expected}"
    for want in expected:
        assert any(want.items() <= row.items() for row in rows), (
            f"{block.name}: no row has {want}; rows: {rows}"
        )
    for row in rows:
        for variable in UNBOUND.get(key, {}).get(row.get("drug", ""), ()):
            assert variable not in row, f"{block.name}: {variable} should be unbound in {row}"


@pytest.fixture(scope="session")
def stand_in(start_server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A local SPARQL endpoint serving the UniProt, Wikidata and ChEMBL stand-ins."""
    directory = tmp_path_factory.mktemp("stand-in")
    args: list[str] = []
    for name, text in (
        ("uniprot.ttl", UNIPROT_TTL),
        ("wikidata.ttl", WIKIDATA_TTL),
        ("chembl.ttl", CHEMBL_TTL),
        ("opencitations.ttl", OPENCITATIONS_TTL),
    ):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        args += ["--data", str(path)]
    return start_server(*args, "--workers", "1").url + "/sparql"


@pytest.fixture(scope="session")
def federating_server(start_server, seed_out: Path, stand_in: str):
    """`mkg serve` over the seed build, allowed to call the stand-in and nothing else."""
    return start_server("--build", str(seed_out), "--workers", "1", "--allow-service", stand_in)


@pytest.mark.parametrize("block", _params(_of("sparql", service=True)))
def test_federated_block_runs_in_pyoxigraph(block: Block, store, stand_in: str) -> None:
    solutions = store.query(_rewrite(block.text, stand_in), use_default_graph_as_union=True)
    rows = []
    for solution in solutions:
        bound = {v.value: solution[v] for v in solutions.variables if solution[v] is not None}
        rows.append({name: term.value for name, term in bound.items()})
    _check_rows(block, rows)


@pytest.mark.parametrize("block", _params(_of("sparql", service=True)))
def test_federated_block_runs_through_mkg_serve(
    block: Block, federating_server, stand_in: str
) -> None:
    response = requests.post(
        federating_server.url + "/sparql",
        data={"query": _rewrite(block.text, stand_in)},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    _check_rows(block, [{name: term["value"] for name, term in row.items()} for row in bindings])


def test_mkg_serve_refuses_a_service_off_its_allow_list(federating_server) -> None:
    # Nothing listens on this port, and it is not on the allow-list: the query must not run.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        elsewhere = f"http://127.0.0.1:{probe.getsockname()[1]}/sparql"
    block = _of("sparql", service=True)[0]
    response = requests.post(
        federating_server.url + "/sparql",
        data={"query": _rewrite(block.text, elsewhere)},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    assert response.status_code == 403
    message = response.json()["error"]
    assert f"SERVICE (federated query) is not allowed to {elsewhere}" in message
    assert "allow-list" in message


# --------------------------------------------------------------------------------------- Turtle


@pytest.mark.parametrize("block", _params(_of("turtle")))
def test_turtle_block_parses(block: Block) -> None:
    graph = rdflib.Graph().parse(
        data=block.text, format="turtle", publicID=f"https://example.invalid/{block.name}"
    )
    assert len(graph) > 0


@pytest.fixture(scope="session")
def stores(store, contexts_out: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """The seed build's store, a build of the test pages (tests/data/pages), and a build of a
    JATS review with body text (tests/data/contexts).

    The seed cites journal articles only; the worked examples of the other kinds of work (books,
    chapters, theses, web pages, ...) come from the pages written for the tests, and those of
    citation contexts and papers' PubMed IDs from the JATS review.
    """
    from ingest.build import build
    from server.engine.oxigraph import open_build

    out = tmp_path_factory.mktemp("pages-build")
    build(sorted((REPO / "tests" / "data" / "pages").glob("*.txt")), out=out)
    return store, open_build(out).store, open_build(contexts_out).store


def _worked_example(block: Block) -> rdflib.Graph:
    return rdflib.Graph().parse(data=block.text, format="turtle")


def _exists(store, iri: str) -> bool:
    node = f"<{iri}>"
    query = (
        f"ASK {{ {{ {node} ?p ?o }} UNION {{ ?s {node} ?o }} UNION {{ ?s ?p {node} }}"
        f" UNION {{ GRAPH {node} {{ ?s ?p ?o }} }} }}"
    )
    return bool(store.query(query, use_default_graph_as_union=True))


@pytest.mark.parametrize("block", _params(_of("turtle", page="data-model.md")))
def test_worked_example_iris_exist_in_the_build(block: Block, stores) -> None:
    graph = _worked_example(block)
    iris = {str(term) for triple in graph for term in triple if isinstance(term, rdflib.URIRef)}
    missing = sorted(iri for iri in iris if not any(_exists(store, iri) for store in stores))
    assert not missing, f"{block.name}: not in the build: {missing}"


def _pattern(triple: tuple) -> str:
    def term(node) -> str:
        if isinstance(node, rdflib.BNode):
            return f"?b{node}"
        return node.n3()

    return " ".join(term(node) for node in triple) + " ."


@pytest.mark.parametrize("block", _params(_of("turtle", page="data-model.md")))
def test_worked_example_triples_are_in_the_build(block: Block, stores) -> None:
    triples = [t for t in _worked_example(block) if str(t[1]) not in VOLATILE]
    query = "ASK { " + " ".join(_pattern(t) for t in triples) + " }"
    if any(store.query(query, use_default_graph_as_union=True) for store in stores):
        return
    store = stores[0]
    missing = [
        _pattern(t)
        for t in triples
        if not isinstance(t[0], rdflib.BNode)
        and not store.query(f"ASK {{ {_pattern(t)} }}", use_default_graph_as_union=True)
    ]
    pytest.fail(f"{block.name}: the build does not hold these triples: {missing or triples}")


def test_every_mkg_iri_the_docs_name_exists_in_the_build(stores) -> None:
    pattern = re.compile(re.escape(BASE) + r"[^\s<>\"'`()\[\]|,*]*")
    missing = set()
    for path in sorted(DOCS.glob("*.md")):
        for iri in pattern.findall(path.read_text(encoding="utf-8")):
            iri = iri.rstrip(".:;")
            if iri == BASE or "{" in iri or "…" in iri:
                continue
            if not any(_exists(store, iri) for store in stores):
                missing.add(f"{path.name}: {iri}")
    assert not missing, f"IRIs in docs/ that the build does not have: {sorted(missing)}"


# -------------------------------------------------------------------------------------- console


def _console_runs() -> list:
    runs = []
    for block in _of("console"):
        command: str | None = None
        output: list[str] = []
        for line in block.text.splitlines() + ["$ "]:
            if line.startswith("$ "):
                if command is not None and command.startswith("mkg query "):
                    runs.append(pytest.param(command, "\n".join(output), id=block.name))
                command, output = line[2:].strip(), []
            else:
                output.append(line)
    return runs


@pytest.mark.parametrize(("command", "expected"), _console_runs())
def test_console_output_is_what_mkg_query_prints(command: str, expected: str, seed_out) -> None:
    args = shlex.split(command)[1:]
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", *args, "--build-dir", str(seed_out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n") == expected.rstrip("\n"), (
        f"`{command}` now prints:\n{done.stdout}"
    )


# -------------------------------------------------------------------------------------- Mermaid

DIAGRAM_TYPES = (
    "flowchart", "graph", "classDiagram", "erDiagram", "sequenceDiagram", "stateDiagram-v2",
)  # fmt: skip
_NODE = re.compile(r'^(\w+)\["([^"]+)"\]$')
_EDGE = re.compile(r'^(\w+)\s+(-->|-\.->|==>)\|"([^"]+)"\|\s+(\w+)$')
_CURIE = re.compile(r"\b([a-z]+):([A-Za-z][\w-]*)")


@pytest.mark.parametrize("block", _params(_of("mermaid")))
def test_mermaid_block_is_well_formed(block: Block) -> None:
    lines = [line.strip() for line in block.text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("%%")]
    assert lines and lines[0].split()[0] in DIAGRAM_TYPES, f"{block.name}: no diagram type"
    if lines[0].split()[0] not in ("flowchart", "graph"):
        return
    ontology = rdflib.Graph().parse(REPO / "ontology" / "mkg.ttl")
    prefixes = {prefix: str(namespace) for prefix, namespace in ontology.namespaces()}
    nodes: set[str] = set()
    labels: list[str] = []
    for line in lines[1:]:
        if node := _NODE.match(line):
            nodes.add(node.group(1))
            labels.append(node.group(2))
        elif edge := _EDGE.match(line):
            source, _, label, target = edge.groups()
            assert {source, target} <= nodes, f"{block.name}: edge to an undefined node: {line}"
            labels.append(label)
        else:
            pytest.fail(f"{block.name}: not a node or an edge: {line!r}")
    for label in labels:
        for prefix, local in _CURIE.findall(label):
            if prefix in ("owl", "rdfs", "rdf", "xsd"):
                continue
            assert prefix in prefixes, f"{block.name}: unknown prefix {prefix}: in {label!r}"
            term = rdflib.URIRef(prefixes[prefix] + local)
            assert (term, RDF.type, None) in ontology, (
                f"{block.name}: {prefix}:{local} is not declared in ontology/mkg.ttl"
            )


# ---------------------------------------------------------------------------- loading, one step


def test_the_graph_store_split_writes_every_named_graph(seed_out: Path, store, tmp_path) -> None:
    (block,) = [b for b in _of("python", page="loading.md") if "pyoxigraph.parse" in b.text]
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "current").symlink_to((seed_out / "current").resolve())
    done = subprocess.run(
        [sys.executable, "-c", block.text], cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = {}
    for path in (tmp_path / "graphs").glob("*.nt"):
        triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        written[requests.utils.unquote(path.stem)] = len(list(triples))
    counts = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    # The dumps, and so the split, hold every graph of the store but the build time.
    dumped = {
        row["g"].value: int(row["n"].value)
        for row in store.query(counts)
        if not row["g"].value.endswith("/graph/build-run")
    }
    assert written == dumped
