"""The journal catalogue: made byte for byte from the NLM tables, loaded fast, matching journal
names as publishers print them, never guessing between journals, and agreeing with the lexicon."""

import csv
import gzip
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.catalogue import journals as catalogue_module
from ingest.catalogue.journals import (
    CATALOGUE,
    COLUMNS,
    KEY_RULES_VERSION,
    WORDS,
    CatalogueJournal,
    KeyRules,
    exactness,
    fold_text,
    journal_key,
    key_words,
    load_catalogue,
    load_key_rules,
    lookup_journal,
    main_title,
    resolve_candidates,
    split_title_journal,
)
from ingest.catalogue.make_journals import (
    CONFLICTS,
    GENERATOR_VERSION,
    Row,
    align_words,
    catalogue_text,
    gzip_bytes,
    learn_rules,
    make_catalogue,
    merge_tables,
    row_keys,
)
from ingest.errors import LexiconError
from ingest.journals import (
    CATALOGUE_OVERRIDES,
    catalogue_row,
    is_valid_issn,
    load_journals,
    resolve_journal,
)

SHIPPED = Path(catalogue_module.__file__).resolve().parent
FILES = (CATALOGUE, WORDS, CONFLICTS)
HEADER_INPUT = re.compile(r"^# input: (\S+) rows (\d+) sha256 ([0-9a-f]{64})$")
NO_RULES = KeyRules(words={}, stopwords=frozenset())

# The journals named in the issue, as the publisher prints them, with their NLM IDs.
HOUSE_STYLE = {
    "Proc. Natl Acad. Sci. USA": "7505876",
    "Nature Rev. Cancer": "101124168",
    "J. Biol. Chem.": "2985121R",
    "Cancer Res.": "2984705R",
    "N. Engl. J. Med.": "0255562",
    "Clin. Exp. Metastasis": "8409970",
    "Biochim. Biophys. Acta": "0217513",
    "Ann. N. Y. Acad. Sci.": "7506858",
    "J. Natl Cancer Inst.": "7503089",
    "Science": "0404511",
    "Nature": "0410462",
    "Lancet": "2985213R",
    "Philos. Trans. R. Soc. Lond. B Biol. Sci.": "7503623",
}
# Names one letter or word apart that must name different journals.
NEAR_MISSES = [
    ("J. Cell Biol.", "J. Cell Sci."),
    ("Cancer Res.", "Cancer Lett."),
    ("Nature", "Nature Med."),
    ("Nature Genet.", "Nature Rev. Genet."),
    ("Cell", "Cell Res."),
    ("Nature Rev. Cancer", "Nature Rev. Clin. Oncol."),
    ("J. Clin. Invest.", "J. Clin. Oncol."),
    ("Mol. Cell. Biol.", "Mol. Biol. Cell"),
    ("Genetics", "Genetica"),
]
# Field words: the programmatic test list takes one journal outside the lexicon for each.
FIELDS = (
    "Anesthesiol Biochem Bot Cardiol Chem Comput Dent Dermatol Ecol Endocrinol Epidemiol "
    "Gastroenterol Genet Geriatr Hematol Hepatol Immunol Infect Math Microbiol Nephrol Neurol "
    "Neurosci Nurs Nutr Obstet Ophthalmol Orthop Parasitol Pediatr Pharmacol Phys Physiol "
    "Psychiatry Psychol Radiol Rheumatol Surg Toxicol Urol Vet Virol Zool"
).split()


def _rows() -> list[list[str]]:
    with gzip.open(SHIPPED / CATALOGUE, "rt", encoding="utf-8", newline="\n") as handle:
        lines = handle.read().split("\n")
    start = next(n for n, line in enumerate(lines) if not line.startswith("#"))
    assert lines[start].split("\t") == list(COLUMNS)
    return [line.split("\t") for line in lines[start + 1 :] if line]


def _header(name: str) -> list[str]:
    if name.endswith(".gz"):
        text = gzip.decompress((SHIPPED / name).read_bytes()).decode("utf-8")
    else:
        text = (SHIPPED / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("#")]


def _read_table(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(10**9)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# The generator


def test_generator_output_equals_the_shipped_files_byte_for_byte(reference_dir, tmp_path) -> None:
    make_catalogue(reference_dir, tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_generator_output_does_not_depend_on_row_order() -> None:
    rows = [Row(*cells[:8]) for cells in _rows()[:3000]]
    rules, _ = learn_rules(rows)
    assert catalogue_text(rows, rules, ()) == catalogue_text(rows[::-1], rules, ())
    assert learn_rules(rows[::-1])[1] == learn_rules(rows)[1]


def test_gzip_bytes_are_stable_and_carry_no_time_or_name() -> None:
    data = gzip_bytes("a\tb\n")
    assert data == gzip_bytes("a\tb\n")
    assert data[4:8] == b"\0\0\0\0"  # mtime
    assert data[3] & 0x08 == 0  # no file name
    assert (SHIPPED / CATALOGUE).read_bytes()[4:8] == b"\0\0\0\0"


@pytest.mark.parametrize("name", FILES)
def test_shipped_files_name_generator_rules_and_inputs(name) -> None:
    header = _header(name)
    assert f"# generator version: {GENERATOR_VERSION}" in header
    assert f"# key rules version: {KEY_RULES_VERSION}" in header
    inputs = [HEADER_INPUT.match(line) for line in header if line.startswith("# input:")]
    assert [m[1] for m in inputs if m] == ["nlm_journals.tsv", "journal_abbreviations.tsv"]


def test_shipped_checksums_and_row_counts_are_those_of_the_tables(reference_dir) -> None:
    for line in _header(CATALOGUE):
        match = HEADER_INPUT.match(line)
        if match:
            path = reference_dir / match[1]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == match[3]
            assert len(_read_table(path)) == int(match[2])


def test_catalogue_values_are_the_tables_values(reference_dir) -> None:
    nlm = {r["nlm_id"]: r for r in _read_table(reference_dir / "nlm_journals.tsv")}
    abbreviations = _read_table(reference_dir / "journal_abbreviations.tsv")
    by_pair = {(r["title"], r["med_abbr"]): r for r in abbreviations}
    by_id: dict[str, list[dict[str, str]]] = {}
    for r in abbreviations:
        by_id.setdefault(r["nlm_id"], []).append(r)
        by_id.setdefault(" ".join(key_words(r["title"])), []).append(r)
    fields = ("title", "iso_abbr", "issn_print", "issn_online")
    for cells in _rows():
        row = dict(zip(COLUMNS, cells, strict=True))
        if row["source"] == "journal_abbreviations":
            source = by_pair[(row["title"], row["med_abbr"])]
            assert row["iso_abbr"] == ""
            assert row["medline_indexed"] == source["medline_indexed_2021"]
            for column in ("nlm_id", "issn_print", "issn_online"):
                assert row[column] in ("", source[column]), (row, column)
            continue
        record = nlm[row["nlm_id"]]
        assert {f: row[f] for f in fields} == {f: record[f] for f in fields}
        if row["source"] == "nlm_journals":
            assert (row["med_abbr"], row["medline_indexed"]) == (record["med_abbr"], "")
            continue
        assert row["source"] == "both"
        # The other table's row: by NLM ID, or by title when it had none.
        others = by_id.get(row["nlm_id"], []) + by_id.get(" ".join(key_words(row["title"])), [])
        assert row["medline_indexed"] in {r["medline_indexed_2021"] for r in others}
        assert row["med_abbr"] == record["med_abbr"] or (
            record["med_abbr"] == "" and row["med_abbr"] in {r["med_abbr"] for r in others}
        )


def test_catalogue_has_one_row_per_nlm_id_and_checked_issns() -> None:
    rows = [dict(zip(COLUMNS, cells, strict=True)) for cells in _rows()]
    ids = [row["nlm_id"] for row in rows if row["nlm_id"]]
    assert len(ids) == len(set(ids))
    bad = {row[c] for row in rows for c in ("issn_print", "issn_online") if row[c]}
    bad = {issn for issn in bad if not is_valid_issn(issn)}
    conflicts = (SHIPPED / CONFLICTS).read_text(encoding="utf-8")
    reported = re.findall(r"^ISSN check digit\t.*$", conflicts, flags=re.MULTILINE)
    assert len(bad) == len(reported) <= 2  # the tables' own, reported and kept as given


def test_catalogue_rows_are_sorted_by_folded_title() -> None:
    lines = ["\t".join(cells) for cells in _rows()]
    assert lines == sorted(lines, key=lambda line: (fold_text(line.split("\t")[1]), line))


def test_catalogue_is_small_and_counts_its_rows() -> None:
    assert (SHIPPED / CATALOGUE).stat().st_size < 3 * 2**20
    assert f"# rows: {len(load_catalogue())}" in _header(CATALOGUE)
    assert len(load_catalogue()) > 37_000


def test_rows_kept_apart_are_catalogue_rows_without_nlm_id() -> None:
    catalogue = load_catalogue()
    by_title: dict[str, list[CatalogueJournal]] = {}
    for journal in catalogue:
        by_title.setdefault(journal.title, []).append(journal)
    text = (SHIPPED / CONFLICTS).read_text(encoding="utf-8")
    apart = [line.split("\t") for line in text.splitlines() if "\tkept apart" in line]
    assert len(apart) > 10
    for kind, _, med_abbr, _, title, _ in apart:
        rows = [j for j in by_title[title] if j.source == "journal_abbreviations"]
        assert [(j.nlm_id, j.med_abbr) for j in rows] == [(None, med_abbr)], (kind, title)


def test_stored_keys_follow_the_shipped_rules() -> None:
    rules = load_key_rules()
    for cells in _rows():
        assert row_keys(Row(*cells[:8]), rules) == tuple(cells[8:]), cells[1]


# Merging the two tables


def _nlm(nlm_id, title, med, iso="", issn=""):
    return {
        "nlm_id": nlm_id,
        "title": title,
        "med_abbr": med,
        "iso_abbr": iso or med,
        "issn_print": issn,
        "issn_online": "",
    }


def _abbreviation(title, med, nlm_id="", issn="", indexed="true"):
    return {
        "title": title,
        "med_abbr": med,
        "medline_indexed_2021": indexed,
        "nlm_id": nlm_id,
        "issn_print": issn,
        "issn_online": "",
    }


def test_merge_joins_rows_with_one_nlm_id_and_reports_the_rest() -> None:
    nlm = [
        _nlm("1", "Journal of things", "J Things", "J. Things", "0000-0019"),
        _nlm("2", "Archives of stuff (1960)", "Arch Stuff"),
        _nlm("3", "Thing review : official journal", "Thing Rev"),
        _nlm("4", "Dup journal (A)", "Dup J"),
        _nlm("5", "Dup journal (B)", "Dup J"),
        _nlm("6", "Iso journal", "", "Iso J."),
    ]
    abbreviations = [
        _abbreviation("Journal of things", "J Things", "1", "0000-0019"),
        _abbreviation("Archives of stuff (1920)", "Arch Stuff", "2", indexed="false"),
        _abbreviation("Archives of stuff (1960)", "Arch Stuff", "2"),
        _abbreviation("Thing review", "Thing Rev", "3"),
        _abbreviation("Dup journal", "Dup J"),
        _abbreviation("Dup journal (B)", "Dup J"),
        _abbreviation("Iso journal", "Iso J"),
        _abbreviation("Lonely journal", "Lonely J"),
    ]
    rows, conflicts = merge_tables(nlm, abbreviations)
    got = {(row.title, row.nlm_id, row.source, row.medline_indexed) for row in rows}
    assert got == {
        ("Journal of things", "1", "both", "true"),
        ("Archives of stuff (1960)", "2", "both", "true"),
        ("Archives of stuff (1920)", "", "journal_abbreviations", "false"),
        ("Thing review : official journal", "3", "both", "true"),
        ("Dup journal (A)", "4", "nlm_journals", ""),
        ("Dup journal (B)", "5", "both", "true"),
        ("Dup journal", "", "journal_abbreviations", "true"),
        ("Iso journal", "6", "both", "true"),
        ("Lonely journal", "", "journal_abbreviations", "true"),
    }
    assert sorted((c.kind, c.other_title) for c in conflicts) == [
        ("NLM ID of several titles", "Archives of stuff (1920)"),
        ("abbreviation of several records", "Dup journal"),
        ("title differs", "Thing review"),
    ]


def test_merge_keeps_rows_apart_when_titles_do_not_tell_them_apart() -> None:
    nlm = [_nlm("7", "Veterinaria", "Veterinaria")]
    abbreviations = [
        _abbreviation("Veterinaria", "Veterinaria", "7"),
        _abbreviation("Veterinária", "Veterinaria", "7"),
    ]
    rows, conflicts = merge_tables(nlm, abbreviations)
    assert sorted((row.nlm_id, row.source) for row in rows) == [
        ("", "journal_abbreviations"),
        ("", "journal_abbreviations"),
        ("7", "nlm_journals"),
    ]
    assert [c.kind for c in conflicts] == ["NLM ID of several titles"] * 2


# Learning the key rules


def test_align_words_pairs_each_abbreviation_with_the_next_word_it_shortens() -> None:
    assert align_words(["nat", "rev", "cancer"], ["nature", "reviews", "cancer"]) == [
        ("nature", "nat"),
        ("reviews", "rev"),
        ("cancer", "cancer"),
    ]
    assert align_words(["j", "cell", "biol"], ["journal", "of", "cell", "biology"]) == [
        ("journal", "j"),
        ("cell", "cell"),
        ("biology", "biol"),
    ]
    assert align_words(["foo", "bar"], ["foo", "baz"]) is None


def _learning_rows(pairs: int) -> list[Row]:
    words = ["reports", "letters", "news", "notes", "views"][:pairs]
    rows = [_row(f"Widgetry {w}", f"Widg {w[:3].title()}") for w in words]
    rows += [_row(f"Annals of topic{n}", f"Ann Topic{n}") for n in range(20)]
    return rows


def _row(title: str, abbreviation: str) -> Row:
    return Row(
        nlm_id="", title=title, med_abbr=abbreviation, iso_abbr="", issn_print="", issn_online=""
    )


def test_learn_rules_needs_three_pairs_for_a_word() -> None:
    assert learn_rules(_learning_rows(3))[0].words["widgetry"] == "widg"
    assert "widgetry" not in learn_rules(_learning_rows(2))[0].words


def test_learn_rules_needs_most_alignments_for_a_word() -> None:
    rows = _learning_rows(3) + [_row(f"Widgetry {w}", f"Widgetry {w}") for w in "abc"]
    assert "widgetry" not in learn_rules(rows)[0].words  # 3 of 6 alignments: 50% < 80%


def test_learn_rules_finds_stopwords_skipped_in_most_titles() -> None:
    rules = learn_rules(_learning_rows(3))[0]
    assert rules.stopwords == {"of"}
    assert rules.words["annals"] == "ann"
    assert learn_rules(_learning_rows(3)[:-2])[0].stopwords == frozenset()  # 18 titles < 20


def test_shipped_rules_hold_the_learned_equivalences() -> None:
    rules = load_key_rules()
    assert {w: rules.words[w] for w in ("nature", "reviews", "national", "journal", "series")} == {
        "nature": "nat",
        "reviews": "rev",
        "national": "natl",
        "journal": "j",
        "series": "ser",
    }
    assert {"of", "the", "and"} <= rules.stopwords
    assert all(len(word) >= 2 for word in rules.stopwords)
    assert not set(rules.words.values()) & set(rules.words)


# The key: one test per rule, each failing when its rule is broken


def test_key_rule_fold_removes_diacritics() -> None:
    assert key_words("Acta Méd. Port.") == ["acta", "med", "port"]
    assert key_words("Acta Agriculturæ Scand. Ørsted Straße Łódź") == [
        "acta",
        "agriculturae",
        "scand",
        "orsted",
        "strasse",
        "lodz",
    ]
    assert journal_key("Zürich Med. Wochenschr.") == journal_key("Zurich Med. Wochenschr.")


def test_key_rule_fold_ignores_case() -> None:
    assert journal_key("CANCER RES.") == journal_key("cancer res.") == journal_key("Cancer Res.")


def test_key_rule_apostrophes_inside_words_are_dropped() -> None:
    assert key_words("Nat'l Alzheimer’s Bull.") == ["natl", "alzheimers", "bull"]


def test_key_rule_ampersand_is_and() -> None:
    assert key_words("Genes & Dev.") == ["genes", "and", "dev"]
    assert NO_RULES.key("Genes & Dev.") == NO_RULES.key("Genes and Dev.") == "genesanddev"


def test_key_rule_punctuation_and_spacing_only_separate_words() -> None:
    assert key_words("Acta Derm.-Venereol. (Stockh.),") == ["acta", "derm", "venereol", "stockh"]
    assert journal_key("Proc.Natl  Acad.\tSci.") == journal_key("Proc. Natl Acad. Sci.")


def test_key_rule_stopwords_are_dropped() -> None:
    assert KeyRules(words={}, stopwords=frozenset({"of"})).key("Annals of Surgery") == (
        "annalssurgery"
    )
    assert journal_key("The Journal of Cell Biology") == journal_key("J. Cell Biol.")


def test_key_rule_words_become_their_abbreviation() -> None:
    assert KeyRules(words={"nature": "nat"}, stopwords=frozenset()).key("Nature Rev.") == "natrev"
    assert journal_key("Nature Rev. Cancer") == journal_key("Nat. Rev. Cancer")
    assert journal_key("Nature Reviews Cancer") == journal_key("Nat Rev Cancer")
    assert journal_key("Journal of the National Cancer Institute") == journal_key(
        "J. Natl Cancer Inst."
    )


def test_key_rule_one_word_names_are_not_abbreviated() -> None:
    assert KeyRules(words={"nature": "nat"}, stopwords=frozenset()).key("Nature") == "nature"
    assert journal_key("Nature") != journal_key("Nat")
    assert journal_key("Genetics") != journal_key("Genetica")
    assert journal_key("The Lancet") == journal_key("Lancet")


def test_key_rule_words_are_joined_without_separator() -> None:
    usa = journal_key("Proc. Natl Acad. Sci. USA")
    assert (
        usa
        == journal_key("Proc Natl Acad Sci U S A")
        == journal_key("Proc. Natl. Acad. Sci. U.S.A.")
    )


# House style: the key is stable and the journal found (hypothesis)


def _catalogue_names() -> list[tuple[str, int]]:
    catalogue = load_catalogue()
    names = []
    for row in range(len(catalogue)):
        journal = catalogue.journal(row)
        for name in (journal.med_abbr, journal.iso_abbr):
            if name and journal_key(name):
                names.append((name, row))
    return names


NAMES = _catalogue_names()


@st.composite
def house_styled(draw) -> tuple[str, str, int]:
    """Draw a catalogue abbreviation and a house-style spelling of it."""
    name, row = draw(st.sampled_from(NAMES))
    if draw(st.booleans()):
        name = name.replace(" & ", " and ") if " & " in name else name.replace(" and ", " & ")
    words = []
    for word in name.split():
        if draw(st.booleans()) and word[-1].isalpha():
            word += "."  # a period after a word, abbreviated or not
        elif draw(st.booleans()) and word.endswith("."):
            word = word[:-1]
        case = draw(st.sampled_from(["keep", "upper", "lower", "capitalize"]))
        words.append(word if case == "keep" else getattr(word, case)())
    styled = ""
    for word in words:
        if styled:
            gap = draw(st.sampled_from([" ", "  ", "\t", " \n "]))
            styled += "" if styled.endswith(".") and draw(st.booleans()) else gap
        styled += word
    return name, draw(st.sampled_from(["", " "])) + styled, row


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(house_styled())
def test_key_is_stable_under_house_style(drawn) -> None:
    name, styled, row = drawn
    assert journal_key(styled) == journal_key(name), (name, styled)
    match = lookup_journal(styled)
    assert load_catalogue().journal(row) in match.candidates


# Matching printed names


def _nlm_ids(match) -> list[str | None]:
    return [journal.nlm_id for journal in match.journals]


@pytest.mark.parametrize(("printed", "nlm_id"), sorted(HOUSE_STYLE.items()))
def test_house_style_names_resolve_without_the_lexicon(printed, nlm_id) -> None:
    match = lookup_journal(printed)
    assert match.status in ("exact", "normalised")
    assert match.journal is not None and match.journal.nlm_id == nlm_id


def _house_style(abbreviation: str, title: str) -> str | None:
    """Write a MEDLINE abbreviation in Nature's house style, by rules (None if it cannot).

    Each word of the abbreviation is aligned with the title word it shortens; a shortened word
    takes a period unless it is a contraction, keeping the word's last letter but not all of its
    beginning ("Natl" for "National", "Biol." for "Biological"); "Nat" for
    "Nature" is written in full ("Nature Rev."); a closing "U S A" is written "USA".
    """
    full = key_words(main_title(title))
    position = 0
    styled = []
    for word in abbreviation.split():
        short = "".join(key_words(word))
        pairs = align_words([short], full[position:])
        if pairs is None:
            return None
        whole = pairs[0][0]
        position = full.index(whole, position) + 1
        if short == whole:
            styled.append(word)
        elif (short, whole) == ("nat", "nature"):
            styled.append("Nature")
        else:
            contraction = not whole.startswith(short) and short[-1] == whole[-1]
            styled.append(word if contraction else word + ".")
    return re.sub(r"U\. S\. A\.$", "USA", " ".join(styled))


def _outside_lexicon() -> list[CatalogueJournal]:
    curated = {journal.nlm_id for journal in load_journals().values()}
    catalogue = load_catalogue()
    found = []
    for journal in catalogue:
        if (
            journal.nlm_id
            and journal.nlm_id not in curated
            and journal.med_abbr
            and "(" not in journal.med_abbr
            and len(journal.med_abbr.split()) >= 2
        ):
            found.append(journal)
    return found


def _test_list() -> dict[str, str]:
    """Pick journals outside the lexicon across fields, and every Nature Reviews journal."""
    catalogue = load_catalogue()
    chosen: dict[str, str] = {}
    journals = sorted(_outside_lexicon(), key=lambda j: j.nlm_id or "")
    for field in FIELDS:
        for journal in journals:
            if field not in journal.med_abbr.split() or not journal.medline_indexed:
                continue
            key = journal_key(journal.med_abbr)
            styled = _house_style(journal.med_abbr, journal.title)
            if styled and not isinstance(catalogue.abbreviations.get(key), tuple):
                chosen[styled] = journal.nlm_id
                break
    for journal in journals:
        if journal.title.startswith("Nature reviews.") or " Natl " in f" {journal.med_abbr} ":
            styled = _house_style(journal.med_abbr, journal.title)
            if styled:
                chosen[styled] = journal.nlm_id
    return chosen


TEST_LIST = _test_list()


def test_house_style_test_list_is_long_and_wide() -> None:
    assert len(TEST_LIST) >= 40
    assert sum(name.startswith("Nature Rev. ") for name in TEST_LIST) >= 5
    assert sum(" Natl " in f" {name} " for name in TEST_LIST) >= 5
    assert not set(TEST_LIST) & set(load_journals())


@pytest.mark.parametrize(("printed", "nlm_id"), sorted(TEST_LIST.items()))
def test_house_style_names_outside_the_lexicon_resolve(printed, nlm_id) -> None:
    match = lookup_journal(printed)
    assert match.journal is not None, match
    assert match.journal.nlm_id == nlm_id


def test_house_style_names_of_the_whole_catalogue_find_their_journal() -> None:
    styled = {}
    for journal in _outside_lexicon():
        name = _house_style(journal.med_abbr or "", journal.title)
        if name is not None:
            styled[name, journal.nlm_id] = journal
    resolved = 0
    for (name, _), journal in styled.items():
        match = lookup_journal(name)
        if match.journal == journal:
            resolved += 1
        else:  # only ever a journal sharing the key, by the documented rule
            assert journal in match.candidates, (name, match)
    assert len(styled) > 6000
    assert resolved >= 0.99 * len(styled)


@pytest.mark.parametrize(("one", "other"), NEAR_MISSES)
def test_near_misses_name_different_journals(one, other) -> None:
    first, second = lookup_journal(one), lookup_journal(other)
    assert first.journal is not None and second.journal is not None
    assert first.journal.nlm_id != second.journal.nlm_id
    assert journal_key(one) != journal_key(other)


@pytest.mark.parametrize(
    "printed",
    [
        "Cancer Ress.",
        "J. Cell Biol. Lett. Rev.",
        "Nature Med. Lett.",
        "Proc. Natl Acad. Sci. Mars",
        "",
    ],
)
def test_names_of_no_journal_are_unknown(printed) -> None:
    match = lookup_journal(printed)
    assert (match.status, match.journals, match.journal) == ("unknown", (), None)


def test_ambiguous_names_are_reported_never_guessed() -> None:
    match = lookup_journal("Arch. Surg.")
    assert match.status == "ambiguous"
    assert match.journal is None and match.resolved_by is None
    assert sorted(j.title for j in match.journals) == [
        "Archives of surgery (Chicago, Ill. : 1920)",
        "Archives of surgery (Chicago, Ill. : 1960)",
    ]
    assert all(lookup_journal("Arch. Surg.") == match for _ in range(3))


def _journal(name: str, *, med: str, iso: str | None = None, indexed: bool | None = None):
    return CatalogueJournal(name, name, med, iso, None, None, indexed, "both")


def test_resolution_prefers_exact_then_medline_indexed_then_reports_ambiguity() -> None:
    dotted = _journal("1", med="Acta Foo", iso="Acta Foo.")
    plain = _journal("2", med="Acta Foo", iso="Acta Foo")
    assert resolve_candidates("Acta Foo.", "actafoo", (dotted, plain), via="x").journal == dotted
    indexed = _journal("3", med="Acta Foo", indexed=True)
    match = resolve_candidates("ACTA FOO", "actafoo", (plain, indexed), via="x")
    assert (match.status, match.resolved_by, match.journal) == (
        "normalised",
        "MEDLINE-indexed",
        indexed,
    )
    match = resolve_candidates("ACTA FOO", "actafoo", (plain, dotted), via="x")
    assert (match.status, match.journal, match.journals) == ("ambiguous", None, (plain, dotted))


def test_exactness_ranks_printed_forms() -> None:
    journal = _journal("1", med="Nat Med", iso="Nat. Med.")
    assert exactness("Nat. Med.", journal) == 2
    assert exactness("Nat Med", journal) == 2
    assert exactness("Nat.  Med", journal) == 1
    assert exactness("Nature Med.", journal) == 0


def test_every_colliding_key_resolves_by_the_documented_rule() -> None:
    catalogue = load_catalogue()
    collisions = catalogue.collisions("abbreviation")
    assert len(collisions) <= 240
    forms = [
        form
        for key, rows in collisions.items()
        for row in rows
        for form in (catalogue.journal(row).med_abbr, catalogue.journal(row).iso_abbr)
        if form and journal_key(form) == key
    ]
    assert len(forms) >= 2 * len(collisions)
    for form in forms:
        match = catalogue.lookup(form)
        assert len(match.candidates) >= 2
        if match.status == "ambiguous":
            assert len(match.journals) >= 2 and match.journal is None
        else:
            assert match.resolved_by in ("exact", "MEDLINE-indexed"), match
            if match.resolved_by == "MEDLINE-indexed":
                assert match.journal is not None and match.journal.medline_indexed


def test_learned_rules_add_few_collisions_to_plain_keys() -> None:
    catalogue = load_catalogue()
    plain: dict[str, set[int]] = {}
    for row in range(len(catalogue)):
        journal = catalogue.journal(row)
        for name in {journal.med_abbr, journal.iso_abbr} - {None}:
            key = "".join(key_words(name or ""))
            if key:
                plain.setdefault(key, set()).add(row)
    plain_collisions = sum(len(rows) > 1 for rows in plain.values())
    assert len(catalogue.collisions("abbreviation")) - plain_collisions <= 20


# Loading


def test_load_catalogue_is_read_once_per_process() -> None:
    assert load_catalogue() is load_catalogue()
    assert load_key_rules() is load_key_rules()


def test_load_catalogue_in_a_fresh_process() -> None:
    """The shipped files load on their own (load time is measured by bench/, not asserted here)."""
    script = (
        "from ingest.catalogue.journals import load_catalogue, lookup_journal; load_catalogue(); "
        "print(lookup_journal('Proc. Natl Acad. Sci. USA').journal.nlm_id)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "7505876"


def test_loader_refuses_files_made_with_other_key_rules(tmp_path) -> None:
    for name in (CATALOGUE, WORDS):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    words = (tmp_path / WORDS).read_text(encoding="utf-8")
    (tmp_path / WORDS).write_text(
        words.replace(f"key rules version: {KEY_RULES_VERSION}", "key rules version: 0"),
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="other key rules"):
        load_key_rules(tmp_path)


def test_loader_refuses_wrong_columns(tmp_path) -> None:
    for name in (CATALOGUE, WORDS):
        (tmp_path / name).write_bytes((SHIPPED / name).read_bytes())
    text = gzip.decompress((SHIPPED / CATALOGUE).read_bytes()).decode("utf-8")
    (tmp_path / CATALOGUE).write_bytes(gzip_bytes(text.replace("\tbase_keys\n", "\n", 1)))
    with pytest.raises(LexiconError, match="columns are"):
        load_catalogue(tmp_path)


# The curated lexicon overrides the catalogue


def test_every_curated_journal_resolves_through_the_lexicon() -> None:
    for abbreviation, journal in load_journals().items():
        match = resolve_journal(abbreviation)
        assert (match.status, match.via) == ("exact", "lexicon")
        assert match.journal is not None
        assert (match.journal.nlm_id, match.journal.title) == (journal.nlm_id, journal.title)


def test_curated_journals_resolve_from_the_catalogue_alone_or_are_overrides() -> None:
    for abbreviation, journal in load_journals().items():
        match = lookup_journal(abbreviation)
        found = match.journal
        agrees = found is not None and (found.nlm_id, found.title) == (
            journal.nlm_id,
            journal.title,
        )
        assert agrees != (abbreviation in CATALOGUE_OVERRIDES), (abbreviation, match)


def test_curated_rows_agree_with_their_catalogue_row() -> None:
    for abbreviation, journal in load_journals().items():
        row = catalogue_row(journal)
        assert row is not None, abbreviation
        for field in ("nlm_id", "title", "issn_print", "issn_online"):
            mine, theirs = getattr(journal, field), getattr(row, field)
            assert mine is None or theirs is None or mine == theirs, (abbreviation, field)


def test_overrides_name_lexicon_rows_with_a_reason() -> None:
    assert set(CATALOGUE_OVERRIDES) <= set(load_journals())
    assert all(len(reason) > 40 for reason in CATALOGUE_OVERRIDES.values())


def test_lexicon_wins_for_a_name_with_its_key() -> None:
    catalogue_match = lookup_journal("Arch Surg")
    assert catalogue_match.status == "ambiguous"
    match = resolve_journal("Arch Surg")
    assert (match.status, match.via) == ("normalised", "lexicon")
    assert match.journal is not None and match.journal.nlm_id == "9716528"
    other = resolve_journal("J. Exp. Med.")
    assert other.via == "abbreviation" and other.journal is not None
    assert other.journal.source == "both"


# Where a title ends and a journal begins


def test_split_prefers_the_longest_known_journal() -> None:
    text = (
        "Metastasis suppressor genes: basic biology and potential clinical use. Nature Rev. Cancer"
    )
    best = split_title_journal(text)[0]
    assert best.title.endswith("clinical use.")
    assert best.journal == "Nature Rev. Cancer"
    assert best.match.journal is not None and best.match.journal.nlm_id == "101124168"


def test_split_after_a_question_mark_or_quote() -> None:
    best = split_title_journal("Is metastasis predetermined? Mol. Oncol.")[0]
    assert (best.title, best.journal, best.match.status) == (
        "Is metastasis predetermined?",
        "Mol. Oncol.",
        "exact",
    )
    best = split_title_journal('The "seed and soil" hypothesis." Lancet')[0]
    assert best.journal == "Lancet"


def test_split_with_the_lexicon_lookup() -> None:
    best = split_title_journal("A study. Arch. Surg.", lookup=resolve_journal)[0]
    assert best.match.via == "lexicon" and best.journal == "Arch. Surg."
    assert split_title_journal("A study. Arch. Surg.")[0].match.status == "ambiguous"


def test_split_of_an_unknown_journal_puts_name_like_parts_first() -> None:
    splits = split_title_journal("A study of things in mice. J. Foo Bar Stud.")
    assert [s.match.status for s in splits] == ["unknown", "unknown"]
    assert (splits[0].title, splits[0].journal) == (
        "A study of things in mice.",
        "J. Foo Bar Stud.",
    )
    assert splits[0].looks_like_name
