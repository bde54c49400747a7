"""The first hour of a new user, in headless Chromium on the seed build: every page a user meets
first shows what it must, and the query page is comfortable (colours, line numbers, keys,
prefixes, shareable addresses, sortable and paged results), with nothing from elsewhere and
nothing the Content-Security-Policy refuses."""

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
EXAMPLE = "06-drugs-for-site-genes"
PAPERS = (
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "PREFIX mkg: <https://w3id.org/mkg/ontology/>\n"
    "SELECT ?paper ?year WHERE { ?paper dcterms:title ?title ; mkg:publicationYear ?year }"
)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A page that records the requests it makes and what the browser complains about."""

    def __init__(self, browser, server, **options) -> None:
        self.server = server
        self.context = browser.new_context(viewport=VIEWPORT, **options)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.complaints: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                self.complaints.append(message.text)
                if message.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.complaints.append(str(error)))

    def open(self, path: str):
        self.page.goto(self.server.url + path)
        self.page.wait_for_load_state()
        return self.page

    def close(self) -> None:
        """Check that nothing came from elsewhere and nothing was refused, then close."""
        assert all(url.startswith(self.server.url) for url in self.requests), self.requests
        assert not self.complaints, self.complaints
        self.context.close()

    def fits_the_width(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORT["width"], f"{self.page.url} is {width} px wide"


@pytest.fixture
def visit(browser, live_server):
    visits: list[Visit] = []

    def start(**options) -> Visit:
        visits.append(Visit(browser, live_server, **options))
        return visits[-1]

    yield start
    for opened in visits:
        opened.close()


def text_of(page, selector: str) -> str:
    element = page.locator(selector)
    assert element.count() >= 1, selector
    return " ".join(element.first.inner_text().split())


def test_a_new_users_first_pages(visit, live_server) -> None:
    user = visit()
    # Home: what the graph holds, genes first, and the pictures.
    page = user.open("/")
    assert text_of(page, "h1").startswith("mkg")
    kinds = page.locator("#contents table.kinds tbody th").all_inner_texts()
    assert kinds[0] == "Genes" and "Drugs" in kinds and "Papers" in kinds
    assert (
        page.locator("#machinery").is_visible()
        and not page.locator("#machinery table").is_visible()
    )
    assert page.locator("svg#papers-per-year").is_visible()
    user.fits_the_width()
    # The query page before running: an example in a coloured, numbered editor.
    page = user.open("/sparql")
    assert page.locator("#editor.enhanced .tok-keyword").count() > 3
    lines = page.input_value("#query").count("\n") + 1
    assert page.locator("#editor .gutter").inner_text().split()[-1] == str(lines)
    assert page.locator("#load-example").is_hidden()
    assert page.locator("#example option").count() > 10
    user.fits_the_width()
    # ... and after running one.
    page.select_option("#example", EXAMPLE)
    page.click("#run")
    page.wait_for_selector("#result-table")
    assert page.locator("#result-table tbody tr").count() == 3
    assert "TNFSF11" in page.locator("#result-table").inner_text()
    assert page.input_value("#example") == EXAMPLE
    assert "query" in parse_qs(urlsplit(page.url).query)
    user.fits_the_width()
    # Search: the box in the header of every page, the results with their kind and why.
    assert page.locator("header.site form.search #site-search").is_visible()
    page.fill("#site-search", "RANKL")
    page.locator("#site-search").press("Enter")
    page.wait_for_selector("#search-results")
    assert urlsplit(page.url).path == "/search"
    first = page.locator("#search-results li.result").first
    assert first.locator("a.label").inner_text() == "TNFSF11"
    assert "gene" in first.locator(".kind").inner_text().lower()
    assert first.locator(".identifier").inner_text() == "HGNC:11926"
    assert "synonym: RANKL" in first.locator(".why").inner_text()
    user.fits_the_width()
    page = user.open("/search?q=brest+cancer")
    assert page.locator("#search-results a.label").first.inner_text() == "breast cancer"
    page.locator("#search-results a.label").first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/disease/MONDO_0007254"
    user.fits_the_width()
    # A gene: who it is, what the literature says, what it goes with.
    page = user.open("/gene/HGNC_11926")
    assert text_of(page, "h1") == "TNFSF11"
    assert "HGNC:11926" in text_of(page, "#identifiers")
    assert "molecular target of denosumab — source: DrugBank" in text_of(page, "#facts")
    assert page.locator("#mentions mark").first.inner_text() == (
        "receptor activator of nuclear factor-kappaB ligand"
    )
    assert "associated with bone element" in text_of(page, "#associations")
    assert page.locator("svg#neighbourhood").is_visible()
    assert not page.locator("#statements table").first.is_visible()
    user.fits_the_width()
    # A drug.
    page = user.open("/drug/DRUGBANK_DB06643")
    assert text_of(page, "h1") == "denosumab"
    assert "has molecular target TNFSF11 — source: DrugBank" in text_of(page, "#facts")
    user.fits_the_width()
    # A cited paper: its title with the named entities linked, where the review cites it.
    page = user.open("/paper/body-2006-clin-cancer-res-12-1221")
    assert page.locator("h1 a.mention").count() >= 4
    assert "Cited as reference 64" in text_of(page, "#citation")
    assert "Drugs denosumab" in text_of(page, "#named")
    user.fits_the_width()
    # The review: short enough to read, its papers in order, a page at a time.
    page = user.open("/paper/steeg-2006-nat-med-12-895")
    assert page.locator("#references ol.papers > li").count() == 25
    assert page.locator("#references ol.papers > li").first.get_attribute("value") == "1"
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4500, f"the review's page is {height} px tall"
    page.locator("#references nav.pager a[rel=next]").click()
    page.wait_for_load_state()
    assert page.locator("#references ol.papers > li").first.get_attribute("value") == "26"
    user.fits_the_width()


def test_pictures_use_the_page_width_and_roll_up(visit) -> None:
    user = visit()
    page = user.open("/stats")
    main = page.locator("main").bounding_box()
    for ident in ("papers-per-year", "organotropism-cancers"):
        box = page.locator(f"svg#{ident}").bounding_box()
        assert box["width"] > 0.9 * (main["width"] - 48), ident
    rows = page.locator("svg#organotropism-cancers text.row").all_text_contents()
    assert "breast carcinoma" not in rows and rows[-1] == "cancer, type not named"
    page.click("#detailed-view")
    page.wait_for_load_state()
    rows = page.locator("svg#organotropism-cancers text.row").all_text_contents()
    assert "breast carcinoma" in rows
    user.fits_the_width()


def test_ctrl_enter_runs_and_the_address_reproduces_the_query(visit, live_server) -> None:
    user = visit()
    page = user.open("/sparql")
    page.fill("#query", PAPERS)
    page.locator("#query").press("Control+Enter")
    page.wait_for_selector("#result-table")
    assert parse_qs(urlsplit(page.url).query)["query"] == [PAPERS]
    again = user.open(page.url.removeprefix(live_server.url))
    assert again.input_value("#query") == PAPERS
    assert again.locator("#result-table tbody tr").count() > 100


def test_a_long_query_is_posted_and_kept_in_the_fragment(visit, live_server) -> None:
    user = visit()
    page = user.open("/sparql")
    long_query = "# " + "padding " * 1000 + "\n" + PAPERS + " LIMIT 7"
    page.fill("#query", long_query)
    page.click("#run")
    page.wait_for_selector("#result-table")
    assert page.locator("#result-table tbody tr").count() == 7
    assert "#query=" in page.url and "?" not in page.url
    shared = user.open(page.url.removeprefix(live_server.url))
    shared.wait_for_selector("#result-table")
    assert shared.input_value("#query") == long_query
    assert shared.locator("#result-table tbody tr").count() == 7


def test_results_sort_and_page_in_the_browser(visit) -> None:
    user = visit()
    page = user.open("/sparql")
    page.fill("#query", PAPERS)
    page.click("#run")
    page.wait_for_selector("#result-table")
    # The script pages the table once it is drawn: its pager says when that is done.
    page.wait_for_selector("nav.pager")
    rows = page.locator("#result-table tbody tr")
    total = rows.count()
    assert total > 150
    visible = page.locator("#result-table tbody tr:visible")
    assert visible.count() == 50
    assert "rows 1–50 of" in page.locator("nav.pager").inner_text()
    page.locator("nav.pager button", has_text="next").click()
    assert "rows 51–100 of" in page.locator("nav.pager").inner_text()
    # Sorting by year, a number column: ascending, then descending.
    page.locator("#result-table th button.sort", has_text="year").click()
    years = [
        int(t)
        for t in page.locator("#result-table tbody tr:visible td:nth-child(2)").all_inner_texts()
    ]
    assert years == sorted(years) and years[0] == 1889
    assert page.locator("#result-table th[aria-sort=ascending]").count() == 1
    page.locator("#result-table th button.sort", has_text="year").click()
    years = [
        int(t)
        for t in page.locator("#result-table tbody tr:visible td:nth-child(2)").all_inner_texts()
    ]
    assert years == sorted(years, reverse=True)
    # IRIs are compact names linking to their pages; numbers carry no datatype.
    first = page.locator("#result-table tbody tr:visible td a.uri").first
    assert first.inner_text().startswith("paper/") and first.get_attribute("href").startswith(
        "/paper/"
    )
    assert "xsd:" not in page.locator("#result-table").inner_text()


def test_missing_prefixes_are_added_on_demand(visit) -> None:
    user = visit()
    page = user.open("/sparql")
    page.fill(
        "#query", "SELECT ?gene ?label WHERE { ?gene a mkg:Gene ; rdfs:label ?label } LIMIT 2"
    )
    page.click("#add-prefixes")
    text = page.input_value("#query")
    assert text.startswith("PREFIX mkg: <https://w3id.org/mkg/ontology/>\n")
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" in text
    assert "mkg:, rdfs:" in page.locator("#prefix-status").inner_text()
    page.click("#run")
    page.wait_for_selector("#result-table")
    assert page.locator("#result-table tbody tr").count() == 2
    # The shortcut does the same, and says which prefixes it does not know.
    page.fill("#query", "# genes\nSELECT * WHERE { ?g a mkg:Gene ; foo:bar ?x }")
    page.locator("#query").press("Alt+Shift+KeyP")
    text = page.input_value("#query")
    assert text.startswith("# genes\nPREFIX mkg: <https://w3id.org/mkg/ontology/>\nSELECT")
    assert "foo:" in page.locator("#prefix-status").inner_text()


def test_the_query_page_works_without_javascript(visit) -> None:
    user = visit(java_script_enabled=False)
    page = user.open("/sparql")
    assert page.locator("#load-example").is_visible()
    page.select_option("#example", EXAMPLE)
    page.click("#load-example")
    page.wait_for_load_state()
    assert "Which genes are tied to metastasis" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#result-table")
    assert page.locator("#result-table tbody tr").count() == 3
    assert "query" in parse_qs(urlsplit(page.url).query)
