"""The ambiguity rules of the grounding index: which names of the vocabularies ground text.

Every name the vocabularies give an entity is a *claim*: an entity, a text, where it comes from
(`origin`), whether it matches only as written (`case_sensitive`) and its rank: 1 for an entity's
own name (approved symbol or name, ontology label, drug name, FamPlex name, or a text FamPlex's
grounding map grounds to it: a curated reading for disambiguation, as in Gilda),
2 for a synonym (alias, previous symbol, ontology or MeSH synonym, drug synonym or brand name),
3 for a synonym ChEBI inherits through a DrugBank or MeSH cross-reference (which DrugBank shares
between a drug and its salts). `resolve` decides, key by key (the case-folded keys of
`ingest.textkey.form_keys`), which claims ground text; every other claim stays a synonym of its
entity (searchable, never found in text), with the rule that stopped it as its status.

First each name alone (`intrinsic_status`):

V1 Short: a name of at most 2 letters and digits, or with no letter, grounds nothing (status
   `short`); nor does a name of at most 4 that matches in any case (so its source wrote no
   capitals to tell an abbreviation from a word: saha, tris, atra) when it is a synonym or a
   drug's name. Gene symbols have their own case rule below and are exempt from the second part.
V2 Long: a name of more than MAX_TOKENS tokens grounds nothing (`long`: never printed whole).
V3 English words: a one-word name that is a lower-case word of the English word list
   - is kept, with the finder's context check (R7; status `context`), when it is a gene's
     approved symbol (MET, SET, CAT, CAPS, WAS);
   - grounds nothing (`english`) when it is a gene's alias or previous symbol (AGO, ARM, FACE),
     or a synonym of any entity (hand, back, tumor, thyroid);
   - grounds a drug only when it is the drug's own name and the drug has a MedlinePlus monograph
     (aspirin, morphine; not water, gold, oxygen, honey; not the brand names Emend, Cambia); so
     does a drug name of several words that are all English words ("available generically",
     "all clear", "beef liver", "acetic acid");
   - matches only as written when it is a FamPlex name or grounding text (Notch, Hedgehog,
     Patched, Homer; Snail for SNAI1);
   - otherwise (an ontology label or a gene's approved name: liver, brain, insulin) is kept, and
     the curated exclusions (ingest/lexicon/exclusions.tsv) remove the wrong ones (head, face).
V4 Abbreviations of other things: a gene's alias or previous symbol that MeSH lists as the
   abbreviation of a concept that is not a protein, an enzyme or a gene (PCR, AIDS, ATP, DCIS)
   grounds nothing (`abbreviation`); such an approved symbol keeps the context check (`context`).
V5 Building blocks: a drug that ChEBI makes an amino acid, a nucleotide or a fundamental
   metabolite grounds nothing (`endogenous`) unless it has a MedlinePlus monograph: tyrosine in
   "tyrosine kinase", GTP in "ARF6-GTP", cysteine in "cysteine proteases".

Then, under each key, the names that passed compete (one claim per entity: its best):

V6 Rank: names of a better rank win (`outranked`): an approved symbol beats another gene's
   alias or previous symbol; an ontology label beats another term's synonym; a DrugBank synonym
   beats a synonym a salt inherits.
V7 Kinds: where a key names entities of several kinds, a drug yields (`yields`) to every other
   kind (insulin is the gene, VEGF not the MeSH drug entry); a gene's approved symbol beats a
   FamPlex name (RHO is rhodopsin), and a FamPlex name or grounding text beats a gene's alias
   or previous symbol whatever the ranks (RAS, AKT, ERK are families, not HRAS, AKT1, MAPK3).
V8 Shared: a key still naming two entities after V6 and V7 grounds nothing (`shared`): aliases of
   several genes, synonyms of several terms, a brand name of two drugs. Between two drugs of the
   same rank, the one ChEBI has wins over one known only to DrugBank or MeSH (DrugBank lists
   irinotecan twice, DB00762 and DB05482; ChEBI's irinotecan is DB00762).

A name grounds under the case-folded keys it won (a form with a dash has several keys: "IL-6" has
"il 6" and "il6"), status `ground` or `context`; the finder compares the case keys of a
case-sensitive name itself.

Case: gene symbols (approved, alias, previous) match as written, except that a symbol of at least
three characters with a letter and a digit matches in any case (Stat3, stat3, STAT3); other names
match in any case unless they look like a symbol (an upper-case letter after the first character,
or one word with letters and digits: CNS, NSCLC, DC101).
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.textkey import form_keys, iter_tokens

# Names with more tokens than this are never printed whole: synonyms only (V2).
MAX_TOKENS = 12
INHERITED = "chebi-synonym"
GENE_SYMBOL_ORIGINS = frozenset({"symbol", "previous", "alias"})
RANK_ONE = frozenset(
    {"symbol", "name", "label", "drugbank-name", "famplex-name", "famplex-grounding"}
)

# Statuses of a name in the index: the first two ground text, the others say why a name does not.
GROUND = "ground"
CONTEXT = "context"
SHORT = "short"
LONG = "long"
ENGLISH = "english"
ABBREVIATION = "abbreviation"
ENDOGENOUS = "endogenous"
OUTRANKED = "outranked"
YIELDS = "yields"
SHARED = "shared"
GROUNDING_STATUSES = frozenset({GROUND, CONTEXT})


@dataclass
class Claim:
    """A name of an entity in a vocabulary, and what the rules decided about it."""

    entity: str
    kind: str
    text: str
    origin: str
    rank: int
    case_sensitive: bool
    status: str = GROUND
    keys: list[str] = field(default_factory=list)
    # For drugs: whether the drug has a MedlinePlus monograph (V3, V8).
    medicine: bool = False
    # For drugs: whether ChEBI makes it an amino acid, a nucleotide or a fundamental metabolite.
    endogenous: bool = False


def letters_and_digits(text: str) -> str:
    """Return the letters and digits of a text."""
    return "".join(char for char in text if char.isalnum())


def looks_like_symbol(text: str) -> bool:
    """Return whether a name reads as a symbol: an inner capital, or one word of letters+digits."""
    words = [token for token in iter_tokens(text) if token.word]
    if any(char.isupper() for word in words for char in text[word.start + 1 : word.end]):
        return True
    if len(words) == 1:
        word = text[words[0].start : words[0].end]
        return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)
    return False


def gene_symbol_case_sensitive(text: str) -> bool:
    """Return whether a gene symbol matches only as written (letters only, or under 3 chars)."""
    core = letters_and_digits(text)
    has_both = any(c.isdigit() for c in core) and any(c.isalpha() for c in core)
    return not (has_both and len(core) >= 3)


def name_case_sensitive(text: str) -> bool:
    """Return whether a name other than a gene symbol matches only as written."""
    return looks_like_symbol(text)


def rank_of(origin: str, text: str, label: str) -> int:
    """Return 1 for an entity's own name (or its label), 2 for a synonym, 3 for an inherited one.

    ChEBI's synonyms here are inherited through its DrugBank and MeSH cross-references, which
    DrugBank shares between a drug and its salts: they lose to the drug's own synonyms.
    """
    if origin in RANK_ONE or text.casefold() == label.casefold():
        return 1
    return 3 if origin == INHERITED else 2


def _one_word(text: str) -> str | None:
    tokens = list(iter_tokens(text))
    if len(tokens) == 1 and tokens[0].word:
        return tokens[0].key
    return None


def intrinsic_status(claim: Claim, english: frozenset[str], abbreviations: frozenset[str]) -> str:
    """Return the status a name gets from itself alone (rules V1-V4), before any competition."""
    core = letters_and_digits(claim.text)
    if len(core) <= 2 or not any(char.isalpha() for char in core):
        return SHORT
    tokens = list(iter_tokens(claim.text))
    if len(tokens) > MAX_TOKENS:
        return LONG
    gene_symbol = claim.kind == "gene" and claim.origin in GENE_SYMBOL_ORIGINS
    if len(core) <= 4 and not claim.case_sensitive and not gene_symbol:
        if claim.rank > 1 or claim.kind == "drug":
            return SHORT
    if claim.kind == "drug" and claim.endogenous and not claim.medicine:
        return ENDOGENOUS
    if claim.kind == "drug" and (claim.rank > 1 or not claim.medicine):
        words = [token.key for token in tokens]
        if len(words) > 1 and all(word in english for word in words):
            return ENGLISH  # brand names and extracts in plain words: "all clear", "beef liver"
    word = _one_word(claim.text)
    if word is not None and word in english:
        if gene_symbol:
            return CONTEXT if claim.origin == "symbol" else ENGLISH
        if claim.rank > 1 or (claim.kind == "drug" and not claim.medicine):
            return ENGLISH
        if claim.origin.startswith("famplex"):
            claim.case_sensitive = True
    if gene_symbol and claim.text in abbreviations:
        return CONTEXT if claim.origin == "symbol" else ABBREVIATION
    return GROUND


def _better(first: Claim, second: Claim) -> int:
    """Compare two competing claims of different entities: <0 first wins, >0 second, 0 tie."""
    if first.kind != second.kind:
        if first.kind == "drug" or second.kind == "drug":
            return 1 if first.kind == "drug" else -1
        pair = {first.kind, second.kind}
        if pair == {"gene", "gene_family"}:
            gene = first if first.kind == "gene" else second
            gene_wins = gene.origin == "symbol"
            return -1 if (gene is first) == gene_wins else 1
    if first.rank == second.rank and first.kind == second.kind == "drug":
        # Two drugs of one name (a second DrugBank entry of the same drug): ChEBI's wins.
        return _chebi_last(first) - _chebi_last(second)
    return first.rank - second.rank


def _chebi_last(claim: Claim) -> int:
    return 0 if claim.entity.startswith("CHEBI:") else 1


def _reason(loser: Claim, winner: Claim) -> str:
    if loser.kind != winner.kind and loser.kind == "drug":
        return YIELDS
    return OUTRANKED


def resolve(
    claims: Iterable[Claim], english: frozenset[str], abbreviations: frozenset[str]
) -> list[Claim]:
    """Apply rules V1-V8 to every claim: set its status and the keys under which it grounds."""
    claims = list(claims)
    # key -> (claim, whether the claim reaches the key only by joining words at a dash)
    by_key: dict[str, list[tuple[Claim, bool]]] = defaultdict(list)
    for claim in claims:
        claim.status = intrinsic_status(claim, english, abbreviations)
        if claim.status not in GROUNDING_STATUSES:
            continue
        for number, key in enumerate(form_keys(claim.text, case_sensitive=False)):
            by_key[key].append((claim, number > 0))
    won: dict[int, list[str]] = defaultdict(list)
    lost: dict[int, str] = {}
    for key, group in by_key.items():
        winner = _winner(group)
        for claim, _ in group:
            if winner is None:
                lost.setdefault(id(claim), SHARED)
            elif claim.entity == winner.entity:
                won[id(claim)].append(key)
            else:
                lost.setdefault(id(claim), _reason(claim, winner))
    for claim in claims:
        if claim.status not in GROUNDING_STATUSES:
            continue
        folded = won.get(id(claim), [])
        if not folded:
            claim.status = lost.get(id(claim), SHARED)
            continue
        allowed = set(folded)
        claim.keys = [key for key in form_keys(claim.text) if key in allowed]
    return claims


def _winner(group: list[tuple[Claim, bool]]) -> Claim | None:
    """Return the claim that wins a key (V6-V8), or None when the key stays shared.

    A claim that has the key as written beats one that reaches it only by joining words at a
    dash (MIR93 keeps "mir93" from MIR9-3, which keeps "mir 9 3").
    """
    if any(not joined for _, joined in group):
        group = [(claim, joined) for claim, joined in group if not joined]
    # One entity's best claim under this key (the same name from two origins is one claim).
    best: dict[str, Claim] = {}
    for claim, _ in group:
        current = best.get(claim.entity)
        if current is None or (claim.rank, claim.case_sensitive) < (
            current.rank,
            current.case_sensitive,
        ):
            best[claim.entity] = claim
    contenders = list(best.values())
    winners = [c for c in contenders if all(_better(c, o) <= 0 for o in contenders)]
    return winners[0] if len(winners) == 1 else None


_WORD = re.compile(r"^[a-z]+$")


def english_words(lines: Iterable[str]) -> frozenset[str]:
    """Return the lower-case words of a word list (one word a line; names and 's forms skipped)."""
    return frozenset(line.strip() for line in lines if _WORD.match(line.strip()))
