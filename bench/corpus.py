"""Generate synthetic review pages in the publisher's text format, for the scaling benchmark.

Every page is made up except its vocabulary: journal abbreviations come from
ingest/lexicon/journals.tsv and entity mentions from ingest/lexicon/forms_*.tsv, so a page parses
and grounds like the shipped review. The people, titles, volumes, pages and years are invented;
DOIs are `10.5555/mkg-synthetic.N`, whose suffix says they name no real work.

The corpus is deterministic by seed and nested: the first N pages of a larger corpus are
byte-identical to a corpus of N reviews with the same seed, so a scaling series builds growing
prefixes of one corpus. Part of every reference list is drawn from a pool of shared papers (the
classics many reviews cite), so papers, journals and printed names merge across reviews.

    python bench/corpus.py --reviews 100 --seed 0 --out build/bench/corpus
"""

import argparse
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

# Run as a script from anywhere: the repository root holds the `ingest` package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.errors import PageFormatError  # noqa: E402
from ingest.journals import load_journals  # noqa: E402
from ingest.namespaces import paper_key, person_key  # noqa: E402
from ingest.parse import (  # noqa: E402
    BULLET,
    _journal_splitter,  # the parser's own: citations are checked exactly as they will be parsed
    parse_citation,
    render_citation,
    render_links,
)
from ingest.records import Author, Citation  # noqa: E402
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
PARTICLES = ("van", "van der", "van den", "de", "De", "de la", "von", "Van", "da", "Di", "Le", "El")
APOSTROPHES = ("O'", "D'")
INITIAL_LETTERS = "ABCDEFGHIJKLMNOPRSTVWY"
SUFFIXES = ("Jr.", "III")

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


@dataclass(frozen=True)
class Vocabulary:
    """Surface forms and journals the generator draws from, as the lexicon tables list them."""

    genes: tuple[str, ...]
    drugs: tuple[str, ...]
    sites: tuple[str, ...]
    site_adjectives: tuple[str, ...]
    cancers: tuple[str, ...]
    cells: tuple[str, ...]
    processes: tuple[str, ...]
    process_adjectives: tuple[str, ...]
    organisms: tuple[str, ...]
    organism_adjectives: tuple[str, ...]
    journals: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Page:
    """One generated review page: its file name and text."""

    name: str
    text: str


def _forms(name: str) -> list[str]:
    """Return the forms of a forms table, leaving out printed typos and context-bound symbols."""
    rows = read_tsv(lexicon_path(name))
    skip = ("typo", "stray", "context")
    return [
        row["form"]
        for row in rows
        if row["form"] not in _AWKWARD and not any(word in row["note"] for word in skip)
    ]


def _split_adjectives(forms: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split forms into nouns and adjectives by their ending (good enough for templates)."""
    adjectives = tuple(f for f in forms if f.islower() and f.endswith(_ADJECTIVE_ENDINGS))
    return tuple(f for f in forms if f not in adjectives), adjectives


def load_vocabulary() -> Vocabulary:
    """Read the surface forms and journal abbreviations from the lexicon tables."""
    sites, site_adjectives = _split_adjectives(_forms("forms_anatomy.tsv"))
    processes, process_adjectives = _split_adjectives(_forms("forms_processes.tsv"))
    organisms, organism_adjectives = _split_adjectives(_forms("forms_organisms.tsv"))
    journals = load_journals()
    return Vocabulary(
        genes=tuple(_forms("forms_genes.tsv") + _forms("forms_gene_families.tsv")),
        drugs=tuple(_forms("forms_drugs.tsv")),
        sites=sites,
        site_adjectives=site_adjectives,
        cancers=tuple(_forms("forms_cancers.tsv")),
        cells=tuple(f for f in _forms("forms_cell_types.tsv") if not f.endswith("ic")),
        processes=processes,
        process_adjectives=process_adjectives,
        organisms=organisms,
        organism_adjectives=organism_adjectives,
        journals=tuple((abbreviation, j.title) for abbreviation, j in journals.items()),
    )


def _fill(template: str, rng: random.Random, vocabulary: Vocabulary) -> str:
    """Fill a template's slots with forms; a slot ending in 2 differs from its first use."""
    slots = {
        "gene": vocabulary.genes,
        "drug": vocabulary.drugs,
        "site": vocabulary.sites,
        "site_adj": vocabulary.site_adjectives,
        "cancer": vocabulary.cancers,
        "cell": vocabulary.cells,
        "process": vocabulary.processes,
        "process_adj": vocabulary.process_adjectives,
        "organism": vocabulary.organisms,
        "organism_adj": vocabulary.organism_adjectives,
    }
    values: dict[str, str] = {}
    for slot, forms in slots.items():
        first = rng.choice(forms)
        values[slot] = first
        values[slot + "2"] = rng.choice([f for f in forms if f != first])
    text = template.format(**values)
    # Capitalise an opening lower-case form; symbols such as 'p53' or 'c-Met' keep their case.
    first_word = text.split(" ", 1)[0]
    return text[0].upper() + text[1:] if first_word.islower() else text


def _family(rng: random.Random) -> str:
    """Return an invented family name, some with particles, apostrophes or hyphens."""
    base = rng.choice(SURNAMES)
    roll = rng.random()
    if roll < 0.06:
        return f"{rng.choice(PARTICLES)} {base}"
    if roll < 0.09:
        return rng.choice(APOSTROPHES) + base
    if roll < 0.14:
        return f"{base}-{rng.choice(SURNAMES)}"
    return base


def _given(rng: random.Random) -> str:
    """Return initials as printed: 'J.', 'J.A.', 'J.-P.', 'Ch.'."""
    letters = [rng.choice(INITIAL_LETTERS) for _ in range(rng.choices((1, 2, 3), (5, 4, 1))[0])]
    roll = rng.random()
    if roll < 0.03 and len(letters) >= 2:
        return f"{letters[0]}.-{letters[1]}."
    if roll < 0.05:
        return rng.choice(("Ch.", "Th.", "Yu."))
    return "".join(f"{letter}." for letter in letters)


def _person(rng: random.Random) -> Author:
    """Return an invented printed name, rarely with a suffix."""
    suffix = rng.choice(SUFFIXES) if rng.random() < 0.01 else None
    return Author(family=_family(rng), given=_given(rng), suffix=suffix)


class CorpusGenerator:
    """Generate reviews one after another; state carries over so names and keys never clash."""

    def __init__(
        self,
        *,
        seed: int,
        references: tuple[int, int] = (MIN_REFERENCES, MAX_REFERENCES),
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.seed = seed
        self.references = references
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self.count = 0
        self._split = _journal_splitter(j for j, _ in self.vocabulary.journals)
        self._reference_journals = [j for j, _ in self.vocabulary.journals if j != "Nat Med"]
        self._journal_start = {
            j: random.Random(f"{seed}:journal:{j}").randint(1920, 1969)
            for j, _ in self.vocabulary.journals
        }
        # Printed name by person key: names whose keys collide are the same printed name.
        self._names: dict[str, Author] = {}
        self._persons: dict[int, Author] = {}
        # Paper keys taken so far; shared papers by pool index.
        self._papers: set[str] = set()
        self._shared: dict[int, tuple[Citation, tuple[str, ...]]] = {}
        self._titles: set[str] = set()

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

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
        return tuple(authors), False

    def _citation(self, rng: random.Random, *, review: int, years: tuple[int, int]) -> Citation:
        """Return a new paper's citation whose key no earlier paper has, and that parses back."""
        for _ in range(100):
            authors, et_al = self._authors(rng, review=review)
            journal = rng.choice(self._reference_journals)
            year = rng.randint(*years)
            first = rng.randint(1, 12000)
            note = rng.random() < 0.01
            volume_note = rng.choice(("Suppl 1", "Suppl 2", "Pt 1")) if note else None
            citation = Citation(
                authors=authors,
                et_al=et_al,
                title=_fill(rng.choice(TITLE_TEMPLATES), rng, self.vocabulary),
                journal=journal,
                volume=str(max(1, year - self._journal_start[journal])),
                volume_note=volume_note,
                first_page=str(first),
                last_page=str(first + rng.randint(2, 14)),
                page_note=None,
                year=year,
            )
            if paper_key(citation) not in self._papers and self._round_trips(citation):
                self._papers.add(paper_key(citation))
                return citation
        raise RuntimeError("could not generate a citation with a new key in 100 attempts")

    def _round_trips(self, citation: Citation) -> bool:
        """Tell whether the printed citation parses back into the same record."""
        try:
            return parse_citation(render_citation(citation), split=self._split) == citation
        except PageFormatError:
            return False

    def _links(self, rng: random.Random) -> tuple[str, ...]:
        rows, weights = zip(*LINK_ROWS, strict=True)
        return rng.choices(rows, weights)[0]

    def _shared_paper(self, index: int) -> tuple[Citation, tuple[str, ...]]:
        """Return shared paper `index` (a classic of 1970-2004) with its link labels."""
        if index not in self._shared:
            rng = self._rng("shared", index)
            citation = self._citation(rng, review=0, years=(1970, 2004))
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
            citation = self._citation(rng, review=review, years=(year - 25, year - 1))
            references.append((citation, self._links(rng)))
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
            title = _fill(rng.choice(REVIEW_TEMPLATES), rng, self.vocabulary)
            if title not in self._titles:
                break
        self._titles.add(title)
        for _ in range(100):
            journal = rng.choice([j for j, _ in self.vocabulary.journals])
            first = rng.randint(1, 9000)
            citation = Citation(
                authors=(author,),
                et_al=False,
                title=title,
                journal=journal,
                volume=str(max(1, year - self._journal_start[journal])),
                volume_note=None,
                first_page=str(first),
                last_page=str(first + rng.randint(8, 20)),
                page_note=None,
                year=year,
            )
            if paper_key(citation) not in self._papers and self._round_trips(citation):
                self._papers.add(paper_key(citation))
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
        abstract = " ".join(
            _fill(template, rng, self.vocabulary)
            for template in rng.sample(ABSTRACT_TEMPLATES, rng.randint(3, 5))
        )
        figures = [
            _fill(template, rng, self.vocabulary)
            for template in rng.sample(FIGURE_TEMPLATES, rng.randint(1, 4))
        ]
        references = self._references(rng, review=index, year=year)
        journal_title = dict(self.vocabulary.journals)[citation.journal]
        text = render_page(
            citation=citation,
            doi=doi,
            journal_title=journal_title,
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
    parser.add_argument("--out", type=Path, required=True, help="directory to write pages into")
    parser.add_argument(
        "--references",
        type=_range,
        default=(MIN_REFERENCES, MAX_REFERENCES),
        help=f"references per review, MIN-MAX (default {MIN_REFERENCES}-{MAX_REFERENCES})",
    )
    args = parser.parse_args(argv)
    paths = write_corpus(args.reviews, seed=args.seed, out=args.out, references=args.references)
    print(f"wrote {len(paths)} pages to {args.out}")


if __name__ == "__main__":
    main()
