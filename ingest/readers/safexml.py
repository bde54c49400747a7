"""Parse XML inputs safely: no DTD loaded, no entity expanded, nothing fetched.

lxml parses with `resolve_entities=False`, `no_network=True`, `load_dtd=False` and without
`huge_tree`, so neither an external entity nor a DTD is ever read. A file is then refused, with
one line naming the file and the line, when it declares entities (the billion laughs and its
kin, external entities to files or URLs) or names a DTD of its own: the only DOCTYPEs accepted
are the NLM's public DTDs that JATS and PubMed files name (never loaded: their files use
character references, not entities).
"""

import re

from lxml import etree

from ingest.errors import PageFormatError

# Public identifiers of the DTDs JATS (NISO Z39.96, and the NLM DTDs before it) and PubMed
# name in their DOCTYPE; a file naming one is read without loading it.
_PUBLIC_DTDS = ("-//NLM//DTD ", "-//NLM//DTD JATS ", "-//NLM//DTD PubMed")
# An entity declaration in a DOCTYPE's internal subset, and its name ('%' for parameter ones).
_ENTITY = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s\"'>]+)")


def parser() -> etree.XMLParser:
    """Return a parser that loads no DTD, expands no entity and fetches nothing."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, source: str) -> etree._ElementTree:
    """Parse an XML file, or raise PageFormatError naming the line of the damage or danger."""
    _refuse_entity_declarations(data, source=source)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser()))
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        message = str(error.msg or error).split(", line ")[0]
        raise PageFormatError(source, line, f"malformed XML: {message}") from None
    _refuse_declarations(tree, source=source, line=_doctype_line(data))
    return tree


def _refuse_entity_declarations(data: bytes, *, source: str) -> None:
    """Refuse a DOCTYPE that declares entities before the parser reads it.

    libxml2 then never sees them: not even its guard against amplification, which reports a
    bomb as malformed XML, is needed. (A file in UTF-16 is checked after parsing instead.)
    """
    start = data.find(b"<!DOCTYPE")
    if start < 0:
        return
    end = data.find(b"]>", start)
    end = end if end >= 0 else len(data)
    found = _ENTITY.findall(data, start, end)
    if found:
        names = sorted({name.decode("utf-8", "replace") for name in found})
        raise PageFormatError(
            source,
            _doctype_line(data),
            f"the file declares entities ({', '.join(names[:3])}); entities are not read "
            "(they can fetch files or grow without bound): remove the DOCTYPE's declarations",
        )


def _refuse_declarations(tree: etree._ElementTree, *, source: str, line: int) -> None:
    docinfo = tree.docinfo
    internal = docinfo.internalDTD
    if internal is not None:
        entities = list(internal.iterentities())
        if entities:
            names = ", ".join(sorted({str(e.name) for e in entities})[:3])
            raise PageFormatError(
                source,
                line,
                f"the file declares entities ({names}); entities are not read "
                "(they can fetch files or grow without bound): remove the DOCTYPE's declarations",
            )
    public_id, system_url = docinfo.public_id, docinfo.system_url
    if system_url and not (public_id and public_id.startswith(_PUBLIC_DTDS)):
        raise PageFormatError(
            source,
            line,
            f"the DOCTYPE names the DTD {system_url!r}; DTDs are never loaded: "
            "remove the DOCTYPE line, or name a JATS or PubMed public DTD",
        )


def _doctype_line(data: bytes) -> int:
    """Return the line of the DOCTYPE declaration (1 when there is none)."""
    at = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 1


def text_of(element: etree._Element | None) -> str:
    """Return all the text of an element and its descendants, whitespace made single spaces."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def local(element: etree._Element) -> str:
    """Return an element's tag without its namespace."""
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""
