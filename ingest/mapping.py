"""Map records to RDF: the only module that decides which triples a record becomes."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD
from rdflib.term import Node

from ingest.errors import IngestError
from ingest.journals import Journal
from ingest.namespaces import (
    BASE,
    BIRO,
    CITO,
    DATASET_IRI,
    DUMP_BASE,
    ENDPOINT_IRI,
    FABIO,
    FRBR,
    MKG,
    PREFIXES,
    PRISM,
    SCHEMA,
    SH,
    activity_iri,
    authorship_iri,
    canonical_iri,
    dataset_part_iri,
    figure_iri,
    journal_iri,
    paper_iri,
    paper_key,
    person_iri,
    query_iri,
    reference_iri,
    slug,
    software_iri,
    source_iri,
)
from ingest.queries import NamedQuery
from ingest.records import Author, Citation, Figure, Reference, Review


def review_key(review: Review) -> str:
    """Return the key naming a review's document graph and its numbered parts."""
    return paper_key(review.citation)


def add_review(
    graph: Graph, review: Review, *, journals: Mapping[str, Journal], persons: dict[URIRef, str]
) -> URIRef:
    """Add a review, its figures, references and cited papers to `graph`; return its IRI."""
    key = review_key(review)
    node = add_paper(graph, review.citation, journals=journals, persons=persons)
    graph.add((node, RDF.type, FABIO.ReviewArticle))
    graph.add((node, PRISM.doi, Literal(review.doi)))
    graph.add((node, DCTERMS.identifier, Literal(f"doi:{review.doi.lower()}")))
    graph.add((node, SKOS.exactMatch, canonical_iri(f"doi:{review.doi}")))
    graph.add((node, MKG.articleType, Literal(review.article_type)))
    graph.add((node, DCTERMS.abstract, Literal(review.abstract)))
    for figure in review.figures:
        add_figure(graph, figure, review=node, review_key=key)
    for reference in review.references:
        add_reference(
            graph, reference, review=node, review_key=key, journals=journals, persons=persons
        )
    return node


def add_figure(graph: Graph, figure: Figure, *, review: URIRef, review_key: str) -> URIRef:
    """Add a figure of the review and return its IRI."""
    node = figure_iri(review_key, figure.number)
    graph.add((review, MKG.hasFigure, node))
    graph.add((node, RDF.type, MKG.Figure))
    graph.add((node, DCTERMS.title, Literal(figure.title)))
    graph.add((node, RDFS.label, Literal(f"Figure {figure.number}: {figure.title}")))
    graph.add((node, MKG.figureNumber, Literal(figure.number)))
    return node


def add_reference(
    graph: Graph,
    reference: Reference,
    *,
    review: URIRef,
    review_key: str,
    journals: Mapping[str, Journal],
    persons: dict[URIRef, str],
) -> URIRef:
    """Add a numbered reference entry and the paper it cites; return the entry's IRI."""
    paper = add_paper(graph, reference.citation, journals=journals, persons=persons)
    node = reference_iri(review_key, reference.number)
    graph.add((review, CITO.cites, paper))
    graph.add((review, FRBR.part, node))
    graph.add((node, RDF.type, BIRO.BibliographicReference))
    graph.add((node, BIRO.references, paper))
    graph.add((node, MKG.referenceNumber, Literal(reference.number)))
    graph.add((node, RDFS.label, Literal(f"Reference {reference.number}")))
    graph.add((node, DCTERMS.bibliographicCitation, Literal(reference.raw)))
    # A journal is printed in more than one way ("Nat. Med.", "Nat Med"): the entry keeps its own.
    graph.add((node, MKG.journalAbbreviation, Literal(reference.citation.journal)))
    for label in reference.links:
        graph.add((node, MKG.linkLabel, Literal(label)))
    return node


def add_paper(
    graph: Graph,
    citation: Citation,
    *,
    journals: Mapping[str, Journal],
    persons: dict[URIRef, str],
) -> URIRef:
    """Add a journal article with its journal and ordered authors; return its IRI."""
    node = paper_iri(citation)
    key = paper_key(citation)
    graph.add((node, RDF.type, FABIO.JournalArticle))
    graph.add((node, DCTERMS.title, Literal(citation.title)))
    graph.add((node, RDFS.label, Literal(citation.title)))
    graph.add((node, FABIO.hasPublicationYear, Literal(f"{citation.year:04d}", datatype=XSD.gYear)))
    graph.add((node, MKG.publicationYear, Literal(citation.year)))
    graph.add((node, PRISM.volume, Literal(citation.volume)))
    graph.add((node, PRISM.startingPage, Literal(citation.first_page)))
    if citation.volume_note:
        graph.add((node, MKG.volumeNote, Literal(citation.volume_note)))
    if citation.last_page:
        graph.add((node, PRISM.endingPage, Literal(citation.last_page)))
    if citation.page_note:
        graph.add((node, MKG.pageNote, Literal(citation.page_note)))
    if citation.et_al:
        graph.add((node, MKG.etAl, Literal(True)))
    graph.add((node, DCTERMS.isPartOf, add_journal(graph, citation.journal, journals=journals)))
    for position, author in enumerate(citation.authors, start=1):
        add_authorship(
            graph, author, paper=node, paper_key_=key, position=position, persons=persons
        )
    return node


def add_authorship(
    graph: Graph,
    author: Author,
    *,
    paper: URIRef,
    paper_key_: str,
    position: int,
    persons: dict[URIRef, str],
) -> URIRef:
    """Add the authorship at `position` of a paper and the printed name it holds."""
    person = add_person(graph, author, persons=persons)
    node = authorship_iri(paper_key_, position)
    graph.add((paper, DCTERMS.creator, person))
    graph.add((paper, MKG.hasAuthorship, node))
    graph.add((node, RDF.type, MKG.Authorship))
    graph.add((node, MKG.author, person))
    graph.add((node, MKG.authorPosition, Literal(position)))
    if author.separator is not None:
        graph.add((node, MKG.precedingSeparator, Literal(author.separator)))
    return node


def add_person(graph: Graph, author: Author, *, persons: dict[URIRef, str]) -> URIRef:
    """Add a name as printed; identical name strings share one node, others never do."""
    node = person_iri(author)
    printed = author.printed
    if persons.setdefault(node, printed) != printed:
        raise IngestError(
            f"the printed names {persons[node]!r} and {printed!r} would share the IRI {node}; "
            "names are merged only when identical"
        )
    graph.add((node, RDF.type, FOAF.Person))
    graph.add((node, FOAF.familyName, Literal(author.family)))
    graph.add((node, FOAF.givenName, Literal(author.given)))
    graph.add((node, FOAF.name, Literal(printed)))
    graph.add((node, RDFS.label, Literal(printed)))
    if author.suffix:
        graph.add((node, MKG.nameSuffix, Literal(author.suffix)))
    return node


def add_journal(graph: Graph, abbreviation: str, *, journals: Mapping[str, Journal]) -> URIRef:
    """Add a journal with its full title, ISSNs and NLM ID from the journal lexicon."""
    node = journal_iri(abbreviation)
    graph.add((node, RDF.type, FABIO.Journal))
    graph.add((node, FABIO.hasShortTitle, Literal(abbreviation)))
    journal = journals.get(abbreviation)
    if journal is None:
        return node
    graph.add((node, DCTERMS.title, Literal(journal.title)))
    graph.add((node, RDFS.label, Literal(journal.title)))
    if journal.issn_print:
        graph.add((node, PRISM.issn, Literal(journal.issn_print)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"ISSN:{journal.issn_print}")))
    if journal.issn_online:
        graph.add((node, PRISM.eIssn, Literal(journal.issn_online)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"ISSN:{journal.issn_online}")))
    if journal.nlm_id:
        graph.add((node, MKG.nlmId, Literal(journal.nlm_id)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"NLM:{journal.nlm_id}")))
    return node


@dataclass(frozen=True)
class SourceFile:
    """A source page the build read, identified by its SHA-256."""

    name: str
    sha256: str


CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
DUMP_FILES = ("mkg.nq", "mkg.ttl", "mkg.owl")


@dataclass(frozen=True)
class DatasetStats:
    """Counts of the installed dataset, for its VoID description."""

    graph_triples: dict[str, int]
    triples: int
    distinct_subjects: int
    properties: int
    classes: dict[str, int]


def add_metadata(
    graph: Graph, *, stats: DatasetStats, sources: Sequence[SourceFile], version: str
) -> URIRef:
    """Add VoID statistics and PROV lineage of the dataset to `graph`; return the activity IRI."""
    digest = hashlib.sha256("".join(s.sha256 for s in sources).encode() + version.encode())
    activity = activity_iri(digest.hexdigest()[:16])
    software = software_iri(version)
    node = DATASET_IRI
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.title, Literal("mkg: the metastasis knowledge graph")))
    graph.add((node, DCTERMS.license, CC_BY_4))
    graph.add((node, VOID.uriSpace, Literal(BASE)))
    for name in DUMP_FILES:
        graph.add((node, VOID.dataDump, URIRef(DUMP_BASE + name)))
    graph.add((node, PROV.wasGeneratedBy, activity))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, RDFS.label, Literal(f"mkg build with mkg {version}")))
    graph.add((activity, PROV.wasAssociatedWith, software))
    graph.add((software, RDF.type, PROV.SoftwareAgent))
    graph.add((software, RDFS.label, Literal(f"mkg {version}")))
    graph.add((software, MKG.softwareVersion, Literal(version)))
    for source in sources:
        entity = source_iri(source.name)
        graph.add((entity, RDF.type, PROV.Entity))
        graph.add((entity, DCTERMS.title, Literal(source.name)))
        graph.add((entity, MKG.sha256, Literal(source.sha256)))
        graph.add((activity, PROV.used, entity))
        graph.add((node, PROV.wasDerivedFrom, entity))
    _add_void_counts(graph, node, stats)
    return activity


def add_build_time(graph: Graph, *, activity: URIRef, started: datetime, ended: datetime) -> None:
    """Record when a build ran (kept in its own graph, out of the byte-identical dumps)."""
    graph.add((activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    graph.add((activity, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    graph.add((DATASET_IRI, PROV.generatedAtTime, Literal(ended, datatype=XSD.dateTime)))


def _add_void_counts(graph: Graph, node: URIRef, stats: DatasetStats) -> None:
    for name, count in sorted(stats.graph_triples.items()):
        subset = dataset_part_iri("graph", name.rpartition("/graph/")[2])
        graph.add((node, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, MKG.namedGraph, URIRef(name)))
        graph.add((subset, VOID.triples, Literal(count)))
    graph.add((node, VOID.triples, Literal(stats.triples)))
    graph.add((node, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    graph.add((node, VOID.properties, Literal(stats.properties)))
    graph.add((node, VOID.classes, Literal(len(stats.classes))))
    for cls, count in sorted(stats.classes.items()):
        partition = dataset_part_iri("class", class_key(URIRef(cls)))
        graph.add((node, VOID.classPartition, partition))
        graph.add((partition, RDF.type, VOID.Dataset))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count)))


def class_key(cls: Node) -> str:
    """Return a short readable key for a class IRI ('fabio-JournalArticle')."""
    for prefix, namespace in PREFIXES.items():
        if str(cls).startswith(str(namespace)):
            return f"{prefix}-{str(cls)[len(str(namespace)) :]}"
    return slug(str(cls))


_EXECUTABLE = {
    "SELECT": ("SPARQLSelectExecutable", "select"),
    "ASK": ("SPARQLAskExecutable", "ask"),
    "CONSTRUCT": ("SPARQLConstructExecutable", "construct"),
    "DESCRIBE": ("SPARQLDescribeExecutable", "describe"),
}


def add_examples(graph: Graph, queries: Sequence[NamedQuery]) -> None:
    """Publish the named queries as SPARQL examples in the SIB/UniProt convention."""
    for query in queries:
        node = query_iri(query.name)
        cls, predicate = _EXECUTABLE[query.form]
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, SH[cls]))
        graph.add((node, RDFS.label, Literal(query.name)))
        graph.add((node, RDFS.comment, Literal(query.question)))
        graph.add((node, SH[predicate], Literal(query.text)))
        graph.add((node, SCHEMA.target, ENDPOINT_IRI))
        for keyword in query.keywords:
            graph.add((node, SCHEMA.keywords, Literal(keyword)))
