"""Map grounded mentions to RDF: entities, mentions as Web Annotations, associations, curated facts.

The companion of mapping.py (which maps the bibliographic records); together they are the only
modules that decide which triples the graph holds.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ingest.entities import Entity, Lexicon
from ingest.ground import Passage
from ingest.kinds import KINDS, kinds_where
from ingest.namespaces import (
    BIRO,
    C4O,
    MKG,
    OA,
    UNKNOWN_STUDY_TYPE,
    association_iri,
    canonical_iri,
    cited_mention_iri,
    entity_iri,
    figure_iri,
    mention_iri,
    paper_iri,
    role_iri,
    sentence_iri,
    stated_role_iri,
    study_cue_iri,
    study_type_iri,
)
from ingest.records import Citation
from ingest.studies import classify_citation, find_roles

CONTEXT = 32  # characters of oa:prefix / oa:suffix kept around a quote

# Association kinds: (subject kinds, object kinds) -> (class, IRI path).
ASSOCIATIONS: tuple[tuple[frozenset[str], frozenset[str], str, str], ...] = (
    (
        frozenset({"gene", "gene_family"}),
        frozenset({"anatomy"}),
        "GeneSiteAssociation",
        "gene-site",
    ),
    (
        frozenset({"gene", "gene_family"}),
        frozenset({"cancer"}),
        "GeneCancerAssociation",
        "gene-cancer",
    ),
    (
        frozenset({"gene", "gene_family"}),
        frozenset({"process"}),
        "GeneProcessAssociation",
        "gene-process",
    ),
    (frozenset({"drug"}), frozenset({"cancer"}), "DrugCancerAssociation", "drug-cancer"),
    (frozenset({"drug"}), frozenset({"anatomy"}), "DrugSiteAssociation", "drug-site"),
    (frozenset({"drug"}), frozenset({"gene", "gene_family"}), "DrugGeneAssociation", "drug-gene"),
)


@dataclass(frozen=True)
class SourcedPassage:
    """A grounded passage with the IRI of the paper or figure it belongs to."""

    source: URIRef
    passage: Passage
    # The paper whose title this is: the evidence for associations (None for abstracts/figures).
    paper: URIRef | None


def source_passages(passages: Iterable[Passage], *, review_key: str) -> list[SourcedPassage]:
    """Attach to each passage the IRI of its source (paper, review or figure)."""
    sourced = []
    for passage in passages:
        if passage.figure is not None:
            source = figure_iri(review_key, passage.figure.number)
            paper = None
        elif passage.sentence is not None:
            source = sentence_iri(review_key, passage.sentence.number)
            paper = None
        else:
            assert passage.citation is not None
            source = paper_iri(passage.citation)
            paper = source if passage.field == "title" else None
        sourced.append(SourcedPassage(source, passage, paper))
    return sourced


def node_of(entity: Entity) -> URIRef:
    """Return the IRI of an entity."""
    return entity_iri(KINDS[entity.kind].path, entity.id)


def add_mentions(graph: Graph, passages: Iterable[SourcedPassage], *, lexicon: Lexicon) -> int:
    """Add mkg:mentions and one oa:Annotation per mention to a document graph; return the count.

    The mentions of a citing sentence also tie what it names to the works it cites
    (`add_cited_mentions`).
    """
    count = 0
    for sourced in passages:
        if sourced.passage.sentence is not None:
            add_cited_mentions(graph, sourced, lexicon=lexicon)
        text = sourced.passage.text
        for mention in sourced.passage.mentions:
            entity = node_of(lexicon.entities[mention.entity])
            node = mention_iri(sourced.source, sourced.passage.field, mention.start, mention.end)
            graph.add((sourced.source, MKG.mentions, entity))
            graph.add((node, RDF.type, OA.Annotation))
            graph.add((node, OA.hasBody, entity))
            _add_target(
                graph, node, sourced.source, sourced.passage.field, text, mention.start, mention.end
            )
            count += 1
    return count


def add_cited_mentions(graph: Graph, sourced: SourcedPassage, *, lexicon: Lexicon) -> int:
    """Tie each entity a citing sentence names to each work it cites; return the node count.

    One mkg:CitedMention per sentence, entity and cited work: the entity (mkg:mentionedEntity),
    the work (mkg:citedWork), the sentence as evidence (mkg:inSentence) and the sentence's
    pointers that cite the work (mkg:viaPointer). It says that the review cites the work where
    it names the entity, not which words of the sentence the work supports.

    The works are read from the sentence's pointers in `graph` (mapping.add_sentence, run
    first): a pointer denotes a reference entry, which references the work as the build keyed it.
    """
    sentence = sourced.passage.sentence
    assert sentence is not None
    works: dict[URIRef, list[URIRef]] = defaultdict(list)
    numbers: dict[URIRef, int] = {}
    for pointer in graph.subjects(C4O.hasContext, sourced.source):
        entry = graph.value(pointer, C4O.denotes)
        work = graph.value(entry, BIRO.references) if entry is not None else None
        if isinstance(work, URIRef) and isinstance(pointer, URIRef):
            works[work].append(pointer)
            number = graph.value(entry, MKG.referenceNumber)
            if isinstance(number, Literal):
                numbers[work] = min(int(number), numbers.get(work, int(number)))
    count = 0
    for identifier in sorted({mention.entity for mention in sourced.passage.mentions}):
        entity = lexicon.entities[identifier]
        for work in sorted(works):
            node = cited_mention_iri(sourced.source, identifier, work)
            cited = f"citing reference {numbers[work]}"
            label = f"{entity.label} in sentence {sentence.number}, {cited}"
            graph.add((node, RDF.type, MKG.CitedMention))
            graph.add((node, RDFS.label, Literal(label)))
            graph.add((node, MKG.mentionedEntity, node_of(entity)))
            graph.add((node, MKG.citedWork, work))
            graph.add((node, MKG.inSentence, sourced.source))
            for pointer in works[work]:
                graph.add((node, MKG.viaPointer, pointer))
            count += 1
    return count


PARTS = ("target", "quote", "position")


# The kinds whose vocabularies have a hierarchy the graph keeps (skos:broader): MONDO, UBERON, CL.
HIERARCHY_KINDS = frozenset(kind.name for kind in kinds_where(hierarchy=True))


def add_entities(graph: Graph, passages: Iterable[SourcedPassage], *, lexicon: Lexicon) -> None:
    """Add a node for every entity mentioned, with its names, family links and hierarchy.

    Every surface form seen and every synonym the vocabulary grounds it by is a skos:altLabel;
    the vocabulary's other names (ambiguous, shared, English words: kept for search only) are
    skos:hiddenLabel. Cancers, sites and cell types get their ancestors (`add_hierarchy`).
    """
    seen: dict[str, set[str]] = defaultdict(set)
    for sourced in passages:
        for mention in sourced.passage.mentions:
            seen[mention.entity].add(mention.text)
    for identifier in sorted(seen):
        entity = lexicon.entities[identifier]
        node = add_entity(graph, entity)
        add_names(graph, node, entity, seen=seen[identifier])
    for identifier in sorted(seen):
        entity = lexicon.entities[identifier]
        for member in entity.members:
            if member in seen:
                graph.add((node_of(lexicon.entities[member]), MKG.memberOf, node_of(entity)))
    add_hierarchy(graph, seen, lexicon=lexicon)


def add_names(graph: Graph, node: URIRef, entity: Entity, *, seen: Iterable[str] = ()) -> None:
    """Add the forms `seen` and the grounding synonyms as altLabels, the others as hiddenLabels.

    A name that differs from the label or an altLabel only in case is not added again.
    """
    seen = sorted(set(seen) - {entity.label})
    taken = {entity.label.casefold(), *(form.casefold() for form in seen)}
    for form in seen:
        graph.add((node, SKOS.altLabel, Literal(form)))
    hidden = set(entity.search_only)
    for name in entity.synonyms:
        if name not in hidden and name.casefold() not in taken:
            taken.add(name.casefold())
            graph.add((node, SKOS.altLabel, Literal(name)))
    for name in entity.search_only:
        if name.casefold() not in taken:
            taken.add(name.casefold())
            graph.add((node, SKOS.hiddenLabel, Literal(name)))


def add_hierarchy(graph: Graph, named: Iterable[str], *, lexicon: Lexicon) -> int:
    """Link every named cancer, site and cell type to its parents, and those to theirs, up to
    the top; return how many ancestors no text names.

    Each term on the way gets skos:broader to each of its direct parents (MONDO is_a; UBERON
    and CL is_a and part_of; the vocabulary stops at MONDO's "neoplasm", UBERON's most general
    groupings such as "anatomical structure", and CL's "cell"). An ancestor that no text names
    is an mkg:BroaderTerm with its label, identifier and exact match, and not an entity of its
    kind: it is not mentioned.
    """
    named = set(named)
    frontier = sorted(
        (i for i in named if lexicon.entities[i].kind in HIERARCHY_KINDS), reverse=True
    )
    done: set[str] = set()
    while frontier:
        identifier = frontier.pop()
        if identifier in done:
            continue
        done.add(identifier)
        entity = lexicon.entities[identifier]
        node = node_of(entity)
        if identifier not in named:
            graph.add((node, RDF.type, MKG.BroaderTerm))
            graph.add((node, RDFS.label, Literal(entity.label)))
            graph.add((node, DCTERMS.identifier, Literal(entity.id)))
            graph.add((node, SKOS.exactMatch, canonical_iri(entity.id)))
        for parent_id in entity.parents:
            parent = lexicon.entities.get(parent_id)
            if parent is None or parent.kind != entity.kind:
                continue
            graph.add((node, SKOS.broader, node_of(parent)))
            if parent.id not in done:
                frontier.append(parent.id)
    return len(done - named)


def add_entity(graph: Graph, entity: Entity) -> URIRef:
    """Add an entity's type, label, identifier and exact matches; return its IRI."""
    node = node_of(entity)
    graph.add((node, RDF.type, MKG[KINDS[entity.kind].cls]))
    graph.add((node, RDFS.label, Literal(entity.label)))
    if entity.kind == "process":
        assert entity.cls is not None
        graph.add((node, RDF.type, MKG[entity.cls]))
        graph.add((node, DCTERMS.identifier, Literal(f"mkg:{entity.cls}")))
    else:
        graph.add((node, DCTERMS.identifier, Literal(entity.id)))
        graph.add((node, SKOS.exactMatch, canonical_iri(entity.id)))
    for xref in entity.xrefs:
        graph.add((node, SKOS.exactMatch, canonical_iri(xref)))
    return node


def add_associations(graph: Graph, passages: Iterable[SourcedPassage], *, lexicon: Lexicon) -> int:
    """Add one association per pair of entities of the paired kinds named in one title."""
    evidence: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)
    classes: dict[str, str] = {}
    for sourced in passages:
        if sourced.paper is None:
            continue
        # Pairs are made kind by kind, so a title naming many entities costs what it yields.
        named: dict[str, set[str]] = defaultdict(set)
        for mention in sourced.passage.mentions:
            named[lexicon.entities[mention.entity].kind].add(mention.entity)
        for subject_kinds, object_kinds, cls, path in ASSOCIATIONS:
            subjects = [e for kind in subject_kinds for e in named.get(kind, ())]
            objects = [e for kind in object_kinds for e in named.get(kind, ())]
            if subjects and objects:
                classes[path] = cls
            for subject in subjects:
                for object_ in objects:
                    evidence[(path, subject, object_)].add(sourced.paper)
    for (path, subject, object_), papers in sorted(evidence.items()):
        node = association_iri(path, subject, object_)
        first, second = lexicon.entities[subject], lexicon.entities[object_]
        graph.add((node, RDF.type, MKG[classes[path]]))
        graph.add((node, RDFS.label, Literal(f"{first.label} \u2013 {second.label}")))
        graph.add((node, MKG.subject, node_of(first)))
        graph.add((node, MKG.object, node_of(second)))
        for paper in sorted(papers):
            graph.add((node, MKG.evidence, paper))
        graph.add((node, MKG.evidenceCount, Literal(len(papers))))
    return len(evidence)


def add_curated_targets(graph: Graph, *, mentioned: set[str], lexicon: Lexicon) -> int:
    """Add the curated molecular targets of the mentioned drugs, each axiom naming its source.

    A target gene that no text mentions is described here, in the curated graph, by its HGNC id
    and symbol; a mentioned one is described in the entities graph.
    """
    count = 0
    families = _families_by_member(mentioned=mentioned, lexicon=lexicon)
    for target in sorted(lexicon.targets, key=lambda t: (t.drug, t.gene)):
        if target.drug not in mentioned:
            continue
        drug = node_of(lexicon.entities[target.drug])
        gene = node_of(Entity(target.gene, "gene", target.symbol))
        if target.gene not in mentioned:
            described = lexicon.entities.get(target.gene)
            add_entity(graph, described or Entity(target.gene, "gene", target.symbol))
            for family in families.get(target.gene, ()):
                graph.add((gene, MKG.memberOf, node_of(family)))
        graph.add((drug, MKG.hasMolecularTarget, gene))
        # The source is an annotation of the OWL axiom, so Protégé shows it on the statement.
        axiom = BNode(re.sub(r"[^A-Za-z0-9]", "", f"target{target.drug}{target.gene}"))
        graph.add((axiom, RDF.type, OWL.Axiom))
        graph.add((axiom, OWL.annotatedSource, drug))
        graph.add((axiom, OWL.annotatedProperty, MKG.hasMolecularTarget))
        graph.add((axiom, OWL.annotatedTarget, gene))
        graph.add((axiom, DCTERMS.source, URIRef(target.source)))
        count += 1
    return count


def _families_by_member(*, mentioned: set[str], lexicon: Lexicon) -> dict[str, list[Entity]]:
    """Return, for each gene, the mentioned gene families that list it as a member (FamPlex)."""
    families: dict[str, list[Entity]] = defaultdict(list)
    for identifier in sorted(mentioned):
        for member in lexicon.entities[identifier].members:
            families[member].append(lexicon.entities[identifier])
    return families


def add_study_types(graph: Graph, citations: Iterable[tuple[URIRef, Citation]]) -> None:
    """Give every paper its study types, each with the printed cue that states it."""
    for paper, citation in citations:
        cues = classify_citation(citation)
        if not cues:
            graph.add((paper, MKG.studyType, study_type_iri(UNKNOWN_STUDY_TYPE)))
        for cue in cues:
            node = study_cue_iri(paper, cue.study_type)
            graph.add((paper, MKG.studyType, study_type_iri(cue.study_type)))
            graph.add((node, RDF.type, MKG.StudyTypeCue))
            graph.add((node, MKG.classifies, paper))
            graph.add((node, MKG.assignsStudyType, study_type_iri(cue.study_type)))
            graph.add((node, MKG.cue, Literal(cue.cue)))
            graph.add((node, MKG.cueField, Literal(cue.field)))
            for predicate, value in ((MKG.cueStart, cue.start), (MKG.cueEnd, cue.end)):
                graph.add((node, predicate, Literal(value, datatype=XSD.nonNegativeInteger)))


def add_roles(graph: Graph, passages: Iterable[SourcedPassage], *, lexicon: Lexicon) -> int:
    """Add the roles the titles state of genes and drugs, each with the words that state it."""
    passages = list(passages)
    named = {mention.entity for sourced in passages for mention in sourced.passage.mentions}
    kinds = {identifier: lexicon.entities[identifier].kind for identifier in named}
    count = 0
    for sourced in passages:
        if sourced.paper is None:
            continue
        text = sourced.passage.text
        for role in find_roles(text, sourced.passage.mentions, kinds):
            node = role_iri(sourced.source, "title", role.start, role.end, role.role, role.entity)
            graph.add((node, RDF.type, MKG.RoleStatement))
            graph.add((node, MKG.roleOf, node_of(lexicon.entities[role.entity])))
            graph.add((node, MKG.role, stated_role_iri(role.role)))
            graph.add((node, MKG.statedIn, sourced.paper))
            graph.add((node, MKG.cue, Literal(role.cue)))
            _add_target(graph, node, sourced.source, "title", text, role.start, role.end)
            count += 1
    return count


def _add_target(
    graph: Graph, node: URIRef, source: URIRef, field: str, text: str, start: int, end: int
) -> None:
    """Point `node` at [start, end) of a text: an oa:SpecificResource with its two selectors."""
    target, quote, position = (URIRef(f"{node}#{part}") for part in PARTS)
    graph.add((node, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, source))
    graph.add((target, MKG.field, Literal(field)))
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[start:end])))
    graph.add((quote, OA.prefix, Literal(text[max(0, start - CONTEXT) : start])))
    graph.add((quote, OA.suffix, Literal(text[end : end + CONTEXT])))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    for predicate, value in ((OA.start, start), (OA.end, end)):
        graph.add((position, predicate, Literal(value, datatype=XSD.nonNegativeInteger)))
