"""Make the journal catalogue from the NLM tables: python -m ingest.catalogue.make_journals.

Reads `nlm_journals.tsv` and `journal_abbreviations.tsv` (../shared/reference by default; see
README.md here) and writes, beside this module unless --out says otherwise:

- journals.tsv.gz: one row per journal, sorted, gzip with mtime 0 (byte-stable);
- journal_words.tsv: the key rules learned from the tables (word -> abbreviation, stopwords);
- journal_conflicts.tsv: where the two tables disagree, and what was kept.

Each starts with '#' lines naming the generator's version, the key rules' version and each
input's name, row count and SHA-256. The same inputs give byte-identical outputs.
"""

import argparse
import csv
import gzip
import hashlib
import io
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.catalogue.journals import (
    CATALOGUE,
    COLUMNS,
    KEY_RULES_VERSION,
    WORD_COLUMNS,
    WORDS,
    KeyRules,
    fold_text,
    key_words,
    load_catalogue,
    main_title,
    without_qualifier,
)
from ingest.journals import is_valid_issn

GENERATOR_VERSION = 1
CONFLICTS = "journal_conflicts.tsv"
CONFLICT_COLUMNS = ("kind", "nlm_id", "med_abbr", "nlm_journals_title", "other_title", "outcome")
NLM = "nlm_journals.tsv"
ABBREVIATIONS = "journal_abbreviations.tsv"
NLM_COLUMNS = ("nlm_id", "title", "med_abbr", "iso_abbr", "issn_print", "issn_online")
ABBREVIATION_COLUMNS = ("title", "med_abbr", "medline_indexed_2021", "nlm_id")
DEFAULT_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
DEFAULT_OUT = Path(__file__).resolve().parent

# Thresholds of the learned rules (README.md here and the journals module docstring).
MIN_PAIRS = 3
MIN_SHARE = 0.8
MIN_PAIRS_ONE_LETTER = 50
MIN_SHARE_ONE_LETTER = 0.95
MIN_STOPWORD_TITLES = 20
MIN_STOPWORD_SKIPPED = 0.9
MAX_STOPWORD_IN_ABBREVIATIONS = 0.01


@dataclass
class Row:
    """One catalogue row under construction."""

    nlm_id: str
    title: str
    med_abbr: str
    iso_abbr: str
    issn_print: str
    issn_online: str
    medline_indexed: str = ""
    source: str = ""


@dataclass(frozen=True)
class Input:
    """An input table: its file name, data rows and checksum."""

    name: str
    rows: list[dict[str, str]]
    sha256: str


@dataclass(frozen=True)
class Conflict:
    """A disagreement between the tables and what the catalogue keeps."""

    kind: str
    nlm_id: str
    med_abbr: str
    nlm_journals_title: str
    other_title: str
    outcome: str


def read_input(path: Path, columns: Sequence[str]) -> Input:
    """Read a reference table (unquoted TSV) and checksum its bytes."""
    data = path.read_bytes()
    csv.field_size_limit(10**9)
    reader = csv.DictReader(
        io.StringIO(data.decode("utf-8"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    missing = [column for column in columns if column not in (reader.fieldnames or ())]
    if missing:
        raise SystemExit(f"{path.name}: missing column(s) {', '.join(missing)}")
    return Input(path.name, list(reader), hashlib.sha256(data).hexdigest())


def merge_tables(
    nlm: list[dict[str, str]], abbreviations: list[dict[str, str]]
) -> tuple[list[Row], list[Conflict]]:
    """Return one row per journal of both tables, and the conflicts met while merging.

    A journal_abbreviations row describes the nlm_journals record with its NLM ID or, without
    one, the only record with its MEDLINE abbreviation, or the only one of several with its
    abbreviation and its title's words; failing that, the only record with its title's words
    whose MEDLINE or ISO abbreviation has its abbreviation's letters (NLM gives a journal outside
    MEDLINE only an ISO abbreviation: "Acta Agric. Slov." for "Acta Agric Slov"). The pair is
    merged when it is the only row describing that record, or the only one among several whose
    title has the record's words (case, diacritics, apostrophes and punctuation aside). The
    nlm_journals title and abbreviation are kept; the other table adds the MEDLINE-indexed flag
    and the abbreviation nlm_journals lacks (it has none for journals outside MEDLINE, only an ISO
    abbreviation), and differing titles and abbreviations are reported. A row describing
    a record it is not merged with keeps its title and abbreviation but not the record's NLM ID
    and ISSNs, and is reported, as are ISSNs failing their check digit (kept as given).
    """
    records = {record["nlm_id"]: record for record in nlm}
    by_abbreviation: dict[str, list[str]] = defaultdict(list)
    for record in nlm:
        if record["med_abbr"]:
            by_abbreviation[record["med_abbr"]].append(record["nlm_id"])
    conflicts: list[Conflict] = []
    claims: dict[str, list[dict[str, str]]] = defaultdict(list)
    apart: list[dict[str, str]] = []
    unclaimed: list[dict[str, str]] = []
    for row in abbreviations:
        nlm_id = row["nlm_id"]
        if nlm_id and nlm_id not in records:
            conflicts.append(_conflict("NLM ID not in nlm_journals", row, "", "kept as given"))
            apart.append(row)
        elif nlm_id:
            claims[nlm_id].append(row)
        elif row["med_abbr"] in by_abbreviation:
            named = by_abbreviation[row["med_abbr"]]
            words = key_words(row["title"])
            same = [nlm_id for nlm_id in named if key_words(records[nlm_id]["title"]) == words]
            if len(named) == 1 or len(same) == 1:
                claims[(same or named)[0]].append(row)
            else:
                outcome = (
                    f"kept apart: the abbreviation names {len(named)} nlm_journals records, "
                    f"{len(same)} with this title"
                )
                conflicts.append(_conflict("abbreviation of several records", row, "", outcome))
                apart.append(row)
        else:
            unclaimed.append(row)
    by_title = _records_by_title_and_abbreviation(nlm)
    for row in unclaimed:
        found = by_title.get((tuple(key_words(row["title"])), _plain(row["med_abbr"])), [])
        if len(found) == 1:
            claims[found[0]].append(row)
        else:
            apart.append(row)
    rows = []
    for record in nlm:
        journal = Row(**{column: record[column] for column in NLM_COLUMNS}, source="nlm_journals")
        claimants = claims.get(record["nlm_id"], [])
        merged = _merge_claimant(record, claimants, conflicts)
        if merged is not None:
            journal.medline_indexed = merged["medline_indexed_2021"]
            journal.source = "both"
            if not journal.med_abbr:
                journal.med_abbr = merged["med_abbr"]
            elif merged["med_abbr"] != journal.med_abbr:
                outcome = (
                    "merged: nlm_journals abbreviation kept, journal_abbreviations has "
                    f"{merged['med_abbr']!r}"
                )
                kind = "MEDLINE abbreviation differs"
                row = {**merged, "nlm_id": record["nlm_id"], "med_abbr": record["med_abbr"]}
                conflicts.append(_conflict(kind, row, record["title"], outcome))
        for claimant in claimants:
            if claimant is not merged:
                apart.append({**claimant, "nlm_id": "", "issn_print": "", "issn_online": ""})
        rows.append(journal)
    for other in apart:
        rows.append(
            Row(
                nlm_id=other["nlm_id"],
                title=other["title"],
                med_abbr=other["med_abbr"],
                iso_abbr="",
                issn_print=other.get("issn_print", ""),
                issn_online=other.get("issn_online", ""),
                medline_indexed=other["medline_indexed_2021"],
                source="journal_abbreviations",
            )
        )
    for journal in rows:
        for issn in (journal.issn_print, journal.issn_online):
            if issn and not is_valid_issn(issn):
                outcome = "kept as given: the ISSN fails its check digit"
                conflicts.append(
                    Conflict(
                        "ISSN check digit",
                        journal.nlm_id,
                        journal.med_abbr,
                        "",
                        journal.title,
                        outcome,
                    )
                )
    return rows, sorted(conflicts, key=lambda c: tuple(vars(c).values()))


def _plain(abbreviation: str) -> str:
    """Return an abbreviation's letters and digits, folded: 'Acta Bot. Gall.' -> 'actabotgall'."""
    return "".join(key_words(abbreviation))


def _records_by_title_and_abbreviation(
    nlm: list[dict[str, str]],
) -> dict[tuple[tuple[str, ...], str], list[str]]:
    """Return NLM IDs by (title words, folded letters of the MEDLINE or ISO abbreviation)."""
    found: dict[tuple[tuple[str, ...], str], list[str]] = defaultdict(list)
    for record in nlm:
        title = tuple(key_words(record["title"]))
        for abbreviation in {_plain(record["med_abbr"]), _plain(record["iso_abbr"])} - {""}:
            found[(title, abbreviation)].append(record["nlm_id"])
    return found


def _merge_claimant(
    record: dict[str, str], claimants: list[dict[str, str]], conflicts: list[Conflict]
) -> dict[str, str] | None:
    """Return the claimant merged with `record`, reporting every claimant left apart."""
    if not claimants:
        return None
    title = key_words(record["title"])
    same = [row for row in claimants if key_words(row["title"]) == title]
    for row in claimants:
        for column in ("issn_print", "issn_online"):
            if row.get(column) and row[column] != record[column]:
                outcome = f"kept apart: its {column} {row[column]} is not {record[column]!r}"
                conflicts.append(_conflict("ISSN differs", row, record["title"], outcome))
                return None
    if len(claimants) == 1:
        if not same:
            outcome = "merged (same NLM ID): nlm_journals title kept"
            conflicts.append(_conflict("title differs", claimants[0], record["title"], outcome))
        return claimants[0]
    if len(same) == 1:
        merged = same[0]
    else:
        merged = None
    for row in claimants:
        if row is not merged:
            outcome = (
                f"kept apart without NLM ID and ISSNs: {len(claimants)} titles share the "
                f"abbreviation, {len(same)} equal to the record's title"
            )
            conflicts.append(_conflict("NLM ID of several titles", row, record["title"], outcome))
    return merged


def _conflict(kind: str, row: dict[str, str], nlm_title: str, outcome: str) -> Conflict:
    nlm_id = row["nlm_id"]
    return Conflict(kind, nlm_id, row["med_abbr"], nlm_title, row["title"], outcome)


def _abbreviates(abbreviation: str, word: str) -> bool:
    """Tell whether `abbreviation` can shorten `word`: same first letter, its letters in order."""
    if abbreviation == word:
        return True
    if abbreviation[0] != word[0] or len(abbreviation) >= len(word):
        return False
    letters = iter(word)
    return all(letter in letters for letter in abbreviation)


def align_words(abbreviation: list[str], title: list[str]) -> list[tuple[str, str]] | None:
    """Return (title word, abbreviation word) pairs aligned in order, None if some word is left.

    Each abbreviation word goes to the next title word it can shorten; title words passed over
    are skipped. An abbreviation word that finds no title word leaves the pair unaligned.
    """
    pairs = []
    position = 0
    for short in abbreviation:
        while position < len(title) and not _abbreviates(short, title[position]):
            position += 1
        if position == len(title):
            return None
        pairs.append((title[position], short))
        position += 1
    return pairs


def learn_rules(rows: Iterable[Row]) -> tuple[KeyRules, list[tuple[str, str, str, int, float]]]:
    """Learn word -> abbreviation rules and stopwords from the catalogue's own names.

    Returns the rules and their table rows (kind, word, abbreviation, pairs, share).
    """
    aligned: Counter[tuple[str, str]] = Counter()
    word_total: Counter[str] = Counter()
    in_titles: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    in_abbreviations: Counter[str] = Counter()
    variants: Counter[tuple[str, str]] = Counter()
    variant_total: Counter[str] = Counter()
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for row in rows:
        title = tuple(key_words(main_title(row.title)))
        for abbreviation in {row.med_abbr, row.iso_abbr} - {""}:
            shortened = tuple(key_words(without_qualifier(abbreviation)))
            if not shortened or not title or (shortened, title) in seen:
                continue
            if len(shortened) == 1 and len(title) == 1:
                # One-word titles are not abbreviated (ISO 4): they say nothing of the words.
                continue
            seen.add((shortened, title))
            in_abbreviations.update(set(shortened))
            pairs = align_words(list(shortened), list(title))
            if pairs is None:
                continue
            aligned.update(pairs)
            word_total.update(word for word, _ in pairs)
            in_titles.update(set(title))
            skipped.update(set(title) - {word for word, _ in pairs})
        if row.med_abbr and row.iso_abbr:
            iso = key_words(without_qualifier(row.iso_abbr))
            med = key_words(without_qualifier(row.med_abbr))
            if len(iso) == len(med):
                for iso_word, med_word in zip(iso, med, strict=True):
                    variant_total[iso_word] += 1
                    if iso_word != med_word:
                        variants[(iso_word, med_word)] += 1
    stopwords = {
        word
        for word, titles in in_titles.items()
        if len(word) >= 2
        and titles >= MIN_STOPWORD_TITLES
        and skipped[word] >= MIN_STOPWORD_SKIPPED * titles
        and in_abbreviations[word] <= MAX_STOPWORD_IN_ABBREVIATIONS * titles
    }
    table: list[tuple[str, str, str, int, float]] = []
    words: dict[str, str] = {}
    sources = (("word", aligned, word_total), ("variant", variants, variant_total))
    for kind, counts, totals in sources:
        best: dict[str, tuple[int, str]] = {}
        for (word, short), count in counts.items():
            if (count, short) > best.get(word, (0, "")):
                best[word] = (count, short)
        for word, (count, short) in sorted(best.items()):
            share = count / totals[word]
            if short == word or word in stopwords or short in stopwords or word in words:
                continue
            one_letter = len(short) == 1
            if count < (MIN_PAIRS_ONE_LETTER if one_letter else MIN_PAIRS):
                continue
            if share < (MIN_SHARE_ONE_LETTER if one_letter else MIN_SHARE):
                continue
            words[word] = short
            table.append((kind, word, short, count, share))
    # A rule whose abbreviation is itself a rule's word would make keys depend on the order.
    chained = {word for word, short in words.items() if short in words}
    table = [entry for entry in table if entry[1] not in chained]
    for word in chained:
        del words[word]
    table += [
        ("stopword", word, "", skipped[word], skipped[word] / in_titles[word]) for word in stopwords
    ]
    table.sort(key=lambda entry: (entry[0], entry[1]))
    return KeyRules(words=words, stopwords=frozenset(stopwords)), table


def row_keys(row: Row, rules: KeyRules) -> tuple[str, str, str]:
    """Return a row's abbreviation keys, title key and keys without qualifier."""
    abbreviations = [abbreviation for abbreviation in (row.med_abbr, row.iso_abbr) if abbreviation]
    keys = sorted({rules.key(abbreviation) for abbreviation in abbreviations} - {""})
    bases = sorted(
        {
            rules.key(without_qualifier(abbreviation))
            for abbreviation in abbreviations
            if "(" in abbreviation
        }
        - set(keys)
        - {""}
    )
    return "|".join(keys), rules.key(main_title(row.title)), "|".join(bases)


def header_lines(inputs: Sequence[Input], *, what: str, rows: int) -> list[str]:
    """Return the '#' lines that name what a file is and what it was made from."""
    lines = [
        f"# {what}",
        "# Made by python -m ingest.catalogue.make_journals (ingest/catalogue/README.md);"
        " do not edit.",
        f"# generator version: {GENERATOR_VERSION}",
        f"# key rules version: {KEY_RULES_VERSION}",
    ]
    for table in inputs:
        lines.append(f"# input: {table.name} rows {len(table.rows)} sha256 {table.sha256}")
    lines.append(f"# rows: {rows}")
    return lines


def _cell(value: str) -> str:
    if "\t" in value or "\n" in value or "\r" in value:
        raise SystemExit(f"a cell holds a tab or a line break: {value!r}")
    return value


def catalogue_text(rows: list[Row], rules: KeyRules, inputs: Sequence[Input]) -> str:
    """Return the catalogue as text: header, column names, rows sorted by title."""
    lines = []
    for row in rows:
        cells = [*vars(row).values(), *row_keys(row, rules)]
        lines.append("\t".join(_cell(cell) for cell in cells))
    lines.sort(key=lambda line: (fold_text(line.split("\t")[1]), line))
    what = "Journal catalogue: one row per journal of the NLM tables below."
    head = header_lines(inputs, what=what, rows=len(lines))
    return "\n".join([*head, "\t".join(COLUMNS), *lines]) + "\n"


def gzip_bytes(text: str) -> bytes:
    """Return `text` gzip-compressed with no file name and mtime 0, so equal text = equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))
    return buffer.getvalue()


def words_text(table: list[tuple[str, str, str, int, float]], inputs: Sequence[Input]) -> str:
    """Return the learned key rules as text."""
    what = (
        "Key rules learned from the NLM tables: word -> abbreviation (title words), variant "
        "(ISO word -> MEDLINE word), stopword (pairs = titles skipping it)."
    )
    lines = [
        f"{kind}\t{word}\t{short}\t{count}\t{share:.3f}"
        for kind, word, short, count, share in table
    ]
    head = header_lines(inputs, what=what, rows=len(lines))
    return "\n".join([*head, "\t".join(WORD_COLUMNS), *lines]) + "\n"


def conflicts_text(conflicts: list[Conflict], inputs: Sequence[Input]) -> str:
    """Return the conflicts report as text."""
    what = "Where the NLM tables disagree about a journal, and what the catalogue keeps."
    lines = ["\t".join(_cell(value) for value in vars(c).values()) for c in conflicts]
    head = header_lines(inputs, what=what, rows=len(lines))
    return "\n".join([*head, "\t".join(CONFLICT_COLUMNS), *lines]) + "\n"


def make_catalogue(reference: Path, out: Path) -> dict[str, int]:
    """Write the catalogue, its key rules and conflicts into `out`; return counts."""
    nlm = read_input(reference / NLM, NLM_COLUMNS)
    abbreviations = read_input(reference / ABBREVIATIONS, ABBREVIATION_COLUMNS)
    inputs = (nlm, abbreviations)
    rows, conflicts = merge_tables(nlm.rows, abbreviations.rows)
    rules, table = learn_rules(rows)
    out.mkdir(parents=True, exist_ok=True)
    (out / CATALOGUE).write_bytes(gzip_bytes(catalogue_text(rows, rules, inputs)))
    (out / WORDS).write_text(words_text(table, inputs), encoding="utf-8", newline="\n")
    (out / CONFLICTS).write_text(conflicts_text(conflicts, inputs), encoding="utf-8", newline="\n")
    sources = Counter(row.source for row in rows)
    catalogue = load_catalogue.__wrapped__(out)
    return {
        "rows": len(rows),
        **{f"rows from {source}": count for source, count in sorted(sources.items())},
        "word rules": len(rules.words),
        "stopwords": len(rules.stopwords),
        "conflicts": len(conflicts),
        "bytes": (out / CATALOGUE).stat().st_size,
        **{
            f"{via} keys naming several journals": len(catalogue.collisions(via))
            for via, _ in catalogue.indexes()
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator from the command line."""
    parser = argparse.ArgumentParser(prog="python -m ingest.catalogue.make_journals")
    parser.add_argument(
        "--reference",
        type=Path,
        default=DEFAULT_REFERENCE,
        help="directory holding nlm_journals.tsv and journal_abbreviations.tsv",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    arguments = parser.parse_args(argv)
    counts = make_catalogue(arguments.reference, arguments.out)
    for name, count in counts.items():
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
