"""Map records to RDF: the only module that decides which triples a record becomes."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD
from rdflib.term import Node

from ingest import layout
from ingest.catalogue.journals import lookup_journal
from ingest.identifiers import normalise_doi
from ingest.journals import Journal, abbr_key
from ingest.namespaces import (
    BASE,
    BIRO,
    C4O,
    CITO,
    DATASET_IRI,
    DOCO,
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
    book_iri,
    canonical_iri,
    cited_iri,
    dataset_part_iri,
    editorship_iri,
    erratum_iri,
    figure_iri,
    journal_iri,
    organization_iri,
    paper_iri,
    paper_key,
    person_iri,
    pointer_iri,
    query_iri,
    reference_iri,
    sentence_iri,
    slug,
    software_iri,
    source_iri,
    work_key,
)
from ingest.parse import ACCESSION as _ACCESSION
from ingest.queries import NamedQuery
from ingest.records import Author, Citation, Erratum, Figure, Kind, Reference, Review, Sentence


def review_key(review: Review) -> str:
    """Return the key naming a review's document graph and its numbered parts."""
    return paper_key(review.citation)


def add_review(
    graph: Graph, review: Review, *, journals: Mapping[str, Journal], persons: dict[URIRef, str]
) -> URIRef:
    """Add a review, its figures, references and cited works to `graph`; return its IRI."""
    key = review_key(review)
    node = add_work(graph, review.citation, journals=journals, persons=persons)
    graph.add((node, RDF.type, FABIO.ReviewArticle))
    doi = normalise_doi(review.doi) or review.doi
    if doi:
        graph.add((node, PRISM.doi, Literal(doi)))
        graph.add((node, DCTERMS.identifier, Literal(f"doi:{doi}")))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"doi:{doi}")))
    # A reference list read apart from its review (CSL-JSON, RIS, BibTeX) has neither.
    if review.article_type:
        graph.add((node, MKG.articleType, Literal(review.article_type)))
    if review.abstract:
        graph.add((node, DCTERMS.abstract, Literal(review.abstract)))
    for figure in review.figures:
        add_figure(graph, figure, review=node, review_key=key)
    references = {}
    for reference in review.references:
        references[reference.number] = add_reference(
            graph, reference, review=node, review_key=key, journals=journals, persons=persons
        )
    for sentence in review.sentences:
        add_sentence(graph, sentence, review=node, review_key=key, references=references)
    return node


def add_sentence(
    graph: Graph,
    sentence: Sentence,
    *,
    review: URIRef,
    review_key: str,
    references: Mapping[int, URIRef],
) -> URIRef:
    """Add a sentence of the review that cites references, and its in-text pointers (C4O).

    Each pointer is a c4o:InTextReferencePointer whose context is the sentence and which denotes
    the numbered reference entry; what the sentence names is added with the mentions
    (`add_cited_mentions`).
    """
    node = sentence_iri(review_key, sentence.number)
    graph.add((node, RDF.type, DOCO.Sentence))
    graph.add((node, RDFS.label, Literal(f"Sentence {sentence.number}")))
    graph.add((node, C4O.hasContent, Literal(sentence.text)))
    graph.add((node, MKG.sentenceNumber, Literal(sentence.number)))
    graph.add((node, FRBR.partOf, review))
    if sentence.section:
        graph.add((node, MKG.section, Literal(sentence.section)))
    for position, pointer in enumerate(sentence.pointers, start=1):
        target = references.get(pointer.reference)
        if target is None:
            continue
        point = pointer_iri(review_key, sentence.number, position)
        graph.add((point, RDF.type, C4O.InTextReferencePointer))
        graph.add((point, RDFS.label, Literal(pointer.text or str(pointer.reference))))
        graph.add((point, C4O.hasContext, node))
        graph.add((point, C4O.denotes, target))
        if pointer.text:
            graph.add((point, C4O.hasContent, Literal(pointer.text)))
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
    """Add a numbered reference entry and the work it cites; return the entry's IRI.

    The entry keeps the raw printed text, the link labels and what only the printing of this
    line says (the journal abbreviation as printed, punctuation between names and a status, ...);
    the work keeps its bibliographic fields. A reference read only partly cites a work that holds
    the fields read with confidence, and the entry says what could not be read.
    """
    node = reference_iri(review_key, reference.number)
    citation = reference.citation
    if reference.partial is None:
        work = add_work(graph, citation, journals=journals, persons=persons)
        _add_printing(graph, node, citation)
    else:
        work = add_partial_work(
            graph, citation, node=cited_iri(review_key, reference.number), persons=persons
        )
        graph.add((node, RDF.type, MKG.PartialReference))
        graph.add((node, MKG.parseNote, Literal(reference.partial)))
    graph.add((review, CITO.cites, work))
    graph.add((review, FRBR.part, node))
    graph.add((node, RDF.type, BIRO.BibliographicReference))
    graph.add((node, BIRO.references, work))
    graph.add((node, MKG.referenceNumber, Literal(reference.number)))
    graph.add((node, RDFS.label, Literal(f"Reference {reference.number}")))
    graph.add((node, DCTERMS.bibliographicCitation, Literal(reference.raw)))
    for label in reference.links:
        graph.add((node, MKG.linkLabel, Literal(label)))
    return node


# What only the printing of a reference line says, kept on its entry: citation field -> property.
_PRINTING = {
    "journal": MKG.journalAbbreviation,
    "author_label": MKG.authorLabel,
    "editor_label": MKG.editorLabel,
    "status_separator": MKG.statusSeparator,
    "abstract_label": MKG.abstractLabel,
    "label": MKG.printedLabel,
    "url": MKG.printedLink,
    "trailing_link": MKG.trailingLink,
    "accessed": MKG.accessed,
}


def _add_printing(graph: Graph, node: URIRef, citation: Citation) -> None:
    for field, prop in _PRINTING.items():
        value = getattr(citation, field)
        if value is not None:
            graph.add((node, prop, Literal(value)))
    if citation.erratum is not None and citation.erratum.journal:
        graph.add((node, MKG.erratumJournal, Literal(citation.erratum.journal)))


# The FaBiO class of each kind of work.
KIND_CLASSES: dict[Kind, URIRef] = {
    Kind.JOURNAL_ARTICLE: FABIO.JournalArticle,
    Kind.IN_PRESS: FABIO.JournalArticle,
    Kind.ONLINE_FIRST: FABIO.JournalArticle,
    Kind.PREPRINT: FABIO.Preprint,
    Kind.BOOK: FABIO.Book,
    Kind.CHAPTER: FABIO.BookChapter,
    Kind.CONFERENCE_ABSTRACT: FABIO.ConferencePaper,
    Kind.THESIS: FABIO.Thesis,
    Kind.REPORT: FABIO.ReportDocument,
    Kind.WEB_PAGE: FABIO.WebContent,
    Kind.DATABASE: FABIO.Database,
    Kind.DATA_SET: FABIO.DataFile,
    Kind.PATENT: FABIO.PatentDocument,
    Kind.PERSONAL_COMMUNICATION: FABIO.PersonalCommunication,
    Kind.UNPUBLISHED: FABIO.Manuscript,
}
# Degrees whose theses FaBiO names (the rest stay fabio:Thesis).
_THESIS_CLASSES = (
    (("Ph", "D.Phil", "DPhil", "Doctoral", "DSc", "M.D", "MD"), FABIO.DoctoralThesis),
    (("M", "Master"), FABIO.MastersThesis),
    (("B",), FABIO.BachelorsThesis),
)


def work_classes(citation: Citation) -> list[URIRef]:
    """Return the classes of the work a complete citation describes."""
    if citation.kind is Kind.IN_PRESS and citation.journal is None:
        # Submitted or accepted with no journal named: a manuscript, not yet a journal article.
        return [FABIO.Manuscript]
    classes = [KIND_CLASSES[citation.kind]]
    if citation.kind is Kind.THESIS and citation.degree:
        for prefixes, cls in _THESIS_CLASSES:
            if citation.degree.startswith(prefixes):
                classes.append(cls)
                break
    return classes


def _label(citation: Citation) -> str:
    if citation.title:
        return citation.title
    if citation.kind is Kind.CHAPTER:
        return f"Chapter in {citation.book_title}"
    names = ", ".join(a.printed for a in citation.authors[:3])
    return f"{names}: {citation.status}" if citation.status else names or "Untitled work"


def _add_year(graph: Graph, node: URIRef, year: int | None) -> None:
    if year is not None:
        graph.add((node, FABIO.hasPublicationYear, Literal(f"{year:04d}", datatype=XSD.gYear)))
        graph.add((node, MKG.publicationYear, Literal(year)))


def add_work(
    graph: Graph,
    citation: Citation,
    *,
    journals: Mapping[str, Journal],
    persons: dict[URIRef, str],
) -> URIRef:
    """Add the work a complete citation describes, with its names in order; return its IRI."""
    node = paper_iri(citation)
    key = work_key(citation)
    for cls in work_classes(citation):
        graph.add((node, RDF.type, cls))
    if citation.title:
        graph.add((node, DCTERMS.title, Literal(citation.title)))
    graph.add((node, RDFS.label, Literal(_label(citation))))
    _add_year(graph, node, citation.year)
    if citation.et_al:
        graph.add((node, MKG.etAl, Literal(True)))
    for position, author in enumerate(citation.authors, start=1):
        add_authorship(
            graph, author, paper=node, paper_key_=key, position=position, persons=persons
        )
    if citation.journal is not None:
        graph.add((node, DCTERMS.isPartOf, add_journal(graph, citation.journal, journals=journals)))
    if citation.kind is Kind.CHAPTER:
        graph.add((node, FRBR.partOf, add_book(graph, citation, persons=persons)))
    else:
        _add_book_fields(graph, node, citation)
    _add_fields(graph, node, citation)
    if citation.erratum is not None:
        _add_erratum(graph, node, citation.erratum)
    return node


def _add_fields(graph: Graph, node: URIRef, citation: Citation) -> None:
    if citation.volume is not None and citation.kind is not Kind.CHAPTER:
        graph.add((node, PRISM.volume, Literal(citation.volume)))
    for value, prop in (
        (citation.volume_note, MKG.volumeNote),
        (citation.first_page, PRISM.startingPage),
        (citation.last_page, PRISM.endingPage),
        (citation.page_note, MKG.pageNote),
        (citation.status, MKG.publicationStatus),
        (citation.venue, MKG.venue),
        (citation.degree, MKG.degree),
        (citation.patent_label, MKG.patentLabel),
        (citation.patent_number, FABIO.hasPatentNumber),
        (citation.abstract_number, MKG.abstractNumber),
    ):
        if value is not None:
            graph.add((node, prop, Literal(value)))
    add_identifiers(graph, node, citation)
    if citation.url is not None and _ACCESSION.fullmatch(citation.url):
        graph.add((node, DCTERMS.identifier, Literal(citation.url)))
    for link in (citation.url, citation.trailing_link):
        if link is not None and link.strip("<>").startswith(("http://", "https://")):
            graph.add((node, FABIO.hasURL, Literal(link.strip("<>"), datatype=XSD.anyURI)))
        doi = normalise_doi(_doi_link(link))
        if doi is not None and doi != normalise_doi(citation.doi):
            graph.add((node, PRISM.doi, Literal(doi)))
            graph.add((node, SKOS.exactMatch, canonical_iri(f"doi:{doi}")))


def add_identifiers(graph: Graph, node: URIRef, citation: Citation) -> None:
    """Add a work's DOI, PubMed ID and PubMed Central ID, each with its canonical IRI.

    DOIs are written in lower case without a resolver (ingest.identifiers); the IRIs are the
    one form per scheme of the prefix map (https://doi.org/..., https://identifiers.org/pubmed:...,
    https://identifiers.org/pmc:...), as skos:exactMatch.
    """
    doi = normalise_doi(citation.doi)
    if doi is not None:
        graph.add((node, PRISM.doi, Literal(doi)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"doi:{doi}")))
    if citation.pmid is not None:
        graph.add((node, FABIO.hasPubMedId, Literal(citation.pmid)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"pubmed:{citation.pmid}")))
    if citation.pmcid is not None:
        graph.add((node, FABIO.hasPubMedCentralId, Literal(citation.pmcid)))
        graph.add((node, SKOS.exactMatch, canonical_iri(f"pmc:{citation.pmcid}")))


def _doi_link(link: str | None) -> str | None:
    if link is None:
        return None
    for prefix in (
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "http://dx.doi.org/",
        "doi:",
    ):
        if link.startswith(prefix) and link[len(prefix) :].startswith("10."):
            return link[len(prefix) :]
    return None


def _add_book_fields(graph: Graph, node: URIRef, citation: Citation) -> None:
    """Add what a book-like work prints in '(Publisher, Place, year)' and before it."""
    if citation.edition is not None:
        graph.add((node, PRISM.edition, Literal(citation.edition)))
    if citation.series is not None:
        graph.add((node, MKG.series, Literal(citation.series)))
    if citation.publisher is not None:
        graph.add((node, DCTERMS.publisher, add_organization(graph, citation.publisher)))
    if citation.place is not None:
        graph.add((node, MKG.publicationPlace, Literal(citation.place)))


def add_book(graph: Graph, citation: Citation, *, persons: dict[URIRef, str]) -> URIRef:
    """Add the book a chapter is in, with its editors in order; return its IRI."""
    node = book_iri(citation)
    key = str(node).removeprefix(BASE + "book/")
    graph.add((node, RDF.type, FABIO.Book))
    graph.add((node, DCTERMS.title, Literal(citation.book_title)))
    graph.add((node, RDFS.label, Literal(citation.book_title)))
    _add_year(graph, node, citation.year)
    if citation.volume is not None:
        graph.add((node, PRISM.volume, Literal(citation.volume)))
    _add_book_fields(graph, node, citation)
    for position, editor in enumerate(citation.editors, start=1):
        agent = add_agent(graph, editor, persons=persons)
        editorship = editorship_iri(key, position)
        graph.add((node, MKG.hasEditorship, editorship))
        graph.add((editorship, RDF.type, MKG.Editorship))
        graph.add((editorship, MKG.editor, agent))
        graph.add((editorship, MKG.editorPosition, Literal(position)))
        if editor.separator is not None:
            graph.add((editorship, MKG.precedingSeparator, Literal(editor.separator)))
    return node


def _add_erratum(graph: Graph, work: URIRef, erratum: Erratum) -> URIRef:
    node = erratum_iri(work)
    graph.add((work, MKG.hasErratum, node))
    graph.add((node, RDF.type, FABIO.Erratum))
    graph.add(
        (node, RDFS.label, Literal(f"{erratum.label} {erratum.volume}, {erratum.first_page}"))
    )
    graph.add((node, MKG.erratumLabel, Literal(erratum.label)))
    graph.add((node, PRISM.volume, Literal(erratum.volume)))
    graph.add((node, PRISM.startingPage, Literal(erratum.first_page)))
    if erratum.last_page:
        graph.add((node, PRISM.endingPage, Literal(erratum.last_page)))
    graph.add((node, FABIO.hasPublicationYear, Literal(f"{erratum.year:04d}", datatype=XSD.gYear)))
    graph.add((node, MKG.publicationYear, Literal(erratum.year)))
    return node


def add_partial_work(
    graph: Graph, citation: Citation, *, node: URIRef, persons: dict[URIRef, str]
) -> URIRef:
    """Add the work of a reference read only partly: the names, year, DOI and URL read."""
    key = str(node).removeprefix(BASE + "cited/")
    graph.add((node, RDF.type, MKG.PartlyReadWork))
    graph.add((node, RDFS.label, Literal(_label(citation))))
    _add_year(graph, node, citation.year)
    if citation.et_al:
        graph.add((node, MKG.etAl, Literal(True)))
    for position, author in enumerate(citation.authors, start=1):
        add_authorship(
            graph, author, paper=node, paper_key_=f"cited/{key}", position=position, persons=persons
        )
    add_identifiers(graph, node, citation)
    if citation.url is not None:
        graph.add((node, FABIO.hasURL, Literal(citation.url, datatype=XSD.anyURI)))
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
    """Add the authorship at `position` of a work and the printed name it holds."""
    agent = add_agent(graph, author, persons=persons)
    node = authorship_iri(paper_key_, position)
    graph.add((paper, DCTERMS.creator, agent))
    graph.add((paper, MKG.hasAuthorship, node))
    graph.add((node, RDF.type, MKG.Authorship))
    graph.add((node, MKG.author, agent))
    graph.add((node, MKG.authorPosition, Literal(position)))
    if author.separator is not None:
        graph.add((node, MKG.precedingSeparator, Literal(author.separator)))
    return node


def add_agent(graph: Graph, author: Author, *, persons: dict[URIRef, str]) -> URIRef:
    """Add a name of a list of names: a person, or a group printed without initials."""
    if author.is_group:
        return add_organization(graph, author.family)
    return add_person(graph, author, persons=persons)


def add_organization(graph: Graph, name: str) -> URIRef:
    """Add a group or organisation as printed (an author group, a publisher, a university)."""
    node = organization_iri(name)
    graph.add((node, RDF.type, FOAF.Organization))
    graph.add((node, FOAF.name, Literal(name)))
    graph.add((node, RDFS.label, Literal(name)))
    return node


def add_person(graph: Graph, author: Author, *, persons: dict[URIRef, str]) -> URIRef:
    """Add a name as printed; identical name strings share one node, others never do.

    Two printed names whose keys coincide ('de Vos, F.Y.' and 'De Vos, F.Y.') keep apart: the
    second one seen gets a key with a digest of its printed form.
    """
    node = person_iri(author)
    printed = author.printed
    if persons.setdefault(node, printed) != printed:
        node = person_iri(author, distinct=True)
        persons.setdefault(node, printed)
    graph.add((node, RDF.type, FOAF.Person))
    graph.add((node, FOAF.familyName, Literal(author.family)))
    graph.add((node, FOAF.givenName, Literal(author.given)))
    graph.add((node, FOAF.name, Literal(printed)))
    graph.add((node, RDFS.label, Literal(printed)))
    if author.suffix:
        graph.add((node, MKG.nameSuffix, Literal(author.suffix)))
    return node


class JournalRecord(Protocol):
    """What the graph takes of a journal matched in the lexicon or the catalogue."""

    @property
    def title(self) -> str: ...
    @property
    def issn_print(self) -> str | None: ...
    @property
    def issn_online(self) -> str | None: ...
    @property
    def nlm_id(self) -> str | None: ...


def find_journal(printed: str, journals: Mapping[str, Journal]) -> tuple[str, JournalRecord | None]:
    """Find a printed journal name in the journal lexicon, then in the NLM journal catalogue.

    In the lexicon the name matches exactly or by its normalised key; a name the lexicon does
    not hold is looked up in the catalogue (`ingest.catalogue.journals.lookup_journal`). Return
    the match status ('exact', 'normalised', 'ambiguous' or 'unknown') and the journal, None
    unless one journal was matched.
    """
    journal = journals.get(printed)
    if journal is not None:
        return "exact", journal
    key = abbr_key(printed)
    found = {j.title: j for j in journals.values() if abbr_key(j.abbreviation) == key}
    if len(found) > 1:
        return "ambiguous", None
    if found:
        return "normalised", next(iter(found.values()))
    match = lookup_journal(printed)
    return match.status, match.journal


def add_journal(graph: Graph, abbreviation: str, *, journals: Mapping[str, Journal]) -> URIRef:
    """Add a journal with its full title, ISSNs and NLM ID from the lexicon or the catalogue.

    A journal neither holds, or that names several journals of the catalogue, keeps only its
    printed name and is marked unverified (mkg:verified false): no title or ISSN is guessed.
    """
    node = journal_iri(abbreviation)
    graph.add((node, RDF.type, FABIO.Journal))
    graph.add((node, FABIO.hasShortTitle, Literal(abbreviation)))
    _, journal = find_journal(abbreviation, journals)
    if journal is None:
        graph.add((node, MKG.verified, Literal(False)))
        graph.add((node, RDFS.label, Literal(abbreviation)))
        return node
    graph.add((node, MKG.verified, Literal(True)))
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
    for name in layout.DUMP_FILES:
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


# ------------------------------------------------------------------------- reading back


def _value(graph: Graph, node: Node | None, prop: URIRef) -> str | None:
    if node is None:
        return None
    found = graph.value(node, prop)
    return str(found) if found is not None else None


def _names_of(
    graph: Graph, work: Node, link: URIRef, agent: URIRef, position: URIRef
) -> tuple[Author, ...]:
    found = []
    for entry in graph.objects(work, link):
        who = graph.value(entry, agent)
        number = graph.value(entry, position)
        separator = _value(graph, entry, MKG.precedingSeparator)
        if (who, RDF.type, FOAF.Organization) in graph:
            name = Author(str(graph.value(who, FOAF.name)), None, separator=separator)
        else:
            name = _person_of(graph, who, separator)
        found.append((int(str(number)), name))
    return tuple(name for _, name in sorted(found, key=lambda pair: pair[0]))


def _person_of(graph: Graph, who: Node | None, separator: str | None) -> Author:
    family = str(graph.value(who, FOAF.familyName))
    given = str(graph.value(who, FOAF.givenName))
    suffix = _value(graph, who, MKG.nameSuffix)
    printed = str(graph.value(who, FOAF.name))
    suffix_separator = ", "
    if suffix and printed == f"{family}, {given} {suffix}":
        suffix_separator = " "
    return Author(family, given, suffix, separator, suffix_separator)


def _kind_of(graph: Graph, work: Node, entry: Node) -> Kind:
    classes = set(graph.objects(work, RDF.type))
    if FABIO.Manuscript in classes and (work, DCTERMS.title, None) in graph:
        return Kind.IN_PRESS
    for kind, cls in KIND_CLASSES.items():
        if cls in classes and cls != FABIO.JournalArticle:
            return kind
    if (work, MKG.publicationStatus, None) in graph:
        return Kind.IN_PRESS
    if (work, PRISM.volume, None) not in graph and (entry, MKG.printedLink, None) in graph:
        return Kind.ONLINE_FIRST
    return Kind.JOURNAL_ARTICLE


def citation_from_graph(graph: Graph, entry: URIRef) -> Citation:
    """Rebuild the citation of a completely read reference entry from the graph alone."""
    work = graph.value(entry, BIRO.references)
    assert work is not None, entry
    kind = _kind_of(graph, work, entry)
    book = graph.value(work, FRBR.partOf) if kind is Kind.CHAPTER else None
    shelf = book if book is not None else work
    year = _value(graph, work, MKG.publicationYear)
    publisher = graph.value(shelf, DCTERMS.publisher)
    erratum = graph.value(work, MKG.hasErratum)
    link = _value(graph, entry, MKG.printedLink)
    return Citation(
        kind=kind,
        authors=_names_of(graph, work, MKG.hasAuthorship, MKG.author, MKG.authorPosition),
        et_al=(work, MKG.etAl, Literal(True)) in graph,
        title=_value(graph, work, DCTERMS.title) or "",
        journal=_value(graph, entry, MKG.journalAbbreviation),
        volume=_value(graph, shelf, PRISM.volume),
        volume_note=_value(graph, work, MKG.volumeNote),
        first_page=_value(graph, work, PRISM.startingPage),
        last_page=_value(graph, work, PRISM.endingPage),
        page_note=_value(graph, work, MKG.pageNote),
        year=int(year) if year is not None else None,
        author_label=_value(graph, entry, MKG.authorLabel),
        doi=_doi_link(link.strip("<>")) if link is not None else None,
        url=link,
        status=_value(graph, work, MKG.publicationStatus),
        status_separator=_value(graph, entry, MKG.statusSeparator),
        book_title=_value(graph, book, DCTERMS.title),
        edition=_value(graph, shelf, PRISM.edition),
        editors=(
            _names_of(graph, book, MKG.hasEditorship, MKG.editor, MKG.editorPosition)
            if book is not None
            else ()
        ),
        editor_label=_value(graph, entry, MKG.editorLabel),
        publisher=_value(graph, publisher, FOAF.name),
        place=_value(graph, shelf, MKG.publicationPlace),
        venue=_value(graph, work, MKG.venue),
        accessed=_value(graph, entry, MKG.accessed),
        degree=_value(graph, work, MKG.degree),
        label=_value(graph, entry, MKG.printedLabel),
        series=_value(graph, work, MKG.series),
        patent_label=_value(graph, work, MKG.patentLabel),
        patent_number=_value(graph, work, FABIO.hasPatentNumber),
        abstract_label=_value(graph, entry, MKG.abstractLabel),
        abstract_number=_value(graph, work, MKG.abstractNumber),
        erratum=_erratum_of(graph, erratum, entry) if erratum is not None else None,
        trailing_link=_value(graph, entry, MKG.trailingLink),
    )


def _erratum_of(graph: Graph, node: Node, entry: Node) -> Erratum:
    return Erratum(
        label=str(graph.value(node, MKG.erratumLabel)),
        volume=str(graph.value(node, PRISM.volume)),
        first_page=str(graph.value(node, PRISM.startingPage)),
        last_page=_value(graph, node, PRISM.endingPage),
        year=int(str(graph.value(node, MKG.publicationYear))),
        journal=_value(graph, entry, MKG.erratumJournal),
    )
