"""Linking by persistent identifiers: paper pages link out to the paper by its DOI, PubMed ID and
PubMed Central ID (docs/linking.md, "Papers")."""

import pytest
import requests
from conftest import ENGINES

pytestmark = pytest.mark.engines(*ENGINES)

MINN = "/paper/minn-2005-nature-436-518"  # Minn et al. 2005, with all three identifiers
NEVILLE_WEBBE = "/paper/neville-webbe-2004-breast-cancer-res-treat-86-269"  # printed with none
HTML = {"Accept": "text/html"}


def identifiers(server, path: str) -> str:
    """Return the identifiers section of a page ('' when it has none)."""
    response = requests.get(server.url + path, headers=HTML, timeout=30)
    assert response.status_code == 200
    if 'id="identifiers"' not in response.text:
        return ""
    return response.text.split('id="identifiers"', 1)[1].split("</section>", 1)[0]


def test_paper_page_links_out_by_doi_pmid_and_pmcid(things_server) -> None:
    section = identifiers(things_server, MINN)
    assert '<a href="https://doi.org/10.1038/nature03799"' in section
    assert '<a href="https://identifiers.org/pubmed:16049480"' in section
    assert '<a href="https://identifiers.org/pmc:PMC1283098"' in section
    for text in ("DOI 10.1038/nature03799", "PMID 16049480", "PMCID PMC1283098"):
        assert text in section, text


def test_a_paper_without_identifiers_has_no_link_outs(things_server) -> None:
    assert identifiers(things_server, NEVILLE_WEBBE) == ""
