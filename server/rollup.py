"""Roll the cancers and sites of the pictures up into organ-level groups, along the graph's
hierarchy (`skos:broader`: MONDO is_a for cancers; UBERON is_a and part_of for sites).

MONDO and UBERON have no "organ level" of their own: MONDO crosses organ and histology in one
is_a hierarchy ("breast carcinoma" is a breast cancer and a carcinoma), and UBERON's part_of
leads from the brain to the central nervous system, the nervous system and the whole body. So
the levels are named here, by identifier (each checked against the reference tables by the
tests):

- CANCER_LEVELS: the cancer of each organ the metastasis literature studies most, as MONDO
  names it ("breast cancer", "colorectal cancer", "malignant pancreatic neoplasm"), and the
  organ's neoplasm just above it ("breast neoplasm"), which joins the same group;
- SITE_LEVELS: organs and organ systems that are primary or metastatic sites (the central
  nervous system, the bone element, lung, liver, lymph node, ...).

A term joins the level nearest to it on its chain of skos:broader links (itself when it is a
level; of two levels as near, the one listed first); a term with no level on its chain stays
itself ("melanoma", "osteosarcoma", "blood"). MONDO's "cancer" and "neoplasm" themselves join
"cancer, type not named". A group of one term keeps that term's label; a group of several takes
the label of its level term, which the graph holds as a named entity or an mkg:BroaderTerm.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from server.engine import Engine
from server.lookup import rows

UNNAMED = "cancer, type not named"
UNNAMED_KEY = f"cancer group: {UNNAMED}"
# MONDO terms for cancer in general: named without an organ or a type.
GENERAL_CANCERS = {"MONDO:0004992": "cancer", "MONDO:0005070": "neoplasm"}
# Organ cancers (MONDO id, label) and the neoplasm of the same organ just above each (id,
# label), whose group is the cancer's.
ORGAN_CANCERS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("MONDO:0007254", "breast cancer", "MONDO:0021100", "breast neoplasm"),
    ("MONDO:0005575", "colorectal cancer", "MONDO:0005335", "colorectal neoplasm"),
    ("MONDO:0008903", "lung cancer", "MONDO:0021117", "lung neoplasm"),
    ("MONDO:0009831", "malignant pancreatic neoplasm", "MONDO:0021040", "pancreatic neoplasm"),
    ("MONDO:0008315", "prostate cancer", "MONDO:0021259", "prostate neoplasm"),
    ("MONDO:0001056", "gastric cancer", "MONDO:0021085", "gastric neoplasm"),
    ("MONDO:0002367", "kidney cancer", "MONDO:0021163", "kidney neoplasm"),
    ("MONDO:0001187", "urinary bladder cancer", "MONDO:0004987", "urinary bladder neoplasm"),
    ("MONDO:0002974", "cervical cancer", "MONDO:0021230", "uterine cervix neoplasm"),
    ("MONDO:0008170", "ovarian cancer", "MONDO:0021068", "ovarian neoplasm"),
    ("MONDO:0011962", "endometrial cancer", "MONDO:0021251", "endometrium neoplasm"),
    ("MONDO:0002691", "liver cancer", None, None),
    ("MONDO:0002108", "thyroid cancer", None, None),
    ("MONDO:0007576", "esophageal cancer", None, None),
    ("MONDO:0002898", "skin cancer", "MONDO:0002531", "skin neoplasm"),
    ("MONDO:0001657", "brain cancer", "MONDO:0021211", "brain neoplasm"),
    ("MONDO:0005627", "head and neck cancer", "MONDO:0005586", "head and neck neoplasm"),
)
# A level's CURIE -> the CURIE of the group it stands for.
CANCER_LEVELS: dict[str, str] = {
    **{cancer: cancer for cancer, _, _, _ in ORGAN_CANCERS},
    **{neoplasm: cancer for cancer, _, neoplasm, _ in ORGAN_CANCERS if neoplasm is not None},
}
# Organs and organ systems that are sites of primary tumours or metastases (UBERON id, label).
SITE_LEVELS: dict[str, str] = {
    "UBERON:0001017": "central nervous system",
    "UBERON:0001474": "bone element",
    "UBERON:0002048": "lung",
    "UBERON:0002107": "liver",
    "UBERON:0000029": "lymph node",
    "UBERON:0002369": "adrenal gland",
    "UBERON:0000977": "pleura",
    "UBERON:0002358": "peritoneum",
    "UBERON:0001179": "peritoneal cavity",
    "UBERON:0002097": "skin of body",
    "UBERON:0001911": "mammary gland",
    "UBERON:0000310": "breast",
    "UBERON:0002113": "kidney",
    "UBERON:0001264": "pancreas",
    "UBERON:0002367": "prostate gland",
    "UBERON:0001155": "colon",
    "UBERON:0000945": "stomach",
    "UBERON:0000992": "ovary",
    "UBERON:0001255": "urinary bladder",
    "UBERON:0002046": "thyroid gland",
    "UBERON:0002106": "spleen",
}
# The labels of the groups, for a group term the graph does not hold (a named "breast
# neoplasm" joins "breast cancer" whether or not a text names breast cancer).
GROUP_LABELS = {cancer: label for cancer, label, _, _ in ORGAN_CANCERS} | SITE_LEVELS
# A site level's CURIE -> the CURIE of its group: itself.
SITE_GROUPS = {curie: curie for curie in SITE_LEVELS}


@dataclass(frozen=True)
class Group:
    """Terms shown as one row or column: its key, its label and its members, the main first."""

    key: str
    label: str
    members: tuple[str, ...]


def curie_of(iri: str) -> str:
    """Return the CURIE of an entity IRI whose key is PREFIX_LOCAL (.../anatomy/UBERON_1)."""
    prefix, _, local = iri.rstrip("/").rsplit("/", 1)[-1].partition("_")
    return f"{prefix}:{local}" if local else prefix


@dataclass(frozen=True)
class Hierarchy:
    """The skos:broader links of the graph (IRI -> parent IRIs) and the labels of their terms."""

    parents: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, str]

    @classmethod
    def from_links(cls, links: Iterable[tuple[str, str, str | None]]) -> "Hierarchy":
        """Make the hierarchy from (term, parent, the parent's label or None) links."""
        parents: dict[str, list[str]] = {}
        labels: dict[str, str] = {}
        for term, parent, label in links:
            parents.setdefault(term, [])
            if parent not in parents[term]:
                parents[term].append(parent)
            if label is not None:
                labels[parent] = label
        return cls({t: tuple(sorted(p)) for t, p in parents.items()}, labels)

    def level(self, iri: str, levels: Mapping[str, str]) -> str | None:
        """Return the IRI of the level nearest to `iri` on its chain (itself first), or None.

        Of two levels as near, the one listed first in `levels` wins.
        """
        order = {curie: index for index, curie in enumerate(levels)}
        frontier, seen = [iri], {iri}
        while frontier:
            found = [term for term in frontier if curie_of(term) in order]
            if found:
                return min(found, key=lambda term: order[curie_of(term)])
            following = []
            for term in frontier:
                for parent in self.parents.get(term, ()):
                    if parent not in seen:
                        seen.add(parent)
                        following.append(parent)
            frontier = following
        return None

    def group_of(self, iri: str, levels: Mapping[str, str]) -> str | None:
        """Return the IRI of the group term `iri` joins, or None.

        `levels` maps the CURIE of each level to the CURIE of its group.
        """
        level = self.level(iri, levels)
        if level is None:
            return None
        # The group term's IRI is the level's with the group's key (both are of one kind).
        return level.rsplit("/", 1)[0] + "/" + levels[curie_of(level)].replace(":", "_")

    def cancer_key(self, iri: str, label: str) -> tuple[str, str] | None:
        """Return the group of a cancer for `roll_up`: its organ's cancer, or 'not named'."""
        if curie_of(iri) in GENERAL_CANCERS:
            return UNNAMED_KEY, UNNAMED
        group = self.group_of(iri, CANCER_LEVELS)
        if group is None:
            return None
        return f"cancer group: {curie_of(group)}", self._label(group, label, iri)

    def site_key(self, iri: str, label: str) -> tuple[str, str] | None:
        """Return the group of a site for `roll_up`: the organ-level site it is in."""
        group = self.group_of(iri, SITE_GROUPS)
        if group is None:
            return None
        return f"site group: {curie_of(group)}", self._label(group, label, iri)

    def _label(self, group: str, label: str, iri: str) -> str:
        if group == iri:
            return label
        return self.labels.get(group) or GROUP_LABELS.get(curie_of(group), curie_of(group))


def hierarchy(engine: Engine) -> Hierarchy:
    """Return the skos:broader links of the graph in `engine`, with the labels of the parents."""
    found = rows(
        engine,
        "SELECT ?term ?parent ?label WHERE {\n"
        "  ?term skos:broader ?parent . OPTIONAL { ?parent rdfs:label ?label } }",
    )
    return Hierarchy.from_links((row["term"], row["parent"], row.get("label")) for row in found)


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
