"""The pages of genes, drugs, papers and the review read for a biologist (seed build, real HTTP).

Expectations are read off the review's reference list by hand: reference 64 (Body et al., Clin
Cancer Res 2006) names RANKL (TNFSF11) and its inhibitor denosumab, multiple myeloma, bone and
breast cancer; DrugBank gives TNFSF11 as denosumab's target.
"""

import html
import re

import pytest
import requests
from conftest import ENGINES

pytestmark = pytest.mark.engines(*ENGINES)

HTML = {"Accept": "text/html"}
TNFSF11 = "/gene/HGNC_11926"
DENOSUMAB = "/drug/DRUGBANK_DB06643"
BODY_2006 = "/paper/body-2006-clin-cancer-res-12-1221"
REVIEW = "/paper/steeg-2006-nat-med-12-895"
CANCER = "/disease/MONDO_0004992"
METASTASIS = "/process/metastasis"
BREAST_CANCER = "/disease/MONDO_0007254"


def page(server, path: str, **params) -> str:
    response = requests.get(server.url + path, params=params, headers=HTML, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def section(text: str, ident: str) -> str:
    """Return the HTML of the element with this id, up to the end of its section."""
    assert f'id="{ident}"' in text, f"no #{ident}"
    rest = text.split(f'id="{ident}"', 1)[1]
    return rest.split(">", 1)[1].split("</section>", 1)[0]


def plain(fragment: str) -> str:
    """Return the text of an HTML fragment, tags removed and white space joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_gene_page_has_the_sections_a_biologist_reads(live_server) -> None:
    text = page(live_server, TNFSF11)
    head = text.split("</header>", 2)[1]
    assert "<h1>TNFSF11</h1>" in head
    assert "receptor activator of nuclear factor-kappaB ligand" in head  # a synonym
    identifiers = plain(section(text, "identifiers"))
    assert identifiers.startswith("Identifiers HGNC:11926")
    assert 'href="http://identifiers.org/ncbigene/8600"' in text and "NCBI Gene 8600" in text
    assert "UniProt O14788" in text
    # The curated target, read backwards, with its source.
    facts = plain(section(text, "facts"))
    assert "molecular target of denosumab — source: DrugBank" in facts
    # What the literature says: reference 64, the named words marked.
    quotes = section(text, "mentions")
    assert (
        "reference 64" in quotes
        and "<mark>receptor activator of nuclear factor-kappaB ligand" in quotes
    )
    # Related entities as sentences, by kind.
    related = plain(section(text, "associations"))
    assert "Anatomical sites associated with bone element (1 paper)" in related
    assert "Drugs associated with denosumab (1 paper)" in related
    # The raw statements are one click away.
    assert 'id="statements"' in text and 'href="/gene/HGNC_11926.ttl"' in text


def test_drug_page_says_its_target_and_source(live_server) -> None:
    text = page(live_server, DENOSUMAB)
    assert "<h1>denosumab</h1>" in text
    assert "has molecular target TNFSF11 — source: DrugBank" in plain(section(text, "facts"))
    assert plain(section(text, "identifiers")).startswith("Identifiers DrugBank DB06643")


@pytest.mark.parametrize("path", [TNFSF11, DENOSUMAB, BODY_2006, REVIEW, CANCER])
def test_pages_show_no_blank_nodes_and_use_the_ontology_labels(live_server, path: str) -> None:
    text = page(live_server, path)
    assert "_:" not in plain(text)
    # Property names in one style, from the ontology, inverse directions phrased as such.
    statements = plain(section(text, "statements"))
    for wrong in ("hasBody", "Is Part Of", "owl:annotated", " of of", "mentions of", "familyName"):
        assert wrong not in statements, wrong


def test_incoming_statements_are_phrased_backwards(live_server) -> None:
    statements = plain(section(page(live_server, DENOSUMAB), "statements"))
    assert "mentioned by A study of the biological receptor activator" in statements
    assert "body of" in statements and "subject of" in statements
    # The curated statement's axiom is shown by what it says.
    assert "a statement about a statement annotated source denosumab" in statements
    assert "source http://identifiers.org/drugbank/DB06643" in statements


def test_paper_page_gives_the_year_once_and_its_place_in_the_review(live_server) -> None:
    text = page(live_server, BODY_2006)
    citation = plain(section(text, "citation").split('<details class="printed">')[0])
    assert citation.count("2006") == 1
    assert "Body J.J. et al." in citation
    assert "American Association for Cancer Research 12 , 1221–1228 (2006)" in citation
    assert "Cited as reference 64 of Tumor metastasis" in citation
    assert "human tissue or cohort study" in citation
    # The title, with the entities it names marked and linked.
    title = text.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f'href="{DENOSUMAB}"' in title and f'href="{TNFSF11}"' in title
    named = plain(section(text, "named"))
    assert "Genes TNFSF11" in named and "Drugs denosumab" in named
    # No ontology datatype next to a number, and one year in the statements' "publication year".
    assert "xsd:gYear" not in text and "xsd:integer" not in text


def test_review_lists_its_papers_in_order_a_page_at_a_time(live_server) -> None:
    first = page(live_server, REVIEW)
    references = section(first, "references")
    numbers = [int(n) for n in re.findall(r'data-reference="(\d+)"', references)]
    assert numbers == list(range(1, 26))
    assert "Cited papers (163)" in first
    assert "The distribution of secondary growths in cancer of the breast" in references
    assert 'href="?page=2#references"' in references
    last = section(page(live_server, REVIEW, page="7"), "references")
    assert [int(n) for n in re.findall(r'data-reference="(\d+)"', last)] == list(range(151, 164))
    # The abstract and the figures, with the entities they name.
    assert "<mark>invasion</mark>" in section(first, "abstract")
    assert "Figure 3" in section(first, "figures")
    named = plain(section(first, "named"))
    assert "osteoclast" in named and "bone element" in named  # named by figure 3
    # The 163 papers are not all listed in the page's statements: 20 of each, then a count.
    assert "… and 143 more (all in the Turtle)" in plain(section(first, "statements"))


def test_quotes_are_cut_at_word_boundaries(live_server) -> None:
    review = page(live_server, REVIEW)
    abstract = plain(section(review, "abstract")).removeprefix("Abstract ").strip()
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", page(live_server, CANCER), re.DOTALL)
    assert quotes, "the review's abstract names cancer"
    for quote in quotes:
        # Each piece, between the ellipses of what was left out, is whole words of the text.
        for piece in plain(quote).split(" \u2026 "):
            core = piece.strip("\u2026 ")
            at = abstract.find(core)
            assert at >= 0, core
            assert at == 0 or abstract[at - 1] == " ", core
            end = at + len(core)
            assert end == len(abstract) or abstract[end] in " ,.;:", core


def test_quotes_come_in_the_order_of_the_reference_list_and_page(live_server) -> None:
    text = page(live_server, METASTASIS)
    quotes = section(text, "mentions")
    where = re.findall(r'<span class="where">([^<·]*)', quotes)
    numbers = [int(w.split()[-1]) for w in where if w.startswith("reference")]
    assert numbers == sorted(numbers) and len(where) == 25
    assert where[0].startswith("the review")
    assert 'href="?page=2#mentions"' in quotes
    second = section(page(live_server, METASTASIS, page="2"), "mentions")
    later = [int(n) for n in re.findall(r'<span class="where">reference (\d+)', second)]
    assert later and later[0] >= numbers[-1]


def test_long_related_lists_fold_after_ten(live_server) -> None:
    related = section(page(live_server, METASTASIS), "associations")
    genes = related.split("<h3>Genes</h3>", 1)[1].split("</div>", 1)[0]
    shown, _, folded = genes.partition('<details class="more">')
    assert shown.count("<li>") == 10 and "more genes</summary>" in folded
    assert folded.count("<li>") > 10


def test_association_page_reads_as_a_sentence(live_server) -> None:
    text = page(live_server, "/association/gene-site/HGNC_11926--UBERON_0001474")
    sentence = plain(section(text, "association"))
    assert sentence.startswith("TNFSF11 and bone element are named together in the titles of 1")
    assert "gene-site association" in sentence
    evidence = section(text, "evidence")
    assert f'href="{BODY_2006}"' in evidence and 'data-reference="64"' in evidence
