"""The journal lexicon: sorted, valid ISSNs, equal to the NLM tables, covering every reference."""

import csv
import re

import pytest

from ingest.errors import LexiconError
from ingest.journals import Journal, abbr_key, is_valid_issn, load_journals
from ingest.resources import DEFAULT_SOURCE, lexicon_path, source_path
from ingest.tsv import read_tsv

HEADER = "abbreviation\ttitle\tissn_print\tissn_online\tnlm_id\tsource\n"
NATURE_MEDICINE = "Nat. Med.\tNature medicine\t1078-8956\t1546-170X\t9502015\tnlm_journals\n"
# Printed in the page's "Cite this article" line, not in a reference.
CITATION_ONLY = {"Nat Med"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_tsv(lexicon_path("journals.tsv"))


@pytest.fixture(scope="module")
def reference_lines() -> list[str]:
    text = source_path(DEFAULT_SOURCE).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if re.match(r"^  \d+\. ", line)]


def _read_reference(path) -> list[dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_journals_table_sorted_and_unique(rows) -> None:
    abbreviations = [row["abbreviation"] for row in rows]
    assert abbreviations == sorted(abbreviations)
    assert len(set(abbreviations)) == len(abbreviations)


def test_journals_issns_have_valid_check_digits(rows) -> None:
    issns = [row[column] for row in rows for column in ("issn_print", "issn_online")]
    assert [issn for issn in issns if issn and not is_valid_issn(issn)] == []


def test_journals_source_column_names_a_table(rows) -> None:
    assert {row["source"] for row in rows} <= {"nlm_journals", "journal_abbreviations"}


def test_journals_rows_equal_reference_tables(rows, reference_dir) -> None:
    nlm = _read_reference(reference_dir / "nlm_journals.tsv")
    abbreviations = _read_reference(reference_dir / "journal_abbreviations.tsv")
    fields = ("title", "issn_print", "issn_online", "nlm_id")
    for row in rows:
        key = abbr_key(row["abbreviation"])
        nlm_matches = [record for record in nlm if record["abbr_key"] == key]
        if row["source"] == "nlm_journals":
            records = [record for record in nlm_matches if record["nlm_id"] == row["nlm_id"]]
        else:
            # The fallback table is used only for journals nlm_journals does not have.
            assert nlm_matches == [], row["abbreviation"]
            records = [
                record
                for record in abbreviations
                if record["abbr_key"] == key and record["title"] == row["title"]
            ]
        assert len(records) == 1, row["abbreviation"]
        assert {f: row[f] for f in fields} == {f: records[0][f] for f in fields}


def _printed_journals(rows, lines) -> list[str | None]:
    """Return the lexicon abbreviation each reference line ends with, or None."""
    names = sorted((row["abbreviation"] for row in rows), key=len, reverse=True)
    journal = "|".join(re.escape(name) for name in names)
    # "... Title. JOURNAL VOLUME[ NOTE], PAGES (YEAR)." where the title ends with punctuation.
    ending = re.compile(rf"[.?!] (?P<journal>{journal}) \d+(?: [^,]+)?, \S.* \(\d{{4}}\)\.$")
    matches = [ending.search(line) for line in lines]
    return [match["journal"] if match else None for match in matches]


def test_journals_cover_every_reference_line(rows, reference_lines) -> None:
    assert len(reference_lines) == 163
    printed = _printed_journals(rows, reference_lines)
    assert [line for line, name in zip(reference_lines, printed, strict=True) if name is None] == []


def test_journals_every_abbreviation_is_printed_on_the_page(rows, reference_lines) -> None:
    printed = set(_printed_journals(rows, reference_lines)) | CITATION_ONLY
    assert sorted({row["abbreviation"] for row in rows} - printed) == []


def test_journals_load_keys_by_printed_abbreviation() -> None:
    journals = load_journals()
    assert journals["Nat. Med."] == Journal(
        abbreviation="Nat. Med.",
        title="Nature medicine",
        issn_print="1078-8956",
        issn_online="1546-170X",
        nlm_id="9502015",
    )
    assert journals["Nat Med"].nlm_id == journals["Nat. Med."].nlm_id
    assert journals["Neurol. Clin."].nlm_id is None


def test_journals_load_is_cached() -> None:
    assert load_journals() is load_journals()


def test_abbr_key_keeps_lowercase_letters_and_digits() -> None:
    assert abbr_key("Proc. Natl. Acad. Sci. USA") == abbr_key("Proc Natl Acad Sci U S A")
    assert abbr_key("Drugs Today (Barc.)") == "drugstodaybarc"


def test_is_valid_issn_checks_format_and_check_digit() -> None:
    assert is_valid_issn("1546-170X")
    assert not is_valid_issn("1546-1700")
    assert not is_valid_issn("1546170X")


def test_journals_duplicate_abbreviation_raises(tmp_path) -> None:
    table = tmp_path / "journals.tsv"
    table.write_text("# test\n" + HEADER + NATURE_MEDICINE + NATURE_MEDICINE, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"data row 2: duplicate abbreviation 'Nat\. Med\.'"):
        load_journals(path=table)


@pytest.mark.parametrize("issn", ["1078-8957", "10788956", "1078-895x"])
def test_journals_bad_issn_raises(tmp_path, issn) -> None:
    table = tmp_path / "journals.tsv"
    table.write_text(HEADER + NATURE_MEDICINE.replace("1078-8956", issn), encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"data row 1 \('Nat\. Med\.'\): issn_print '{issn}'"):
        load_journals(path=table)
