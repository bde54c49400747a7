"""Persistent identifiers of papers: DOI, PubMed ID and PubMed Central ID (no RDF here).

Each input writes them its own way ('https://doi.org/10.1038/NM1469', 'doi:10.1038/nm1469',
'PMID: 16892035', '2749247' for 'PMC2749247'); `normalise_doi`, `normalise_pmid` and
`normalise_pmcid` turn them into one form and check it against the pattern the Bioregistry gives
the scheme. A value that does not fit is not an identifier: they return None.

The patterns are those of the Bioregistry's prefixes `doi`, `pubmed` and `pmc` (the `pattern`
column of its registry export, bioregistry.io, CC0); tests/test_identity.py checks them
against the project's copy of that table when it is present (../shared/reference).
"""

import re

# Bioregistry prefix -> its pattern, as the registry writes it.
BIOREGISTRY_PATTERNS = {
    "doi": r"^10.\d{2,9}/.*$",
    "pubmed": r"^\d+$",
    "pmc": r"^PMC\d+(\.\d+)?$",
}
_DOI = re.compile(BIOREGISTRY_PATTERNS["doi"])
_PMID = re.compile(BIOREGISTRY_PATTERNS["pubmed"])
_PMCID = re.compile(BIOREGISTRY_PATTERNS["pmc"])

# Resolver prefixes a DOI is printed with, compared in lower case.
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
    "doi ",
)
# Characters that end a sentence after a printed DOI, never part of one in practice.
_TRAILING = ".,;"
# The longest identifier kept: a longer value is damage, not an identifier.
_MAX_LENGTH = 300


def normalise_doi(value: str | None) -> str | None:
    """Return a DOI in lower case without its resolver prefix, or None if it is not one.

    DOIs are case-insensitive (the DOI Handbook, 3.4); mkg writes them in lower case, as
    doi.org and Crossref compare them.
    """
    if value is None:
        return None
    text = value.strip()
    lowered = text.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    text = text.rstrip(_TRAILING).lower()
    if len(text) > _MAX_LENGTH or any(c.isspace() for c in text) or not _DOI.match(text):
        return None
    return text


def normalise_pmid(value: str | None) -> str | None:
    """Return a PubMed ID as its digits ('PMID: 16892035' -> '16892035'), or None."""
    if value is None:
        return None
    text = value.strip()
    for prefix in ("pmid:", "pmid", "pubmed:"):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    text = text.lstrip("0") or text
    if len(text) > 12 or not _PMID.match(text) or text == "0":
        return None
    return text


def normalise_pmcid(value: str | None) -> str | None:
    """Return a PubMed Central ID as 'PMC' and its digits ('2749247' -> 'PMC2749247'), or None.

    A version suffix ('PMC2749247.1') names one version of the same article: it is dropped.
    """
    if value is None:
        return None
    text = value.strip()
    if text.lower().startswith("pmcid:"):
        text = text[6:].strip()
    if text[:3].lower() == "pmc":
        text = text[3:]
    text = "PMC" + text.partition(".")[0]
    if len(text) > 15 or not _PMCID.match(text):
        return None
    return text
