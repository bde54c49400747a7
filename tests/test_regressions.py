"""Regression tests: each docstring names the finding it guards against.

The findings are those of the hardening review of the page parser and the IRI keys ("Hardening:
parser findings"); each test fails if its fix is undone.
"""

import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.errors import PageFormatError
from ingest.namespaces import normalise_name, person_iri, person_key, slug
from ingest.parse import (
    MAX_LINE_CHARS,
    MAX_PAGE_BYTES,
    parse_file,
    parse_page,
    read_citation,
    split_lines,
)
from ingest.records import Author
from ingest.resources import DEFAULT_SOURCE, source_path


def examples(count: int) -> int:
    """Return how many examples a property test draws.

    MKG_HYPOTHESIS_EXAMPLES sets the number; under mutation testing (mutmut sets
    MUTANT_UNDER_TEST) each property test draws at most 20, so that a run takes minutes.
    """
    if "MKG_HYPOTHESIS_EXAMPLES" in os.environ:
        return int(os.environ["MKG_HYPOTHESIS_EXAMPLES"])
    return min(count, 20) if "MUTANT_UNDER_TEST" in os.environ else count


SEED = source_path(DEFAULT_SOURCE)
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str | bytes, name: str = "page.txt") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(PageFormatError) as caught:
        parse_file(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ---------------------------------------------------------------- parsing in linear time

# Reference lines of 64 KiB built to make a backtracking parser try every split of the text.
_HOSTILE = {
    "no final period": "Smith, J. " + "word " * 13_000,
    "many sentence ends": "Smith, J. " + "A. " * 21_000 + "Nature 1, 2 (2000).",
    "many commas": "Smith, J. " + "a, " * 21_000 + "Nature 1, 2 (2000).",
    "many names": "Smith, J., " * 5_900 + "Title. Nature 1, 2 (2000).",
    "many ampersands": "Smith, J. & " * 5_400 + "Title. Nature 1, 2 (2000).",
    "many brackets": "Smith, J. Title " + "(" * 60_000 + "2000).",
    "many initials": "Smith, " + "J." * 30_000 + " Title. Nature 1, 2 (2000).",
    "many errata": "Smith, J. Title. Nature 1, 2 (2000)" + "; erratum" * 7_000 + ".",
    "many chapters": "Smith, J. " + ". in " * 13_000 + "(Springer, 2000).",
    "many publishers": "Smith, J. Book (" + "Springer, " * 6_000 + "2000).",
    "many links": "Smith, J. Title. " + "http://a.b " * 5_000 + "(2000).",
    "many volume notes": "Smith, J. Title. Nature 1" + " Suppl.3" * 7_000 + ", 2 (2000).",
}


class _Work:
    """Count the work of the parser: Python lines run in ingest/parse.py and characters its
    compiled patterns are given to scan.

    Work, not time: tests do not time code (bench/bench_ingest.py times the parser, stage
    "parse", on pages of 100 KB to 10 MB). The count does not see backtracking inside one regex
    call, only how often and over how much text the parser calls its patterns.
    """

    def __init__(self) -> None:
        self.lines = 0
        self.scanned = 0

    def _trace(self, frame, event, arg):
        if not frame.f_code.co_filename.replace(os.sep, "/").endswith("ingest/parse.py"):
            return None

        def local(frame, event, arg):
            if event == "line":
                self.lines += 1
            return local

        return local

    def total(self) -> int:
        return self.lines + self.scanned


class _CountingPattern:
    """A compiled pattern that adds the length of the text it is given to scan to a _Work."""

    def __init__(self, pattern: re.Pattern[str], work: _Work) -> None:
        self._pattern, self._work = pattern, work

    def __getattr__(self, name: str):
        return getattr(self._pattern, name)


def _counted(method: str):
    def scan(self: _CountingPattern, string, *args, **kwargs):
        start = args[0] if args and isinstance(args[0], int) else kwargs.get("pos", 0)
        self._work.scanned += max(len(string) - start, 0) + 1
        return getattr(self._pattern, method)(string, *args, **kwargs)

    return scan


for _method in ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split"):
    setattr(_CountingPattern, _method, _counted(_method))


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch):
    """Count the parser's work during a test (see _Work)."""
    import ingest.parse as parse_module

    counter = _Work()
    for name, value in list(vars(parse_module).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(parse_module, name, _CountingPattern(value, counter))
    previous = sys.gettrace()
    sys.settrace(counter._trace)
    try:
        yield counter
    finally:
        sys.settrace(previous)


# Work per character of a line; a hostile line read in quadratic time would take thousands.
_WORK_PER_CHARACTER = 60


@pytest.mark.parametrize("name", list(_HOSTILE))
def test_a_64_kib_reference_line_is_read_with_work_linear_in_its_length(name: str, work) -> None:
    """Finding: the reference-tail regex backtracked; a 64 KB line with no final period took 9 s."""
    text = _HOSTILE[name][:MAX_LINE_CHARS]
    read_citation(text)
    assert 0 < work.total() <= _WORK_PER_CHARACTER * len(text)


def test_reading_work_grows_linearly_with_the_line(work) -> None:
    """Finding: the reference-tail regex backtracked (quadratic or worse in the line's length)."""

    def measured(count: int) -> int:
        before = work.total()
        read_citation("Smith, J. & " * count + "Title. Nature 1, 2 (2000)")
        return work.total() - before

    small, large = measured(2_000), measured(8_000)
    assert small > 0
    assert large <= small * 4 * 1.1  # four times the text, about four times the work


# ---------------------------------------------------------------- documented size limits


def test_a_page_over_the_size_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    """Finding: no size limit on a page; the limit (20 MiB) is documented in the README."""
    path = tmp_path / "page.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_PAGE_BYTES + 1)
    message = _error(path)
    assert message == (
        f"page.txt: the file is {MAX_PAGE_BYTES + 1:,} bytes; pages of up to "
        f"{MAX_PAGE_BYTES:,} bytes (20 MiB) are read (is this a review page?)"
    )


def test_a_page_text_over_the_size_limit_is_refused() -> None:
    """Finding: no size limit on a page (the text given to parse_page directly)."""
    with pytest.raises(PageFormatError, match="pages of up to 20 MiB are read"):
        parse_page("x" * (MAX_PAGE_BYTES + 1), source="page.txt")


def test_a_line_over_the_length_limit_is_refused_naming_it(tmp_path: Path) -> None:
    """Finding: no limit on a line's length; the limit (64 KiB) is documented in the README."""
    long = "Paget, S." + "x" * MAX_LINE_CHARS
    text = SEED_TEXT.replace("Paget, S.", long, 1)
    message = _error(_write(tmp_path, text))
    line = _line_of(text, long)
    assert message == (
        f"page.txt:{line}: the line is {len(text.split(chr(10))[line - 1]):,} characters long; "
        "lines of up to "
        f"{MAX_LINE_CHARS:,} characters are read (is this a review page?)"
    )


def test_a_line_at_the_length_limit_is_read() -> None:
    """Finding: no limit on a line's length (the limit itself is allowed)."""
    assert split_lines("a" * MAX_LINE_CHARS, source="page.txt") == ["a" * MAX_LINE_CHARS]


# ---------------------------------------------------------------- numbers


def test_a_reference_number_of_thousands_of_digits_is_one_line_error(tmp_path: Path) -> None:
    """Finding: a reference number of over 4,300 digits raised a ValueError traceback."""
    digits = "5" * 5000
    text = SEED_TEXT.replace("  5. Knapp", f"  {digits}. Knapp", 1)
    message = _error(_write(tmp_path, text))
    assert message == (
        f"page.txt:{_line_of(text, digits)}: reference number 555555555555… has 5,000 digits; "
        "expected at most 6"
    )


def test_a_figure_number_of_thousands_of_digits_is_one_line_error(tmp_path: Path) -> None:
    """Finding: a figure number of over 4,300 digits raised a ValueError traceback."""
    digits = "2" * 5000
    text = SEED_TEXT.replace("Figure 2: Dynamic", f"Figure {digits}: Dynamic", 1)
    message = _error(_write(tmp_path, text))
    assert f"page.txt:{_line_of(text, digits)}: figure number 222222222222… has 5,000 digits" in (
        message
    )


def test_a_reference_number_with_a_leading_zero_is_page_damage(tmp_path: Path) -> None:
    """Finding: a leading zero ('050.') was accepted as reference 50."""
    text = SEED_TEXT.replace("  50. So", "  050. So", 1)
    message = _error(_write(tmp_path, text))
    assert message == (
        f"page.txt:{_line_of(text, '  050. So')}: reference number '050' has a leading zero; "
        "expected 50"
    )


def test_a_figure_number_with_a_leading_zero_is_page_damage(tmp_path: Path) -> None:
    """Finding: a leading zero was accepted in a number (figures too)."""
    text = SEED_TEXT.replace("Figure 1: The", "Figure 01: The", 1)
    assert "figure number '01' has a leading zero; expected 1" in _error(_write(tmp_path, text))


def test_a_number_in_other_digits_is_page_damage(tmp_path: Path) -> None:
    """Finding: int() accepts digits of other scripts; a printed number is in ASCII digits."""
    text = SEED_TEXT.replace("  5. Knapp", "  \u0665. Knapp", 1)
    assert "reference number '\u0665' is not written in digits" in _error(_write(tmp_path, text))


# ---------------------------------------------------------------- line breaks


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x0b", "\x1c", "\x85"])
def test_a_line_separator_inside_a_title_stays_in_the_title(tmp_path: Path, separator: str) -> None:
    """Finding: U+2028 or a form feed in a title shifted every later line number (splitlines)."""
    text = SEED_TEXT.replace("secondary growths", f"secondary{separator}growths", 1)
    review = parse_file(_write(tmp_path, text))
    first = review.references[0]
    assert (
        first.citation.title
        == f"The distribution of secondary{separator}growths in cancer of the breast"
    )
    last = review.references[-1]
    assert last.line == _line_of(SEED_TEXT, "  163. Parulekar")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_end_at_newline_carriage_return_or_both(tmp_path: Path, newline: str) -> None:
    """Finding: lines are split on \\n, \\r\\n and \\r only; each ending gives the same page."""
    text = SEED_TEXT.replace("\n", newline)
    review = parse_file(_write(tmp_path, text))
    assert len(review.references) == 163
    assert review.references[-1].line == _line_of(SEED_TEXT, "  163. Parulekar")


# ---------------------------------------------------------------- keys of names


def test_a_cyrillic_look_alike_does_not_share_the_latin_key() -> None:
    """Finding: IRI keys dropped non-ASCII letters: Cyrillic 'а' in 'Paget' gave person/pget-s."""
    latin = person_key(Author("Paget", "S."))
    cyrillic = person_key(Author("P\u0430get", "S."))
    assert latin == "paget-s"
    assert cyrillic != latin
    assert cyrillic.startswith("pget--") and cyrillic.endswith("-s")


def test_a_family_name_without_latin_letters_keeps_a_key_of_its_own() -> None:
    """Finding: a family name with no Latin letters gave person/-s and paper/-1889-lancet-1-571."""
    key = person_key(Author("Иванов", "И."))
    assert not key.startswith("-")
    assert key != person_key(Author("Петров", "И."))
    assert re.fullmatch(r"x--[0-9a-f]{10}-x--[0-9a-f]{10}", key)


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Paget", "paget"),
        ("de Vos", "de-vos"),
        ("O'Reilly", "oreilly"),
        ("D\u2019Angelo", "dangelo"),
        ("Neville-Webbe", "neville-webbe"),
        ("Massagué", "massague"),
        ("Müller", "muller"),
        ("Mu\u0308ller", "muller"),
        ("García-Pérez", "garcia-perez"),
        ("Nat. Med.", "nat-med"),
        ("Drugs Today (Barc.)", "drugs-today-barc"),
        ("steeg-2006-nature-medicine-review.txt", "steeg-2006-nature-medicine-review-txt"),
    ],
)
def test_keys_of_ascii_and_accented_latin_names_stay_as_they_were(printed: str, key: str) -> None:
    """Finding: the slug fix must keep today's keys of ASCII and accented Latin names."""
    assert slug(printed) == key


@pytest.mark.parametrize(
    ("printed", "key"),
    [("Østergaard", "ostergaard"), ("Łukasz", "lukasz"), ("Straße", "strasse"),
     ("Þórsson", "thorsson"), ("Œuvre", "oeuvre"), ("Ærø", "aero"), ("Đorđević", "dordevic"),
     ("Iİıi", "iiii")],
)  # fmt: skip
def test_latin_letters_that_do_not_decompose_are_spelled_in_ascii(printed: str, key: str) -> None:
    """Finding: 'ø', 'æ', 'ß', 'ł', 'đ', 'œ', 'þ', 'ð', 'ı' were dropped from keys."""
    assert slug(printed) == key


_SCRIPTS = st.sampled_from(
    [
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "àáâäåçèéêëìíîïñòóôöùúûüýÿøæßłđœþðı",
        "абвгдежзийклмнопрстуфхцчшщыэюя",
        "αβγδεζηθικλμνξοπρστυφχψω",
        "中国田山川林森",
        " -.'\u2019",
        "0123456789",
        "\u0301\u0308\u0327",
    ]
)
_names = st.lists(_SCRIPTS.flatmap(lambda chars: st.text(alphabet=chars, min_size=1, max_size=4)),
                  min_size=1, max_size=5).map("".join)  # fmt: skip


@settings(max_examples=examples(2000), deadline=None)
@given(_names, _names)
def test_distinct_normalised_names_never_share_a_key(first: str, second: str) -> None:
    """Finding: names that differ in letters shared IRI keys (non-ASCII letters dropped)."""
    if normalise_name(first) != normalise_name(second):
        assert slug(first) != slug(second)
    else:
        assert slug(first) == slug(second)


@settings(max_examples=examples(500), deadline=None)
@given(_names)
def test_a_key_is_ascii_and_never_empty_for_a_name_with_letters(name: str) -> None:
    """Finding: a name with no Latin letters gave an empty key ('person/-s')."""
    key = slug(name)
    assert key.isascii()
    if any(c.isalnum() for c in unicodedata.normalize("NFKD", name)):
        assert key and not key.startswith("-") and not key.endswith("-")


def test_printed_names_that_share_a_key_get_distinct_person_iris() -> None:
    """Finding: two printed names with one key ('de Vos' and 'De Vos') made the build fail."""
    first, second = Author("de Vos", "F.Y."), Author("De Vos", "F.Y.")
    assert person_key(first) == person_key(second)
    assert person_iri(first) != person_iri(second, distinct=True)


def test_keys_of_titles_keep_letters_of_other_scripts() -> None:
    """Finding (same as person/pget-s): keys made of a title's first words dropped 'β' and 'α'."""
    from ingest.namespaces import work_key
    from ingest.records import Citation, Kind

    def in_press(title: str) -> Citation:
        return Citation(
            authors=(Author("Padua", "D."),), et_al=True, title=title, journal="Cell",
            volume=None, volume_note=None, first_page=None, last_page=None, page_note=None,
            year=None, kind=Kind.IN_PRESS, status="in the press", status_separator=" (",
        )  # fmt: skip

    beta = work_key(in_press("TGFβ primes breast tumors for lung metastasis seeding"))
    alpha = work_key(in_press("TGFα primes breast tumors for lung metastasis seeding"))
    assert beta != alpha
    assert re.fullmatch(
        r"padua-n-d-cell-in-the-press-tgf-primes-breast-tumors-for-lung--\w{10}", beta
    )
    ascii_title = work_key(in_press("TGF-beta primes breast tumors for lung metastasis seeding"))
    assert ascii_title == "padua-n-d-cell-in-the-press-tgf-beta-primes-breast-tumors-for"
