"""What the pictures show: papers per year and study type, organotropism maps, neighbourhoods.

A paper cited by several reviews is in each of their graphs: the queries read the citations and
mentions one graph at a time (GRAPH ?g), where the union of the graphs joins every copy with
every other.

The build is read-only, so a picture that does not depend on the request is drawn once per app
and kept; an entity's neighbourhood is kept for the most recently drawn entities.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import current_app, request, url_for
from markupsafe import Markup

from server import pictures, rollup
from server.display import compact, href, labels
from server.engine import engine
from server.lookup import KIND_VALUES, kind_of, kinds, rows

T = TypeVar("T")
# The widths the pictures are laid out for: the page's, and half of it (two side by side).
PAGE_WIDTH = 1100.0
HALF_WIDTH = 540.0
NEIGHBOURS_SHOWN = 12
_NEIGHBOURHOODS_KEPT = 512


def cached(name: str, draw: Callable[[], T]) -> T:
    """Return what `draw` returns, drawn once per app and path prefix."""
    cache = current_app.extensions.setdefault("mkg_pictures", {})
    key = (name, request.script_root)
    if key not in cache:
        cache[key] = draw()
    return cache[key]  # type: ignore[no-any-return]


def years_chart(width: float = PAGE_WIDTH) -> Markup:
    """Draw the cited papers per year of publication, each bar linking to a query for them."""
    found = rows(
        engine(),
        "SELECT ?year (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  GRAPH ?g { ?review cito:cites ?paper . ?paper mkg:publicationYear ?year }\n"
        "} GROUP BY ?year ORDER BY ?year",
    )
    bars = [
        pictures.Bar(row["year"], int(row["papers"]), _papers_of_year_query(row["year"]))
        for row in found
        if row["year"].isdigit()
    ]
    if not bars:
        return Markup("")
    total = sum(bar.count for bar in bars)
    svg = pictures.bar_chart(
        bars,
        ident="papers-per-year",
        title="Cited papers per year of publication",
        description=(
            f"{total} cited papers in {len(bars)} years, from {bars[0].label} to {bars[-1].label}"
            "; each bar is labelled with its number of papers and links to them."
        ),
        width=width,
    )
    return Markup(svg)


def _papers_of_year_query(year: str) -> str:
    text = (
        "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
        "PREFIX biro: <http://purl.org/spar/biro/>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n\n"
        "SELECT ?reference ?paper ?title WHERE {\n"
        f"  ?paper mkg:publicationYear {int(year)} ; dcterms:title ?title .\n"
        "  ?entry biro:references ?paper ; mkg:referenceNumber ?reference .\n"
        "}\nORDER BY ?reference\n"
    )
    return url_for("sparql.endpoint", query=text)


def studies_chart(width: float = PAGE_WIDTH) -> Markup:
    """Draw the cited papers per study type, each bar linking to its study type."""
    found = rows(
        engine(),
        "SELECT ?type ?label (COUNT(DISTINCT ?paper) AS ?papers) WHERE {\n"
        "  GRAPH ?g { ?review cito:cites ?paper . ?paper mkg:studyType ?type }\n"
        "  OPTIONAL { ?type rdfs:label ?label }\n"
        "} GROUP BY ?type ?label ORDER BY DESC(?papers) ?label",
    )
    seen: dict[str, pictures.Bar] = {}
    for row in found:
        iri = row["type"]
        if iri not in seen:
            label = row.get("label") or compact(iri)
            seen[iri] = pictures.Bar(label, int(row["papers"]), href(iri))
    bars = list(seen.values())
    if not bars:
        return Markup("")
    svg = pictures.bar_chart(
        bars,
        ident="papers-per-study-type",
        title="Cited papers per study type",
        description=(
            "Study types read from each cited paper's title and journal; a paper with cues for "
            "two types counts in both. Each bar links to its study type."
        ),
        horizontal=True,
        width=width,
    )
    return Markup(svg)


@dataclass(frozen=True)
class HeatMaps:
    """The two organotropism maps, drawn over the same columns (anatomical sites)."""

    cancers: Markup
    genes: Markup
    cancer_rows: int
    gene_rows: int
    sites: int
    detailed: bool
    # The rows and columns that stand for several terms: (label, member labels).
    rolled_up: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class _Cell:
    papers: set[str] = field(default_factory=set)
    associations: set[str] = field(default_factory=set)


def heat_maps(*, detailed: bool) -> HeatMaps:
    """Draw cancers x sites and genes x sites, rolled up into groups unless `detailed`."""
    served = engine()
    cancers = rows(
        served,
        "SELECT DISTINCT ?row ?site ?paper WHERE {\n"
        "  GRAPH ?g { ?review cito:cites ?paper . ?paper mkg:mentions ?row , ?site }\n"
        "  ?row a mkg:Cancer . ?site a mkg:AnatomicalSite .\n"
        "}",
    )
    genes = rows(
        served,
        "SELECT ?row ?site ?association ?paper WHERE {\n"
        "  ?association a mkg:GeneSiteAssociation ; mkg:subject ?row ; mkg:object ?site ;\n"
        "    mkg:evidence ?paper .\n"
        "}",
    )
    names = labels(served, (row[k] for row in (*cancers, *genes) for k in ("row", "site")))

    def name(iri: str) -> str:
        return names.get(iri) or compact(iri)

    def weights(found: list[dict[str, str]], key: str) -> dict[str, int]:
        papers: dict[str, set[str]] = {}
        for row in found:
            papers.setdefault(row[key], set()).add(row["paper"])
        return {iri: len(p) for iri, p in papers.items()}

    site_weights = weights([*cancers, *genes], "site")
    cancer_weights = weights(cancers, "row")
    sites = {iri: name(iri) for iri in site_weights}
    cancer_labels = {iri: name(iri) for iri in cancer_weights}
    if detailed:
        site_groups = rollup.roll_up(sites, site_weights, _itself)
        cancer_groups = rollup.roll_up(cancer_labels, cancer_weights, _itself)
    else:
        levels = rollup.hierarchy(served)
        site_groups = rollup.roll_up(sites, site_weights, levels.site_key)
        cancer_groups = rollup.roll_up(cancer_labels, cancer_weights, levels.cancer_key)
    gene_groups = rollup.roll_up(
        {row["row"]: name(row["row"]) for row in genes}, weights(genes, "row"), _itself
    )
    cancer_cells: dict[tuple[str, str], _Cell] = {}
    for row in cancers:
        key = (cancer_groups[row["row"]].key, site_groups[row["site"]].key)
        cancer_cells.setdefault(key, _Cell()).papers.add(row["paper"])
    gene_cells: dict[tuple[str, str], _Cell] = {}
    for row in genes:
        key = (gene_groups[row["row"]].key, site_groups[row["site"]].key)
        cell = gene_cells.setdefault(key, _Cell())
        cell.papers.add(row["paper"])
        cell.associations.add(row["association"])
    by_key = {group.key: group for group in (*site_groups.values(), *cancer_groups.values())}
    by_key.update({group.key: group for group in gene_groups.values()})
    columns = [_label(by_key[key], name) for key in _order(gene_cells, cancer_cells, column=True)]
    cancer_rows = [_label(by_key[key], name) for key in _order(cancer_cells, column=False)]
    gene_rows = [_label(by_key[key], name) for key in _order(gene_cells, column=False)]

    def cancer_link(row: str, column: str, cell: _Cell) -> str:
        return url_for("pages.papers", cancer=by_key[row].members, site=by_key[column].members)

    def gene_link(row: str, column: str, cell: _Cell) -> str | None:
        if len(cell.associations) == 1:
            return href(next(iter(cell.associations)))
        return url_for("pages.papers", gene=by_key[row].members, site=by_key[column].members)

    # One row-label width for both maps, so that their columns line up.
    label_width = pictures.row_label_width([*cancer_rows, *gene_rows])
    cancer_map = pictures.heat_map(
        cancer_rows,
        columns,
        _heat_cells(cancer_cells, cancer_link),
        ident="organotropism-cancers",
        label_width=label_width,
        width=PAGE_WIDTH,
        title="Cancers and anatomical sites named in the same cited titles",
        description=(
            "A row per cancer, a column per anatomical site; each cell counts the cited papers "
            "whose titles name both, and links to the list of those papers."
        ),
    )
    gene_map = pictures.heat_map(
        gene_rows,
        columns,
        _heat_cells(gene_cells, gene_link),
        ident="organotropism-genes",
        label_width=label_width,
        width=PAGE_WIDTH,
        title="Genes and anatomical sites: gene-site associations",
        description=(
            "A row per gene or gene family, a column per anatomical site; each cell counts the "
            "evidence papers of the gene-site associations and links to them."
        ),
    )
    shown = {label.key for label in (*columns, *cancer_rows)}
    rolled_up = [
        (group.label, [name(iri) for iri in group.members])
        for key, group in sorted(by_key.items(), key=lambda item: item[1].label.lower())
        if key in shown and len(group.members) > 1
    ]
    return HeatMaps(
        Markup(cancer_map),
        Markup(gene_map),
        len(cancer_rows),
        len(gene_rows),
        len(columns),
        detailed,
        rolled_up,
    )


def _itself(iri: str, label: str) -> None:
    """Keep every term in its own row (the detailed view)."""
    return None


def _order(*maps: dict[tuple[str, str], _Cell], column: bool) -> list[str]:
    """Return the row (or column) keys, most papers first; the unnamed cancers last."""
    papers: dict[str, set[str]] = {}
    for cells in maps:
        for (row, col), cell in cells.items():
            papers.setdefault(col if column else row, set()).update(cell.papers)
    return sorted(papers, key=lambda key: (key == rollup.UNNAMED_KEY, -len(papers[key]), key))


def _label(group: rollup.Group, name: Callable[[str], str]) -> pictures.Label:
    detail = None
    if len(group.members) > 1:
        detail = "rolled up from " + ", ".join(name(iri) for iri in group.members)
    return pictures.Label(group.key, group.label, href(group.members[0]), detail)


def _heat_cells(
    cells: dict[tuple[str, str], _Cell], link: Callable[[str, str, _Cell], str | None]
) -> dict[tuple[str, str], pictures.HeatCell]:
    return {
        (row, col): pictures.HeatCell(len(cell.papers), link(row, col, cell))
        for (row, col), cell in cells.items()
    }


@dataclass(frozen=True)
class Neighbourhood:
    """The picture of an entity's neighbours and what its caption says."""

    svg: Markup | None
    shown: int
    total: int
    source: str


_ASSOCIATED = f"""SELECT ?other ?association ?count ?label ?class WHERE {{
  {{ ?association mkg:subject ?thing ; mkg:object ?other }}
  UNION {{ ?association mkg:object ?thing ; mkg:subject ?other }}
  OPTIONAL {{ ?association mkg:evidenceCount ?count }}
  OPTIONAL {{ ?other rdfs:label ?label }}
  OPTIONAL {{ VALUES ?class {{ {KIND_VALUES} }} ?other a ?class }}
}}"""
_NAMED_WITH = f"""SELECT ?other ?class (COUNT(DISTINCT ?paper) AS ?count) (MIN(?name) AS ?label)
WHERE {{
  GRAPH ?g {{ ?review cito:cites ?paper . ?paper mkg:mentions ?thing , ?other }}
  VALUES ?class {{ {KIND_VALUES} }} ?other a ?class .
  OPTIONAL {{ ?other rdfs:label ?name }}
  FILTER (?other != ?thing)
}} GROUP BY ?other ?class"""


@dataclass
class _Edge:
    count: int
    link: str | None
    label: str
    kinds: set[str]


def neighbourhood(iri: str, *, width: float = PAGE_WIDTH) -> Neighbourhood | None:
    """Return the neighbourhood picture of `iri`, drawn once per app (the build never changes)."""
    cache: dict[Any, Neighbourhood | None] = current_app.extensions.setdefault(
        "mkg_neighbourhoods", {}
    )
    key = (iri, request.script_root, width)
    if key not in cache:
        if len(cache) >= _NEIGHBOURHOODS_KEPT:
            # Forget the oldest: a crawler walking every page must not grow the cache forever.
            cache.pop(next(iter(cache)), None)
        cache[key] = _neighbourhood(iri, width)
    return cache[key]


def _neighbourhood(iri: str, width: float) -> Neighbourhood | None:
    """Draw an entity with the entities it is associated with (or, lacking any, named with)."""
    served = engine()
    kind = kinds(served, [iri]).get(iri)
    if kind is None:
        return None
    label = labels(served, [iri]).get(iri, compact(iri))
    source, edges = "associations", _edges(rows(served, _ASSOCIATED, thing=iri), None)
    if not edges:
        source, edges = "titles", _edges(rows(served, _NAMED_WITH, thing=iri), iri)
    if not edges:
        return Neighbourhood(None, 0, 0, "none")
    neighbours = [
        pictures.Neighbour(
            pictures.Node(other, edge.label, href(other), kind_of(edge.kinds)),
            edge.count,
            edge.link,
        )
        for other, edge in edges.items()
    ]
    shown = min(len(neighbours), NEIGHBOURS_SHOWN)
    how = (
        "its associations; the number on each line counts their evidence papers"
        if source == "associations"
        else "the cited titles that name both; the number on each line counts them"
    )
    svg = pictures.neighbourhood(
        pictures.Node(iri, label, href(iri), kind),
        neighbours,
        ident="neighbourhood",
        title=f"{label} and its neighbours",
        description=(
            f"{label} in the middle; around it the {shown} of {len(neighbours)} entities "
            f"linked to it by {how}."
        ),
        limit=NEIGHBOURS_SHOWN,
        width=width,
    )
    return Neighbourhood(Markup(svg), shown, len(neighbours), source)


def _edges(found: list[dict[str, str]], named_with: str | None) -> dict[str, _Edge]:
    """Return each neighbour's strongest edge; without an association, link the shared titles."""
    edges: dict[str, _Edge] = {}
    for row in found:
        other = row["other"]
        count = int(row["count"]) if row.get("count", "").isdigit() else 1
        label = row.get("label") or compact(other)
        link: str | None
        if named_with is not None:
            link = url_for("pages.papers", entity=[named_with, other])
        else:
            link = href(row["association"])
        edge = edges.setdefault(other, _Edge(count, link, label, set()))
        if count > edge.count:
            edge.count, edge.link = count, link
        edge.label = min(edge.label, label)
        if "class" in row:
            edge.kinds.add(row["class"])
    return edges
