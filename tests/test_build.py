"""The build: the whole review in the store, lossless from the graph, deterministic, fail-closed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from owltools import owl2_dl_problems, reason, require_java
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from ingest import build as build_module
from ingest.build import build
from ingest.errors import PageFormatError, ValidationError
from ingest.parse import render_citation, render_links
from ingest.records import Author, Citation
from ingest.resources import DEFAULT_SOURCE, source_path
from server.engine.oxigraph import open_build

METADATA = "https://w3id.org/mkg/graph/metadata"
BUILD_RUN = "https://w3id.org/mkg/graph/build-run"

SEED = source_path(DEFAULT_SOURCE)
DATA = Path(__file__).parent / "data"
SMALL = DATA / "review_small.txt"
GOLDEN = DATA / "review_small.golden.nq"
DOCUMENT_GRAPH = "https://w3id.org/mkg/graph/steeg-2006-nat-med-12-895"
REVIEW = "https://w3id.org/mkg/paper/steeg-2006-nat-med-12-895"

PREFIXES = """
PREFIX mkg: <https://w3id.org/mkg/ontology/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX void: <http://rdfs.org/ns/void#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def _select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    results = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [
        {name: (row[name].value if row[name] is not None else None) for name in names}
        for row in results
    ]


def test_store_holds_the_review_and_exactly_163_cited_papers(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """SELECT (COUNT(DISTINCT ?paper) AS ?cited) (COUNT(DISTINCT ?entry) AS ?entries) WHERE {
             ?review a fabio:ReviewArticle ; cito:cites ?paper ; frbr:part ?entry . }""",
    )
    assert rows == [{"cited": "163", "entries": "163"}]
    papers = _select(store, "SELECT (COUNT(?p) AS ?n) WHERE { ?p a fabio:JournalArticle }")
    assert papers == [{"n": "164"}]


def test_review_has_every_field(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        f"""SELECT ?title ?doi ?year ?volume ?first ?last ?type ?journal ?author WHERE {{
              <{REVIEW}> dcterms:title ?title ; prism:doi ?doi ; mkg:publicationYear ?year ;
                 prism:volume ?volume ; prism:startingPage ?first ; prism:endingPage ?last ;
                 mkg:articleType ?type ; dcterms:isPartOf/dcterms:title ?journal ;
                 dcterms:creator/foaf:name ?author ; dcterms:abstract ?abstract . }}""",
    )
    assert rows == [
        {
            "title": "Tumor metastasis: mechanistic insights and clinical challenges",
            "doi": "10.1038/nm1469",
            "year": "2006",
            "volume": "12",
            "first": "895",
            "last": "904",
            "type": "Review Article",
            "journal": "Nature medicine",
            "author": "Steeg, P.",
        }
    ]
    figures = _select(
        store,
        f"""SELECT ?n ?title WHERE {{ <{REVIEW}> mkg:hasFigure ?f .
              ?f mkg:figureNumber ?n ; dcterms:title ?title }} ORDER BY ?n""",
    )
    assert [row["n"] for row in figures] == ["1", "2", "3", "4"]
    assert figures[1]["title"] == "Dynamic signaling in invasion."


def test_every_cited_paper_has_title_year_volume_pages_journal_and_authors(
    store: pyoxigraph.Store,
) -> None:
    rows = _select(
        store,
        f"""SELECT ?paper WHERE {{ <{REVIEW}> cito:cites ?paper .
              FILTER NOT EXISTS {{ ?paper dcterms:title ?t ; mkg:publicationYear ?y ;
                 fabio:hasPublicationYear ?g ; prism:volume ?v ; prism:startingPage ?p ;
                 dcterms:isPartOf/dcterms:title ?j ; mkg:hasAuthorship/mkg:author ?a }} }}""",
    )
    assert rows == []


def _citation_from_graph(store: pyoxigraph.Store, number: int) -> tuple[Citation, str, tuple]:
    """Rebuild a reference's citation from the graph alone, to render it back."""
    [paper] = _select(
        store,
        f"""SELECT ?raw ?title ?journal ?volume ?vnote ?first ?last ?pnote ?year ?etal WHERE {{
              ?entry mkg:referenceNumber {number} ; biro:references ?paper ;
                     dcterms:bibliographicCitation ?raw ; mkg:journalAbbreviation ?journal .
              ?paper dcterms:title ?title ; prism:volume ?volume ; prism:startingPage ?first ;
                     mkg:publicationYear ?year .
              OPTIONAL {{ ?paper mkg:volumeNote ?vnote }}
              OPTIONAL {{ ?paper prism:endingPage ?last }}
              OPTIONAL {{ ?paper mkg:pageNote ?pnote }} OPTIONAL {{ ?paper mkg:etAl ?etal }} }}""",
    )
    authors = _select(
        store,
        f"""SELECT ?family ?given ?suffix ?separator WHERE {{
              ?entry mkg:referenceNumber {number} ; biro:references/mkg:hasAuthorship ?a .
              ?a mkg:authorPosition ?position ; mkg:author ?person .
              ?person foaf:familyName ?family ; foaf:givenName ?given .
              OPTIONAL {{ ?person mkg:nameSuffix ?suffix }}
              OPTIONAL {{ ?a mkg:precedingSeparator ?separator }} }} ORDER BY ?position""",
    )
    links = _select(
        store,
        f"""SELECT ?label WHERE {{ ?entry mkg:referenceNumber {number} ; mkg:linkLabel ?label }}""",
    )
    citation = Citation(
        authors=tuple(
            Author(a["family"], a["given"], suffix=a["suffix"], separator=a["separator"])
            for a in authors
        ),
        et_al=paper["etal"] == "true",
        title=paper["title"],
        journal=paper["journal"],
        volume=paper["volume"],
        volume_note=paper["vnote"],
        first_page=paper["first"],
        last_page=paper["last"],
        page_note=paper["pnote"],
        year=int(paper["year"]),
    )
    return citation, paper["raw"], tuple(row["label"] for row in links)


def _raw_link_lines() -> dict[int, str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    found = {}
    for index, line in enumerate(lines):
        if line.startswith("  ") and line[2:].split(".")[0].isdigit():
            found[int(line[2:].split(".")[0])] = lines[index + 2]
    return found


def test_every_reference_renders_back_from_the_graph(store: pyoxigraph.Store) -> None:
    link_lines = _raw_link_lines()
    order = {"Article": 0, "CAS": 1, "PubMed": 2, "PubMed Central": 3, "Google Scholar": 4}
    for number in range(1, 164):
        citation, raw, links = _citation_from_graph(store, number)
        assert render_citation(citation) == raw, number
        assert render_links(sorted(links, key=order.__getitem__)) == link_lines[number], number


def test_metadata_records_source_checksum_version_and_counts(
    store: pyoxigraph.Store, seed_out: Path
) -> None:
    [row] = _select(
        store,
        """SELECT ?sha ?version ?file WHERE {
             <https://w3id.org/mkg/dataset> prov:wasGeneratedBy ?activity ;
                prov:wasDerivedFrom ?source .
             ?activity prov:used ?source ; prov:wasAssociatedWith/mkg:softwareVersion ?version ;
                prov:startedAtTime ?started .
             ?source mkg:sha256 ?sha ; dcterms:title ?file . }""",
    )
    import hashlib

    assert row["sha"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert row["file"] == DEFAULT_SOURCE
    assert row["version"] == "0.1.0"
    [counted] = _select(
        store,
        f"""SELECT ?n WHERE {{ ?subset mkg:namedGraph <{DOCUMENT_GRAPH}> ; void:triples ?n }}""",
    )
    actual = _select(
        store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DOCUMENT_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    assert counted == actual[0]
    manifest = json.loads((seed_out / "current" / "manifest.json").read_text())
    assert manifest["graphs"][DOCUMENT_GRAPH] == int(counted["n"])
    assert manifest["classes"]["fabio-JournalArticle"] == 164


def test_void_counts_equal_counts_over_the_store(store: pyoxigraph.Store) -> None:
    """The VoID numbers, counted while the dumps stream, are what SPARQL counts in the store."""
    content = f"GRAPH ?g {{ ?s ?p ?o }} FILTER (?g NOT IN (<{METADATA}>, <{BUILD_RUN}>))"
    [expected] = _select(
        store,
        f"""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
                   (COUNT(DISTINCT ?p) AS ?properties)
            WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {content} }} }}""",
    )
    [expected_classes] = _select(
        store,
        f"""SELECT (COUNT(DISTINCT ?c) AS ?classes) WHERE {{ GRAPH ?g {{ ?s a ?c }}
              FILTER (?g NOT IN (<{METADATA}>, <{BUILD_RUN}>)) }}""",
    )
    [stated] = _select(
        store,
        """SELECT ?triples ?subjects ?properties ?classes WHERE {
             <https://w3id.org/mkg/dataset> void:triples ?triples ;
               void:distinctSubjects ?subjects ; void:properties ?properties ;
               void:classes ?classes }""",
    )
    assert stated == {**expected, **expected_classes}
    partitions = _select(
        store,
        """SELECT ?c ?n WHERE { <https://w3id.org/mkg/dataset> void:classPartition ?part .
             ?part void:class ?c ; void:entities ?n }""",
    )
    counted = _select(
        store,
        f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?c }}
              FILTER (?g NOT IN (<{METADATA}>, <{BUILD_RUN}>)) }} GROUP BY ?c""",
    )
    assert len(partitions) > 40
    assert sorted(partitions, key=str) == sorted(counted, key=str)
    subsets = _select(
        store,
        """SELECT ?g ?n WHERE { <https://w3id.org/mkg/dataset> void:subset ?part .
             ?part mkg:namedGraph ?g ; void:triples ?n }""",
    )
    sizes = _select(
        store,
        f"""SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
              FILTER (?g NOT IN (<{METADATA}>, <{BUILD_RUN}>)) }} GROUP BY ?g""",
    )
    assert sorted(subsets, key=str) == sorted(sizes, key=str)


def test_union_of_parts_is_sorted_deduplicated_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest import dumps

    type_ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    graphs = {
        "a": ['<s:1> <p:x> "one" .', f"<s:1> {type_} <c:A> .", f"<s:2> {type_} <c:A> ."],
        "b": [f"<s:1> {type_} <c:A> .", "<s:10> <p:y> <s:1> .", '_:b1 <p:x> "two words" .'],
        "c": [f"<s:2> {type_} <c:B> .", '<s:1> <p:x> "one" .'],
    }
    parts = []
    for name, lines in graphs.items():
        path = tmp_path / f"{name}.nq"
        quads = sorted(line.removesuffix(" .") + f" <g:{name}> ." for line in lines)
        path.write_text("\n".join(quads) + "\n", encoding="utf-8")
        parts.append(path)
    expected = sorted({line for lines in graphs.values() for line in lines})
    counts = dumps.union_ntriples(parts, tmp_path / "union.nt")
    assert (tmp_path / "union.nt").read_text(encoding="utf-8").splitlines() == expected
    assert (counts.triples, counts.subjects) == (6, 4)
    assert counts.properties == {"p:x", "p:y", type_[1:-1]}
    assert counts.classes == {"c:A": 2, "c:B": 1}
    # Many parts are merged in rounds, with the same result.
    monkeypatch.setattr(dumps, "_MAX_OPEN", 2)
    assert dumps.union_ntriples(parts, tmp_path / "rounds.nt") == counts
    assert (tmp_path / "rounds.nt").read_bytes() == (tmp_path / "union.nt").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "a.nq", "b.nq", "c.nq", "rounds.nt", "union.nt"
    ]  # fmt: skip


def test_rebuild_in_a_new_process_gives_byte_identical_dumps(
    seed_out: Path, tmp_path: Path
) -> None:
    """Also without validation workers: the seed build validates in parallel, this one not."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-m", "server.cli", "build", "--jobs", "1", "--out", str(tmp_path)],
        check=True,
        env=env,
        capture_output=True,
    )
    for name in ("mkg.nq", "mkg.ttl", "mkg.owl"):
        first = (seed_out / "current" / name).read_bytes()
        second = (tmp_path / "current" / name).read_bytes()
        assert first == second, name


def test_build_time_is_kept_out_of_the_dumps(seed_out: Path) -> None:
    dump = (seed_out / "current" / "mkg.nq").read_text(encoding="utf-8")
    assert "graph/build-run" not in dump
    assert '<http://www.w3.org/ns/prov#startedAtTime> "' not in dump
    assert '<http://www.w3.org/ns/prov#generatedAtTime> "' not in dump


def _small_document_graph(out: Path) -> Graph:
    quads = pyoxigraph.parse(
        path=str(out / "current" / "mkg.nq"), format=pyoxigraph.RdfFormat.N_QUADS
    )
    graph = pyoxigraph.NamedNode(DOCUMENT_GRAPH)
    triples = [
        pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == graph
    ]
    text = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    return Graph().parse(data=text.decode("utf-8"), format="nt")


def test_small_page_matches_its_golden_graph(tmp_path: Path) -> None:
    build([SMALL], out=tmp_path)
    graph = _small_document_graph(tmp_path)
    if os.environ.get("MKG_REGENERATE_GOLDEN"):
        GOLDEN.write_text(graph.serialize(format="nt", encoding="utf-8").decode(), encoding="utf-8")
    golden = Graph().parse(data=GOLDEN.read_text(encoding="utf-8"), format="nt")
    if not isomorphic(graph, golden):
        _, missing, extra = graph_diff(to_isomorphic(golden), to_isomorphic(graph))
        pytest.fail(
            "graph differs from tests/data/review_small.golden.nq\n"
            f"missing:\n{missing.serialize(format='nt')}\nextra:\n{extra.serialize(format='nt')}"
        )


def _snapshot(out: Path) -> tuple[str, bytes]:
    return os.readlink(out / "current"), (out / "current" / "manifest.json").read_bytes()


def _bad_pages() -> dict[str, bytes]:
    text = SMALL.read_text(encoding="utf-8")
    return {
        "empty": b"",
        "truncated": text[: text.index("  7. Cavallaro")].encode(),
        "leading zero": text.replace("  5. Knapp", "  05. Knapp").encode(),
        "huge number": text.replace("  5. Knapp", "  " + "5" * 5000 + ". Knapp").encode(),
        "overlong line": text.replace("Knapp, S.", "Knapp, S." + "x" * 70_000).encode(),
        "mojibake": text.encode("utf-8").replace(
            "\u2013".encode(), "\u2013".encode().decode("latin-1").encode()
        ),
        "duplicate number": text.replace("  5. Knapp", "  4. Knapp").encode(),
        "missing number": (
            text[: text.index("  5. Knapp")] + text[text.index("  6. Guo") :]
        ).encode(),
        "not UTF-8": text.encode("utf-8").replace(b"Welch", b"W\xe9lch"),
        "HTML": b"<!DOCTYPE html><html><body>Tumor metastasis</body></html>",
    }


@pytest.mark.parametrize("case", list(_bad_pages()))
def test_bad_page_gives_one_line_error_and_leaves_the_previous_build(
    case: str, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    build([SMALL], out=out)
    before = _snapshot(out)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(_bad_pages()[case])
    with pytest.raises(PageFormatError) as caught:
        build([bad], out=out)
    message = str(caught.value)
    assert message.startswith("bad.txt") and "\n" not in message
    assert _snapshot(out) == before
    assert open_build(out).store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)


@pytest.mark.parametrize("jobs", [1, 2])
def test_shacl_violation_leaves_the_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    out = tmp_path / "build"
    build([SMALL], out=out)
    before = _snapshot(out)
    strict = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix fabio: <http://purl.org/spar/fabio/> .
        @prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
        <urn:test:DoiShape> a sh:NodeShape ; sh:targetClass fabio:JournalArticle ;
          sh:property [ sh:path prism:doi ; sh:minCount 1 ;
                        sh:message "Every paper needs a DOI." ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr(build_module, "load_shapes", lambda: strict)
    with pytest.raises(ValidationError) as caught:
        build([SMALL], out=out, jobs=jobs)
    assert "Every paper needs a DOI." in str(caught.value)
    assert "paper/paget-1889-lancet-1-571" in str(caught.value)
    assert _snapshot(out) == before
    assert not [p for p in (out / "releases").iterdir() if p.name.startswith(".staging")]


def test_old_releases_are_pruned(tmp_path: Path) -> None:
    for _ in range(5):
        build([SMALL], out=tmp_path)
    releases = [p for p in (tmp_path / "releases").iterdir() if p.is_dir()]
    assert len(releases) <= build_module.KEEP_RELEASES
    assert (tmp_path / "current").resolve() in [p.resolve() for p in releases]


def test_two_pages_of_the_same_review_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="describes the same review"):
        build([SMALL, SEED], out=tmp_path)


def test_owl_export_is_consistent_under_hermit(seed_out: Path, tmp_path: Path) -> None:
    require_java()
    export = Graph().parse(seed_out / "current" / "mkg.owl", format="xml")
    assert reason(export, tmp_path) == []


def test_owl_export_is_in_the_owl2_dl_profile(seed_out: Path, tmp_path: Path) -> None:
    problems = owl2_dl_problems(seed_out / "current" / "mkg.owl", tmp_path)
    assert problems == [], problems[:20]


def test_every_class_and_property_the_graph_uses_is_in_the_ontology(
    store: pyoxigraph.Store,
) -> None:
    undeclared = _select(
        store,
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
           SELECT DISTINCT ?term WHERE {
             GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } }
             FILTER (?g != <https://w3id.org/mkg/graph/ontology>)
             FILTER (?term != <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)
             # OWL's own vocabulary (owl:Axiom, owl:annotatedSource, ...) is built in.
             FILTER (!STRSTARTS(STR(?term), "http://www.w3.org/2002/07/owl#"))
             FILTER NOT EXISTS {
               GRAPH <https://w3id.org/mkg/graph/ontology> {
                 ?term a ?kind
                 VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty
                                owl:AnnotationProperty }
               }
             }
           }""",
    )
    assert undeclared == []


def test_every_annotation_quotes_its_source_at_its_offsets(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """PREFIX oa: <http://www.w3.org/ns/oa#>
           SELECT ?annotation ?text ?exact ?start ?end WHERE {
             ?annotation a oa:Annotation ; oa:hasTarget ?target .
             ?target oa:hasSource ?source ; mkg:field ?field ; oa:hasSelector ?q , ?p .
             ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
             { ?target mkg:field "title" . ?source dcterms:title ?text }
             UNION { ?target mkg:field "abstract" . ?source dcterms:abstract ?text } }""",
    )
    assert len(rows) == 540
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert row["text"][start:end] == row["exact"], row["annotation"]


def test_every_class_instantiated_has_a_shape(store: pyoxigraph.Store) -> None:
    shapes = Graph()
    for path in sorted((Path(__file__).parents[1] / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    targeted = {
        str(o) for o in shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass"))
    }
    rows = _select(
        store,
        """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT DISTINCT ?class WHERE {
             GRAPH ?g { ?thing a ?class }
             FILTER (?g != <https://w3id.org/mkg/graph/ontology>)
           }""",
    )
    hierarchy = _select(
        store,
        """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?class ?super WHERE {
             GRAPH <https://w3id.org/mkg/graph/ontology> { ?class rdfs:subClassOf+ ?super } }""",
    )
    supers: dict[str, set[str]] = {}
    for row in hierarchy:
        supers.setdefault(row["class"], set()).add(row["super"])
    unshaped = [
        row["class"]
        for row in rows
        if row["class"] not in targeted and not supers.get(row["class"], set()) & targeted
    ]
    assert unshaped == []


def test_curated_targets_live_in_the_curated_graph_with_their_source(
    store: pyoxigraph.Store,
) -> None:
    outside = _select(
        store,
        """SELECT ?g WHERE { GRAPH ?g { ?drug mkg:hasMolecularTarget ?gene }
             FILTER (?g != <https://w3id.org/mkg/graph/curated>) }""",
    )
    assert outside == []
    rows = _select(
        store,
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
           PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?drug ?gene ?source WHERE {
             ?d mkg:hasMolecularTarget ?g . ?d rdfs:label ?drug . ?g rdfs:label ?gene .
             ?axiom owl:annotatedSource ?d ; owl:annotatedTarget ?g ; dcterms:source ?source }""",
    )
    assert {
        "drug": "bevacizumab",
        "gene": "VEGFA",
        "source": "http://identifiers.org/drugbank/DB00112",
    } in rows
    assert {"drug": "trastuzumab", "gene": "ERBB2"} in [
        {"drug": r["drug"], "gene": r["gene"]} for r in rows
    ]


def test_associations_tie_genes_to_sites_with_their_papers(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
           SELECT ?gene ?site ?count ?title WHERE {
             ?a a mkg:GeneSiteAssociation ; mkg:subject/rdfs:label ?gene ;
                mkg:object/rdfs:label ?site ; mkg:evidenceCount ?count ;
                mkg:evidence/dcterms:title ?title }""",
    )
    assert {
        "gene": "MTDH",
        "site": "lung",
        "count": "1",
        "title": "Metadherin, a cell surface protein in breast tumors that mediates lung "
        "metastasis",
    } in rows
    brain = {(r["gene"], r["site"]) for r in rows}
    assert ("VEGFA", "brain") in brain and ("STAT3", "brain") in brain


def test_every_study_type_cue_quotes_its_title_or_journal(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """SELECT ?cue ?field ?start ?end ?title ?journal WHERE {
             ?c mkg:classifies ?paper ; mkg:cue ?cue ; mkg:cueField ?field ;
                mkg:cueStart ?start ; mkg:cueEnd ?end .
             ?paper dcterms:title ?title .
             OPTIONAL { ?entry biro:references ?paper ; mkg:journalAbbreviation ?journal }
             OPTIONAL { ?paper a fabio:ReviewArticle . BIND ("Nat Med" AS ?journal) } }""",
    )
    assert len(rows) >= 70
    for row in rows:
        text = row["title"] if row["field"] == "title" else row["journal"]
        assert text[int(row["start"]) : int(row["end"])] == row["cue"], row
