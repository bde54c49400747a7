"""Load the curated entity lexicon (ingest/lexicon/*.tsv) into plain records."""

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import LexiconError
from ingest.kinds import KINDS
from ingest.resources import lexicon_path
from ingest.textkey import form_keys
from ingest.tsv import read_tsv, split_multi

if TYPE_CHECKING:
    from ingest.formindex import FormIndex


@dataclass(frozen=True)
class Entity:
    """A grounded thing: its primary id (a CURIE, or an ontology class for processes)."""

    id: str
    kind: str
    label: str
    xrefs: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    # For processes: the mkg ontology class the entity instantiates.
    cls: str | None = None
    # Other names the vocabularies give it (HGNC previous and alias symbols, ontology synonyms,
    # drug synonyms and brand names), for search; only the grounding index fills them.
    synonyms: tuple[str, ...] = ()
    # Those of the synonyms that ground nothing (ambiguous, shared, English words, excluded by
    # the curation): names to find the entity by, not names that identify it.
    search_only: tuple[str, ...] = ()
    # Direct parents in its ontology (MONDO is_a; UBERON and CL is_a and part_of), as ids of
    # entities of the same kind; only the grounding index fills them.
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    """A surface form of an entity as it may be written in text."""

    text: str
    entity: str
    case_sensitive: bool
    # A gene symbol that is also an English word: the finder checks its context.
    ambiguous: bool
    note: str = ""


@dataclass(frozen=True)
class Target:
    """A curated molecular target of a drug (a gene by HGNC id and symbol) and its source."""

    drug: str
    gene: str
    symbol: str
    source: str


@dataclass(frozen=True)
class Lexicon:
    """All entities, their surface forms and the curated drug targets.

    The curated lexicon holds its entities in a dict and its forms in a tuple. The grounding
    lexicon of a build (`ingest.vocabulary.load_grounding_lexicon`) looks entities up in the
    full vocabularies and finds forms through `index`, a `FormIndex`; its `forms` are the
    curated ones only.
    """

    entities: Mapping[str, Entity]
    forms: tuple[Form, ...]
    targets: tuple[Target, ...] = field(default=())
    index: "FormIndex | None" = None


def _gene(row: dict[str, str]) -> Entity:
    xrefs = [f"NCBIGene:{row['ncbigene']}"] if row["ncbigene"] else []
    xrefs += [f"UniProtKB:{accession}" for accession in split_multi(row["uniprot"])]
    return Entity(row["hgnc_id"], "gene", row["symbol"], tuple(xrefs))


def _family(row: dict[str, str]) -> Entity:
    # Every gene below the family in FamPlex, through its member families too.
    members = tuple(split_multi(row["member_hgnc_ids_all"]))
    return Entity(row["fplx_id"], "gene_family", row["name"], (), members)


def _drug(row: dict[str, str]) -> Entity:
    xrefs = split_multi(row["chebi"]) + [
        f"{prefix}:{value}"
        for column, prefix in (
            ("chembl", "CHEMBL.COMPOUND"),
            ("drugbank", "DRUGBANK"),
            ("pubchem", "PUBCHEM.COMPOUND"),
        )
        for value in split_multi(row[column])
    ]
    xrefs += split_multi(row["mesh"])
    return Entity(row["id"], "drug", row["label"], tuple(x for x in xrefs if x != row["id"]))


def _simple(kind: str, id_column: str) -> Callable[[dict[str, str]], Entity]:
    def make(row: dict[str, str]) -> Entity:
        return Entity(row[id_column], kind, row["label"])

    return make


def _cancer(row: dict[str, str]) -> Entity:
    xrefs = split_multi(row["ncit"]) + split_multi(row["doid"])
    return Entity(row["mondo_id"], "cancer", row["label"], tuple(xrefs))


def _process(row: dict[str, str]) -> Entity:
    xrefs = tuple(split_multi(row["go"]))
    return Entity(row["class"], "process", row["label"], xrefs, cls=row["class"])


_READERS: dict[str, Callable[[dict[str, str]], Entity]] = {
    "gene": _gene,
    "gene_family": _family,
    "drug": _drug,
    "anatomy": _simple("anatomy", "uberon_id"),
    "cancer": _cancer,
    "cell_type": _simple("cell_type", "cl_id"),
    "organism": _simple("organism", "ncbitaxon_id"),
    "process": _process,
}
_CONTEXT_NOTE = re.compile(r"must check context", re.IGNORECASE)


@functools.cache
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Load every entity table, its forms and the drug targets; refuse inconsistent tables."""

    def path(name: str) -> Path:
        return directory / name if directory is not None else lexicon_path(name)

    entities: dict[str, Entity] = {}
    forms: list[Form] = []
    owners: dict[str, list[Form]] = {}
    for kind in KINDS.values():
        for number, row in enumerate(read_tsv(path(f"{kind.table}.tsv")), start=1):
            try:
                entity = _READERS[kind.name](row)
            except KeyError as error:
                raise LexiconError(f"{kind.table}.tsv: row {number} lacks column {error}") from None
            if entity.id in entities:
                raise LexiconError(f"{kind.table}.tsv: row {number}: {entity.id} is listed twice")
            entities[entity.id] = entity
        for number, row in enumerate(read_tsv(path(f"forms_{kind.table}.tsv")), start=1):
            where = f"forms_{kind.table}.tsv: row {number} ({row.get('form')!r})"
            if row["id"] not in entities or entities[row["id"]].kind != kind.name:
                raise LexiconError(f"{where}: {row['id']} is not in {kind.table}.tsv")
            if row["match"] not in ("case", "nocase"):
                raise LexiconError(f"{where}: match must be 'case' or 'nocase'")
            form = Form(
                text=row["form"],
                entity=row["id"],
                case_sensitive=row["match"] == "case",
                ambiguous=bool(_CONTEXT_NOTE.search(row["note"])),
                note=row["note"],
            )
            # R8, on the keys the finder matches by: two entities' forms that the finder cannot
            # tell apart (one of them matching in any case, or both spelt alike) are refused.
            keys = form_keys(form.text)
            for other in (other for key in keys for other in owners.get(key, [])):
                both_cased = form.case_sensitive and other.case_sensitive
                clash = not both_cased or bool(
                    set(form_keys(form.text, case_sensitive=True))
                    & set(form_keys(other.text, case_sensitive=True))
                )
                if other.entity != form.entity and clash:
                    raise LexiconError(f"{where}: the form is already a form of {other.entity}")
            for key in keys:
                owners.setdefault(key, []).append(form)
            forms.append(form)
    targets = tuple(
        Target(row["drug_id"], row["hgnc_id"], row["symbol"], row["source"])
        for row in read_tsv(path("drug_targets.tsv"))
    )
    for target in targets:
        if entities.get(target.drug, Entity("", "", "")).kind != "drug":
            raise LexiconError(f"drug_targets.tsv: {target.drug} is not in drugs.tsv")
    return Lexicon(entities, tuple(forms), targets)
