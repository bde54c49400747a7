"""Roll the cancers and sites of the pictures up into broader groups: near-synonyms in one row.

The graph holds only the terms the texts name, without their MONDO or UBERON parents, so the
groups come from two small rules that the tests check against MONDO and UBERON when the
reference tables are at hand:

- a cancer whose MONDO label names an organ ('breast carcinoma', 'malignant colon neoplasm',
  'non-small cell lung carcinoma') joins that organ's cancer ('breast cancer', 'colorectal
  cancer', 'lung cancer'), a term on the same MONDO is_a path; a bare 'cancer' or 'neoplasm'
  joins 'cancer, type not named'; a cancer named by its type alone ('melanoma') stays itself;
- a site that UBERON puts inside another site the texts name (brain and leptomeninx in the
  central nervous system, bone marrow in the bone element) joins it.

A group of one term keeps that term's label.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

UNNAMED = "cancer, type not named"
UNNAMED_KEY = f"cancer group: {UNNAMED}"
# Words of MONDO cancer labels that name an organ, and the organ's cancer as MONDO names it
# (its label or an exact synonym).
_ORGANS = {
    "breast": "breast cancer",
    "mammary": "breast cancer",
    "colon": "colorectal cancer",
    "colonic": "colorectal cancer",
    "colorectal": "colorectal cancer",
    "rectal": "colorectal cancer",
    "rectum": "colorectal cancer",
    "lung": "lung cancer",
    "pulmonary": "lung cancer",
    "pancreatic": "pancreatic cancer",
    "pancreas": "pancreatic cancer",
    "prostate": "prostate cancer",
    "prostatic": "prostate cancer",
    "gastric": "gastric cancer",
    "stomach": "gastric cancer",
    "kidney": "kidney cancer",
    "renal": "kidney cancer",
    "bladder": "urinary bladder cancer",
    "cervical": "cervical cancer",
    "cervix": "cervical cancer",
    "ovarian": "ovarian cancer",
    "ovary": "ovarian cancer",
    "liver": "liver cancer",
    "hepatic": "liver cancer",
    "hepatocellular": "liver cancer",
    "thyroid": "thyroid cancer",
    "esophageal": "esophageal cancer",
    "oesophageal": "esophageal cancer",
    "endometrial": "endometrial cancer",
}
# MONDO terms for cancer in general, named without an organ or a type.
_GENERAL = frozenset(
    {"cancer", "neoplasm", "malignant neoplasm", "tumor", "tumour", "malignant tumor"}
)
# UBERON terms inside another term the texts name (UBERON's is_a and part_of parents).
SITE_PARENTS = {
    "UBERON:0000955": ("UBERON:0001017", "central nervous system"),  # brain
    "UBERON:0000391": ("UBERON:0001017", "central nervous system"),  # leptomeninx
    "UBERON:0002371": ("UBERON:0001474", "bone element"),  # bone marrow
}


@dataclass(frozen=True)
class Group:
    """Terms shown as one row or column: its key, its label and its members, the main first."""

    key: str
    label: str
    members: tuple[str, ...]


def cancer_group(label: str) -> str | None:
    """Return the group label of a cancer's MONDO label, or None when it stays itself."""
    text = label.lower().strip()
    if text in _GENERAL:
        return UNNAMED
    for word in re.findall(r"[a-z]+", text):
        if word in _ORGANS:
            return _ORGANS[word]
    return None


_SITE_GROUPS = {parent: label for parent, label in SITE_PARENTS.values()}


def site_group(curie: str) -> tuple[str, str] | None:
    """Return the CURIE and label of the site a UBERON term rolls up into (itself, for such a
    site), or None."""
    if curie in _SITE_GROUPS:
        return curie, _SITE_GROUPS[curie]
    return SITE_PARENTS.get(curie)


def curie_of(iri: str) -> str:
    """Return the CURIE of an entity IRI whose key is PREFIX_LOCAL (.../anatomy/UBERON_1)."""
    prefix, _, local = iri.rstrip("/").rsplit("/", 1)[-1].partition("_")
    return f"{prefix}:{local}" if local else prefix


def roll_up(
    labels: Mapping[str, str],
    weights: Mapping[str, int],
    group_of: Callable[[str, str], tuple[str, str] | None],
) -> dict[str, Group]:
    """Return each IRI's group; `group_of(iri, label)` gives a group's key and label, or None.

    Members are ordered by weight (then label), a member bearing the group's label first; a
    group of one member keeps that member's label, but for the cancers of no named type.
    """
    keyed: dict[str, tuple[str, list[str]]] = {}
    for iri, label in labels.items():
        found = group_of(iri, label)
        key, name = found if found is not None else (iri, label)
        keyed.setdefault(key, (name, []))[1].append(iri)
    groups: dict[str, Group] = {}
    for key, (name, members) in keyed.items():
        members.sort(
            key=lambda iri: (labels[iri] != name, -weights.get(iri, 0), labels[iri].lower(), iri)
        )
        if len(members) == 1 and key != UNNAMED_KEY:
            name = labels[members[0]]
        group = Group(key, name, tuple(members))
        for iri in members:
            groups[iri] = group
    return groups


def cancer_key(iri: str, label: str) -> tuple[str, str] | None:
    """Return the group of a cancer for `roll_up`: keyed by the organ's cancer label."""
    name = cancer_group(label)
    if name is None:
        return None
    return (UNNAMED_KEY if name == UNNAMED else f"cancer group: {name}"), name


def site_key(iri: str, label: str) -> tuple[str, str] | None:
    """Return the group of a site for `roll_up`: keyed by the parent site's CURIE."""
    found = site_group(curie_of(iri))
    return None if found is None else (f"site group: {found[0]}", found[1])
