"""Small read queries the pages share: their prefixes, rows as strings, the kinds of entities."""

from ingest.kinds import ENTITY_KINDS as REGISTRY
from ingest.namespaces import MKG
from server.engine import Engine
from server.engine.terms import NamedNode

PREFIXES = f"""PREFIX mkg: <{MKG}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX biro: <http://purl.org/spar/biro/>
PREFIX frbr: <http://purl.org/vocab/frbr/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX fabio: <http://purl.org/spar/fabio/>
PREFIX prism: <http://prismstandard.org/namespaces/basic/2.0/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
# The entity classes the pages tell apart, in the order that decides a thing with two of them,
# each with its name and the name of many: the registry of kinds (ingest/kinds.py).
ENTITY_KINDS = {str(MKG[kind.cls]): (kind.label, kind.plural) for kind in REGISTRY}
# The parameters of /papers that filter by kind, each with the classes it accepts.
KIND_PARAMETERS: dict[str, tuple[str, ...]] = {
    parameter: tuple(str(MKG[kind.cls]) for kind in REGISTRY if kind.parameter == parameter)
    for parameter in dict.fromkeys(kind.parameter for kind in REGISTRY)
}
KIND_VALUES = " ".join(f"<{iri}>" for iri in ENTITY_KINDS)


def rows(engine: Engine, query: str, **bindings: str) -> list[dict[str, str]]:
    """Run a SELECT (after PREFIXES), `bindings` naming the IRI of variables; values as strings."""
    if bindings:
        names = " ".join(f"?{name}" for name in bindings)
        iris = " ".join(str(NamedNode(iri)) for iri in bindings.values())
        head, brace, body = query.partition("WHERE {")
        query = f"{head}{brace}\n  VALUES ({names}) {{ ({iris}) }}{body}"
    solutions = engine.select(PREFIXES + query)
    names_out = solutions.variables
    return [
        {name: row[name].value for name in names_out if row[name] is not None} for row in solutions
    ]


def values(iris: list[str]) -> str:
    """Return IRIs as the terms of a VALUES block."""
    return " ".join(str(NamedNode(iri)) for iri in iris)


def kinds(engine: Engine, iris: list[str]) -> dict[str, str]:
    """Return the entity kind ('gene', 'drug', ...) of each IRI that has one."""
    if not iris:
        return {}
    found_rows = rows(
        engine,
        f"SELECT ?thing ?class WHERE {{ VALUES ?thing {{ {values(iris)} }} "
        f"VALUES ?class {{ {KIND_VALUES} }} ?thing a ?class }}",
    )
    order = list(ENTITY_KINDS)
    found: dict[str, str] = {}
    for row in sorted(found_rows, key=lambda row: order.index(row["class"])):
        found.setdefault(row["thing"], ENTITY_KINDS[row["class"]][0])
    return found


def kind_of(classes: set[str]) -> str | None:
    """Return the entity kind of a thing with these classes, or None."""
    for iri, (kind, _) in ENTITY_KINDS.items():
        if iri in classes:
            return kind
    return None
