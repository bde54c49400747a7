"""A headless Chromium on the query page: choose a question, run it, open an entity page."""

import shutil
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_query_page_runs_a_named_query_and_opens_an_entity(browser, live_server) -> None:
    page = browser.new_page()
    requests_made: list[str] = []
    page.on("request", lambda request: requests_made.append(request.url))
    page.goto(live_server.url + "/sparql")
    options = page.locator("#example option")
    names = [value for value in options.evaluate_all("els => els.map(e => e.value)") if value]
    assert names, "no named queries on the page"
    # Run the named questions in turn until one answers with links to entity pages.
    link = None
    for name in names:
        page.select_option("#example", name)
        assert page.input_value("#query").startswith("#")
        page.click("#run")
        page.wait_for_selector("#result-table", timeout=30_000)
        assert page.locator("#result-table tbody tr").count() > 0, name
        assert page.locator(".downloads a").count() == 4
        local_links = page.locator("#result-table a[href^='/']")
        if local_links.count():
            link = local_links.first
            break
    assert link is not None, "no named query links to an entity page"
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href)
    assert page.locator("h1").inner_text().strip()
    assert page.locator("#statements").count() == 1
    # Everything the pages load comes from this server: no CDN.
    assert all(url.startswith(live_server.url) for url in requests_made), requests_made
    page.close()


def test_query_page_shows_errors_readably(browser, live_server) -> None:
    page = browser.new_page()
    page.goto(live_server.url + "/sparql")
    page.fill("#query", "SELECT * WHERE { ?s ?p ")
    page.click("#run")
    error = page.wait_for_selector("#error", timeout=30_000)
    text = error.inner_text()
    assert "SPARQL syntax error at line 1, column 16: the query ends before the {" in text
    assert "Hint: add the missing }" in text
    assert page.input_value("#query") == "SELECT * WHERE { ?s ?p "
    page.close()


def _drawn(page, selector: str) -> dict:
    """Return the rendered size of an element, failing if it is missing or empty."""
    element = page.locator(selector)
    assert element.count() == 1, selector
    box = element.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0, (selector, box)
    return box


def test_pictures_render_with_nothing_from_elsewhere(browser, live_server) -> None:
    page = browser.new_page()
    requests_made: list[str] = []
    page.on("request", lambda request: requests_made.append(request.url))
    page.goto(live_server.url + "/")
    page.click("#stats-link")
    page.wait_for_load_state()
    assert page.url == live_server.url + "/stats"
    for ident in ("papers-per-year", "papers-per-study-type"):
        _drawn(page, f"svg#{ident}")
        assert page.locator(f"svg#{ident} g.bar rect").count() > 3
    cancers = _drawn(page, "svg#organotropism-cancers")
    _drawn(page, "svg#organotropism-genes")
    cells = page.locator("svg#organotropism-cancers g.cell")
    assert cells.count() > 10
    assert page.locator("svg#organotropism-cancers g.cell rect").first.bounding_box()["width"] > 0
    # Each text label is drawn inside its picture.
    label = page.locator("svg#organotropism-cancers text.row").first.bounding_box()
    assert (
        cancers["x"] <= label["x"]
        and label["x"] + label["width"] <= cancers["x"] + cancers["width"]
    )
    # A heat-map cell is a link to its papers.
    cell = page.locator("svg#organotropism-cancers g.cell a").first
    cell.click()
    page.wait_for_load_state()
    assert "/papers?" in page.url
    assert page.locator("#papers li").count() >= 1
    # An entity page with its neighbourhood graph; a node leads to the neighbour's page.
    page.goto(live_server.url + "/gene/HGNC_11926")
    _drawn(page, "svg#neighbourhood")
    nodes = page.locator("svg#neighbourhood g.node")
    assert nodes.count() >= 4
    for index in range(nodes.count()):
        box = nodes.nth(index).bounding_box()
        assert box is not None and box["width"] > 0
    page.locator("svg#neighbourhood g.node a[href='/anatomy/UBERON_0001474']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/anatomy/UBERON_0001474")
    _drawn(page, "svg#neighbourhood")
    assert requests_made and all(url.startswith(live_server.url) for url in requests_made), [
        url for url in requests_made if not url.startswith(live_server.url)
    ]
    page.close()
