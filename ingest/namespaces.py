"""Every IRI of the graph is minted here: namespaces, thing IRIs, canonical external IRIs."""

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from ingest.records import Author, Citation

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
}

# The one IRI form per identifier scheme used for skos:exactMatch (DESIGN.md).
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
    "ISSN": "https://portal.issn.org/resource/ISSN/",
    "NLM": "https://www.ncbi.nlm.nih.gov/nlmcatalog/",
}
_OBO_PREFIXES = frozenset({"CHEBI", "UBERON", "MONDO", "DOID", "NCIT", "CL", "GO", "NCBITaxon"})


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


def slug(text: str) -> str:
    """Return a lower-case ASCII slug: letters and digits, words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").replace("\u2019", "")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _thing(kind: str, key: str) -> URIRef:
    return URIRef(f"{BASE}{kind}/{key}")


def paper_key(citation: Citation) -> str:
    """Return the deterministic key of a paper: first author, year, journal, volume, first page."""
    first = citation.authors[0].family if citation.authors else "anonymous"
    parts = (first, str(citation.year), citation.journal, citation.volume, citation.first_page)
    return "-".join(slug(part) for part in parts)


def paper_iri(citation: Citation) -> URIRef:
    """Return the IRI of the paper a citation describes."""
    return _thing("paper", paper_key(citation))


def person_key(author: Author) -> str:
    """Return the key of a printed name: family name and initials ('de-vos-fy')."""
    initials = re.sub(r"[^A-Za-z]", "", author.given).lower()
    parts = [slug(author.family), initials] + ([slug(author.suffix)] if author.suffix else [])
    return "-".join(parts)


def person_iri(author: Author) -> URIRef:
    """Return the IRI of a name as printed (not a disambiguated individual)."""
    return _thing("person", person_key(author))


def journal_iri(abbreviation: str) -> URIRef:
    """Return the IRI of a journal from its abbreviation as printed ('Nat. Med.' -> nat-med)."""
    return _thing("journal", slug(abbreviation))


def authorship_iri(paper_key_: str, position: int) -> URIRef:
    """Return the IRI of the authorship at 1-based `position` of a paper."""
    return _thing("authorship", f"{paper_key_}/{position}")


def reference_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of the numbered reference-list entry of a review."""
    return _thing("reference", f"{review_key}/{number}")


def figure_iri(review_key: str, number: int) -> URIRef:
    """Return the IRI of a figure of a review."""
    return _thing("figure", f"{review_key}/{number}")


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
