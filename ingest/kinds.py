"""The registry of entity kinds: one line per kind, read by ingest/ and server/ alike.

A kind is what the grounder finds and the graph types: a gene, a drug, an anatomical site ...
Everything that differs between kinds and is not code lives in its `EntityKind` line: the name
the lexicon tables and the grounding index write, the ontology class, the path of its IRIs, the
curated lexicon table, the words a page uses for one and for many, the vocabularies its
identifiers come from, its colour in pictures, the /papers parameter that filters by it, and
whether it has a hierarchy or stated roles. Adding a kind means adding a class to the ontology
(a subclass of mkg:Entity, with a shape), a line here, and a reader of its lexicon table in
`ingest/entities.py`; tests/test_kinds.py checks that the three agree.
"""

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class EntityKind:
    """One kind of entity and everything the code needs to know of it."""

    # The kind as the lexicon tables and the grounding index write it ('gene_family').
    name: str
    # The ontology class (local name under the mkg: namespace).
    cls: str
    # The path of its things' IRIs: https://w3id.org/mkg/{path}/{key}.
    path: str
    # The curated lexicon tables: ingest/lexicon/{table}.tsv and forms_{table}.tsv.
    table: str
    # What a page calls one and many (the class's rdfs:label and its plural).
    label: str
    plural: str
    # The prefixes of its primary identifiers, the first preferred (empty: ontology classes).
    prefixes: tuple[str, ...]
    # Its colour in pictures (Okabe-Ito, distinguishable with common colour-vision deficiencies).
    colour: str
    # The parameter of /papers that filters by it (/papers?gene=IRI).
    parameter: str
    # Whether its terms have broader terms in their ontology (skos:broader, rolled up in charts).
    hierarchy: bool = False
    # Whether papers state a role for it (inhibited, overexpressed ...; ingest/studies.py).
    stated_roles: bool = False


# In the order a biologist reads them; a thing of two kinds (none should be) counts as the first.
ENTITY_KINDS: tuple[EntityKind, ...] = (
    EntityKind("gene", "Gene", "gene", "genes", "gene", "genes", ("HGNC",), "#0072b2", "gene",
               stated_roles=True),
    EntityKind("gene_family", "GeneFamily", "family", "gene_families", "gene family",
               "gene families", ("FPLX",), "#56b4e9", "gene", stated_roles=True),
    EntityKind("drug", "Drug", "drug", "drugs", "drug", "drugs", ("CHEBI", "DRUGBANK", "MESH"),
               "#d55e00", "drug", stated_roles=True),
    EntityKind("cancer", "Cancer", "disease", "cancers", "cancer", "cancers", ("MONDO",),
               "#cc79a7", "cancer", hierarchy=True),
    EntityKind("anatomy", "AnatomicalSite", "anatomy", "anatomy", "anatomical site",
               "anatomical sites", ("UBERON",), "#009e73", "site", hierarchy=True),
    EntityKind("cell_type", "CellType", "cell", "cell_types", "cell type", "cell types", ("CL",),
               "#e69f00", "cell", hierarchy=True),
    EntityKind("process", "MetastaticProcess", "process", "processes", "metastatic process",
               "metastatic processes", (), "#7a5195", "process"),
    EntityKind("organism", "Organism", "organism", "organisms", "organism", "organisms",
               ("NCBITaxon",), "#8c8c8c", "organism"),
)  # fmt: skip

KINDS: dict[str, EntityKind] = {kind.name: kind for kind in ENTITY_KINDS}
BY_CLASS: dict[str, EntityKind] = {kind.cls: kind for kind in ENTITY_KINDS}


def entity_kind(name: str) -> EntityKind:
    """Return the kind named `name` ('gene', 'cell_type'); KeyError names the known ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"no entity kind {name!r}; known: {', '.join(KINDS)}") from None


def kinds_where(**flags: bool) -> Iterator[EntityKind]:
    """Yield the kinds whose flags have the given values: `kinds_where(hierarchy=True)`."""
    for kind in ENTITY_KINDS:
        if all(getattr(kind, name) == value for name, value in flags.items()):
            yield kind
