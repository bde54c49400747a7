"""Every IRI of the graph is minted here: namespaces, thing IRIs, canonical external IRIs."""

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from ingest.records import Author, Citation, Kind

BASE = "https://w3id.org/mkg/"
MKG = Namespace(BASE + "ontology/")
ONTOLOGY_IRI = URIRef(BASE + "ontology/")

FABIO = Namespace("http://purl.org/spar/fabio/")
CITO = Namespace("http://purl.org/spar/cito/")
BIRO = Namespace("http://purl.org/spar/biro/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
OA = Namespace("http://www.w3.org/ns/oa#")
OBO = Namespace("http://purl.obolibrary.org/obo/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
# Citation contexts: in-text reference pointers (C4O) and the sentences they stand in (DoCO).
C4O = Namespace("http://purl.org/spar/c4o/")
DOCO = Namespace("http://purl.org/spar/doco/")

PREFIXES: dict[str, Namespace | type] = {
    "mkg": MKG,
    "fabio": FABIO,
    "cito": CITO,
    "biro": BIRO,
    "frbr": FRBR,
    "prism": PRISM,
    "oa": OA,
    "obo": OBO,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "void": VOID,
    "xsd": XSD,
    "sh": SH,
    "schema": SCHEMA,
    "c4o": C4O,
    "doco": DOCO,
}

# The one IRI form per identifier scheme used for skos:exactMatch (docs/data-model.md, IRIs;
# the table of forms is in docs/linking.md).
_CANONICAL = {
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "CHEMBL.COMPOUND": "http://identifiers.org/chembl.compound/",
    "DRUGBANK": "http://identifiers.org/drugbank/",
    "PUBCHEM.COMPOUND": "http://identifiers.org/pubchem.compound/",
    "MESH": "http://identifiers.org/mesh/",
    "FPLX": "http://identifiers.org/fplx/",
    "doi": "https://doi.org/",
    # Papers' PubMed and PubMed Central IDs (identifiers.org's CURIE form, as Europe PMC and
    # the Bioregistry resolve them).
    "pubmed": "https://identifiers.org/pubmed:",
    "pmc": "https://identifiers.org/pmc:",
    "ISSN": "https://portal.issn.org/resource/ISSN/",
    "NLM": "https://www.ncbi.nlm.nih.gov/nlmcatalog/",
}
_OBO_PREFIXES = frozenset({"CHEBI", "UBERON", "MONDO", "DOID", "NCIT", "CL", "GO", "NCBITaxon"})


def canonical_base(prefix: str) -> str:
    """Return the start of the canonical IRIs of a CURIE prefix ('pubmed' -> identifiers.org's)."""
    return _CANONICAL[prefix]


def canonical_iri(curie: str) -> URIRef:
    """Return the canonical external IRI of a CURIE such as 'HGNC:1100' or 'CHEBI:45783'."""
    prefix, _, local = curie.partition(":")
    if not local:
        raise ValueError(f"not a CURIE: {curie!r}")
    if prefix in _OBO_PREFIXES:
        return URIRef(f"{OBO}{prefix}_{local}")
    if prefix not in _CANONICAL:
        raise ValueError(f"no canonical IRI form for prefix {prefix!r} in {curie!r}")
    if prefix == "doi":
        local = local.lower()
    return URIRef(_CANONICAL[prefix] + local)


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LATIN = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "œ": "oe",
                        "þ": "th", "ð": "d", "ı": "i"})  # fmt: skip
_APOSTROPHES = ("'", "\u2019")
_NOT_WORD = re.compile(r"[\W_]+")
# Keys of names with letters outside the Latin script end in '--' and a digest: an ASCII slug
# never holds '--', so such a key can equal no other.
_DIGEST_MARK = "--"


def normalise_name(text: str) -> str:
    """Return the form of a name that keys compare: marks dropped, Latin letters folded.

    Lower case, accents and other combining marks removed, Latin letters that do not decompose
    spelled in ASCII ('ø' -> 'o', 'ß' -> 'ss'), apostrophes dropped and every other run of
    characters that are not letters or digits turned into one '-'. Letters of other scripts
    stay as they are.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = marks.casefold().translate(_LATIN)
    for apostrophe in _APOSTROPHES:
        folded = folded.replace(apostrophe, "")
    return _NOT_WORD.sub("-", folded).strip("-")


def slug(text: str) -> str:
    """Return a lower-case ASCII slug: letters and digits, words joined by '-'.

    A name that keeps letters of another script after `normalise_name` keeps its ASCII part and
    gets a digest of the normalised name, so that names that differ in letters never share a key.
    """
    return _keyed(normalise_name(text))


def _keyed(normal: str) -> str:
    """Return a normalised name as a key: itself when ASCII, else ASCII part and digest."""
    if normal.isascii():
        return normal
    ascii_part = "".join(c for c in normal if c.isascii()).strip("-")
    ascii_part = re.sub("-{2,}", "-", ascii_part)
    digest = hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]
    return f"{ascii_part}{_DIGEST_MARK}{digest}" if ascii_part else f"x{_DIGEST_MARK}{digest}"


def _thing(kind: str, key: str) -> URIRef:
    return URIRef(f"{BASE}{kind}/{key}")


def _first_name(citation: Citation) -> str:
    return citation.authors[0].family if citation.authors else "anonymous"


def _words(text: str | None, count: int = 6) -> str:
    """Return the first `count` words of a text as a slug ('a-new-model-of').

    The words are cut before the digest is taken: 'TGFβ primes ...' keeps its beta as a digest.
    """
    return _keyed("-".join(normalise_name(text or "").split("-")[:count])) or "untitled"


def paper_key(citation: Citation) -> str:
    """Return the deterministic key of a journal article: first author, year, journal, volume,
    first page.

    An article that lacks one of these (an input that gives only its DOI, or no pages) is keyed
    by what identifies it instead: `identified_key`.
    """
    if not _locatable(citation):
        return identified_key(citation)
    parts = (
        _first_name(citation),
        str(citation.year),
        citation.journal or "",
        citation.volume or "",
        citation.first_page or "",
    )
    return "-".join(slug(part) for part in parts)


def _locatable(citation: Citation) -> bool:
    """Tell whether a citation holds every part of the article key."""
    parts = (citation.year, citation.journal, citation.volume, citation.first_page)
    return all(part is not None and part != "" for part in parts)


def identified_key(citation: Citation) -> str:
    """Return the key of a work known by its identifiers more than by where it was printed.

    First author, year and journal as far as known, then the DOI, else the PMID, else the
    first words of the title: 'salvador-2019-j-pathol-10-1002-path-5292'; a work known only by
    its DOI is 'doi-10-1038-nm1469'.
    """
    if citation.doi and not citation.authors and citation.year is None:
        return f"doi-{slug(citation.doi)}"
    if citation.pmid and not citation.authors and citation.year is None:
        return f"pmid-{citation.pmid}"
    head = [slug(_first_name(citation)), _year(citation)]
    if citation.journal:
        head.append(slug(citation.journal))
    if citation.volume:
        head.append(slug(citation.volume))
    tail = slug(citation.doi) if citation.doi else ""
    tail = tail or (f"pmid-{citation.pmid}" if citation.pmid else _words(citation.title))
    return "-".join([*head, tail])


def _year(citation: Citation) -> str:
    return str(citation.year) if citation.year is not None else "n-d"


def work_path(citation: Citation) -> str:
    """Return the IRI path of the kind of work a citation describes ('paper', 'book', ...)."""
    if citation.key is not None:
        return citation.key.partition("/")[0]
    return _PATHS[citation.kind]


def work_key(citation: Citation) -> str:
    """Return the deterministic key of the work a complete citation describes.

    Journal articles keep the key of the data model's first version; the other kinds are keyed
    by first author (or group), year and what identifies the work within them: a container and
    locator, a DOI, a patent number, or the first words of the title.
    """
    if citation.key is not None:
        # The build found this work to be one that another citation names (ingest/identity.py).
        return citation.key.partition("/")[2]
    return natural_key(citation)


def natural_key(citation: Citation) -> str:
    """Return the key a citation's own fields give its work, whatever the build found."""
    kind = citation.kind
    first, year = slug(_first_name(citation)), _year(citation)
    if kind is Kind.JOURNAL_ARTICLE:
        return paper_key(citation)
    if kind is Kind.IN_PRESS:
        venue = slug(citation.journal) if citation.journal else "no-journal"
        return f"{first}-{year}-{venue}-{slug(citation.status or '')}-{_words(citation.title)}"
    if kind is Kind.ONLINE_FIRST:
        link = slug(citation.doi or citation.url or "")
        return f"{first}-{year}-{slug(citation.journal or '')}-{link}"
    if kind is Kind.PATENT and citation.patent_number:
        return slug(f"{citation.patent_label} {citation.patent_number}")
    if kind is Kind.CHAPTER:
        page = slug(citation.first_page) if citation.first_page else _words(citation.title, 4)
        return f"{first}-{year}-{_words(citation.book_title, 4)}-{page}"
    if kind is Kind.CONFERENCE_ABSTRACT:
        venue = slug(citation.journal or citation.venue or "")
        number = (
            slug(citation.abstract_number) if citation.abstract_number else _words(citation.title)
        )
        return f"{first}-{year}-{venue}-{number}"
    if kind in (Kind.PERSONAL_COMMUNICATION, Kind.UNPUBLISHED):
        names = "-".join(person_key(a) for a in citation.authors[:3])
        return f"{names}-{slug(citation.status or '')}-{year}"
    return f"{first}-{year}-{_words(citation.title)}"


def paper_iri(citation: Citation) -> URIRef:
    """Return the IRI of the work a complete citation describes (a paper, book, web page ...)."""
    return _thing(work_path(citation), work_key(citation))


def natural_iri(citation: Citation) -> URIRef:
    """Return the IRI a citation's own fields give its work (before the build's identity step)."""
    return _thing(_PATHS[citation.kind], natural_key(citation))


def book_iri(citation: Citation) -> URIRef:
    """Return the IRI of the book a chapter is in: first editor, year and title."""
    first = citation.editors[0].family if citation.editors else "anonymous"
    return _thing("book", f"{slug(first)}-{_year(citation)}-{_words(citation.book_title)}")


def erratum_iri(work: URIRef) -> URIRef:
    """Return the IRI of the erratum printed with a work's citation."""
    return _thing("erratum", str(work).removeprefix(BASE))


def cited_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of the work a reference that could not be read completely cites."""
    return _thing("cited", f"{review_key}/{number}")


def _initials_key(given: str) -> str:
    # 'F.Y.' -> 'fy' (the data model's first keys); 'R. A.' -> 'r-a'; 'Ö.' -> 'o'.
    return slug(given.replace(".", ""))


def person_key(author: Author) -> str:
    """Return the key of a printed name: family name and initials ('de-vos-fy')."""
    parts = [slug(author.family), _initials_key(author.given or "")]
    if author.suffix:
        parts.append(slug(author.suffix))
    return "-".join(parts)


def person_iri(author: Author, *, distinct: bool = False) -> URIRef:
    """Return the IRI of a name as printed (not a disambiguated individual).

    With `distinct`, the key also holds a digest of the printed name: for a name whose key
    another printed name already has ('de Vos, F.Y.' and 'De Vos, F.Y.').
    """
    key = person_key(author)
    if distinct:
        digest = hashlib.sha256(author.printed.encode("utf-8")).hexdigest()[:10]
        key = f"{key}{_DIGEST_MARK}{digest}"
    return _thing("person", key)


def organization_iri(name: str) -> URIRef:
    """Return the IRI of a group or organisation named in a reference (an author, a publisher)."""
    return _thing("organization", slug(name))


def editorship_iri(work_key_: str, position: int) -> URIRef:
    """Return the IRI of the editorship at 1-based `position` of a book."""
    return _thing("editorship", f"{work_key_}/{position}")


def journal_iri(abbreviation: str) -> URIRef:
    """Return the IRI of a journal from its abbreviation as printed ('Nat. Med.' -> nat-med)."""
    return _thing("journal", slug(abbreviation))


_PATHS = {
    Kind.JOURNAL_ARTICLE: "paper",
    Kind.IN_PRESS: "paper",
    Kind.ONLINE_FIRST: "paper",
    Kind.PREPRINT: "preprint",
    Kind.BOOK: "book",
    Kind.CHAPTER: "chapter",
    Kind.CONFERENCE_ABSTRACT: "abstract",
    Kind.THESIS: "thesis",
    Kind.REPORT: "report",
    Kind.WEB_PAGE: "web",
    Kind.DATABASE: "database",
    Kind.DATA_SET: "data",
    Kind.PATENT: "patent",
    Kind.PERSONAL_COMMUNICATION: "communication",
    Kind.UNPUBLISHED: "unpublished",
}


def authorship_iri(paper_key_: str, position: int) -> URIRef:
    """Return the IRI of the authorship at 1-based `position` of a paper."""
    return _thing("authorship", f"{paper_key_}/{position}")


def reference_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of the numbered reference-list entry of a review."""
    return _thing("reference", f"{review_key}/{number}")


def figure_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of a figure of a review."""
    return _thing("figure", f"{review_key}/{number}")


def sentence_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of a sentence of a review's body that cites references."""
    return _thing("sentence", f"{review_key}/{number}")


def pointer_iri(review_key: str, sentence: int, position: int) -> URIRef:
    """Return the IRI of the in-text pointer at 1-based `position` of a sentence."""
    return _thing("pointer", f"{review_key}/{sentence}/{position}")


def cited_mention_iri(sentence: URIRef, entity: str, paper: URIRef) -> URIRef:
    """Return the IRI of the statement that a sentence names an entity and cites a paper for it."""
    key = f"{str(sentence).removeprefix(BASE + 'sentence/')}/{curie_key(entity)}"
    return _thing("cited-mention", f"{key}/{str(paper).removeprefix(BASE)}")


def graph_iri(name: str) -> URIRef:
    """Return the IRI of a named graph: 'ontology', 'curated', 'metadata', or a review key."""
    return _thing("graph", name)


def source_iri(file_name: str) -> URIRef:
    """Return the IRI of a source page file the build read."""
    return _thing("source", slug(file_name))


def activity_iri(key: str) -> URIRef:
    """Return the IRI of the build activity identified by a digest of its inputs."""
    return _thing("build", key)


def software_iri(version: str) -> URIRef:
    """Return the IRI of this software at a version."""
    return _thing("software", f"mkg-{version}")


DATASET_IRI = URIRef(BASE + "dataset")
ONTOLOGY_GRAPH = graph_iri("ontology")
METADATA_GRAPH = graph_iri("metadata")
CURATED_GRAPH = graph_iri("curated")
# Kept apart because it holds the build time: everything outside it is byte-identical per input.
BUILD_RUN_GRAPH = graph_iri("build-run")
# Outside any build: where `mkg load` records in an engine what it loaded (server.engine.loading),
# and a graph no one writes, which a dataset that must be empty names.
LOADED_GRAPH = graph_iri("loaded")
EMPTY_GRAPH = graph_iri("empty")


def load_iri(name: str) -> URIRef:
    """Return the IRI of the record of a load into an engine (`mkg load --name`)."""
    return _thing("load", slug(name))


def dataset_part_iri(kind: str, name: str) -> URIRef:
    """Return the IRI of a VoID subset of the dataset: a named graph or a class partition."""
    return URIRef(f"{DATASET_IRI}/{kind}/{name}")


DUMP_BASE = BASE + "dumps/"


def curie_key(curie: str) -> str:
    """Return the IRI key of a CURIE: 'HGNC:6839' -> 'HGNC_6839'."""
    return curie.replace(":", "_", 1)


def kebab(name: str) -> str:
    """Return a class name in kebab case: 'PreMetastaticNiche' -> 'pre-metastatic-niche'."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def entity_iri(path: str, identifier: str) -> URIRef:
    """Return the IRI of an entity: `path` is its kind's path ('gene'), `identifier` its id."""
    key = kebab(identifier) if path == "process" else curie_key(identifier)
    return _thing(path, key)


def mention_iri(source: URIRef, field: str, start: int, end: int) -> URIRef:
    """Return the IRI of the annotation of text [start, end) in `field` of `source`."""
    return URIRef(f"{BASE}mention/{str(source).removeprefix(BASE)}/{field}/{start}-{end}")


def association_iri(kind: str, subject: str, object_: str) -> URIRef:
    """Return the IRI of the association of `kind` between two entity ids."""
    return _thing("association", f"{kind}/{curie_key(subject)}--{curie_key(object_)}")


ENTITIES_GRAPH = graph_iri("entities")
ASSOCIATIONS_GRAPH = graph_iri("associations")


def query_iri(name: str) -> URIRef:
    """Return the IRI of a named query published as an example ('05-genes-at-a-site')."""
    return _thing("query", name)


ENDPOINT_IRI = URIRef(BASE + "sparql")
EXAMPLES_GRAPH = graph_iri("examples")


def camel(key: str) -> str:
    """Return a kebab key in lowerCamelCase: 'metastasis-suppressor' -> 'metastasisSuppressor'."""
    first, *rest = key.split("-")
    return first + "".join(word.capitalize() for word in rest)


def study_type_iri(key: str) -> URIRef:
    """Return the ontology individual of a study type ('animal-model' -> mkg:animalModel)."""
    return MKG[camel(key)]


def stated_role_iri(key: str) -> URIRef:
    """Return the ontology individual of a role a title states ('metastasis-suppressor')."""
    return MKG[camel(key)]


def study_cue_iri(paper: URIRef, study_type: str) -> URIRef:
    """Return the IRI of the cue that gave a paper one of its study types."""
    return URIRef(f"{BASE}cue/{str(paper).removeprefix(BASE + 'paper/')}/{study_type}")


def role_iri(source: URIRef, field: str, start: int, end: int, role: str, entity: str) -> URIRef:
    """Return the IRI of a statement, quoted from [start, end) of a text, that an entity has a role.

    One quote can state a role of several entities ("PRL-3 and PRL-1 promote ... metastasis").
    """
    span = f"{field}/{start}-{end}"
    return URIRef(f"{BASE}role/{str(source).removeprefix(BASE)}/{span}/{role}/{curie_key(entity)}")


UNKNOWN_STUDY_TYPE = "unknown"
