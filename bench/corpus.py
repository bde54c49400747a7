"""Generate synthetic review pages in the publisher's text format, for the scaling benchmark.

Every page is made up except its vocabulary. Journals come from the NLM journal catalogue
(ingest/catalogue/) and the curated lexicon, printed in the house styles publishers use (ISO
abbreviations, MEDLINE abbreviations with or without periods, "Natl"/"USA" contractions, full
titles); references are of every kind the parser reads (articles with errata or a trailing DOI,
in press, online ahead of print, preprints, books, chapters, meeting abstracts, theses, reports,
web pages with access dates, databases, data sets, patents, personal communications, unpublished
data); authors have particles, suffixes, non-Latin letters and combining marks, or are
consortia. Entity names come from the full grounding index (ingest/vocabulary/: genes, gene
families, drugs, anatomy, cancers, cell types, organisms) and the curated metastatic processes.
The people, titles, volumes, pages and years are invented; DOIs are `10.5555/mkg-synthetic.N`,
whose prefix says they name no real work. Every printed reference reads back, with the build's
own journal index, into the record it was printed from.

The corpus is deterministic by seed and nested: the first N pages of a larger corpus are
byte-identical to a corpus of N reviews with the same seed, so a scaling series builds growing
prefixes of one corpus. Part of every reference list is drawn from a pool of shared papers (the
classics many reviews cite), so papers, journals and printed names merge across reviews.

    python bench/corpus.py --reviews 100 --seed 0 --out build/bench/corpus
    python bench/corpus.py --reviews 20 --check     # parse and ground them; report the numbers

`--check` parses every page as the build does, counts references read only partly (there
should be none: each was printed from a record it reads back into), grounds every title,
abstract and figure title, and compares the mentions with the names the generator planted:
recall (planted names found, at their offsets, as the entity they were drawn from) and
precision (mentions over planted names that name the planted entity), per kind.
"""

import argparse
import functools
import random
import re
import sqlite3
import string
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

# Run as a script from anywhere: the repository root holds the `ingest` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.journals import load_journals  # noqa: E402
from ingest.namespaces import natural_iri, person_key  # noqa: E402
from ingest.parse import (  # noqa: E402
    BULLET,
    JournalIndex,
    default_journals,
    read_citation,
    render_citation,
    render_links,
)
from ingest.records import Author, Citation, Erratum, Kind  # noqa: E402
from ingest.resources import lexicon_path  # noqa: E402
from ingest.tsv import read_tsv  # noqa: E402

DOI_PREFIX = "10.5555/mkg-synthetic."
MIN_REFERENCES, MAX_REFERENCES = 60, 200
# The publisher prints up to five names; our lists go to eight so long lists get exercised too.
MAX_PRINTED_AUTHORS = 8
SHARED_FRACTION = (0.15, 0.35)
# The first papers of the shared pool are the field's classics: classic k is cited by a review
# with probability CLASSIC_ODDS / (1 + k / 5), so any two reviews are likely to share a few.
CLASSICS, CLASSIC_ODDS = 40, 0.6
# The rest of the shared papers are drawn from a pool that grows with the corpus, skewed towards
# its start, so some are cited by many reviews and most by a handful.
SHARED_POOL_BASE, SHARED_POOL_PER_REVIEW = 300, 30
PERSON_POOL_BASE, PERSON_POOL_PER_REVIEW = 1500, 400

# Link-label rows and their counts under the shipped review's 163 references.
LINK_ROWS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("Article", "CAS", "PubMed", "Google Scholar"), 114),
    (("Article", "CAS", "PubMed", "PubMed Central", "Google Scholar"), 20),
    (("CAS", "PubMed", "Google Scholar"), 17),
    (("Article", "PubMed", "Google Scholar"), 8),
    (("Article", "Google Scholar"), 2),
    (("CAS", "PubMed", "PubMed Central", "Google Scholar"), 1),
    (("Article", "CAS", "Google Scholar"), 1),
)
# Site chrome of the publisher's page, as the shipped page prints it.
BANNER = "iBet uBet web content aggregator. Adding the entire web to your favor."
BROWSER_NOTICE = (
    "Thank you for visiting nature.com. You are using a browser version with limited support for "
    "CSS. To obtain the best experience, we recommend you use a more up to date browser (or turn "
    "off compatibility mode in Internet Explorer). In the meantime, to ensure continued support, "
    "we are displaying the site without styles and JavaScript."
)
PAYWALL = (
    "This is a preview of subscription content, access via your institution",
    "Access options",
    "Buy this article",
    "Prices may be subject to local taxes which are calculated during checkout",
)
NEWSLETTER = (
    "Sign up for the Nature Briefing newsletter \u2014 what matters in science, free to your "
    "inbox daily."
)

# What the publisher prints under a reference that is not a journal article.
OTHER_LINKS = (("Google Scholar",), ("Article", "Google Scholar"))

# The kinds of reference and how often a review cites each (per 1,000 new references); the
# journal articles take the rest. Shared papers (the classics) are journal articles.
KIND_WEIGHTS: tuple[tuple[Kind, int], ...] = (
    (Kind.IN_PRESS, 12),
    (Kind.ONLINE_FIRST, 12),
    (Kind.PREPRINT, 10),
    (Kind.BOOK, 15),
    (Kind.CHAPTER, 20),
    (Kind.CONFERENCE_ABSTRACT, 15),
    (Kind.THESIS, 5),
    (Kind.REPORT, 8),
    (Kind.WEB_PAGE, 10),
    (Kind.DATABASE, 5),
    (Kind.DATA_SET, 6),
    (Kind.PATENT, 5),
    (Kind.PERSONAL_COMMUNICATION, 6),
    (Kind.UNPUBLISHED, 6),
)
ERRATUM_ODDS, TRAILING_DOI_ODDS = 0.01, 0.02

# House styles of a printed journal name and how often each is drawn.
HOUSE_STYLES: tuple[tuple[str, int], ...] = (
    ("iso", 30),  # 'Proc. Natl. Acad. Sci. U.S.A.'
    ("dotted", 30),  # the MEDLINE abbreviation, a period after each abbreviated word
    ("medline", 15),  # 'Proc Natl Acad Sci U S A'
    ("nature", 15),  # the dotted form with contractions: 'Proc. Natl Acad. Sci. USA'
    ("title", 5),  # the full title in title case, for a title of up to six words
    ("lexicon", 5),  # as the curated lexicon prints it
)
_SMALL_WORDS = frozenset("a an and de der des di for in of on the to".split())
_CONTRACTIONS = {"Natl.": "Natl", "Int.": "Int", "Dept.": "Dept", "Assoc.": "Assoc."}

# Surnames for invented people; particles, apostrophes and hyphens are added by _family().
SURNAMES = (
    "Abe Adams Ahmed Alvarez Andersen Aoki Bailey Baker Banerjee Bauer Becker Berg Bianchi "
    "Brown Campbell Carter Chan Chen Cho Clark Cohen Collins Costa Cruz Dahl Das Davies Diaz "
    "Dubois Duncan Evans Fernandes Fischer Fleming Fontaine Foster Fujita Garcia Gomez Gonzalez "
    "Gordon Graham Gupta Hall Hansen Hayashi Hoffmann Holm Hughes Ito Jansen Jensen Johansson "
    "Kaur Keller Khan Kim Klein Koch Kowalski Kumar Lambert Larsen Laurent Lee Lehmann Li Lin "
    "Lindqvist Liu Lopez Marino Martin Meyer Miller Moreau Morris Murphy Nakamura Nielsen Novak "
    "Ogawa Olsen Park Patel Perez Petrov Pham Quinn Rao Reyes Ricci Roberts Romano Rossi Sanchez "
    "Sato Schmidt Schneider Sharma Silva Singh Smith Sorensen Suzuki Tanaka Taylor Thomas Torres "
    "Tran Turner Vargas Wagner Walker Wang Watanabe Weber Wilson Wong Wright Wu Xu Yamamoto Yang "
    "Yilmaz Young Zhang Zhao Zhou Zimmermann"
).split()
# Names in other scripts and with diacritics, precomposed or combining ('Mu\u0308ller').
OTHER_SURNAMES = (
    "Massagué Müller Østergaard Łukasz Öztürk García-Pérez Alix-Panabières Nguyễn Иванов "
    "Петрова Смирнов Παπαδόπουλος Γεωργίου Mu\u0308ller Jo\u0301nsson Dvořák Şahin Ångström"
).split()
OTHER_INITIALS = ("И.", "П.", "Δ.", "Ö.", "Ł.", "Ş.")
PARTICLES = ("van", "van der", "van den", "de", "De", "de la", "von", "Van", "da", "Di", "Le", "El")
APOSTROPHES = ("O'", "D'")
INITIAL_LETTERS = "ABCDEFGHIJKLMNOPRSTVWY"
SUFFIXES = (("Jr.", ", "), ("III", ", "), ("Jr", " "))
GROUPS = (
    "The Cancer Genome Atlas Research Network",
    "ICGC/TCGA Pan-Cancer Analysis of Whole Genomes Consortium",
    "Early Breast Cancer Trialists' Collaborative Group (EBCTCG)",
    "International Breast Cancer Study Group",
    "World Health Organization",
)

PUBLISHERS = ("Garland Science", "Springer", "Lippincott Williams & Wilkins", "Elsevier", "IARC")
PLACES = (None, "New York", "Philadelphia", "Lyon", "Cold Spring Harbor, New York", "London")
UNIVERSITIES = ("Univ. Cambridge", "Univ. California, San Francisco", "Karolinska Institutet")
MEETINGS = (
    "the American Association for Cancer Research Annual Meeting",
    "the San Antonio Breast Cancer Symposium",
    "the ASCO Annual Meeting",
)
MONTHS = "January February March April May June July August September October November December"

# Title templates. Slots: {gene} gene or gene family, {drug}, {site} / {site_adj} anatomical site
# as noun / adjective, {cancer}, {cell} cell type, {process} / {process_adj} metastatic process as
# noun / adjective, {organism} / {organism_adj}; a trailing 2 asks for a second, different term.
TITLE_TEMPLATES = (
    "{gene} regulates {process} in {cancer}",
    "Role of {gene} in {process} of {cancer} to the {site}",
    "{drug} inhibits {process} of {cell} in {organism}",
    "{gene} and {gene2} cooperate in {process}",
    "Expression of {gene} predicts {process} in {cancer}",
    "A {organism_adj} model of {cancer} {process} to the {site}",
    "{process_adj} {cancer} cells colonize the {site}",
    "Targeting {gene} with {drug} suppresses {process} in {organism_adj} {cancer}",
    "{cell} promote {process} through {gene} signalling",
    "Phase II trial of {drug} in {process_adj} {cancer}",
    "{gene} is a suppressor of {process} in {cancer}",
    "Loss of {gene} enhances {process} and {process2}",
    "{site_adj} {process} of {cancer}: mechanisms and therapy",
    "Genes that mediate {cancer} {process} to the {site}",
    "{cell} in the {site} microenvironment drive {process}",
    "{drug} and {drug2} in {process_adj} {cancer}: a randomized trial",
    "The {site} as a site of {process}",
    "{gene} signalling in {cell}",
    "Inhibition of {gene} by {drug} reduces {process} in {organism}",
    "Molecular profiling of {process_adj} {cancer}",
    "{gene} mediates {process} of {cancer} cells",
    "Does {gene} control {process} in {cancer}?",
    "{process} and {process2}: two faces of {cancer} progression",
    "Circulating {cell} and {process} in patients with {cancer}",
    "A role for {gene} in {site_adj} {process}",
    "{gene} drives {process} to the {site}!",
)
REVIEW_TEMPLATES = (
    "{process} in {cancer}: from {gene} to the clinic",
    "Mechanisms of {cancer} {process} to the {site}",
    "Targeting {gene} in {process_adj} {cancer}",
    "The {site} microenvironment in {process}",
    "{gene}, {gene2} and the biology of {process}",
    "Therapeutic opportunities in {process_adj} {cancer}",
)
FIGURE_TEMPLATES = (
    "The {process_adj} cascade.",
    "{gene} signalling in {process}.",
    "Interactions of {cell} and tumor cells in the {site}.",
    "Targets of {drug} in {cancer}.",
    "Organ-specific {process} of {cancer}.",
    "Proposed model of {gene} and {gene2} in {process}.",
)
ABSTRACT_TEMPLATES = (
    "{process} is the main cause of death in patients with {cancer}.",
    "Tumor cells interact with {cell} in the {site} through {gene} and {gene2}.",
    "Inhibitors such as {drug} block {process} in {organism_adj} models.",
    "Recent studies link {gene} to {process} and {process2}.",
    "Clinical trials of {drug} in {process_adj} {cancer} are reviewed.",
    "Here we discuss how {site_adj} {process} could be prevented.",
)

# Forms that read badly in a template (verbs, clauses, compounds used as adjectives).
_AWKWARD = frozenset({"metastasize", "cells arrest", "tumour-cell", "secondary growths"})
_ADJECTIVE_ENDINGS = ("ic", "ive", "ant", "ed", "al", "ary", "ar", "ous", "an", "ine")
# Index names kept out of titles: punctuation the reference style gives a meaning to (a full
# stop ends the title, brackets hold a year or a note), and names of more than six words.
_UNPRINTABLE = re.compile(r"[.;:?!()\[\]{}|\"<>]|https?:|\b10\.\d")
_MAX_NAME_WORDS = 6
# Slots filled from the index, by the index's kind; processes and adjectives are curated.
INDEX_SLOTS = {
    "gene": "gene",
    "drug": "drug",
    "site": "anatomy",
    "cancer": "cancer",
    "cell": "cell_type",
    "organism": "organism",
}
GENE_FAMILY_ODDS = 0.1


@dataclass(frozen=True)
class Name:
    """A name the generator may print, and the entity (index or curated id) it was drawn for."""

    text: str
    entity: str
    kind: str


@dataclass(frozen=True)
class Plant:
    """A name printed in a text: where, and the entity it was drawn for."""

    start: int
    end: int
    name: Name


@dataclass(frozen=True)
class Vocabulary:
    """Names and journals the generator draws from.

    Index slots hold, per kind, the printable grounding names of each entity (drawn entity first,
    then one of its names); processes, adjectives and organism adjectives are curated forms.
    """

    entities: dict[str, tuple[tuple[Name, ...], ...]]
    processes: tuple[Name, ...]
    process_adjectives: tuple[Name, ...]
    site_adjectives: tuple[Name, ...]
    organism_adjectives: tuple[Name, ...]
    # (printed name, full title); the curated lexicon's first.
    journals: tuple[tuple[str, str], ...]
    skipped_names: int = 0


@dataclass(frozen=True)
class Page:
    """One generated review page: its file name and text."""

    name: str
    text: str


def _curated(name: str, kind: str) -> list[Name]:
    """Return the forms of a curated forms table, leaving out typos and context-bound symbols."""
    rows = read_tsv(lexicon_path(name))
    skip = ("typo", "stray", "context")
    return [
        Name(row["form"], row["id"], kind)
        for row in rows
        if row["form"] not in _AWKWARD and not any(word in row["note"] for word in skip)
    ]


def _split_adjectives(forms: list[Name]) -> tuple[tuple[Name, ...], tuple[Name, ...]]:
    """Split forms into nouns and adjectives by their ending (good enough for templates)."""
    adjectives = tuple(f for f in forms if f.text.islower() and f.text.endswith(_ADJECTIVE_ENDINGS))
    return tuple(f for f in forms if f not in adjectives), adjectives


def _index_names(kinds: Sequence[str]) -> tuple[dict[str, tuple[tuple[Name, ...], ...]], int]:
    """Return the printable grounding names of every index entity of each kind, and how many
    grounding names were left out as unprintable."""
    from ingest.vocabulary import load_vocabulary

    vocabulary = load_vocabulary()
    merged = vocabulary.merged
    connection = sqlite3.connect(f"file:{vocabulary.path}?mode=ro", uri=True)
    by_kind: dict[str, dict[str, list[Name]]] = {kind: {} for kind in kinds}
    skipped = 0
    try:
        rows = connection.execute(
            "SELECT e.kind, n.entity, n.text FROM names n JOIN entities e ON e.id = n.entity"
            " WHERE n.status = 'ground' ORDER BY n.entity, n.rowid"
        )
        for kind, entity, text in rows:
            if kind not in by_kind:
                continue
            if _UNPRINTABLE.search(text) or len(text.split()) > _MAX_NAME_WORDS:
                skipped += 1
                continue
            entity_id = merged.get(entity, entity)
            by_kind[kind].setdefault(entity_id, []).append(Name(text, entity_id, kind))
    finally:
        connection.close()
    entities = {
        kind: tuple(tuple(names) for _, names in sorted(found.items()))
        for kind, found in by_kind.items()
    }
    return entities, skipped


def _catalogue_journals() -> list[tuple[str, str]]:
    """Return (printed name, title) for every catalogue journal, each in one drawn house style."""
    from ingest.catalogue.journals import load_catalogue, load_key_rules

    abbreviated = set(load_key_rules().words.values())
    journals = []
    for number, journal in enumerate(load_catalogue()):
        if not (journal.med_abbr or journal.iso_abbr):
            continue
        rng = random.Random(f"journal-style:{number}:{journal.title}")
        style = rng.choices(*zip(*HOUSE_STYLES, strict=True))[0]
        printed = _house_style(
            journal.title, journal.med_abbr, journal.iso_abbr, style, abbreviated
        )
        # Printed names are single-spaced. A name with a number or ending in a bracketed
        # qualifier ('Vital Health Stat. 14') cannot be told from the volume, nor one whose
        # periods join words ('N.I.D.I.'): the publisher prints neither.
        printed = " ".join(printed.split())
        if printed[:1].isalpha() and not re.search(r"[0-9]|\)$|\.\w|[,;:]", printed):
            journals.append((printed, journal.title))
    return journals


def _house_style(
    title: str, med: str | None, iso: str | None, style: str, abbreviated: set[str]
) -> str:
    """Print a journal name in a house style (falling back on the forms the tables give)."""
    medline = med or (iso or "").replace(".", "")
    words = medline.split(" ")
    dotted = " ".join(
        w + "." if len(words) > 1 and w.casefold() in abbreviated else w for w in words
    )
    if style == "iso" and iso and "." in iso:
        return iso
    if style == "medline":
        return medline
    if style == "nature":
        printed = " ".join(_CONTRACTIONS.get(w, w) for w in dotted.split(" "))
        return re.sub(r"\bU\. ?S\. ?A\.?$|\bU S A$", "USA", printed)
    if style == "title" and len(title.split()) <= 6 and title[:1].isupper():
        # Title case, perhaps with '&' for 'and': 'Journal of Cell Science', 'Cancer & Metabolism'.
        words = [w if w in _SMALL_WORDS else w[:1].upper() + w[1:] for w in title.split(" ")]
        printed = " ".join(words)
        return printed.replace(" and ", " & ") if len(title) % 2 else printed
    return re.sub(r"^Nat\. Rev\. ", "Nature Rev. ", dotted)


@functools.cache
def load_vocabulary() -> Vocabulary:
    """Read the names of the grounding index, the curated processes and adjectives, and the
    journals of the curated lexicon and the NLM catalogue."""
    entities, skipped = _index_names([*INDEX_SLOTS.values(), "gene_family"])
    _, site_adjectives = _split_adjectives(_curated("forms_anatomy.tsv", "anatomy"))
    processes, process_adjectives = _split_adjectives(_curated("forms_processes.tsv", "process"))
    _, organism_adjectives = _split_adjectives(_curated("forms_organisms.tsv", "organism"))
    lexicon = [(abbreviation, j.title) for abbreviation, j in load_journals().items()]
    known = {printed for printed, _ in lexicon}
    journals = lexicon + [j for j in _catalogue_journals() if j[0] not in known]
    return Vocabulary(
        entities=entities,
        processes=processes,
        process_adjectives=process_adjectives,
        site_adjectives=site_adjectives,
        organism_adjectives=organism_adjectives,
        journals=tuple(dict(journals).items()),
        skipped_names=skipped,
    )


def _draw_name(slot: str, rng: random.Random, vocabulary: Vocabulary) -> Name:
    """Draw an entity of a slot's kind from the index, then one of its names."""
    if slot == "gene" and rng.random() < GENE_FAMILY_ODDS:
        entities = vocabulary.entities["gene_family"]
    elif slot in INDEX_SLOTS:
        entities = vocabulary.entities[INDEX_SLOTS[slot]]
    else:
        curated = {
            "process": vocabulary.processes,
            "process_adj": vocabulary.process_adjectives,
            "site_adj": vocabulary.site_adjectives,
            "organism_adj": vocabulary.organism_adjectives,
        }[slot]
        return rng.choice(curated)
    return rng.choice(rng.choice(entities))


def _fill(template: str, rng: random.Random, vocabulary: Vocabulary) -> tuple[str, list[Plant]]:
    """Fill a template's slots with drawn names; a slot ending in 2 differs from its first use.

    Return the text and where each name was planted.
    """
    values: dict[str, Name] = {}
    parts: list[tuple[str, Name | None]] = []
    for literal, slot, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append((literal, None))
        if slot is None:
            continue
        if slot not in values:
            base = slot[:-1] if slot.endswith("2") else slot
            name = _draw_name(base, rng, vocabulary)
            for _ in range(20):
                if slot == base or name.entity != values.get(base, name).entity:
                    break
                name = _draw_name(base, rng, vocabulary)
            values[slot] = name
        parts.append((values[slot].text, values[slot]))
    # Capitalise an opening lower-case form; symbols such as 'p53' or 'c-Met' keep their case.
    first, first_name = parts[0]
    if first.split(" ", 1)[0].islower():
        parts[0] = (first[0].upper() + first[1:], first_name)
    text, plants = "", []
    for piece, name in parts:
        if name is not None:
            plants.append(Plant(len(text), len(text) + len(piece), name))
        text += piece
    return text, plants


def _family(rng: random.Random) -> str:
    """Return an invented family name, some with particles, apostrophes, hyphens or in another
    script."""
    base = rng.choice(SURNAMES)
    roll = rng.random()
    if roll < 0.06:
        return f"{rng.choice(PARTICLES)} {base}"
    if roll < 0.09:
        return rng.choice(APOSTROPHES) + base
    if roll < 0.14:
        return f"{base}-{rng.choice(SURNAMES)}"
    if roll < 0.18:
        return rng.choice(OTHER_SURNAMES)
    return base


def _given(rng: random.Random) -> str:
    """Return initials as printed: 'J.', 'J.A.', 'J.-P.', 'Ch.', 'J. A.', 'И.'."""
    letters = [rng.choice(INITIAL_LETTERS) for _ in range(rng.choices((1, 2, 3), (5, 4, 1))[0])]
    roll = rng.random()
    if roll < 0.03 and len(letters) >= 2:
        return f"{letters[0]}.-{letters[1]}."
    if roll < 0.05:
        return rng.choice(("Ch.", "Th.", "Yu."))
    if roll < 0.07:
        return rng.choice(OTHER_INITIALS)
    if roll < 0.10 and len(letters) >= 2:
        return " ".join(f"{letter}." for letter in letters)
    return "".join(f"{letter}." for letter in letters)


def _person(rng: random.Random) -> Author:
    """Return an invented printed name, rarely with a suffix."""
    if rng.random() < 0.015:
        suffix, separator = rng.choice(SUFFIXES)
        return Author(_family(rng), _given(rng), suffix=suffix, suffix_separator=separator)
    return Author(family=_family(rng), given=_given(rng))


def _base(authors: tuple[Author, ...], et_al: bool, kind: Kind, **fields: object) -> Citation:
    values: dict[str, object] = dict(
        title="", journal=None, volume=None, volume_note=None, first_page=None, last_page=None,
        page_note=None, year=None,
    )  # fmt: skip
    values.update(fields)
    return Citation(authors=authors, et_al=et_al, kind=kind, **values)  # type: ignore[arg-type]


def _plain_title(title: str) -> str:
    """Return a title without its closing '?' or '!' (kinds that print a status or '(eds)')."""
    return title.rstrip("?!") or title


@dataclass
class _Draw:
    """What every kind of citation is made of: names, a title, a year, a journal, a page."""

    rng: random.Random
    authors: tuple[Author, ...]
    et_al: bool
    title: str
    year: int
    journal: str
    volume: str
    first_page: int


def _article(d: _Draw) -> Citation:
    erratum = trailing = None
    if d.rng.random() < ERRATUM_ODDS:
        label = d.rng.choice(("erratum", "correction"))
        journal = d.rng.choice((None, d.journal))
        erratum = Erratum(label, str(int(d.volume) + 1), str(d.rng.randint(1, 999)), None,
                          d.year + 1, journal)  # fmt: skip
    elif d.rng.random() < TRAILING_DOI_ODDS:
        trailing = f"https://doi.org/{DOI_PREFIX}ref.{d.rng.randint(1, 10**8)}"
    return _base(
        d.authors, d.et_al, Kind.JOURNAL_ARTICLE, title=d.title, journal=d.journal,
        volume=d.volume, first_page=str(d.first_page),
        last_page=str(d.first_page + d.rng.randint(2, 14)), year=d.year, erratum=erratum,
        trailing_link=trailing,
    )  # fmt: skip


def _in_press(d: _Draw) -> Citation:
    status = d.rng.choice(("in the press", "in press", "submitted"))
    return _base(
        d.authors, d.et_al, Kind.IN_PRESS, title=d.title, journal=d.journal, status=status,
        status_separator=" (",
    )  # fmt: skip


def _online_first(d: _Draw) -> Citation:
    doi = f"{DOI_PREFIX}online.{d.rng.randint(1, 10**8)}"
    url = d.rng.choice((f"https://doi.org/{doi}", f"doi:{doi}"))
    return _base(
        d.authors, d.et_al, Kind.ONLINE_FIRST, title=d.title, journal=d.journal, year=d.year,
        doi=doi, url=url,
    )  # fmt: skip


def _preprint(d: _Draw) -> Citation:
    server = d.rng.choice(("bioRxiv", "medRxiv", "Research Square"))
    doi = f"10.1101/{d.rng.randint(100000, 999999)}"
    return _base(
        d.authors, d.et_al, Kind.PREPRINT, title=d.title, year=d.year, label="Preprint at",
        venue=server, url=f"https://doi.org/{doi}", doi=doi,
    )  # fmt: skip


def _book_fields(d: _Draw) -> dict[str, object]:
    return dict(
        edition=d.rng.choice((None, None, "2nd edn", "7th edn")),
        volume=d.rng.choice((None, None, None, "2")),
        publisher=d.rng.choice(PUBLISHERS),
        place=d.rng.choice(PLACES),
    )


def _book(d: _Draw) -> Citation:
    label = d.rng.choice((None, None, "eds")) if not d.authors[-1].is_group else None
    return _base(
        d.authors, d.et_al, Kind.BOOK, title=_plain_title(d.title), year=d.year,
        author_label=label, **_book_fields(d),
    )  # fmt: skip


def _report(d: _Draw) -> Citation:
    return _base(
        d.authors, d.et_al, Kind.REPORT, title=_plain_title(d.title) + " Report",
        year=d.year, series=d.rng.choice((None, "IARC Scientific Publications No. 155")),
        publisher=d.rng.choice(PUBLISHERS), place=d.rng.choice(PLACES),
    )  # fmt: skip


def _chapter(d: _Draw) -> Citation:
    editors = tuple(_person(d.rng) for _ in range(d.rng.randint(1, 3)))
    label = "eds" if len(editors) > 1 else d.rng.choice(("ed.", "eds"))
    first = d.rng.choice((None, d.first_page % 900 + 1))
    last = None if first is None else first + d.rng.randint(5, 30)
    return _base(
        d.authors, d.et_al, Kind.CHAPTER, title=d.title,
        book_title=d.rng.choice(("The Biology of Cancer", "Cancer Metastasis", "Tumor Dormancy")),
        editors=editors, editor_label=label, first_page=None if first is None else str(first),
        last_page=None if last is None else str(last), year=d.year, **_book_fields(d),
    )  # fmt: skip


def _conference(d: _Draw) -> Citation:
    label = d.rng.choice(("abstr.", "Abstr.", "abstract"))
    number = d.rng.choice((str(d.rng.randint(10, 9999)), f"LB-{d.rng.randint(10, 299)}"))
    if d.rng.random() < 0.5:
        return _base(
            d.authors, d.et_al, Kind.CONFERENCE_ABSTRACT, title=d.title, abstract_label=label,
            abstract_number=number, venue="presented at " + d.rng.choice(MEETINGS),
            place=d.rng.choice(("Chicago", "San Antonio", "New Orleans")), year=d.year,
        )  # fmt: skip
    return _base(
        d.authors, d.et_al, Kind.CONFERENCE_ABSTRACT, title=d.title, journal=d.journal,
        volume=d.volume, abstract_label=label, abstract_number=number, year=d.year,
    )  # fmt: skip


def _thesis(d: _Draw) -> Citation:
    return _base(
        d.authors[:1], False, Kind.THESIS, title=d.title, year=d.year,
        degree=d.rng.choice(("PhD", "MD", "MSc", "DPhil")),
        label=d.rng.choice(("thesis", "dissertation")), publisher=d.rng.choice(UNIVERSITIES),
    )  # fmt: skip


def _accessed(d: _Draw) -> str:
    return f"{d.rng.randint(1, 28)} {d.rng.choice(MONTHS.split())} {d.year}"


def _web_page(d: _Draw) -> Citation:
    when = d.rng.choice(("year", "accessed", "both"))
    return _base(
        d.authors, d.et_al, Kind.WEB_PAGE, title=d.title,
        url=f"https://example.org/metastasis/{d.rng.randint(1, 10**6)}",
        year=None if when == "accessed" else d.year,
        accessed=None if when == "year" else _accessed(d),
    )  # fmt: skip


def _database(d: _Draw) -> Citation:
    # The title names the database ('The COSMIC database of ...'): see CorpusGenerator._citation.
    return _base(
        d.authors, d.et_al, Kind.DATABASE, title=d.title, url="https://cancer.sanger.ac.uk/cosmic",
        year=d.year, accessed=_accessed(d),
    )  # fmt: skip


def _data_set(d: _Draw) -> Citation:
    venue = d.rng.choice(("figshare", "Gene Expression Omnibus", "Zenodo"))
    if venue == "Gene Expression Omnibus":
        url, doi = f"GSE{d.rng.randint(10000, 299999)}", None
    else:
        doi = f"10.6084/m9.figshare.{d.rng.randint(100000, 9999999)}"
        url = f"https://doi.org/{doi}"
    return _base(
        d.authors, d.et_al, Kind.DATA_SET, title=d.title, venue=venue, url=url, doi=doi,
        year=d.year,
    )  # fmt: skip


def _patent(d: _Draw) -> Citation:
    label, number = d.rng.choice((
        ("US Patent", f"{d.rng.randint(5, 11)},{d.rng.randint(100, 999)},{d.rng.randint(1, 9)}00"),
        ("WO patent", f"{d.year}/{d.rng.randint(100000, 999999)}"),
    ))  # fmt: skip
    return _base(
        d.authors, d.et_al, Kind.PATENT, title=d.title, patent_label=label, patent_number=number,
        year=d.year,
    )  # fmt: skip


def _status(kind: Kind, statuses: tuple[str, ...]) -> Callable[[_Draw], Citation]:
    def build(d: _Draw) -> Citation:
        persons = tuple(a for a in d.authors if not a.is_group)[:2] or (_person(d.rng),)
        return _base(
            persons, False, kind, status=d.rng.choice(statuses),
            status_separator=d.rng.choice((" ", ", ", " (")),
        )  # fmt: skip

    return build


KIND_BUILDERS: dict[Kind, Callable[[_Draw], Citation]] = {
    Kind.JOURNAL_ARTICLE: _article,
    Kind.IN_PRESS: _in_press,
    Kind.ONLINE_FIRST: _online_first,
    Kind.PREPRINT: _preprint,
    Kind.BOOK: _book,
    Kind.REPORT: _report,
    Kind.CHAPTER: _chapter,
    Kind.CONFERENCE_ABSTRACT: _conference,
    Kind.THESIS: _thesis,
    Kind.WEB_PAGE: _web_page,
    Kind.DATABASE: _database,
    Kind.DATA_SET: _data_set,
    Kind.PATENT: _patent,
    Kind.PERSONAL_COMMUNICATION: _status(Kind.PERSONAL_COMMUNICATION, ("personal communication",)),
    Kind.UNPUBLISHED: _status(Kind.UNPUBLISHED, ("unpublished data", "unpublished observations")),
}


def _kind(rng: random.Random) -> Kind:
    """Draw the kind of a new reference: mostly journal articles."""
    roll = rng.randrange(1000)
    for kind, weight in KIND_WEIGHTS:
        if roll < weight:
            return kind
        roll -= weight
    return Kind.JOURNAL_ARTICLE


class CorpusGenerator:
    """Generate reviews one after another; state carries over so names and keys never clash."""

    def __init__(
        self,
        *,
        seed: int,
        references: tuple[int, int] = (MIN_REFERENCES, MAX_REFERENCES),
        vocabulary: Vocabulary | None = None,
        journals: JournalIndex | None = None,
    ) -> None:
        self.seed = seed
        self.references = references
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        # The build's own journal index: a citation is printed only if the build reads it back.
        self.journals = journals if journals is not None else default_journals()
        self.count = 0
        self._titles_of = dict(self.vocabulary.journals)
        self._journal_names = [j for j, _ in self.vocabulary.journals]
        self._journal_start: dict[str, int] = {}
        # Printed name by person key: names whose keys collide are the same printed name.
        self._names: dict[str, Author] = {}
        self._persons: dict[int, Author] = {}
        # Work IRIs taken so far; shared papers by pool index.
        self._works: set[str] = set()
        self._shared: dict[int, tuple[Citation, tuple[str, ...]]] = {}
        self._titles: set[str] = set()
        # The names planted in each generated text (titles, abstracts, figure titles).
        self.planted: dict[str, tuple[Plant, ...]] = {}
        self.rejected: Counter[str] = Counter()
        # The kinds of work and the journals printed so far.
        self.kinds: set[Kind] = set()
        self.journals_printed: set[str] = set()

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def _start(self, journal: str) -> int:
        if journal not in self._journal_start:
            rng = random.Random(f"{self.seed}:journal:{journal}")
            self._journal_start[journal] = rng.randint(1920, 1969)
        return self._journal_start[journal]

    def _text(self, template: str, rng: random.Random) -> str:
        """Fill a template and remember what it planted where."""
        text, plants = _fill(template, rng, self.vocabulary)
        self.planted.setdefault(text, tuple(plants))
        return text

    def _pool_person(self, index: int) -> Author:
        """Return person `index` of the pool, made once and then reused."""
        if index not in self._persons:
            self._persons[index] = self._register(_person(self._rng("person", index)))
        return self._persons[index]

    def _register(self, author: Author) -> Author:
        """Return the printed name that owns `author`'s key, registering it if new."""
        return self._names.setdefault(person_key(author), author)

    def _authors(self, rng: random.Random, *, review: int) -> tuple[tuple[Author, ...], bool]:
        """Return a paper's printed authors and whether the list ends in 'et al.'."""
        count = rng.choices(range(1, 13), (12, 14, 12, 11, 10, 9, 7, 6, 7, 5, 4, 3))[0]
        pool = PERSON_POOL_BASE + PERSON_POOL_PER_REVIEW * (review + 1)
        authors: list[Author] = []
        while len(authors) < min(count, MAX_PRINTED_AUTHORS):
            person = self._pool_person(int(pool * rng.random() ** 2))
            if person not in authors:
                authors.append(person)
        if count > MAX_PRINTED_AUTHORS:
            return (authors[0],), True
        if rng.random() < 0.02:
            # A consortium, alone or closing the list.
            group = Author(rng.choice(GROUPS), None)
            return (*authors[: rng.randint(0, 2)], group), False
        return tuple(authors), False

    def _citation(
        self, rng: random.Random, *, review: int, years: tuple[int, int], kind: Kind
    ) -> Citation:
        """Return a new work's citation whose IRI no earlier work has, and that reads back."""
        for _ in range(100):
            authors, et_al = self._authors(rng, review=review)
            journal = rng.choice(self._journal_names)
            year = rng.randint(*years)
            template = rng.choice(TITLE_TEMPLATES)
            if kind is Kind.DATABASE:
                template = "The COSMIC database of " + template[0].lower() + template[1:]
            draw = _Draw(
                rng=rng,
                authors=authors,
                et_al=et_al,
                title=self._text(template, rng),
                year=year,
                journal=journal,
                volume=str(max(1, year - self._start(journal))),
                first_page=rng.randint(1, 12000),
            )
            citation = KIND_BUILDERS[kind](draw)
            if citation.title and citation.title != draw.title:
                # A title cut of its '?' or '!', or with ' Report' added: the names stay put.
                self.planted.setdefault(citation.title, self.planted[draw.title])
            iri = str(natural_iri(citation))
            if iri not in self._works and self._reads_back(citation):
                self._works.add(iri)
                self.kinds.add(citation.kind)
                if citation.journal:
                    self.journals_printed.add(citation.journal)
                return citation
        raise RuntimeError(f"could not generate a new {kind} that reads back in 100 attempts")

    def _reads_back(self, citation: Citation) -> bool:
        """Tell whether the printed citation reads back, completely, into the same record."""
        read, partial = read_citation(render_citation(citation), journals=self.journals)
        if partial is None and read == citation:
            return True
        self.rejected[str(citation.kind)] += 1
        return False

    def _links(self, rng: random.Random, kind: Kind = Kind.JOURNAL_ARTICLE) -> tuple[str, ...]:
        if kind is not Kind.JOURNAL_ARTICLE:
            return rng.choice(OTHER_LINKS)
        rows, weights = zip(*LINK_ROWS, strict=True)
        return rng.choices(rows, weights)[0]

    def _shared_paper(self, index: int) -> tuple[Citation, tuple[str, ...]]:
        """Return shared paper `index` (a classic of 1970-2004) with its link labels."""
        if index not in self._shared:
            rng = self._rng("shared", index)
            kind = Kind.JOURNAL_ARTICLE
            citation = self._citation(rng, review=0, years=(1970, 2004), kind=kind)
            self._shared[index] = (citation, self._links(rng))
        return self._shared[index]

    def _references(
        self, rng: random.Random, *, review: int, year: int
    ) -> list[tuple[Citation, tuple[str, ...]]]:
        count = rng.randint(*self.references)
        shared_count = round(count * rng.uniform(*SHARED_FRACTION))
        shared = {k: None for k in range(CLASSICS) if rng.random() < CLASSIC_ODDS / (1 + k / 5)}
        pool = SHARED_POOL_BASE + SHARED_POOL_PER_REVIEW * review
        while len(shared) < shared_count:
            shared[int(pool * rng.random() ** 3)] = None
        references = [self._shared_paper(index) for index in list(shared)[:count]]
        for _ in range(count - len(references)):
            kind = _kind(rng)
            citation = self._citation(rng, review=review, years=(year - 25, year - 1), kind=kind)
            references.append((citation, self._links(rng, kind)))
        rng.shuffle(references)
        return references

    def _review_citation(self, rng: random.Random, *, review: int, year: int) -> Citation:
        """Return the review's own citation: a new author, a title no other review has."""
        while True:
            author = _person(rng)
            if person_key(author) not in self._names:
                break
        self._register(author)
        while True:
            title = self._text(rng.choice(REVIEW_TEMPLATES), rng)
            if title not in self._titles:
                break
        self._titles.add(title)
        for _ in range(100):
            journal = rng.choice(self._journal_names)
            first = rng.randint(1, 9000)
            citation = Citation(
                authors=(author,),
                et_al=False,
                title=title,
                journal=journal,
                volume=str(max(1, year - self._start(journal))),
                volume_note=None,
                first_page=str(first),
                last_page=str(first + rng.randint(8, 20)),
                page_note=None,
                year=year,
            )
            iri = str(natural_iri(citation))
            if iri not in self._works and self._reads_back(citation):
                self._works.add(iri)
                return citation
        raise RuntimeError(f"could not cite review {review + 1} under a new key")

    def next_page(self) -> Page:
        """Generate the next review page of the corpus."""
        index = self.count
        self.count += 1
        rng = self._rng("review", index)
        year = rng.randint(2005, 2024)
        citation = self._review_citation(rng, review=index, year=year)
        doi = f"{DOI_PREFIX}{index + 1}"
        sentences = [
            _fill(template, rng, self.vocabulary)
            for template in rng.sample(ABSTRACT_TEMPLATES, rng.randint(3, 5))
        ]
        abstract, plants = "", []
        for text, planted in sentences:
            offset = len(abstract) + (1 if abstract else 0)
            abstract = f"{abstract} {text}" if abstract else text
            plants += [replace(p, start=p.start + offset, end=p.end + offset) for p in planted]
        self.planted.setdefault(abstract, tuple(plants))
        figures = [
            self._text(template, rng)
            for template in rng.sample(FIGURE_TEMPLATES, rng.randint(1, 4))
        ]
        references = self._references(rng, review=index, year=year)
        text = render_page(
            citation=citation,
            doi=doi,
            journal_title=self._titles_of[citation.journal or ""],
            abstract=abstract,
            figures=figures,
            references=references,
        )
        return Page(f"synthetic-{index + 1:04d}.txt", text)


def render_page(
    *,
    citation: Citation,
    doi: str,
    journal_title: str,
    abstract: str,
    figures: Sequence[str],
    references: Sequence[tuple[Citation, tuple[str, ...]]],
) -> str:
    """Render a review page the way the publisher's page reads as text."""
    title = citation.title
    lines = [BANNER, BANNER, "", "", "", f"Link to original content: https://dx.doi.org/{doi}"]
    lines += [f"{title} | {journal_title}", "Skip to main content", "", BROWSER_NOTICE, ""]
    lines += [BULLET + "Review Article", BULLET + "Published:", "", title, "", abstract, ""]
    for line in PAYWALL:
        lines += [line, ""]
    lines += [f"Figure {number}: {text}" for number, text in enumerate(figures, start=1)]
    lines += ["", "References", ""]
    for number, (reference, links) in enumerate(references, start=1):
        lines += [f"  {number}. {render_citation(reference)}", "", render_links(links), ""]
    lines += ["Download references", "", "Acknowledgements", ""]
    lines += ["This synthetic review was generated for benchmarks; it describes no real work.", ""]
    for heading in ("Author information", "Authors and Affiliations", "Authors"):
        lines += [heading, ""]
    lines += ["Ethics declarations", "", "Competing interests", ""]
    lines += ["The author declares no competing financial interests.", ""]
    for heading in ("Rights and permissions", "Reprints and permissions", "About this article"):
        lines += [heading, ""]
    cited = render_citation(citation)
    lines += ["Cite this article", "", f"{cited} https://doi.org/{doi}", ""]
    lines += ["Download citation", ""]
    lines += [BULLET + "Published:", "", BULLET + "Issue Date:", ""]
    lines += [f"{BULLET}DOI: https://doi.org/{doi}", ""]
    for heading in ("This article is cited by", "Search", "Quick links", "Nature Briefing"):
        lines += [heading, ""]
    lines += [NEWSLETTER, ""]
    return "\n".join(lines)


def generate_pages(
    reviews: int, *, seed: int, references: tuple[int, int] = (MIN_REFERENCES, MAX_REFERENCES)
) -> Iterator[Page]:
    """Yield the first `reviews` pages of the corpus of `seed`."""
    generator = CorpusGenerator(seed=seed, references=references)
    for _ in range(reviews):
        yield generator.next_page()


def write_corpus(
    reviews: int,
    *,
    seed: int,
    out: Path,
    references: tuple[int, int] = (MIN_REFERENCES, MAX_REFERENCES),
    progress: Callable[[Page], None] = lambda page: None,
) -> list[Path]:
    """Write the first `reviews` pages of the corpus of `seed` into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in generate_pages(reviews, seed=seed, references=references):
        path = out / page.name
        path.write_text(page.text, encoding="utf-8")
        paths.append(path)
        progress(page)
    return paths


@dataclass
class CheckResult:
    """What `check_corpus` found: references read, and planted names against mentions."""

    pages: int = 0
    references: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    partial: list[str] = field(default_factory=list)
    journal_status: Counter[str] = field(default_factory=Counter)
    # Per entity kind: names planted, found at their offsets as their entity, mentions over
    # planted names, and those of them that name the planted entity.
    planted: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    # Mentions outside every planted name (the templates' own words), by entity prefix.
    outside: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    rejected: Counter[str] = field(default_factory=Counter)


def check_corpus(
    reviews: int, *, seed: int, references: tuple[int, int] = (MIN_REFERENCES, MAX_REFERENCES)
) -> CheckResult:
    """Generate `reviews` pages, read and ground them as the build does, compare with the plants."""
    from ingest.build import grounding_finder
    from ingest.ground import ground_review
    from ingest.journals import resolve_journal
    from ingest.parse import parse_page
    from ingest.vocabulary import load_grounding_lexicon

    finder = grounding_finder(load_grounding_lexicon())
    generator = CorpusGenerator(seed=seed, references=references)
    result = CheckResult()
    for _ in range(reviews):
        page = generator.next_page()
        review = parse_page(page.text, source=page.name)
        result.pages += 1
        for reference in review.references:
            result.references += 1
            result.kinds[str(reference.citation.kind)] += 1
            if reference.partial is not None:
                result.partial.append(f"{page.name}:{reference.line}: {reference.partial}")
            if reference.citation.journal:
                result.journal_status[resolve_journal(reference.citation.journal).status] += 1
        for passage in ground_review(review, finder):
            if passage.text:  # personal communications and unpublished data have no title
                planted = generator.planted.get(passage.text)
                _compare(passage.text, passage.mentions, planted, result)
    result.rejected = generator.rejected
    return result


def _compare(
    text: str, mentions: Sequence, plants: Sequence[Plant] | None, result: CheckResult
) -> None:
    """Count one text's planted names found and the mentions over them."""
    if plants is None:
        raise RuntimeError(f"the generator planted nothing in {text!r}")
    for plant in plants:
        kind = plant.name.kind
        result.planted[kind] += 1
        over = [m for m in mentions if m.start < plant.end and plant.start < m.end]
        result.mentions[kind] += len(over)
        result.right[kind] += sum(m.entity == plant.name.entity for m in over)
        exact = [m for m in over if (m.start, m.end) == (plant.start, plant.end)]
        if any(m.entity == plant.name.entity for m in exact):
            result.found[kind] += 1
        else:
            seen = ", ".join(f"{text[m.start : m.end]!r} {m.entity}" for m in over) or "nothing"
            result.misses.append((kind, plant.name.text, plant.name.entity, seen))
    for mention in mentions:
        if not any(p.start < mention.end and mention.start < p.end for p in plants):
            result.outside[mention.entity.split(":")[0]] += 1


def render_check(result: CheckResult, *, misses: int = 15) -> str:
    """Return the check's numbers as text."""
    lines = [
        f"{result.pages} pages, {result.references:,} references; read partly: "
        f"{len(result.partial)}",
        "kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(result.kinds.items())),
        "journals as the build resolves them: "
        + ", ".join(f"{k} {n}" for k, n in sorted(result.journal_status.items())),
        "printed citations the build would not read back, redrawn: "
        + (", ".join(f"{k} {n}" for k, n in sorted(result.rejected.items())) or "none"),
        "planted names by kind: planted, recall (found at their offsets as their entity), "
        "precision (mentions over planted names naming the planted entity):",
    ]
    lines += [f"  {line}" for line in result.partial[:misses]]
    for kind in sorted(result.planted):
        planted, mentions = result.planted[kind], result.mentions[kind]
        recall = result.found[kind] / planted
        precision = result.right[kind] / mentions if mentions else float("nan")
        lines.append(
            f"  {kind:12} {planted:6,} recall {recall:6.1%} ({result.found[kind]:,}) "
            f"precision {precision:6.1%} ({result.right[kind]:,}/{mentions:,})"
        )
    total, found = sum(result.planted.values()), sum(result.found.values())
    right, mentions = sum(result.right.values()), sum(result.mentions.values())
    lines.append(
        f"  {'all':12} {total:6,} recall {found / total:6.1%} precision {right / mentions:6.1%}"
    )
    lines.append(
        "mentions outside planted names (template words): "
        + ", ".join(f"{k} {n}" for k, n in result.outside.most_common())
    )
    lines.append(f"missed (first {misses} of {len(result.misses)}):")
    lines += [f"  {k} {t!r} {e}: found {seen}" for k, t, e, seen in result.misses[:misses]]
    return "\n".join(lines)


def _range(text: str) -> tuple[int, int]:
    low, _, high = text.partition("-")
    bounds = (int(low), int(high or low))
    if not 1 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"expected MIN-MAX with 1 <= MIN <= MAX, got {text!r}")
    return bounds


def main(argv: Sequence[str] | None = None) -> None:
    """Write a synthetic corpus: `python bench/corpus.py --reviews N --seed S --out DIR`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, required=True, help="number of review pages")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--out", type=Path, help="directory to write pages into")
    parser.add_argument(
        "--check",
        action="store_true",
        help="instead of writing pages, read and ground them; print partial references and "
        "the recall and precision of the planted names",
    )
    parser.add_argument(
        "--references",
        type=_range,
        default=(MIN_REFERENCES, MAX_REFERENCES),
        help=f"references per review, MIN-MAX (default {MIN_REFERENCES}-{MAX_REFERENCES})",
    )
    args = parser.parse_args(argv)
    if args.check:
        result = check_corpus(args.reviews, seed=args.seed, references=args.references)
        print(render_check(result))
        return
    if args.out is None:
        parser.error("--out is required unless --check is given")
    paths = write_corpus(args.reviews, seed=args.seed, out=args.out, references=args.references)
    print(f"wrote {len(paths)} pages to {args.out}")


if __name__ == "__main__":
    main()
