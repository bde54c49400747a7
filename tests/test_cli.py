"""The `mkg` command: build, query and validate, with one-line errors and SHACL exit codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from server.cli import main

DATA = Path(__file__).parent / "data"
SMALL = DATA / "review_small.txt"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-build")
    result = CliRunner().invoke(main, ["build", str(SMALL), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_build_prints_counts_and_timings(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(SMALL), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "      12  biro-BibliographicReference" in result.output
    assert "      13  fabio-JournalArticle" in result.output
    assert "time per step: parse" in result.output
    assert (tmp_path / "current" / "mkg.nq").is_file()


def test_build_of_a_bad_page_is_one_line_and_exit_1(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body>Tumor metastasis</body></html>", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(page), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: page.html:1: this is an HTML document; expected the page's text "
        "(save the page as text)"
    )
    assert "Traceback" not in result.output


def test_query_prints_a_table(small_build: Path) -> None:
    query = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
        SELECT ?n ?raw WHERE { ?e mkg:referenceNumber ?n ;
        <http://purl.org/dc/terms/bibliographicCitation> ?raw } ORDER BY ?n LIMIT 2"""
    result = CliRunner().invoke(main, ["query", query, "--build-dir", str(small_build)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["n", "raw"]
    assert lines[2].startswith("1  Paget, S. The distribution of secondary growths")
    assert lines[-1] == "(2 rows)"


def test_query_runs_a_named_query_file(small_build: Path, repo_root: Path) -> None:
    path = repo_root / "queries" / "02-papers-per-year.rq"
    result = CliRunner().invoke(main, ["query", str(path), "--build-dir", str(small_build)])
    assert result.exit_code == 0, result.output
    assert "1889  1" in result.output


def test_query_as_json(small_build: Path) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://purl.org/spar/fabio/JournalArticle> }"
    result = CliRunner().invoke(
        main, ["query", query, "--build-dir", str(small_build), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "13"


def test_query_syntax_error_points_at_the_mistake(small_build: Path) -> None:
    result = CliRunner().invoke(main, ["query", "SELECT WHERE {", "--build-dir", str(small_build)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: SPARQL syntax error at line 1, column 8:")
    assert "Traceback" not in result.output


def test_query_without_a_build_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "ASK {}", "--build-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no build in {tmp_path}/ (no {tmp_path / 'current'}); "
        "run 'mkg build' first, or pass --build-dir DIR\n"
    )


def test_validate_the_build_exits_0(small_build: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--build-dir", str(small_build)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "conforms"


def test_validate_a_nonconforming_file_exits_1() -> None:
    result = CliRunner().invoke(main, ["validate", str(DATA / "shapes/JournalShape.invalid.ttl")])
    assert result.exit_code == 1
    assert "print ISSN (prism:issn)" in result.output


def test_validate_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nothing.ttl")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_validate_an_unparsable_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<a> <b> ", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: cannot validate")


def test_query_param_replaces_a_default(small_build: Path, repo_root: Path) -> None:
    path = repo_root / "queries" / "03-paper-details.rq"
    result = CliRunner().invoke(
        main, ["query", str(path), "--build-dir", str(small_build), "--param", "reference=4"]
    )
    assert result.exit_code == 0, result.output
    assert "Clifford, C.A." in result.output and "Kang, Y." not in result.output


def test_query_unknown_param_is_one_line(small_build: Path, repo_root: Path) -> None:
    path = repo_root / "queries" / "05-genes-at-a-site.rq"
    result = CliRunner().invoke(
        main, ["query", str(path), "--build-dir", str(small_build), "--param", "organ=bone"]
    )
    assert result.exit_code == 1
    assert result.output == "Error: the query has no parameter 'organ' (it has: site)\n"
