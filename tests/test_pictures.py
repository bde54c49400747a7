"""Pictures: the SVG functions on their own, then the stats, heat-map and entity pages served."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from conftest import ENGINES

from server import pictures
from server.pictures import Bar, HeatCell, Label, Neighbour, Node

pytestmark = pytest.mark.engines(*ENGINES)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "a<b & \"c\" 'd' </svg><script>x</script>"
HTML = {"Accept": "text/html"}

BASE = "https://w3id.org/mkg/"
BREAST_CANCER = BASE + "disease/MONDO_0007254"
COLORECTAL_CANCER = BASE + "disease/MONDO_0005575"
PROSTATE_CANCER = BASE + "disease/MONDO_0008315"
BONE = BASE + "anatomy/UBERON_0001474"
LIVER = BASE + "anatomy/UBERON_0002107"
LUNG = BASE + "anatomy/UBERON_0002048"
BRAIN = BASE + "anatomy/UBERON_0000955"
TNFSF11 = BASE + "gene/HGNC_11926"
VEGFA = BASE + "gene/HGNC_12680"
DENOSUMAB = BASE + "drug/DRUGBANK_DB06643"
PLASMA_CELL_MYELOMA = BASE + "disease/MONDO_0009693"
METASTASIS = BASE + "process/metastasis"
OSTEOCLAST = BASE + "cell/CL_0000092"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return root


def groups(root: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in root.iter(SVG + "g") if g.get("class") == name]


def title_of(element: ET.Element) -> str:
    found = element.find(f".//{SVG}title")
    assert found is not None
    return found.text or ""


def links(element: ET.Element) -> list[str]:
    return [a.get("href") or "" for a in element.iter(SVG + "a")]


# The SVG functions.


def test_bar_chart_draws_one_labelled_bar_per_value() -> None:
    bars = [Bar("1889", 1, "/a?x=1&y=2"), Bar("2004", 39), Bar("2005", 37)]
    root = parse(pictures.bar_chart(bars, ident="years", title="Per year", description="d"))
    assert root.get("role") == "group" and root.get("aria-labelledby") == "years-title"
    assert root.find(SVG + "title").text == "Per year"
    assert root.find(SVG + "desc").text == "d"
    drawn = groups(root, "bar")
    assert [title_of(g) for g in drawn] == ["1889: 1 paper", "2004: 39 papers", "2005: 37 papers"]
    heights = [float(g.find(f".//{SVG}rect").get("height")) for g in drawn]
    assert heights[1] == max(heights) and heights[0] == pytest.approx(heights[1] / 39, abs=0.05)
    texts = [[t.text for t in g.iter(SVG + "text")] for g in drawn]
    assert texts[1] == ["39", "2004"]
    assert links(drawn[0]) == ["/a?x=1&y=2"] and links(drawn[1]) == []


def test_horizontal_bar_chart_and_an_image_role_without_links() -> None:
    bars = [Bar("unknown study type", 87), Bar("clinical trial", 4)]
    svg = pictures.bar_chart(bars, ident="s", title="t", description="d", horizontal=True)
    root = parse(svg)
    assert root.get("role") == "img"
    widths = [float(g.find(f".//{SVG}rect").get("width")) for g in groups(root, "bar")]
    assert widths[0] > widths[1] > 0
    assert "clinical trial" in [t.text for t in root.iter(SVG + "text")]


def test_labels_with_markup_characters_are_escaped() -> None:
    bars = [Bar(HOSTILE, 2, '/x?a="1"&b=<2>')]
    for horizontal in (False, True):
        svg = pictures.bar_chart(
            bars, ident='i"d', title=HOSTILE, description=HOSTILE, horizontal=horizontal
        )
        assert "<script>" not in svg and "</svg><" not in svg.replace("</svg>\n", "")
        root = parse(svg)
        assert root.find(SVG + "title").text == HOSTILE
        assert root.get("id") == 'i"d'
        assert title_of(groups(root, "bar")[0]) == f"{HOSTILE}: 2 papers"
        assert links(root) == ['/x?a="1"&b=<2>']


def test_only_relative_and_web_links_are_kept() -> None:
    bars = [Bar("a", 1, "javascript:alert(1)"), Bar("b", 1, "data:text/html,x"), Bar("c", 1, "/c")]
    root = parse(pictures.bar_chart(bars, ident="l", title="t", description="d"))
    assert links(root) == ["/c"]


def test_heat_map_links_every_non_empty_cell() -> None:
    rows = [Label("r1", "breast cancer", "/disease/1"), Label("r2", HOSTILE)]
    columns = [Label("c1", "bone element"), Label("c2", "lung"), Label("c3", "liver")]
    cells = {
        ("r1", "c1"): HeatCell(5, "/papers?cancer=1&site=1"),
        ("r1", "c2"): HeatCell(2, "/papers?cancer=1&site=2"),
        ("r2", "c3"): HeatCell(1, "/papers?x=3"),
    }
    svg = pictures.heat_map(rows, columns, cells, ident="h", title="t", description="d")
    root = parse(svg)
    filled = groups(root, "cell")
    assert [title_of(g) for g in filled] == [
        "breast cancer \u00d7 bone element: 5 papers",
        "breast cancer \u00d7 lung: 2 papers",
        f"{HOSTILE} \u00d7 liver: 1 paper",
    ]
    assert [links(g) for g in filled] == [
        ["/papers?cancer=1&site=1"],
        ["/papers?cancer=1&site=2"],
        ["/papers?x=3"],
    ]
    assert [g.find(f".//{SVG}text").text for g in filled] == ["5", "2", "1"]
    empty = [r for r in root.iter(SVG + "rect") if r.get("class") == "empty"]
    assert len(empty) == len(rows) * len(columns) - len(cells)
    # The darkest cell is the largest count, and the row label links to its page.
    fills = [g.find(f".//{SVG}rect").get("fill") for g in filled]
    assert fills[0] == pictures.shade(5, 5) != fills[1]
    assert "/disease/1" in links(root)


def test_heat_maps_share_a_label_width_to_line_up() -> None:
    short, long = [Label("a", "VEGFA")], [Label("b", "non-small cell lung carcinoma")]
    columns = [Label("c", "bone element")]
    width = pictures.row_label_width([*short, *long])

    def first_cell_x(**options) -> float:
        root = parse(pictures.heat_map(short, columns, {}, title="", description="", **options))
        return float(next(r for r in root.iter(SVG + "rect") if r.get("class") == "empty").get("x"))

    assert first_cell_x(ident="b", label_width=width) > first_cell_x(ident="a")
    long_map = parse(pictures.heat_map(long, columns, {}, ident="c", title="", description=""))
    cell = next(r for r in long_map.iter(SVG + "rect") if r.get("class") == "empty")
    assert float(cell.get("x")) == first_cell_x(ident="b", label_width=width)


def test_pictures_fill_the_width_they_are_laid_out_for() -> None:
    """Each picture is 100% wide, its viewBox as wide as the page it was laid out for."""
    bars = [Bar(str(year), year % 7 + 1) for year in range(1990, 2007)]
    drawn = {
        "bars": pictures.bar_chart(bars, ident="y", title="t", description="d", width=1100),
        "horizontal": pictures.bar_chart(
            bars, ident="s", title="t", description="d", horizontal=True, width=1100
        ),
        "heat": pictures.heat_map(
            [Label("r", "breast cancer")],
            [Label(f"c{i}", f"site {i}") for i in range(12)],
            {("r", "c0"): HeatCell(2)},
            ident="h",
            title="t",
            description="d",
            width=1100,
        ),
    }
    for name, svg in drawn.items():
        root = parse(svg)
        assert root.get("width") == "100%" and root.get("height") is None, name
        assert float(root.get("viewBox").split()[2]) == 1100, name
    # The bars share the width: the last bar ends near the right edge.
    root = parse(drawn["bars"])
    last = [g.find(f".//{SVG}rect") for g in groups(root, "bar")][-1]
    assert float(last.get("x")) + float(last.get("width")) > 1000


def test_shades_darken_with_the_count() -> None:
    shades = [pictures.shade(n, 5) for n in range(1, 6)]
    darkness = [sum(int(s[i : i + 2], 16) for i in (1, 3, 5)) for s in shades]
    assert darkness == sorted(darkness, reverse=True) and len(set(shades)) == 5
    assert pictures.shade(0, 5) == pictures.EMPTY
    assert pictures.shade(1, 1) == pictures.ACCENT


def _neighbours(count: int) -> list[Neighbour]:
    return [
        Neighbour(Node(f"n{i}", f"node {i:02d}", f"/n/{i}", "gene"), i % 5 + 1, f"/edge/{i}")
        for i in range(count)
    ]


def test_neighbourhood_shows_the_strongest_neighbours_around_the_centre() -> None:
    centre = Node("c", "TNFSF11", "/gene/c", "gene")
    svg = pictures.neighbourhood(
        centre, _neighbours(20), ident="n", title="t", description="d", limit=12
    )
    root = parse(svg)
    nodes = groups(root, "node")
    assert len(nodes) == 12 and len(groups(root, "edge")) == 12
    counts = [int(title_of(g).rsplit(": ", 1)[1].split()[0]) for g in nodes]
    assert counts == sorted(counts, reverse=True) and counts[0] == 5
    # Ties are broken by the label, so the layout does not depend on the input order.
    shuffled = list(reversed(_neighbours(20)))
    again = pictures.neighbourhood(centre, shuffled, ident="n", title="t", description="d")
    assert again == svg
    assert links(groups(root, "centre")[0]) == ["/gene/c"]
    assert all(len(links(g)) == 1 and links(g)[0].startswith("/n/") for g in nodes)
    widths = [float(g.find(f".//{SVG}line").get("stroke-width")) for g in groups(root, "edge")]
    assert widths[0] > widths[-1]


def test_neighbourhood_places_nodes_on_a_circle_and_escapes_labels() -> None:
    centre = Node("c", HOSTILE, None, "cancer")
    around = [Neighbour(Node("x", HOSTILE, "/x", None), 1), Neighbour(Node("y", "y", "/y"), 3)]
    root = parse(pictures.neighbourhood(centre, around, ident="n", title="t", description="d"))
    circles = [g.find(f".//{SVG}circle") for g in groups(root, "node")]
    rect = groups(root, "centre")[0].find(f".//{SVG}rect")
    cx = float(rect.get("x")) + float(rect.get("width")) / 2
    cy = float(rect.get("y")) + float(rect.get("height")) / 2
    distances = {
        round(((float(c.get("cx")) - cx) ** 2 + (float(c.get("cy")) - cy) ** 2) ** 0.5, 3)
        for c in circles
    }
    assert len(distances) == 1
    assert title_of(groups(root, "centre")[0]) == HOSTILE
    legend = [t.text for t in root.iter(SVG + "text") if t.get("font-size") == "11"]
    assert "cancer" in legend and "other" in legend


def test_fit_and_plural() -> None:
    assert pictures.fit("a  b\nc", 10) == "a b c"
    assert pictures.fit("abcdefghij", 5) == "abcd\u2026"
    assert pictures.plural(1, "paper") == "1 paper" and pictures.plural(0, "paper") == "0 papers"


# The pages, from a real `mkg serve` of the seed build. Expectations are read off the review's
# reference list by hand.


def page(server, path: str, **params) -> str:
    response = requests.get(server.url + path, params=params, headers=HTML, timeout=30)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("text/html")
    return response.text


def svg_in(text: str, ident: str) -> ET.Element:
    """Return the inline SVG of the page with this id, parsed as XML (so it must be valid)."""
    match = re.search(rf'<svg [^>]*id="{re.escape(ident)}".*?</svg>', text, re.DOTALL)
    assert match, f"no svg#{ident} on the page"
    return parse(match.group(0))


def local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE)


def cell_titled(root: ET.Element, title: str) -> ET.Element | None:
    return next((g for g in groups(root, "cell") if title_of(g) == title), None)


def reference_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-reference="(\d+)"', text)]


def test_stats_page_year_bars(live_server) -> None:
    text = page(live_server, "/stats")
    years = svg_in(text, "papers-per-year")
    bars = {title_of(g).split(":")[0]: g for g in groups(years, "bar")}
    # Reference 1, Paget's 'seed and soil' paper, is the only one from 1889.
    assert title_of(bars["1889"]) == "1889: 1 paper"
    assert [t.text for t in bars["1889"].iter(SVG + "text")] == ["1", "1889"]
    # The review cites 163 papers, published from 1889 to 2006.
    counts = [int(title_of(g).split(": ")[1].split()[0]) for g in groups(years, "bar")]
    assert sum(counts) == 163
    assert min(bars) == "1889" and max(bars) == "2006"
    assert years.find(SVG + "title").text and years.find(SVG + "desc").text
    # Each bar links to a query that lists the year's papers.
    query = parse_qs(urlsplit(links(bars["1889"])[0]).query)["query"][0]
    answer = requests.get(
        live_server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    ).json()
    assert [row["reference"]["value"] for row in answer["results"]["bindings"]] == ["1"]


def test_stats_page_study_type_bars(live_server) -> None:
    studies = svg_in(page(live_server, "/stats"), "papers-per-study-type")
    drawn = {title_of(g).split(":")[0]: g for g in groups(studies, "bar")}
    assert {"clinical trial", "animal model study", "review or opinion"} <= set(drawn)
    assert links(drawn["clinical trial"]) == ["/ontology/clinicalTrial"]
    counts = [int(title_of(g).split(": ")[1].split()[0]) for g in drawn.values()]
    # Every cited paper has at least one study type ("unknown" included); two have two.
    assert sum(counts) >= 163
    assert counts == sorted(counts, reverse=True)


def test_cancer_heat_map_counts_the_titles_naming_both(live_server) -> None:
    """Every MONDO term in its own row (the detailed view)."""
    text = page(live_server, "/stats", terms="all")
    cancers = svg_in(text, "organotropism-cancers")
    # Refs 55, 57, 58, 60 and 64 name breast cancer and bone in their titles.
    cell = cell_titled(cancers, "breast cancer \u00d7 bone element: 5 papers")
    assert cell is not None and cell.find(f".//{SVG}text").text == "5"
    # Refs 69, 79 and 82: colorectal cancer with liver metastases (70 says 'adenocarcinomas').
    assert cell_titled(cancers, "colorectal cancer \u00d7 liver: 3 papers") is not None
    assert cell_titled(cancers, "prostate cancer \u00d7 bone element: 1 paper") is not None
    # No cited title names prostate cancer with the lung.
    assert not any(
        title_of(g).startswith("prostate cancer \u00d7 lung") for g in groups(cancers, "cell")
    )
    href = links(cell)[0]
    assert parse_qs(urlsplit(href).query) == {"cancer": [BREAST_CANCER], "site": [BONE]}
    listing = page(live_server, urljoin("/stats", href))
    assert reference_numbers(listing) == [55, 57, 58, 60, 64]
    assert "Breast cancer metastasis to bone: mechanisms of osteolysis" in listing
    assert f'href="{local(BREAST_CANCER)}"' in listing and f'href="{local(BONE)}"' in listing
    rows = [t.text for t in cancers.iter(SVG + "text") if t.get("class") == "row"]
    assert {"breast cancer", "breast carcinoma", "breast neoplasm", "cancer"} <= set(rows)


def test_cancer_heat_map_rolls_near_synonyms_into_one_row(live_server) -> None:
    """The default view: MONDO terms of one organ in one row, sites along UBERON's part-of."""
    text = page(live_server, "/stats")
    cancers = svg_in(text, "organotropism-cancers")
    rows = [t.text for t in cancers.iter(SVG + "text") if t.get("class") == "row"]
    columns = [t.text for t in cancers.iter(SVG + "text") if t.get("class") == "column"]
    assert rows.count("breast cancer") == 1
    assert not {"breast carcinoma", "breast neoplasm", "breast adenocarcinoma"} & set(rows)
    assert "colon carcinoma" not in rows and "colorectal cancer" in rows
    # The bare 'cancer' is the last row, and says what it is.
    assert rows[-1] == "cancer, type not named" and "cancer" not in rows
    # Brain and leptomeninx are in the central nervous system, bone marrow in the bone element.
    assert "central nervous system" in columns and columns.count("central nervous system") == 1
    assert not {"brain", "leptomeninx", "bone marrow"} & set(columns)
    # Refs 68 and 70 (colon carcinoma, colorectal adenocarcinoma) join 69, 79 and 82.
    cell = cell_titled(cancers, "colorectal cancer \u00d7 liver: 5 papers")
    assert cell is not None
    query = parse_qs(urlsplit(links(cell)[0]).query)
    assert COLORECTAL_CANCER in query["cancer"] and len(query["cancer"]) == 4
    assert query["site"] == [LIVER]
    listing = page(live_server, urljoin("/stats", links(cell)[0]))
    assert reference_numbers(listing) == [68, 69, 70, 79, 82]
    assert " or " in listing.split("<h1>", 1)[1].split("</h1>", 1)[0]
    # The page says which terms share a row, and offers the detailed view.
    assert 'id="detailed-view"' in text and "terms=all" in text
    rolled = text.split('id="rolled-up"', 1)[1].split("</p>", 1)[0]
    assert "breast carcinoma" in rolled and "leptomeninx" in rolled


def test_gene_heat_map_links_cells_to_associations(live_server) -> None:
    genes = svg_in(page(live_server, "/stats", terms="all"), "organotropism-genes")
    # Refs 89 and 90: vascular endothelial growth factor and brain metastases.
    vegfa = cell_titled(genes, "VEGFA \u00d7 brain: 2 papers")
    assert vegfa is not None
    assert links(vegfa) == ["/association/gene-site/HGNC_12680--UBERON_0000955"]
    # Ref 64: the RANKL (TNFSF11) inhibitor denosumab in bone metastases.
    rankl = cell_titled(genes, "TNFSF11 \u00d7 bone element: 1 paper")
    assert rankl is not None
    assert links(rankl) == ["/association/gene-site/HGNC_11926--UBERON_0001474"]
    association = page(live_server, links(rankl)[0])
    assert "body-2006-clin-cancer-res-12-1221" in association
    # Both maps have the same columns, in the same order, in both views.
    for view in ({"terms": "all"}, {}):
        text = page(live_server, "/stats", **view)
        cancers, genes = svg_in(text, "organotropism-cancers"), svg_in(text, "organotropism-genes")

        def columns(root: ET.Element) -> list[str]:
            return [t.text for t in root.iter(SVG + "text") if t.get("class") == "column"]

        assert columns(genes) == columns(cancers) and "bone element" in columns(genes)
    rolled = svg_in(page(live_server, "/stats"), "organotropism-genes")
    assert cell_titled(rolled, "VEGFA \u00d7 central nervous system: 2 papers") is not None


def test_home_page_shows_the_charts_and_links_the_stats(live_server) -> None:
    text = page(live_server, "/")
    svg_in(text, "papers-per-year")
    svg_in(text, "papers-per-study-type")
    assert 'href="/stats"' in text


def test_entity_page_draws_its_neighbourhood(live_server) -> None:
    text = page(live_server, local(TNFSF11))
    graph = svg_in(text, "neighbourhood")
    nodes = {title_of(g).split(" (")[0]: links(g) for g in groups(graph, "node")}
    # Ref 64 names TNFSF11 (as RANKL) with denosumab, bone, breast cancer and multiple myeloma.
    assert nodes["bone element"] == [local(BONE)]
    assert nodes["denosumab"] == [local(DENOSUMAB)]
    assert nodes["plasma cell myeloma"] == [local(PLASMA_CELL_MYELOMA)]
    assert nodes["breast cancer"] == [local(BREAST_CANCER)]
    edges = [links(g) for g in groups(graph, "edge")]
    assert ["/association/gene-site/HGNC_11926--UBERON_0001474"] in edges
    assert graph.find(SVG + "title").text == "TNFSF11 and its neighbours"


def test_busy_entity_shows_only_its_strongest_neighbours(live_server) -> None:
    text = page(live_server, local(METASTASIS))
    graph = svg_in(text, "neighbourhood")
    assert len(groups(graph, "node")) == 12
    assert "The 12 strongest of" in text


def test_entity_without_associations_shows_what_its_titles_name(live_server) -> None:
    text = page(live_server, local(OSTEOCLAST))
    graph = svg_in(text, "neighbourhood")
    nodes = {title_of(g).split(" (")[0]: g for g in groups(graph, "node")}
    # Refs 56 and 60: breast cancer cells and osteoclast formation.
    assert title_of(nodes["breast cancer"]) == "breast cancer (cancer): 2 papers"
    edge = next(g for g in groups(graph, "edge") if "breast cancer" in title_of(g))
    listing = page(live_server, links(edge)[0])
    assert reference_numbers(listing) == [56, 60]


def test_paper_pages_have_no_neighbourhood(live_server) -> None:
    text = page(live_server, "/paper/body-2006-clin-cancer-res-12-1221")
    assert 'id="neighbourhood"' not in text


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"cancer": "<script>alert(1)</script>"}, 400, "is not an IRI"),
        ({"site": "http://example.org/<b>bone</b>"}, 400, "is not an IRI"),
        ({"site": "http://example.org/bone"}, 400, "is not an IRI of this graph"),
        ({"cancer": BONE}, 404, "no cancer"),
        ({"cancer": BASE + "disease/MONDO_0000000"}, 404, "no cancer"),
        ({"<evil>": BONE}, 400, "unknown parameter"),
        ({}, 400, "name 1 to 16 entities"),
    ],
)
def test_papers_listing_refuses_what_it_cannot_list(live_server, params, status, says) -> None:
    response = requests.get(live_server.url + "/papers", params=params, headers=HTML, timeout=30)
    assert response.status_code == status
    assert says in response.text
    assert (
        "<script>" not in response.text
        and "<b>" not in response.text
        and "<evil>" not in response.text
    )
    as_json = requests.get(live_server.url + "/papers", params=params, timeout=30)
    assert as_json.json()["status"] == status


def test_papers_listing_accepts_any_entity_pair(live_server) -> None:
    text = page(live_server, "/papers", entity=[VEGFA, BRAIN])
    assert reference_numbers(text) == [89, 90]
    assert "/sparql?query=" in text


def test_query_page_lists_the_published_examples(live_server) -> None:
    text = page(live_server, "/sparql")
    listing = text.split('id="example-list"', 1)[1].split("</details>", 1)[0]
    assert "sh:SPARQLExecutable" in listing
    assert 'href="/sparql?example=04-organotropism"' in listing
    assert "Organotropism: which anatomical sites is each cancer named with" in listing
    assert '<span class="keyword">organotropism</span>' in listing
    assert 'href="/query/04-organotropism"' in listing


def test_query_page_falls_back_to_the_query_files(things_server, repo_root) -> None:
    text = page(things_server, "/sparql")
    listing = text.split('id="example-list"', 1)[1].split("</details>", 1)[0]
    assert "queries/" in listing and "sh:SPARQLExecutable" not in listing
    for path in sorted((repo_root / "queries").glob("*.rq")):
        assert f'data-name="{path.stem}"' in listing
    assert '<span class="keyword">organotropism</span>' in listing


def test_entity_named_with_nothing_says_so(live_server) -> None:
    # BRAF is in the graph only as a curated target of sorafenib; no cited title names it.
    text = page(live_server, "/gene/HGNC_1097")
    assert 'id="neighbours"' in text and 'id="neighbourhood"' not in text
    assert "No association involves BRAF" in text


def test_pages_without_papers_say_so(things_server) -> None:
    # The hand-written slice has one paper, which no review cites: nothing to count.
    home = page(things_server, "/")
    assert 'id="papers-per-year"' not in home
    stats = page(things_server, "/stats")
    assert "These data have no cited papers with a year." in stats
    assert "No cited title names a cancer together with an anatomical site." in stats
