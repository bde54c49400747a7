"""Study types and stated roles read from the titles of cited papers (no RDF here).

Study types
-----------
`classify_study(title, journal)` returns the printed cues that say what kind of study a paper
is. A type is assigned only by a cue from the closed list `CUE_RULES` (each with the reason it
is there); a paper with no cue has no type ("unknown"). Cues are whole words or phrases, matched
in any case; any printed dash matches '-'. A paper may have several types. For each type one cue
is kept: the first in the title, else the first in the journal abbreviation (longest first when
two start together). One exception, because a journal's name tells what it mostly publishes and
a title tells what the paper is: a journal review cue is not applied to a title that reports a
trial (ref 41, a phase I/II trial published in Semin. Oncol.).

Words that are deliberately not cues:
  "human" (xenografts and cell lines are "human" too), "cells" and "<cancer> cells" (reviews and
  animal studies name cells; only a named cell line's cells count), "in vivo" (living organism,
  which may be a person), "model" (also a conceptual model), "trials" in the plural (a paper
  that is a trial says "a ... trial"; the plural names trials as a subject: reviews of trials,
  their design, "Trials and tribulations"), "study" (any design), journal names that do not say
  "review" (Curr. Pharm. Des., Neurol. Clin., Drugs Today and others publish reviews by editorial
  policy, which the printed name does not state).

Roles
-----
`find_roles(text, mentions, kinds)` returns the roles a title states of a gene, gene family or
drug mention, with the quote that states them. Every rule is local and explicit; anything else
is no role. In the rules, X is one mention or a list of them ("X and Y", "X/Y", "X, Y"); a gene
family directly followed by genes ("the JNK kinase kinases JNKK1/MKK4 and MKK7") is the class
noun of the genes and takes no role itself. A mention joined to a word by a dash ("Bcl-2-mediated",
"ARF6-GTP") is a modifier and never takes a role. Cue words must lie outside the mention: a
gene's own name ("breast cancer metastasis suppressor 1") is a label, not a statement.

  S1 "X metastasis suppressor"                                 -> metastasis-suppressor
  S2 "metastasis suppressor [gene|protein] X"                  -> metastasis-suppressor
  S3 "X, a/is a/as a [word] metastasis suppressor"             -> metastasis-suppressor
  P  subject-verb: X is the subject of a role verb whose object names the target.
     Subject: X, optionally followed by a class or activity noun ("Prune cAMP phosphodiesterase",
     "TGF beta signaling", "VEGF expression"), or a gain-of-function noun phrase "[high]
     expression/overexpression/activation/transfection of X [cDNA] [in/into <place>]". The subject
     opens its clause: only determiners and modifiers stand between it and the start of the text or
     a ',', ':' or ';' (no preposition, conjunction, verb or other entity), so "with docetaxel
     reduces" and "binds nm23-H1 and promotes" give nothing. Loss-of-function subjects
     ("deficiency", "inhibition of", "blockade of") give no role: reversing them is inference.
     Predicates may be coordinated ("enhances A and potentiates B", "impairs A while promoting B");
     each role verb's object ends at ':', ';', '.', ' - ', 'but', 'while', 'whereas', 'by', 'via',
     'through' or at the next coordinated verb, and the target must end within 8 words of the verb.
  N1 "Inhibition/Suppression of <object> by [the] [[word] <gain-of-function noun> of [the]] X"
  N2 "<metastasis|tumor growth> inhibition/suppression by ... X"
  N3 "anti-metastatic effect(s)/activity/properties/action of X" -> metastasis-inhibitor
  N4 "X, / X: / X is / X as  a(n)/the [1-2 words] enhancer|promoter|mediator|inhibitor of <object>"
  N5 "X, a(n)/the <up to 8 words> that/which <role verb> <object>"

Targets: metastasis = "metastasis", "metastases", "micrometastasis/-es", or "metastatic" with the
word after it ("metastatic colonization"); growth = "[primary] tumo(u)r growth" or
"tumo(u)rigenesis" ("growth arrest", "anchorage-independent growth" and "growth factor" are not).
Promote verbs (promote, enhance, facilitate, mediate, potentiate, favo(u)r, support, increase)
and "is/are necessary/required/essential [but not sufficient] for" with a metastasis target give
metastasis-promoter; inhibit verbs (inhibit, suppress, reduce, attenuate, impair, restrict,
block, prevent, decrease) give metastasis-inhibitor or growth-inhibitor by target. A promote verb
with a growth target gives nothing (no such role in `ROLES`).
"""

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ingest.ground import Mention
from ingest.kinds import kinds_where
from ingest.records import Citation

STUDY_TYPES: dict[str, str] = {
    "clinical-trial": "A trial in patients under a protocol: randomised, controlled or phase I-IV.",
    "animal-model": "Experiments in animals: mice, rats, dogs, xenografts, orthotopic models.",
    "cell-based": "Experiments on cultured cells: cell lines, a named line's cells, in vitro work.",
    "human-tissue": "A study of people or their tissue: patients, necropsies, tumour samples.",
    "review": "A review or opinion article, by its title or by a journal named for reviews.",
    "methods": "A paper about a method: a technique, imaging, a probe or the design of trials.",
}

ROLES: dict[str, str] = {
    "metastasis-suppressor": "A gene the title calls a metastasis suppressor.",
    "metastasis-promoter": (
        "A gene, gene family or drug the title says promotes, enhances, facilitates, mediates or "
        "potentiates metastasis, or is necessary for it, or calls an enhancer of metastasis."
    ),
    "metastasis-inhibitor": (
        "A gene, gene family or drug the title says inhibits, suppresses or reduces metastasis, "
        "or credits with an anti-metastatic effect."
    ),
    "growth-inhibitor": (
        "A gene, gene family or drug the title says inhibits, suppresses, reduces or impairs "
        "tumour growth or tumorigenesis, or calls an inhibitor of tumour growth."
    ),
}

ROLE_KINDS = frozenset(kind.name for kind in kinds_where(stated_roles=True))

_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_D = f"[{re.escape(_DASH)}]"


@dataclass(frozen=True)
class CueRule:
    """A printed cue for a study type: where it is read, its pattern and why it counts."""

    study_type: str
    field: str
    pattern: str
    why: str


CUE_RULES: tuple[CueRule, ...] = (
    # clinical trial
    CueRule("clinical-trial", "title", r"randomi[sz]ed",
            "random allocation of patients to arms is what makes a controlled trial"),
    CueRule("clinical-trial", "title", f"placebo(?:{_D}|\\s+)controlled",
            "a placebo arm exists only in a controlled trial"),
    CueRule("clinical-trial", "title",
            r"phase\s+(?:III|II|IV|I|[1-4])(?:\s*/\s*(?:III|II|IV|I|[1-4]))?"
            r"(?![^\W_])(?!\s+trials?\s+design)",
            "trial phases; not in 'phase I trial design', a paper about designing trials"),
    CueRule("clinical-trial", "title", rf"trial(?!(?:{_D}|\s+)design)",
            "a paper that reports a trial calls itself 'a ... trial' (singular)"),
    # animal model
    CueRule("animal-model", "title", r"nude\s+mice", "immunodeficient mice carrying tumours"),
    CueRule("animal-model", "title", r"mice|mouse|murine", "the mouse as host or tumour source"),
    CueRule("animal-model", "title", r"rats?", "the rat as experimental host"),
    CueRule("animal-model", "title", r"canine|dogs?", "dogs with naturally occurring cancer"),
    CueRule("animal-model", "title", r"xenografts?", "human tumour grown in an animal host"),
    CueRule("animal-model", "title", r"orthotopic(?:ally)?",
            "tumour implanted at its organ of origin in an animal"),
    # cell-based
    CueRule("cell-based", "title", r"cell\s+lines?", "cultured cell lines"),
    CueRule("cell-based", "title", r"cell\s+lne", "misprint of 'cell line' in ref 34"),
    CueRule("cell-based", "title", r"in\s+vitro", "experiments outside an organism"),
    CueRule("cell-based", "title",
            rf"(?:A549|AT6\.1|C8161|EpH4|MCF{_D}7|MDA{_D}MB{_D}435)"
            r"(?:\s+[^\W_][\w-]*){0,3}?\s+cells",
            "the cells of a cell line named in the titles (A549, AT6.1, C8161, EpH4, MCF-7, "
            "MDA-MB-435); a named line without 'cells' (a xenograft) is not a cue"),
    # human tissue / cohort
    CueRule("human-tissue", "title", r"patients?", "people with the disease were studied"),
    CueRule("human-tissue", "title", r"women|men", "a cohort of people ('in women who receive')"),
    CueRule("human-tissue", "title", r"necrops(?:y|ies)|autops(?:y|ies)",
            "post-mortem examination series"),
    CueRule("human-tissue", "title", r"cohorts?", "a group of people followed over time"),
    CueRule("human-tissue", "title", r"prognostic", "prognosis is assessed in patients"),
    CueRule("human-tissue", "title", r"metachronous",
            "a clinical term: metastases found after the primary tumour in a patient"),
    CueRule("human-tissue", "title", r"human\s+(?:[^\W\d_]+\s+)?tumou?rs",
            "a set of human tumours (plural) is clinical material"),
    CueRule("human-tissue", "title", r"primary\s+(?:[^\W\d_]+\s+)?tumou?rs",
            "primary tumours (plural) are clinical material; 'primary tumor growth' is not"),
    # review / opinion
    CueRule("review", "title", r"reviews?|opinion|overview", "the title names the article type"),
    CueRule("review", "title", r"^Mechanisms\s+of\s+disease\.",
            "NEJM's review series header printed before the title"),
    CueRule("review", "journal", r"(?<=[\w.]\s)Rev\.",
            "'Reviews' in the journal name (Nat. Rev., Cancer Treat. Rev.); a leading 'Rev.' "
            "abbreviates Revista or Revue"),
    CueRule("review", "journal", r"Opin\.", "'Current Opinion' journals publish reviews"),
    CueRule("review", "journal", r"Updat\.", "'Updates' journals publish reviews"),
    CueRule("review", "journal", r"Semin\.", "'Seminars' journals publish topical reviews"),
    CueRule("review", "journal", r"Trends", "'Trends' journals publish reviews"),
    # methods
    CueRule("methods", "title", r"methods?|technical|techniques?",
            "the subject is a method or technique"),
    CueRule("methods", "title", r"imaging", "the subject is an imaging approach"),
    CueRule("methods", "title", r"probes?", "the subject is a detection probe"),
    CueRule("methods", "title", r"radiopharmaceuticals?", "the subject is an imaging tracer"),
    CueRule("methods", "title", r"modell?ing", "the subject is how to model a process"),
    CueRule("methods", "title", r"design\s+of\s+(?:clinical\s+)?trials?",
            "the subject is how to design trials"),
    CueRule("methods", "title",
            r"(?:phase\s+(?:III|II|IV|I|[1-4])(?:\s*/\s*(?:III|II|IV|I|[1-4]))?\s+)?trials?\s+design",
            "the subject is how to design trials"),
)  # fmt: skip

_CUE_PATTERNS = tuple(
    (rule, re.compile(rf"(?<![^\W_])(?:{rule.pattern})(?![^\W_])", re.IGNORECASE))
    for rule in CUE_RULES
)
_FIELD_ORDER = {"title": 0, "journal": 1}


@dataclass(frozen=True)
class StudyCue:
    """A printed cue for a study type, with its offsets in the title or the journal."""

    study_type: str
    cue: str
    field: str
    start: int
    end: int


def classify_study(title: str, journal: str) -> tuple[StudyCue, ...]:
    """Return one cue per study type the title and journal state, sorted by (field, start)."""
    texts = {"title": title, "journal": journal}
    found: list[StudyCue] = []
    for rule, pattern in _CUE_PATTERNS:
        for match in pattern.finditer(texts[rule.field]):
            found.append(
                StudyCue(rule.study_type, match.group(0), rule.field, match.start(), match.end())
            )
    chosen: dict[str, StudyCue] = {}
    for cue in sorted(found, key=lambda c: (_FIELD_ORDER[c.field], c.start, c.start - c.end)):
        chosen.setdefault(cue.study_type, cue)
    trial = chosen.get("clinical-trial")
    review = chosen.get("review")
    if trial and review and review.field == "journal" and trial.field == "title":
        del chosen["review"]
    return tuple(sorted(chosen.values(), key=lambda c: (c.field, c.start)))


def classify_citation(citation: Citation) -> tuple[StudyCue, ...]:
    """Return the study-type cues of a printed citation (its title and journal abbreviation)."""
    return classify_study(citation.title, citation.journal or "")


# ---------------------------------------------------------------------------------------- roles


@dataclass(frozen=True)
class Role:
    """A role a text states of an entity, with the quote that states it and its cue words."""

    entity: str
    role: str
    start: int
    end: int
    quote: str
    cue: str


# Mentions that can take roles are replaced, in a copy of the text of the same length, by a
# placeholder: a first character for a gene or drug (or one for a gene family) and fill
# characters. Rules then read as regular expressions over words and placeholders.
_GENE, _FAMILY, _FILL = "\ue000", "\ue001", "\ue002"
_ENT = f"[{_GENE}{_FAMILY}]{_FILL}*"
_SEP = r"(?:\s*/\s*|,?\s+and\s+|,\s+|,?\s+or\s+)"
_ENTS = rf"(?:{_FAMILY}{_FILL}*\s+)?{_ENT}(?:{_SEP}{_ENT})*"
_WORD = rf"[^\s,:;{_GENE}{_FAMILY}{_FILL}]+"

_PROMOTE = (
    r"promot(?:e|es|ing)|enhanc(?:e|es|ing)|facilitat(?:e|es|ing)|mediat(?:e|es|ing)"
    r"|potentiat(?:e|es|ing)|favou?r(?:s|ing)?|support(?:s|ing)?|increas(?:e|es|ing)"
)
_INHIBIT = (
    r"inhibit(?:s|ing)?|suppress(?:es|ing)?|reduc(?:e|es|ing)|attenuat(?:e|es|ing)"
    r"|impair(?:s|ing)?|restrict(?:s|ing)?|block(?:s|ing)?|prevent(?:s|ing)?|decreas(?:e|es|ing)"
)
_NECESSARY = r"(?:is|are)\s+(?:necessary|required|essential)(?:\s+but\s+not\s+sufficient)?\s+for"
# Verbs that take no role, listed only so that a coordinated predicate ("binds A and promotes
# B") can be told from a coordinated object ("promotes A and metastasis").
_OTHER = (
    r"binds?|induc(?:e|es|ing)|produc(?:e|es|ing)|improv(?:e|es|ing)|recruits?|regulat(?:e|es)"
    r"|elevat(?:e|es)|alters?|links?|involves?|results?|interacts?|modulat(?:e|es)|secretes?"
    r"|initiates?|is|are"
)
_VERB = re.compile(
    rf"(?P<verb>(?P<necessary>{_NECESSARY})|(?P<promote>{_PROMOTE})|(?P<inhibit>{_INHIBIT})"
    rf"|(?:{_OTHER}))(?![^\W_])",
    re.IGNORECASE,
)
_ANY_VERB = rf"(?:{_NECESSARY}|{_PROMOTE}|{_INHIBIT}|{_OTHER})(?![^\W_])"
# Where a role verb's object ends. {run} guards the alternatives that open with whitespace: the
# searching copy tries them only where a run of whitespace starts, which finds the same leftmost
# end without scanning a long run again from each of its characters.
_OBJECT_END_ALTERNATIVES = (
    r"{run}\s*[:;]|\.(?=\s|$)|\s{dash}\s|(?:,|{run})\s+(?:but|while|whereas|by|via|through)"
    r"(?![^\W_])|(?:,\s+|(?:,|{run})\s+and\s+|(?:,|{run})\s+or\s+)(?={verb})"
)
_OBJECT_END_HERE = re.compile(
    _OBJECT_END_ALTERNATIVES.format(run="", dash=_D, verb=_ANY_VERB), re.IGNORECASE
)
_OBJECT_END = re.compile(
    _OBJECT_END_ALTERNATIVES.format(run=r"(?<!\s)", dash=_D, verb=_ANY_VERB), re.IGNORECASE
)
_COORDINATOR = re.compile(r",?\s+(?:and|or|but|while|whereas)\s+|,\s+", re.IGNORECASE)
_METASTASIS = re.compile(
    rf"(?<![\w{re.escape(_DASH)}])(?:(?:micro)?metastas[ie]s(?![^\W_])|metastatic\s+[^\W\d_]+)",
    re.IGNORECASE,
)
_GROWTH = re.compile(
    r"(?<![^\W_])(?:(?:primary\s+)?tumou?r\s+growth|tumou?rigenesis)(?![^\W_])", re.IGNORECASE
)
_OBJECT_WORDS = 8
_WORD_START = re.compile(rf"(?<![^\W_]|[{_GENE}{_FAMILY}{_FILL}])(?=[^\W_]|[{_GENE}{_FAMILY}])")

_ACT = (
    r"(?:(?:high|increased|elevated|ectopic|constitutive)\s+)?"
    rf"(?:expression|over{_D}?expression|activation|transfection)\s+of\s+(?:the\s+)?"
)
_DESC = (
    r"(?:\s+(?:[^\W_][\w-]*\s+)?(?:protein|gene|kinase|phosphatase|phosphodiesterase|receptor"
    rf"|signall?ing|expression|over{_D}?expression|activation|activity|cDNA)(?![^\W_]))?"
)
_LOC = r"(?:\s+(?:in|into)(?:\s+(?!(?:with|plus|combination)(?![^\W_]))" + _WORD + r"){1,8}?)?"
_SUBJECT = re.compile(
    rf"(?P<subject>(?:(?P<act>{_ACT})(?P<ents_a>{_ENTS}){_DESC}{_LOC}|(?P<ents_b>{_ENTS}){_DESC})"
    rf"),?\s+(?={_ANY_VERB})",
    re.IGNORECASE,
)
_ENTS_RE = re.compile(_ENTS)
# A gene family directly followed by a gene: the one list start _ENTS may read in two ways.
_FAMILY_NOUN = re.compile(rf"{_FAMILY}{_FILL}*\s+[{_GENE}{_FAMILY}]")
_PLACEHOLDER = re.compile(f"[{_GENE}{_FAMILY}]")
_CLAUSE = re.compile(rf"[,:;]\s|\s{_D}\s")
_RUN = re.compile(r"\S+")
# Words that cannot stand between the start of a clause and its subject.
_NOT_BEFORE_SUBJECT = frozenset(
    "of with by in into on for from to at via against without through between among plus "
    "versus and or nor than but while after before during upon within".split()
)
_BY_PHRASE = rf"by\s+(?:(?:the|a|an)\s+)?(?:(?:[^\W_][\w-]*\s+)?{_ACT})?(?P<ents>{_ENTS})"
_N1 = re.compile(
    rf"(?<![^\W_])(?P<cue>inhibition|suppression)\s+of\s+(?P<object>(?:{_WORD}\s+){{1,12}}?)"
    + _BY_PHRASE,
    re.IGNORECASE,
)
_N2 = re.compile(
    r"(?<![^\W_])(?P<object>(?:micro)?metastas[ie]s|tumou?r\s+growth)\s+"
    r"(?P<cue>inhibition|suppression)\s+" + _BY_PHRASE,
    re.IGNORECASE,
)
_N3 = re.compile(
    rf"(?<![^\W_])(?P<cue>anti{_D}?metastatic)\s+(?:effects?|activit(?:y|ies)|properties|action)"
    rf"\s+of\s+(?:the\s+)?(?P<ents>{_ENTS})",
    re.IGNORECASE,
)
_N4 = re.compile(
    rf"(?P<ents>{_ENTS})(?:\s*[,:]\s+|\s+(?:is|are|as)\s+)(?:an?|the)\s+(?:[^\W_][\w-]*\s+){{0,2}}?"
    r"(?P<cue>(?P<promote>enhancer|promoter|mediator)|(?P<inhibit>inhibitor))s?\s+of\s+",
    re.IGNORECASE,
)
_N5 = re.compile(
    rf"(?P<ents>{_ENTS}),\s+(?:an?|the)\s+(?:{_WORD}\s+){{1,8}}?(?:that|which)\s+(?={_ANY_VERB})",
    re.IGNORECASE,
)
_SUPPRESSOR = rf"metastasis(?:{_D}|\s+)suppressor"
_S1 = re.compile(rf"(?P<ents>{_ENT})\s+(?P<cue>{_SUPPRESSOR})(?![^\W_])", re.IGNORECASE)
_S2 = re.compile(
    rf"(?<![^\W_])(?P<cue>{_SUPPRESSOR})s?(?:\s+(?:gene|protein)s?)?\s+(?P<ents>{_ENTS})",
    re.IGNORECASE,
)
_S3 = re.compile(
    rf"(?P<ents>{_ENT})(?:,|\s+is|\s+as)\s+(?:an?|the)\s+(?:[^\W_][\w-]*\s+)?"
    rf"(?P<cue>{_SUPPRESSOR})(?![^\W_])",
    re.IGNORECASE,
)


class _Reader:
    """One text, its role-bearing mentions and the placeholder copy the rules read."""

    def __init__(self, text: str, mentions: Sequence[Mention], kinds: Mapping[str, str]) -> None:
        self.text = text
        self.mentions: dict[int, tuple[Mention, str]] = {}
        chars = list(text)
        for mention in mentions:
            if text[mention.start : mention.end] != mention.text:
                raise ValueError(f"mention {mention.text!r} is not at {mention.start} in the text")
            if mention.entity not in kinds:
                raise ValueError(f"no kind given for entity {mention.entity}")
            kind = kinds[mention.entity]
            if kind not in ROLE_KINDS:
                continue
            chars[mention.start] = _FAMILY if kind == "gene_family" else _GENE
            chars[mention.start + 1 : mention.end] = _FILL * (mention.end - mention.start - 1)
            self.mentions[mention.start] = (mention, kind)
        self.skeleton = "".join(chars)
        self.starts = sorted(self.mentions)
        # Object ends found so far: searched from `ends_from[i]`, the first is at `ends_at[i]`.
        self.ends_from: list[int] = []
        self.ends_at: list[int | None] = []
        # Predicates read so far, by start: their roles and where the next coordinated one
        # starts; and, by position, where the first predicate from there that states a role is.
        self.predicates: dict[int, tuple[list[tuple[str, str, int]], int | None]] = {}
        self.first_with_roles: dict[int, int | None] = {}

    # Where lists may start (every placeholder), clauses start, and words (runs of non-space)
    # lie, with a running count of the words that block a subject: each rule then asks about a
    # position in logarithmic time instead of rereading the text before or after it.

    @functools.cached_property
    def list_starts(self) -> list[int]:
        """Return the positions of the placeholders, where a mention list may start."""
        return [match.start() for match in _PLACEHOLDER.finditer(self.skeleton)]

    @functools.cached_property
    def clause_starts(self) -> list[int]:
        """Return the positions after each ', ', ': ', '; ' and ' - '."""
        return [match.end() for match in _CLAUSE.finditer(self.skeleton)]

    @functools.cached_property
    def words(self) -> tuple[list[int], list[int], list[int]]:
        """Return the starts and ends of the words and the count of blocking words before each."""
        starts, ends, blocking = [], [], [0]
        for match in _RUN.finditer(self.skeleton):
            starts.append(match.start())
            ends.append(match.end())
            blocking.append(blocking[-1] + _blocks_subject(match.group(0)))
        return starts, ends, blocking

    def entities(self, start: int, end: int) -> list[Mention]:
        """Return the role-taking mentions in a matched list, without appositive family nouns."""
        starts = self.starts[bisect_left(self.starts, start) : bisect_left(self.starts, end)]
        inside = [self.mentions[s] for s in starts]
        kept = []
        for index, (mention, kind) in enumerate(inside):
            following = inside[index + 1][0] if index + 1 < len(inside) else None
            gap = self.text[mention.end : following.start] if following else "/"
            if kind == "gene_family" and following and gap.strip() == "" and gap:
                continue
            kept.append(mention)
        return kept

    def joined(self, start: int, end: int) -> bool:
        """Tell whether a mention list is glued to a neighbouring word by a dash or a letter."""
        before = self.text[start - 1] if start else " "
        after = self.text[end : end + 2]
        return (
            before.isalnum()
            or before in _DASH
            or (after[:1] in _DASH and after[1:2].isalnum())
            or after[:1].isalnum()
        )

    def opens_clause(self, start: int) -> bool:
        """Tell whether only determiners and modifiers precede the word starting at `start`.

        The clause starts after the last ', ', ': ', '; ' or ' - ' before `start`; no mention
        and no preposition, conjunction or verb may stand between. A word that runs into
        `start` ("in(" before "in(X") ends in a character that is not a letter, so it is no such
        word: only the words that end before `start` are counted.
        """
        clause = bisect_right(self.clause_starts, start)
        head = self.clause_starts[clause - 1] if clause else 0
        if bisect_left(self.starts, head) < bisect_left(self.starts, start):
            return False
        starts, ends, blocking = self.words
        first, last = bisect_left(starts, head), bisect_right(ends, start)
        return last <= first or blocking[last] == blocking[first]

    def list_followers(self, start: int) -> list[int]:
        """Return the later starts of the mention list opening at `start` that read it the same way.

        A rule whose text after a list depends only on where the list ends, and that fails on the
        list from `start`, fails from each of these too: their lists end where the first's may.
        A gene family followed by a gene is left out (its list may also be read from the gene).
        """
        match = _ENTS_RE.match(self.skeleton, start)
        if match is None:
            return []
        inside = self.list_starts[
            bisect_right(self.list_starts, start) : bisect_left(self.list_starts, match.end())
        ]
        return [s for s in inside if not _FAMILY_NOUN.match(self.skeleton, s)]

    def object_end(self, start: int) -> int | None:
        """Return where the object of a verb ending at `start` ends (None: at the end of the text).

        Each search is remembered: a later one from a position no further than the end found
        last gives the same end, so the text is not searched again.
        """
        index = bisect_right(self.ends_from, start) - 1
        if index >= 0:
            found = self.ends_at[index]
            if found is None or found >= start:
                return found
        match = _OBJECT_END_HERE.match(self.skeleton, start) or _OBJECT_END.search(
            self.skeleton, start
        )
        end = match.start() if match else None
        self.ends_from.insert(index + 1, start)
        self.ends_at.insert(index + 1, end)
        return end

    def word_limit(self, start: int) -> int:
        """Return a position past which no match ends within `_OBJECT_WORDS` words of `start`.

        It is one character into the next word, so a match cut short there has too many words.
        """
        starts, ends, _ = self.words
        word = bisect_right(ends, start) + _OBJECT_WORDS
        return starts[word] + 1 if word < len(starts) else len(self.skeleton)

    def role(self, mention: Mention, role: str, start: int, end: int, cue: str) -> Role:
        """Make a role quoting text[start:end]."""
        return Role(mention.entity, role, start, end, self.text[start:end], cue)


def _targets(reader: _Reader, start: int, end: int | None = None) -> list[tuple[str, int]]:
    """Return the targets ('metastasis' or 'growth') of the object starting at `start`."""
    skeleton = reader.skeleton
    if end is None:
        stop = reader.object_end(start)
        end = stop if stop is not None else len(skeleton)
    # A target ending past the word limit is too far away: searching no further gives the same
    # first match within it.
    end = min(end, reader.word_limit(start))
    found = []
    for name, pattern in (("metastasis", _METASTASIS), ("growth", _GROWTH)):
        match = pattern.search(skeleton, start, end)
        if match and len(skeleton[start : match.end()].split()) <= _OBJECT_WORDS:
            found.append((name, match.end()))
    return found


_ROLE_OF = {
    ("promote", "metastasis"): "metastasis-promoter",
    ("inhibit", "metastasis"): "metastasis-inhibitor",
    ("inhibit", "growth"): "growth-inhibitor",
}


def _object_roles(
    reader: _Reader, direction: str, cue: str, object_start: int
) -> list[tuple[str, str, int]]:
    """Return (role, cue, target end) for each target of a role verb's object that gives a role."""
    found = []
    for target, end in _targets(reader, object_start):
        role = _ROLE_OF.get((direction, target))
        if role:
            found.append((role, cue, end))
    return found


def _predicates(reader: _Reader, start: int) -> list[tuple[str, str, int]]:
    """Return (role, cue, target end) of each role stated by the predicates from `start`.

    Predicates are coordinated ("enhances A and potentiates B"): each one's roles and where the
    next begins are read once per text, and each position remembers the first predicate from it
    that states a role, so that subjects sharing a long chain of predicates do not each walk it.
    """
    found = []
    position = _first_with_roles(reader, start)
    while position is not None:
        roles, following = _predicate(reader, position)
        found += roles
        position = None if following is None else _first_with_roles(reader, following)
    return found


def _predicate(reader: _Reader, position: int) -> tuple[list[tuple[str, str, int]], int | None]:
    """Return the roles a predicate starting at `position` states and where the next one starts."""
    known = reader.predicates.get(position)
    if known is not None:
        return known
    verb = _VERB.match(reader.skeleton, position)
    roles: list[tuple[str, str, int]] = []
    following = None
    if verb is not None:
        if verb.group("promote") or verb.group("inhibit") or verb.group("necessary"):
            direction = "inhibit" if verb.group("inhibit") else "promote"
            roles = _object_roles(reader, direction, verb.group("verb"), verb.end())
        stop = reader.object_end(verb.end())
        link = _COORDINATOR.match(reader.skeleton, stop) if stop is not None else None
        following = link.end() if link else None
    reader.predicates[position] = (roles, following)
    return roles, following


def _first_with_roles(reader: _Reader, start: int) -> int | None:
    """Return where the first predicate stating a role starts in the chain from `start`."""
    passed = []
    position: int | None = start
    while position is not None and position not in reader.first_with_roles:
        roles, following = _predicate(reader, position)
        if roles:
            reader.first_with_roles[position] = position
            break
        passed.append(position)
        position = following
    found = None if position is None else reader.first_with_roles[position]
    for earlier in passed:
        reader.first_with_roles[earlier] = found
    return found


def _subject_roles(reader: _Reader) -> list[Role]:
    roles = []
    covered = 0
    failed: set[int] = set()
    # Every word start is tried, so that a rejected candidate cannot hide a later subject; a
    # start inside an accepted subject ("expression of X" in "High expression of X") is not,
    # nor one that does not open its clause, nor a later start of a list that was no subject.
    for start_of_word in _WORD_START.finditer(reader.skeleton):
        start = start_of_word.start()
        if start < covered or start in failed or not reader.opens_clause(start):
            continue
        match = _SUBJECT.match(reader.skeleton, start)
        if not match:
            failed.update(reader.list_followers(start))
            continue
        group = "ents_a" if match.group("ents_a") else "ents_b"
        ents_start, ents_end = match.span(group)
        if reader.joined(ents_start, ents_end):
            continue
        covered = match.end("subject")
        for role, cue, end in _predicates(reader, match.end()):
            roles += [
                reader.role(m, role, start, end, cue) for m in reader.entities(ents_start, ents_end)
            ]
    return roles


def _nominal_roles(reader: _Reader) -> list[Role]:
    roles = []
    for pattern in (_N1, _N2):
        for match in pattern.finditer(reader.skeleton):
            if reader.joined(*match.span("ents")):
                continue
            obj_start, obj_end = match.span("object")
            for target, _ in _targets(reader, obj_start, obj_end):
                role = _ROLE_OF[("inhibit", target)]
                roles += [
                    reader.role(m, role, match.start(), match.end(), match.group("cue"))
                    for m in reader.entities(*match.span("ents"))
                ]
    for match in _N3.finditer(reader.skeleton):
        if not reader.joined(*match.span("ents")):
            roles += [
                reader.role(
                    m, "metastasis-inhibitor", match.start(), match.end(), match.group("cue")
                )
                for m in reader.entities(*match.span("ents"))
            ]
    for match in _list_matches(reader, _N4):
        direction = "promote" if match.group("promote") else "inhibit"
        roles += _described(
            reader, match, _object_roles(reader, direction, match.group("cue"), match.end())
        )
    for match in _list_matches(reader, _N5):
        roles += _described(reader, match, _predicates(reader, match.end()))
    return roles


def _list_matches(reader: _Reader, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Yield the matches of a pattern that opens with a mention list, as `finditer` would.

    Only list starts are tried, and not the later starts of a list that failed (`list_followers`),
    so a long list is read once rather than once per mention in it.
    """
    position = 0
    failed: set[int] = set()
    for start in reader.list_starts:
        if start < position or start in failed:
            continue
        match = pattern.match(reader.skeleton, start)
        if match:
            position = match.end()
            yield match
        else:
            failed.update(reader.list_followers(start))


def _blocks_subject(word: str) -> bool:
    """Tell whether a word may not stand between the start of a clause and its subject."""
    return word.casefold() in _NOT_BEFORE_SUBJECT or _VERB.fullmatch(word) is not None


def _described(
    reader: _Reader, match: re.Match[str], stated: Sequence[tuple[str, str, int]]
) -> list[Role]:
    """Return the roles of an apposition or class noun, given (role, cue, end) of its object."""
    ents_start, ents_end = match.span("ents")
    if reader.joined(ents_start, ents_end):
        return []
    return [
        reader.role(m, role, ents_start, end, cue)
        for role, cue, end in stated
        for m in reader.entities(ents_start, ents_end)
    ]


def _suppressor_roles(reader: _Reader) -> list[Role]:
    roles = []
    for pattern in (_S1, _S2, _S3):
        for match in pattern.finditer(reader.skeleton):
            ents_start, ents_end = match.span("ents")
            if reader.joined(ents_start, ents_end):
                continue
            cue = reader.text[match.start("cue") : match.end("cue")]
            roles += [
                reader.role(m, "metastasis-suppressor", match.start(), match.end(), cue)
                for m in reader.entities(ents_start, ents_end)
            ]
    return roles


def find_roles(
    text: str, mentions: Sequence[Mention], kinds: Mapping[str, str]
) -> tuple[Role, ...]:
    """Return the roles `text` states of its gene, gene-family and drug mentions, in order.

    `kinds` maps entity ids to lexicon kinds; a mention of any other kind takes no role.
    """
    reader = _Reader(text, mentions, kinds)
    if not reader.mentions:
        return ()
    roles = {*_suppressor_roles(reader), *_subject_roles(reader), *_nominal_roles(reader)}
    return tuple(sorted(roles, key=lambda r: (r.start, r.end, r.entity, r.role)))
