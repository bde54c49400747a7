"""Checks of ontology/mkg.ttl: declarations, labels, the cascade, OWL 2 DL, HermiT consistency."""

import csv
import gzip
from pathlib import Path

import pytest
from owltools import owl2_dl_problems, reason, require_java
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

MKG = Namespace("https://w3id.org/mkg/ontology/")
OBO = Namespace("http://purl.obolibrary.org/obo/")
FABIO = Namespace("http://purl.org/spar/fabio/")
BIRO = Namespace("http://purl.org/spar/biro/")
CITO = Namespace("http://purl.org/spar/cito/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
PRISM = Namespace("http://prismstandard.org/namespaces/basic/2.0/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VOID = Namespace("http://rdfs.org/ns/void#")
VANN = Namespace("http://purl.org/vocab/vann/")
C4O = Namespace("http://purl.org/spar/c4o/")
DOCO = Namespace("http://purl.org/spar/doco/")
THING = Namespace("https://w3id.org/mkg/")

ONTOLOGY_IRI = URIRef("https://w3id.org/mkg/ontology/")
VERSION_IRI = URIRef("https://w3id.org/mkg/ontology/0.1.0")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Datatypes of the OWL 2 datatype map that mkg ranges may use (xsd:gYear is not one of them).
OWL2_DATATYPES = {XSD.string, XSD.integer, XSD.nonNegativeInteger, XSD.boolean, XSD.dateTime}

CASCADE_STEPS = {
    "LocalInvasion",
    "Intravasation",
    "SurvivalInCirculation",
    "Arrest",
    "Extravasation",
    "Colonization",
    "Dormancy",
}
MECHANISMS = {
    "EpithelialMesenchymalTransition",
    "CellMotility",
    "Anoikis",
    "Apoptosis",
    "Angiogenesis",
    "PreMetastaticNiche",
    "VasculogenicMimicry",
    "VascularPermeability",
    "Osteolysis",
    "DrugResistance",
}
PROCESS_CLASSES = (
    {"Metastasis", "MetastaticCascadeStep", "MetastaticMechanism"} | CASCADE_STEPS | MECHANISMS
)

PREFIXES = {
    "mkg": MKG, "obo": OBO, "fabio": FABIO, "biro": BIRO, "cito": CITO, "frbr": FRBR,
    "prism": PRISM, "oa": OA, "prov": PROV, "void": VOID, "vann": VANN, "dcterms": DCTERMS,
    "foaf": FOAF, "skos": SKOS, "rdfs": RDFS, "c4o": C4O, "doco": DOCO,
}  # fmt: skip

# Every term the graph uses (the data model); the ontology must declare each with this kind.
DECLARED = {
    OWL.Class: """
        fabio:JournalArticle fabio:ReviewArticle fabio:Journal foaf:Person
        biro:BibliographicReference mkg:Authorship mkg:Figure mkg:Entity mkg:Gene mkg:GeneFamily
        mkg:Drug mkg:AnatomicalSite mkg:Cancer mkg:CellType mkg:Organism mkg:MetastaticProcess
        obo:SO_0000704 obo:CHEBI_23888 obo:UBERON_0001062 obo:MONDO_0004992 obo:CL_0000000
        obo:OBI_0100026 oa:Annotation oa:SpecificResource oa:TextQuoteSelector
        oa:TextPositionSelector mkg:Association mkg:GeneSiteAssociation mkg:GeneCancerAssociation
        mkg:GeneProcessAssociation mkg:DrugCancerAssociation mkg:DrugSiteAssociation
        mkg:DrugGeneAssociation void:Dataset prov:Entity prov:Activity prov:SoftwareAgent
        fabio:Book fabio:BookChapter fabio:Thesis fabio:DoctoralThesis fabio:ReportDocument
        fabio:WebContent fabio:Database fabio:DataFile fabio:PatentDocument
        fabio:PersonalCommunication fabio:Manuscript fabio:Preprint fabio:ConferencePaper
        fabio:Erratum foaf:Organization foaf:Agent mkg:Editorship mkg:ListedName
        mkg:PartialReference mkg:PartlyReadWork frbr:Endeavour
        doco:Sentence c4o:InTextReferencePointer mkg:CitedMention obo:IAO_0000030
    """,
    OWL.ObjectProperty: """
        cito:cites biro:references frbr:part dcterms:isPartOf mkg:hasAuthorship mkg:author
        mkg:hasFigure mkg:mentions obo:IAO_0000142 mkg:hasMolecularTarget obo:RO_0002436
        mkg:memberOf oa:hasBody oa:hasTarget oa:hasSource oa:hasSelector mkg:subject mkg:object
        mkg:evidence void:subset void:classPartition void:class prov:wasGeneratedBy prov:used
        prov:wasAssociatedWith prov:wasDerivedFrom void:dataDump mkg:namedGraph
        frbr:partOf dcterms:publisher mkg:hasEditorship mkg:editor mkg:hasErratum
        c4o:hasContext c4o:denotes mkg:mentionedEntity mkg:citedWork mkg:inSentence
        mkg:viaPointer
    """,
    OWL.DatatypeProperty: """
        dcterms:abstract dcterms:bibliographicCitation prism:doi prism:volume prism:startingPage
        prism:endingPage prism:issn prism:eIssn fabio:hasPublicationYear fabio:hasShortTitle
        foaf:familyName foaf:givenName foaf:name mkg:publicationYear mkg:volumeNote mkg:pageNote
        mkg:authorPosition mkg:nameSuffix mkg:etAl mkg:precedingSeparator mkg:referenceNumber
        mkg:journalAbbreviation
        mkg:linkLabel mkg:figureNumber mkg:nlmId mkg:articleType oa:exact oa:prefix oa:suffix
        oa:start oa:end mkg:field mkg:evidenceCount void:triples void:entities void:classes
        void:properties void:distinctSubjects prov:startedAtTime prov:endedAtTime
        prov:generatedAtTime mkg:sha256 mkg:softwareVersion void:uriSpace
        prism:edition fabio:hasURL fabio:hasPatentNumber mkg:verified mkg:parseNote
        mkg:publicationStatus mkg:venue mkg:degree mkg:patentLabel mkg:abstractNumber mkg:series
        mkg:publicationPlace mkg:editorPosition mkg:erratumLabel mkg:authorLabel mkg:editorLabel
        mkg:statusSeparator mkg:abstractLabel mkg:printedLabel mkg:printedLink mkg:trailingLink
        mkg:accessed mkg:erratumJournal fabio:hasPubMedId fabio:hasPubMedCentralId
        c4o:hasContent mkg:sentenceNumber mkg:section
    """,
    OWL.AnnotationProperty: """
        dcterms:identifier skos:exactMatch skos:closeMatch skos:altLabel skos:prefLabel rdfs:label
        skos:definition dcterms:source dcterms:license dcterms:title dcterms:creator
        dcterms:description vann:preferredNamespacePrefix
    """,
}

# mkg properties without rdfs:range, and why.
NO_RANGE = {MKG.namedGraph}  # its values are graph names, which belong to no class here

# External classes whose labels the offline reference tables hold: (table, id column).
REFERENCE_TABLES = {
    "UBERON": ("uberon.tsv", "id"),
    "CL": ("cell_ontology.tsv", "id"),
    "MONDO": ("mondo.tsv", "mondo_id"),
    "CHEBI": ("chebi.tsv.gz", "chebi_id"),
}


@pytest.fixture(scope="module")
def ontology_path(repo_root: Path) -> Path:
    return repo_root / "ontology" / "mkg.ttl"


@pytest.fixture(scope="module")
def graph(ontology_path: Path) -> Graph:
    return Graph().parse(ontology_path, format="turtle")


def _expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(str(PREFIXES[prefix]) + local)


def _is_builtin(term: URIRef) -> bool:
    return str(term).startswith(BUILTIN_NAMESPACES)


def _english_labels(graph: Graph, term: URIRef) -> list[str]:
    return [
        str(label)
        for label in graph.objects(term, RDFS.label)
        if isinstance(label, Literal) and label.language == "en" and str(label).strip()
    ]


def _superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}


def _properties(graph: Graph) -> set[URIRef]:
    found = {p for p in graph.predicates() if isinstance(p, URIRef) and not _is_builtin(p)}
    for kind in PROPERTY_KINDS:
        found |= set(graph.subjects(RDF.type, kind))
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        found |= {s, o}
    found |= set(graph.subjects(RDFS.domain, None)) | set(graph.subjects(RDFS.range, None))
    return {p for p in found if isinstance(p, URIRef)}


def test_ontology_header_is_complete(graph: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert set(graph.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY_IRI}
    assert (ONTOLOGY_IRI, OWL.versionIRI, VERSION_IRI) in graph
    assert (ONTOLOGY_IRI, OWL.versionInfo, Literal("0.1.0")) in graph
    assert (ONTOLOGY_IRI, DCTERMS.license, CC_BY_4) in graph
    assert (ONTOLOGY_IRI, DCTERMS.creator, Literal("mkg developers")) in graph
    assert (ONTOLOGY_IRI, VANN.preferredNamespacePrefix, Literal("mkg")) in graph
    for annotation in (DCTERMS.title, DCTERMS.description, RDFS.comment):
        assert graph.value(ONTOLOGY_IRI, annotation) is not None, annotation
    assert not list(graph.objects(ONTOLOGY_IRI, OWL.imports)), "no network owl:imports"


def test_every_mkg_term_has_english_label_and_definition(graph: Graph) -> None:
    terms = {s for s in graph.subjects() if str(s).startswith(str(MKG)) and s != ONTOLOGY_IRI}
    assert len(terms) > 50
    missing = [
        term
        for term in sorted(terms)
        if not _english_labels(graph, term) or not str(graph.value(term, SKOS.definition) or "")
    ]
    assert not missing, f"mkg terms without rdfs:label@en or skos:definition: {missing}"


def test_every_term_the_graph_uses_is_declared_with_its_kind(graph: Graph) -> None:
    wrong = [
        (curie, kind)
        for kind, curies in DECLARED.items()
        for curie in curies.split()
        if (_expand(curie), RDF.type, kind) not in graph
    ]
    assert not wrong, f"not declared as the expected kind: {wrong}"


def test_every_class_and_property_has_an_english_label(graph: Graph) -> None:
    declared = set(graph.subjects(RDF.type, OWL.Class)) | _properties(graph)
    unlabelled = sorted(term for term in declared if not _english_labels(graph, term))
    assert not unlabelled, f"classes or properties without rdfs:label@en: {unlabelled}"


def test_every_property_has_exactly_one_owl_property_kind(graph: Graph) -> None:
    wrong = {
        prop: kinds
        for prop in _properties(graph)
        if len(kinds := [k for k in PROPERTY_KINDS if (prop, RDF.type, k) in graph]) != 1
    }
    assert not wrong, f"properties without exactly one of the three OWL kinds: {wrong}"
    assert not list(graph.subjects(RDF.type, RDF.Property)), "use the OWL property kinds"


def test_every_iri_in_the_file_is_declared_with_a_type(graph: Graph) -> None:
    # The version IRI names a version of this ontology, not an entity, so it has no type.
    iris = {
        term
        for triple in graph
        for term in triple
        if isinstance(term, URIRef) and not _is_builtin(term) and term != VERSION_IRI
    }
    untyped = sorted(iri for iri in iris if graph.value(iri, RDF.type) is None)
    assert not untyped, f"IRIs used without an rdf:type: {untyped}"


def test_no_lists_unions_blank_nodes_or_same_as(graph: Graph) -> None:
    for predicate in (RDF.first, RDF.rest, OWL.unionOf, OWL.disjointUnionOf, OWL.sameAs):
        assert not list(graph.subject_objects(predicate)), predicate
    blank = [t for t in graph if any(isinstance(term, BNode) for term in t)]
    assert not blank, f"blank nodes: {blank[:5]}"
    assert not list(graph.subject_objects(OWL.disjointWith)), "siblings are not disjoint"


def test_mkg_properties_have_domain_and_range(graph: Graph) -> None:
    for prop in _properties(graph):
        if not str(prop).startswith(str(MKG)):
            continue
        domains = list(graph.objects(prop, RDFS.domain))
        ranges = list(graph.objects(prop, RDFS.range))
        assert len(domains) == 1, prop
        if prop in NO_RANGE:
            assert not ranges, prop
            continue
        assert len(ranges) == 1, prop
        assert (domains[0], RDF.type, OWL.Class) in graph, prop
        if (prop, RDF.type, OWL.DatatypeProperty) in graph:
            assert ranges[0] in OWL2_DATATYPES, prop
        else:
            assert (ranges[0], RDF.type, OWL.Class) in graph, prop


def test_reused_external_properties_have_no_domain_or_range(graph: Graph) -> None:
    # Their other uses are unknown here; a wrong datatype range would make a graph inconsistent.
    external = [p for p in _properties(graph) if not str(p).startswith(str(MKG))]
    constrained = [
        p for p in external if (p, RDFS.domain, None) in graph or (p, RDFS.range, None) in graph
    ]
    assert not constrained, f"domain/range on reused properties: {constrained}"
    assert (FABIO.hasPublicationYear, RDF.type, OWL.DatatypeProperty) in graph


def test_mentions_covers_articles_figures_and_sentences(graph: Graph) -> None:
    domain = graph.value(MKG.mentions, RDFS.domain)
    for cls in (FABIO.JournalArticle, FABIO.ReviewArticle, MKG.Figure, DOCO.Sentence):
        assert domain in _superclasses(graph, cls), cls
    assert (MKG.mentions, RDFS.subPropertyOf, OBO.IAO_0000142) in graph
    assert (MKG.hasMolecularTarget, RDFS.subPropertyOf, OBO.RO_0002436) in graph


def test_cascade_classes_are_metastatic_processes_with_definitions(graph: Graph) -> None:
    found = {
        cls
        for cls in graph.subjects(RDF.type, OWL.Class)
        if MKG.MetastaticProcess in _superclasses(graph, cls)
    }
    assert found == {MKG[name] for name in PROCESS_CLASSES}
    for cls in found:
        assert len(str(graph.value(cls, SKOS.definition))) > 80, cls
        assert str(graph.value(cls, RDFS.comment) or ""), f"{cls} lacks the words papers use"
    for name in CASCADE_STEPS:
        assert (MKG[name], RDFS.subClassOf, MKG.MetastaticCascadeStep) in graph, name
    for name in MECHANISMS:
        assert (MKG[name], RDFS.subClassOf, MKG.MetastaticMechanism) in graph, name
    assert MKG.Entity in _superclasses(graph, MKG.MetastaticProcess)


def test_person_is_a_name_as_printed(graph: Graph) -> None:
    assert "name as printed" in str(graph.value(FOAF.Person, RDFS.comment))
    assert "name as printed" in str(graph.value(MKG.Authorship, SKOS.definition))


def test_external_labels_match_reference_tables(graph: Graph, reference_dir: Path) -> None:
    wanted: dict[str, dict[str, str]] = {}
    for cls in graph.subjects(RDF.type, OWL.Class):
        local = str(cls).removeprefix(str(OBO))
        prefix, _, number = local.partition("_")
        if local != str(cls) and prefix in REFERENCE_TABLES:
            wanted.setdefault(prefix, {})[f"{prefix}:{number}"] = str(graph.value(cls, RDFS.label))
    assert set(wanted) == set(REFERENCE_TABLES)
    csv.field_size_limit(10**9)
    for prefix, labels in wanted.items():
        table, id_column = REFERENCE_TABLES[prefix]
        path = reference_dir / table
        opener = gzip.open if table.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", newline="") as handle:
            rows = {
                row[id_column]: row
                for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if row[id_column] in labels
            }
        for curie, label in labels.items():
            assert curie in rows, f"{curie} is not in {table}"
            assert rows[curie]["obsolete"].lower() != "true", f"{curie} is obsolete"
            reference_label = rows[curie]["name" if prefix == "CHEBI" else "label"]
            assert label == reference_label, (curie, label, reference_label)


def test_ontology_is_consistent_under_hermit(graph: Graph, tmp_path: Path) -> None:
    require_java()
    assert reason(graph, tmp_path) == []


# Made-up individuals that use every mkg property, and the reused ones, the way the graph does.
# owlready2 sees only individuals declared owl:NamedIndividual.
SAMPLE = """
@base <https://w3id.org/mkg/> .
<paper/example-review> a owl:NamedIndividual, fabio:ReviewArticle, fabio:JournalArticle ;
    cito:cites <paper/example-cited> ; frbr:part <reference/example-review/1> ;
    dcterms:creator <person/doe-j> ; dcterms:isPartOf <journal/example> ;
    mkg:hasAuthorship <authorship/example-review/1> ; mkg:hasFigure <figure/example-review/1> ;
    mkg:mentions <process/dormancy> ; dcterms:title "An example review" ;
    dcterms:abstract "An example abstract." ; prism:doi "10.1000/example" ; prism:volume "1" ;
    prism:startingPage "1" ; prism:endingPage "9" ; mkg:publicationYear 2000 ;
    mkg:etAl false ; mkg:articleType "Review Article" .
<paper/example-cited> a owl:NamedIndividual, fabio:JournalArticle ;
    mkg:mentions <gene/example> ; mkg:volumeNote "Suppl.3" ; mkg:pageNote "vii" .
<reference/example-review/1> a owl:NamedIndividual, biro:BibliographicReference ;
    biro:references <paper/example-cited> ; mkg:referenceNumber 1 ; mkg:linkLabel "PubMed" ;
    mkg:journalAbbreviation "Example J." ;
    dcterms:bibliographicCitation "Doe, J. An example title. Example J. 1, vii (2000)." .
<authorship/example-review/1> a owl:NamedIndividual, mkg:Authorship ;
    mkg:author <person/doe-j> ; mkg:authorPosition 1 ; mkg:precedingSeparator ", " .
<person/doe-j> a owl:NamedIndividual, foaf:Person ; foaf:familyName "Doe" ;
    foaf:givenName "J." ; foaf:name "Doe, J." ; mkg:nameSuffix "III" .
<journal/example> a owl:NamedIndividual, fabio:Journal ; mkg:nlmId "0000000" ;
    fabio:hasShortTitle "Example J." ; prism:issn "0000-0000" ; prism:eIssn "0000-0001" .
<figure/example-review/1> a owl:NamedIndividual, mkg:Figure ; mkg:figureNumber 1 ;
    mkg:mentions <anatomy/example> .
<gene/example> a owl:NamedIndividual, mkg:Gene ; mkg:memberOf <family/example> ;
    dcterms:identifier "EX:1" ; skos:exactMatch <https://example.org/gene/1> .
<family/example> a owl:NamedIndividual, mkg:GeneFamily .
<drug/example> a owl:NamedIndividual, mkg:Drug ; mkg:hasMolecularTarget <gene/example> .
<anatomy/example> a owl:NamedIndividual, mkg:AnatomicalSite .
<process/dormancy> a owl:NamedIndividual, mkg:Dormancy .
<paper/example-cited> mkg:studyType mkg:animalModel .
<cue/example-cited/animal-model> a owl:NamedIndividual, mkg:StudyTypeCue ;
    mkg:classifies <paper/example-cited> ; mkg:assignsStudyType mkg:animalModel ;
    mkg:cue "nude mice" ; mkg:cueField "title" ;
    mkg:cueStart "40"^^xsd:nonNegativeInteger ; mkg:cueEnd "49"^^xsd:nonNegativeInteger .
<role/example-cited/title/0-20/metastasis-suppressor/EX_1>
    a owl:NamedIndividual, mkg:RoleStatement ;
    mkg:roleOf <gene/example> ; mkg:role mkg:metastasisSuppressor ;
    mkg:statedIn <paper/example-cited> ; mkg:cue "metastasis suppressor" ;
    oa:hasTarget <mention/t> .
<association/example> a owl:NamedIndividual, mkg:GeneSiteAssociation ;
    mkg:subject <gene/example> ; mkg:object <anatomy/example> ;
    mkg:evidence <paper/example-cited> ; mkg:evidenceCount 1 .
<mention/a> a owl:NamedIndividual, oa:Annotation ; oa:hasBody <gene/example> ;
    oa:hasTarget <mention/t> .
<mention/t> a owl:NamedIndividual, oa:SpecificResource ; oa:hasSource <paper/example-cited> ;
    mkg:field "title" ; oa:hasSelector <mention/q>, <mention/p> .
<mention/q> a owl:NamedIndividual, oa:TextQuoteSelector ; oa:exact "example" ; oa:prefix "An " ;
    oa:suffix " title" .
<mention/p> a owl:NamedIndividual, oa:TextPositionSelector ;
    oa:start "3"^^xsd:nonNegativeInteger ; oa:end "10"^^xsd:nonNegativeInteger .
<build/d> a owl:NamedIndividual, void:Dataset, prov:Entity ; void:triples 100 ;
    void:subset <build/g> ; void:uriSpace "https://w3id.org/mkg/" ;
    prov:wasGeneratedBy <build/a> ; prov:wasDerivedFrom <build/f> ;
    prov:generatedAtTime "2026-01-01T00:01:00"^^xsd:dateTime .
<build/a> a owl:NamedIndividual, prov:Activity ; prov:used <build/f> ;
    prov:wasAssociatedWith <build/s> ; prov:startedAtTime "2026-01-01T00:00:00"^^xsd:dateTime .
<build/s> a owl:NamedIndividual, prov:SoftwareAgent ; mkg:softwareVersion "0.1.0" .
<build/g> a owl:NamedIndividual, void:Dataset ; mkg:namedGraph <graph/example> .
<build/f> a owl:NamedIndividual, prov:Entity ; mkg:sha256 "{sha}" .
<journal/example> mkg:verified true .
<chapter/example> a owl:NamedIndividual, fabio:BookChapter ; frbr:partOf <book/example> ;
    mkg:hasAuthorship <authorship/chapter/1> ; mkg:publicationYear 2005 .
<authorship/chapter/1> a owl:NamedIndividual, mkg:Authorship ; mkg:author <organization/example> .
<organization/example> a owl:NamedIndividual, foaf:Organization .
<book/example> a owl:NamedIndividual, fabio:Book ; mkg:hasEditorship <editorship/example/1> ;
    dcterms:publisher <organization/example> ; mkg:publicationPlace "Philadelphia" ;
    prism:edition "7th edn" ; mkg:series "Vol. 2" .
<editorship/example/1> a owl:NamedIndividual, mkg:Editorship ; mkg:editor <person/doe-j> ;
    mkg:editorPosition 1 ; mkg:precedingSeparator ", " .
<thesis/example> a owl:NamedIndividual, fabio:DoctoralThesis ; mkg:degree "PhD" .
<patent/example> a owl:NamedIndividual, fabio:PatentDocument ; mkg:patentLabel "US Patent" ;
    fabio:hasPatentNumber "6,123,456" .
<abstract/example> a owl:NamedIndividual, fabio:ConferencePaper ; mkg:abstractNumber "3021" ;
    mkg:venue "presented at an example meeting" .
<web/example> a owl:NamedIndividual, fabio:WebContent ;
    fabio:hasURL "https://example.org/page"^^xsd:anyURI .
<communication/example> a owl:NamedIndividual, fabio:PersonalCommunication ;
    mkg:publicationStatus "personal communication" .
<paper/example-cited> mkg:hasErratum <erratum/example> .
<erratum/example> a owl:NamedIndividual, fabio:Erratum ; mkg:erratumLabel "erratum" ;
    mkg:publicationYear 2001 .
<reference/example-review/1> mkg:authorLabel "eds" ; mkg:editorLabel "eds" ;
    mkg:statusSeparator " (" ; mkg:abstractLabel "abstr." ; mkg:printedLabel "thesis" ;
    mkg:printedLink "https://example.org/page" ; mkg:trailingLink "https://doi.org/10.1000/1" ;
    mkg:accessed "12 May 2006" ; mkg:erratumJournal "Example J." .
<reference/example-review/2> a owl:NamedIndividual, mkg:PartialReference ;
    mkg:parseNote "has no year at the end" ; biro:references <cited/example-review/2> .
<cited/example-review/2> a owl:NamedIndividual, mkg:PartlyReadWork ; mkg:publicationYear 1999 .
<paper/example-cited> prism:doi "10.1000/example.1" ; fabio:hasPubMedId "16892035" ;
    fabio:hasPubMedCentralId "PMC2749247" .
<sentence/example-review/3> a owl:NamedIndividual, doco:Sentence ;
    c4o:hasContent "The example gene drives metastasis.1" ; mkg:sentenceNumber 3 ;
    mkg:section "Introduction" ; frbr:partOf <paper/example-review> ;
    mkg:mentions <gene/example> .
<pointer/example-review/3/1> a owl:NamedIndividual, c4o:InTextReferencePointer ;
    c4o:hasContext <sentence/example-review/3> ; c4o:denotes <reference/example-review/1> ;
    c4o:hasContent "1" .
<cited-mention/example-review/3/EX_1/paper/example-cited> a owl:NamedIndividual, mkg:CitedMention ;
    mkg:mentionedEntity <gene/example> ; mkg:citedWork <paper/example-cited> ;
    mkg:inSentence <sentence/example-review/3> ; mkg:viaPointer <pointer/example-review/3/1> .
""".replace("{sha}", "0" * 64)


def _sample_graph() -> Graph:
    """Return the sample individuals as a graph."""
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    prefixes += f"@prefix owl: <{OWL}> .\n@prefix xsd: <{XSD}> .\n"
    return Graph().parse(data=prefixes + SAMPLE, format="turtle")


def test_sample_graph_uses_every_mkg_property(graph: Graph) -> None:
    used = set(_sample_graph().predicates())
    unused = [p for p in _properties(graph) if str(p).startswith(str(MKG)) and p not in used]
    assert not unused, f"the sample graph should use {unused}"


def test_sample_graph_is_consistent_with_the_ontology(graph: Graph, tmp_path: Path) -> None:
    require_java()
    assert reason(graph + _sample_graph(), tmp_path) == []


def test_reasoner_reports_a_graph_that_breaks_a_range(graph: Graph, tmp_path: Path) -> None:
    require_java()
    owlready2 = pytest.importorskip("owlready2")
    broken = graph + _sample_graph()
    broken.add((THING["authorship/example-review/1"], MKG.authorPosition, Literal("first")))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(broken, tmp_path)


def test_ontology_is_in_the_owl2_dl_profile(ontology_path: Path, tmp_path: Path) -> None:
    problems = owl2_dl_problems(ontology_path, tmp_path)
    assert problems == [], problems
