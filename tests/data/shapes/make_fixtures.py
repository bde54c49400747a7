"""Write the SHACL fixtures: one small valid graph, and for each shape a copy broken for it.

Run from the repository root: python tests/data/shapes/make_fixtures.py
Every fixture is a whole graph (a review, a cited paper, their journals, authors, figure, mentions,
entities, associations, a curated target and build metadata), so a fixture meant to break one
shape breaks no other by accident.
"""

from pathlib import Path

HERE = Path(__file__).parent
M = "https://w3id.org/mkg/"
REVIEW = f"<{M}paper/steeg-2006-nat-med-12-895>"
PAPER = f"<{M}paper/paget-1889-lancet-1-571>"
TITLE = "Tumor metastasis: mechanistic insights and clinical challenges"
PAPER_TITLE = "The distribution of secondary growths in cancer of the breast"
ABSTRACT = "MET and bevacizumab in bone: tumor cell dormancy in mice and the MMP family."

HEAD = """@prefix biro: <http://purl.org/spar/biro/> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix fabio: <http://purl.org/spar/fabio/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix frbr: <http://purl.org/vocab/frbr/core#> .
@prefix mkg: <https://w3id.org/mkg/ontology/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

"""

# (entity IRI path, class, id, label, exactMatch IRIs)
ENTITIES = {
    "MET": ("gene/HGNC_7029", "mkg:Gene", "HGNC:7029", "MET", ["http://identifiers.org/hgnc/7029"]),
    "bevacizumab": (
        "drug/DRUGBANK_DB00112",
        "mkg:Drug",
        "DRUGBANK:DB00112",
        "bevacizumab",
        ["http://identifiers.org/drugbank/DB00112"],
    ),
    "bone": (
        "anatomy/UBERON_0001474",
        "mkg:AnatomicalSite",
        "UBERON:0001474",
        "bone element",
        ["http://purl.obolibrary.org/obo/UBERON_0001474"],
    ),
    "tumor cell": (
        "cell/CL_0001063",
        "mkg:CellType",
        "CL:0001063",
        "neoplastic cell",
        ["http://purl.obolibrary.org/obo/CL_0001063"],
    ),
    "dormancy": (
        "process/dormancy",
        "mkg:MetastaticProcess , mkg:Dormancy",
        "mkg:Dormancy",
        "dormancy",
        [],
    ),
    "mice": (
        "organism/NCBITaxon_10090",
        "mkg:Organism",
        "NCBITaxon:10090",
        "Mice",
        ["http://purl.obolibrary.org/obo/NCBITaxon_10090"],
    ),
    "MMP": (
        "family/FPLX_MMP",
        "mkg:GeneFamily",
        "FPLX:MMP",
        "MMP",
        ["http://identifiers.org/fplx/MMP"],
    ),
    "metastasis": (
        "process/metastasis",
        "mkg:MetastaticProcess , mkg:Metastasis",
        "mkg:Metastasis",
        "metastasis",
        [],
    ),
    "cancer of the breast": (
        "disease/MONDO_0007254",
        "mkg:Cancer",
        "MONDO:0007254",
        "breast cancer",
        ["http://purl.obolibrary.org/obo/MONDO_0007254"],
    ),
}


def _annotation(source: str, field: str, text: str, quote: str) -> str:
    start = text.index(quote)
    end = start + len(quote)
    node = f"{M}mention/{source.strip('<>').removeprefix(M)}/{field}/{start}-{end}"
    entity = f"<{M}{ENTITIES[quote][0]}>"
    return f"""{source} mkg:mentions {entity} .
<{node}> a oa:Annotation ; oa:hasBody {entity} ; oa:hasTarget <{node}#target> .
<{node}#target> a oa:SpecificResource ; oa:hasSource {source} ; mkg:field "{field}" ;
    oa:hasSelector <{node}#quote> , <{node}#position> .
<{node}#quote> a oa:TextQuoteSelector ; oa:exact "{quote}" ;
    oa:prefix "{text[max(0, start - 32) : start]}" ; oa:suffix "{text[end : end + 32]}" .
<{node}#position> a oa:TextPositionSelector ;
    oa:start "{start}"^^xsd:nonNegativeInteger ; oa:end "{end}"^^xsd:nonNegativeInteger .
"""


def _entity(name: str) -> str:
    path, cls, identifier, label, matches = ENTITIES[name]
    lines = [f"<{M}{path}> a {cls} ;", f'    rdfs:label "{label}" ;']
    if label != name:
        lines.append(f'    skos:altLabel "{name}" ;')
    lines += [f"    skos:exactMatch <{iri}> ;" for iri in matches]
    lines.append(f'    dcterms:identifier "{identifier}" .')
    return "\n".join(lines) + "\n"


def _association(cls: str, path: str, subject: str, object_: str) -> str:
    s, o = ENTITIES[subject], ENTITIES[object_]
    return f"""<{M}association/{path}/{s[2].replace(":", "_")}--{o[2].replace(":", "_")}> a mkg:{cls} ;
    rdfs:label "{s[3]} \u2013 {o[3]}" ;
    mkg:subject <{M}{s[0]}> ; mkg:object <{M}{o[0]}> ;
    mkg:evidence {PAPER} ; mkg:evidenceCount 1 .
"""


BASE = {
    "review": f"""{REVIEW} a fabio:ReviewArticle , fabio:JournalArticle ;
    dcterms:title "{TITLE}" ;
    rdfs:label "{TITLE}" ;
    fabio:hasPublicationYear "2006"^^xsd:gYear ;
    mkg:publicationYear 2006 ;
    prism:volume "12" ;
    prism:startingPage "895" ;
    prism:endingPage "904" ;
    prism:doi "10.1038/nm1469" ;
    dcterms:abstract "{ABSTRACT}" ;
    mkg:articleType "Review Article" ;
    mkg:studyType mkg:review ;
    dcterms:isPartOf <{M}journal/nat-med> ;
    dcterms:creator <{M}person/steeg-p> ;
    mkg:hasAuthorship <{M}authorship/steeg-2006-nat-med-12-895/1> ;
    cito:cites {PAPER} ;
    frbr:part <{M}reference/steeg-2006-nat-med-12-895/1> ;
    mkg:hasFigure <{M}figure/steeg-2006-nat-med-12-895/1> .
""",
    "authorship1": f"""<{M}authorship/steeg-2006-nat-med-12-895/1> a mkg:Authorship ;
    mkg:author <{M}person/steeg-p> ;
    mkg:authorPosition 1 .
""",
    "reference": f"""<{M}reference/steeg-2006-nat-med-12-895/1> a biro:BibliographicReference ;
    biro:references {PAPER} ;
    mkg:journalAbbreviation "Lancet" ;
    mkg:referenceNumber 1 ;
    rdfs:label "Reference 1" ;
    dcterms:bibliographicCitation "Paget, S. {PAPER_TITLE}. Lancet 1, 571\u2013573 (1889)." ;
    mkg:linkLabel "Article" , "Google Scholar" .
""",
    "figure": f"""<{M}figure/steeg-2006-nat-med-12-895/1> a mkg:Figure ;
    dcterms:title "The tumor metastatic process." ;
    mkg:figureNumber 1 .
""",
    "paper": f"""{PAPER} a fabio:JournalArticle ;
    dcterms:title "{PAPER_TITLE}" ;
    rdfs:label "{PAPER_TITLE}" ;
    fabio:hasPublicationYear "1889"^^xsd:gYear ;
    mkg:publicationYear 1889 ;
    prism:volume "1" ;
    prism:startingPage "571" ;
    prism:endingPage "573" ;
    dcterms:isPartOf <{M}journal/lancet> ;
    mkg:studyType mkg:unknown ;
    dcterms:creator <{M}person/paget-s> ;
    mkg:hasAuthorship <{M}authorship/paget-1889-lancet-1-571/1> .
""",
    "authorship2": f"""<{M}authorship/paget-1889-lancet-1-571/1> a mkg:Authorship ;
    mkg:author <{M}person/paget-s> ;
    mkg:authorPosition 1 .
""",
    "journals": f"""<{M}journal/nat-med> a fabio:Journal ;
    dcterms:title "Nature medicine" ;
    rdfs:label "Nature medicine" ;
    fabio:hasShortTitle "Nat Med" ;
    prism:issn "1078-8956" ;
    prism:eIssn "1546-170X" ;
    mkg:nlmId "9502015" .

<{M}journal/lancet> a fabio:Journal ;
    dcterms:title "Lancet (London, England)" ;
    fabio:hasShortTitle "Lancet" .
""",
    "persons": f"""<{M}person/steeg-p> a foaf:Person ;
    foaf:familyName "Steeg" ;
    foaf:givenName "P." ;
    foaf:name "Steeg, P." ;
    rdfs:label "Steeg, P." .

<{M}person/paget-s> a foaf:Person ;
    foaf:familyName "Paget" ;
    foaf:givenName "S." ;
    foaf:name "Paget, S." ;
    rdfs:label "Paget, S." .
""",
    "mentions": _annotation(REVIEW, "title", TITLE, "metastasis")
    + _annotation(PAPER, "title", PAPER_TITLE, "cancer of the breast")
    + "".join(
        _annotation(REVIEW, "abstract", ABSTRACT, quote)
        for quote in ("MET", "bevacizumab", "bone", "tumor cell", "dormancy", "mice", "MMP")
    ),
    "entities": "\n".join(_entity(name) for name in ENTITIES),
    "target": f"""<{M}gene/HGNC_12680> a mkg:Gene ;
    rdfs:label "VEGFA" ;
    dcterms:identifier "HGNC:12680" ;
    skos:exactMatch <http://identifiers.org/hgnc/12680> .

<{M}drug/DRUGBANK_DB00112> mkg:hasMolecularTarget <{M}gene/HGNC_12680> .

_:target a owl:Axiom ;
    owl:annotatedSource <{M}drug/DRUGBANK_DB00112> ;
    owl:annotatedProperty mkg:hasMolecularTarget ;
    owl:annotatedTarget <{M}gene/HGNC_12680> ;
    dcterms:source <http://identifiers.org/drugbank/DB00112> .
""",
    "associations": _association("GeneSiteAssociation", "gene-site", "MET", "bone")
    + _association("GeneCancerAssociation", "gene-cancer", "MET", "cancer of the breast")
    + _association("GeneProcessAssociation", "gene-process", "MMP", "dormancy")
    + _association("DrugCancerAssociation", "drug-cancer", "bevacizumab", "cancer of the breast")
    + _association("DrugSiteAssociation", "drug-site", "bevacizumab", "bone")
    + _association("DrugGeneAssociation", "drug-gene", "bevacizumab", "MET"),
    "studies": f"""<{M}cue/steeg-2006-nat-med-12-895/review> a mkg:StudyTypeCue ;
    mkg:classifies {REVIEW} ;
    mkg:assignsStudyType mkg:review ;
    mkg:cue "insights" ;
    mkg:cueField "title" ;
    mkg:cueStart "30"^^xsd:nonNegativeInteger ;
    mkg:cueEnd "38"^^xsd:nonNegativeInteger .

<{M}role/paper/steeg-2006-nat-med-12-895/abstract/0-3/metastasis-promoter/HGNC_7029> a mkg:RoleStatement ;
    mkg:roleOf <{M}gene/HGNC_7029> ;
    mkg:role mkg:metastasisPromoter ;
    mkg:statedIn {REVIEW} ;
    mkg:cue "MET" ;
    oa:hasTarget <{M}mention/paper/steeg-2006-nat-med-12-895/abstract/0-3#target> .
""",
    "example": f"""<{M}query/02-papers-per-year> a sh:SPARQLExecutable , sh:SPARQLSelectExecutable ;
    rdfs:label "02-papers-per-year" ;
    rdfs:comment "How many of the papers the review cites were published in each year?" ;
    sh:select "SELECT ?year (COUNT(?p) AS ?papers) WHERE {{ ?p <{M}ontology/publicationYear> ?year }} GROUP BY ?year" ;
    schema:target <{M}sparql> ;
    schema:keywords "bibliography" , "years" .
""",
    "dataset": f"""<{M}dataset> a void:Dataset , prov:Entity ;
    dcterms:title "mkg: the metastasis knowledge graph" ;
    void:triples 120 ;
    void:subset <{M}dataset/graph/ontology> ;
    prov:wasGeneratedBy <{M}build/0123456789abcdef> .

<{M}dataset/graph/ontology> a void:Dataset ;
    void:triples 650 .
""",
    "activity": f"""<{M}build/0123456789abcdef> a prov:Activity ;
    prov:wasAssociatedWith <{M}software/mkg-0.1.0> ;
    prov:used <{M}source/steeg-2006-nature-medicine-review-txt> .
""",
    "software": f"""<{M}software/mkg-0.1.0> a prov:SoftwareAgent ;
    mkg:softwareVersion "0.1.0" .
""",
    "source": f"""<{M}source/steeg-2006-nature-medicine-review-txt> a prov:Entity ;
    dcterms:title "steeg-2006-nature-medicine-review.txt" ;
    mkg:sha256 "{"0f5e4b1d9a2c3e4f" * 4}" .
""",
}

# shape -> (changes for the invalid fixture, its comment, changes for the valid one, its comment)
CASES = {
    "JournalArticleShape": (
        {
            "paper": (
                'mkg:publicationYear 1889 ;\n    prism:volume "1" ;\n',
                "mkg:publicationYear 1700 ;\n",
            )
        },
        "a cited paper with a year before 1800 and no volume",
        {
            "paper": (
                'prism:endingPage "573" ;',
                'prism:endingPage "573" ;\n    mkg:etAl true ;\n    mkg:volumeNote "Suppl.3" ;',
            )
        },
        "a cited paper with an et-al. author list and a volume note",
    ),
    "ReviewArticleShape": (
        {"reference": ("mkg:referenceNumber 1 ;", "mkg:referenceNumber 2 ;")},
        "a review whose reference list starts at 2",
        {},
        "a review with one reference entry, one figure and mentions",
    ),
    "BibliographicReferenceShape": (
        {
            "reference": (
                'mkg:linkLabel "Article" , "Google Scholar" .',
                'mkg:linkLabel "Article" , "Scopus" .',
            )
        },
        "a reference entry with a link label the publisher never prints",
        {
            "reference": (
                'mkg:linkLabel "Article" , "Google Scholar" .',
                'mkg:linkLabel "Article" , "CAS" , "PubMed" , "PubMed Central" , "Google Scholar" .',
            )
        },
        "a reference entry with all five link labels",
    ),
    "JournalShape": (
        {"journals": ('prism:issn "1078-8956" ;', 'prism:issn "1078-895" ;')},
        "a journal whose print ISSN is one digit short",
        {},
        "journals with and without ISSNs and NLM ID",
    ),
    "PersonShape": (
        {"persons": ('foaf:givenName "S." ;', 'foaf:givenName "Stephen" ;')},
        "a person whose given name is not printed initials",
        {
            "persons": (
                'foaf:givenName "S." ;',
                'foaf:givenName "S.-T." ;\n    mkg:nameSuffix "III" ;',
            )
        },
        "persons with hyphenated initials and a suffix",
    ),
    "AuthorshipShape": (
        {
            "authorship2": (
                "mkg:authorPosition 1 .",
                'mkg:authorPosition 0 ;\n    mkg:precedingSeparator "; " .',
            )
        },
        "an authorship at position 0 with an unknown separator",
        {},
        "one authorship per paper",
    ),
    "FigureShape": (
        {"figure": ('    dcterms:title "The tumor metastatic process." ;\n', "")},
        "a figure with no title",
        {},
        "a figure with a title and a number",
    ),
    "GeneShape": (
        {"entities": ('dcterms:identifier "HGNC:7029"', 'dcterms:identifier "HGNC:MET"')},
        "a gene whose identifier is not an HGNC CURIE",
        {},
        "a mentioned gene and a curated target gene",
    ),
    "GeneFamilyShape": (
        {"entities": ('    rdfs:label "MMP" ;\n', "")},
        "a gene family with no label",
        {},
        "a mentioned gene family",
    ),
    "DrugShape": (
        {"entities": ('dcterms:identifier "DRUGBANK:DB00112"', 'dcterms:identifier "DB00112"')},
        "a drug whose identifier lacks its prefix",
        {},
        "a drug with a curated target",
    ),
    "AnatomicalSiteShape": (
        {"entities": ('dcterms:identifier "UBERON:0001474"', 'dcterms:identifier "UBERON:1474"')},
        "an anatomical site whose UBERON id is not seven digits",
        {},
        "a mentioned anatomical site",
    ),
    "CancerShape": (
        {
            "entities": (
                "    skos:exactMatch <http://purl.obolibrary.org/obo/MONDO_0007254> ;\n",
                "",
            )
        },
        "a cancer with no exact match",
        {},
        "a mentioned cancer",
    ),
    "CellTypeShape": (
        {"entities": ('dcterms:identifier "CL:0001063"', 'dcterms:identifier "CL:63"')},
        "a cell type whose CL id is not seven digits",
        {},
        "a mentioned cell type",
    ),
    "OrganismShape": (
        {
            "mentions": (f"{REVIEW} mkg:mentions <{M}organism/NCBITaxon_10090> .\n", ""),
            "entities": (
                'dcterms:identifier "NCBITaxon:10090"',
                'dcterms:identifier "NCBITaxon:mouse"',
            ),
        },
        "an organism with a non-numeric taxon id",
        {},
        "a mentioned organism",
    ),
    "MetastaticProcessShape": (
        {
            "entities": (
                '<https://w3id.org/mkg/process/dormancy> a mkg:MetastaticProcess , mkg:Dormancy ;\n    rdfs:label "dormancy" ;',
                '<https://w3id.org/mkg/process/dormancy> a mkg:MetastaticProcess , mkg:Dormancy ;\n    rdfs:label "dormancy" ;\n    skos:exactMatch <http://purl.obolibrary.org/obo/UBERON_0001474> ;',
            )
        },
        "a process matched to a term that is not a GO term",
        {
            "entities": (
                '<https://w3id.org/mkg/process/dormancy> a mkg:MetastaticProcess , mkg:Dormancy ;\n    rdfs:label "dormancy" ;',
                '<https://w3id.org/mkg/process/dormancy> a mkg:MetastaticProcess , mkg:Dormancy ;\n    rdfs:label "dormancy" ;\n    skos:exactMatch <http://purl.obolibrary.org/obo/GO_0043276> ;',
            )
        },
        "a process with a GO match",
    ),
    "AxiomShape": (
        {
            "target": (
                "    dcterms:source <http://identifiers.org/drugbank/DB00112> .",
                '    rdfs:comment "no source" .',
            )
        },
        "a curated-target axiom with no source",
        {},
        "a curated target with its source",
    ),
    "AnnotationShape": (
        {
            "mentions": (
                "oa:hasBody <https://w3id.org/mkg/gene/HGNC_7029> ;",
                "oa:hasBody <https://w3id.org/mkg/gene/HGNC_7029> , <https://w3id.org/mkg/family/FPLX_MMP> ;",
            )
        },
        "an annotation with two bodies",
        {},
        "annotations of a title and an abstract",
    ),
    "SpecificResourceShape": (
        {"mentions": ('mkg:field "title" ;', 'mkg:field "body" ;')},
        "a mention target naming a field that does not exist",
        {},
        "mention targets with both selectors",
    ),
    "TextQuoteSelectorShape": (
        {"mentions": ('oa:exact "MET"', 'oa:exact ""')},
        "a quote selector with an empty quote",
        {},
        "quote selectors with prefix and suffix",
    ),
    "TextPositionSelectorShape": (
        {
            "mentions": (
                'oa:start "0"^^xsd:nonNegativeInteger ; oa:end "3"^^xsd:nonNegativeInteger',
                'oa:start "3"^^xsd:nonNegativeInteger ; oa:end "3"^^xsd:nonNegativeInteger',
            )
        },
        "a position selector that ends where it starts",
        {},
        "position selectors",
    ),
    "AssociationShape": (
        {
            "associations": (
                f"mkg:evidence {PAPER} ; mkg:evidenceCount 1 .\n<{M}association/gene-cancer",
                f"mkg:evidence <{M}person/paget-s> ; mkg:evidenceCount 1 .\n<{M}association/gene-cancer",
            )
        },
        "an association whose evidence is not a paper",
        {},
        "associations of every kind",
    ),
    "GeneSiteAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}gene/HGNC_7029> ; mkg:object <{M}anatomy/UBERON_0001474> ;",
                f"mkg:subject <{M}gene/HGNC_7029> ; mkg:object <{M}disease/MONDO_0007254> ;",
            )
        },
        "a gene-site association whose object is a cancer",
        {},
        "a gene-site association",
    ),
    "GeneCancerAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}gene/HGNC_7029> ; mkg:object <{M}disease/MONDO_0007254> ;",
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}disease/MONDO_0007254> ;",
            )
        },
        "a gene-cancer association whose subject is a drug",
        {},
        "a gene-cancer association",
    ),
    "GeneProcessAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}family/FPLX_MMP> ; mkg:object <{M}process/dormancy> ;",
                f"mkg:subject <{M}family/FPLX_MMP> ; mkg:object <{M}anatomy/UBERON_0001474> ;",
            )
        },
        "a gene-process association whose object is a site",
        {},
        "a gene-process association with a gene family",
    ),
    "DrugCancerAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}disease/MONDO_0007254> ;",
                f"mkg:subject <{M}gene/HGNC_7029> ; mkg:object <{M}disease/MONDO_0007254> ;\n    a mkg:DrugCancerAssociation ;",
            )
        },
        "a drug-cancer association whose subject is a gene",
        {},
        "a drug-cancer association",
    ),
    "DrugSiteAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}anatomy/UBERON_0001474> ;",
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}cell/CL_0001063> ;",
            )
        },
        "a drug-site association whose object is a cell type",
        {},
        "a drug-site association",
    ),
    "DrugGeneAssociationShape": (
        {
            "associations": (
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}gene/HGNC_7029> ;",
                f"mkg:subject <{M}drug/DRUGBANK_DB00112> ; mkg:object <{M}organism/NCBITaxon_10090> ;",
            )
        },
        "a drug-gene association whose object is an organism",
        {},
        "a drug-gene association",
    ),
    "KnowledgeIntegrityShape": (
        {
            "associations": (
                "mkg:evidence <https://w3id.org/mkg/paper/paget-1889-lancet-1-571> ; mkg:evidenceCount 1 .\n<https://w3id.org/mkg/association/drug-site",
                "mkg:evidence <https://w3id.org/mkg/paper/paget-1889-lancet-1-571> ; mkg:evidenceCount 3 .\n<https://w3id.org/mkg/association/drug-site",
            )
        },
        "an association whose evidence count is not its number of papers",
        {},
        "associations whose counts match their evidence",
    ),
    "StudyTypeCueShape": (
        {"studies": ('mkg:cueField "title" ;', 'mkg:cueField "abstract" ;')},
        "a study-type cue read from a field that is not the title or journal",
        {},
        "a study-type cue",
    ),
    "RoleStatementShape": (
        {
            "studies": (
                "mkg:role mkg:metastasisPromoter ;",
                "mkg:role mkg:metastasisPromoter , mkg:growthInhibitor ;",
            )
        },
        "a role statement naming two roles",
        {},
        "a role statement quoting its words",
    ),
    "SPARQLExecutableShape": (
        {
            "example": (
                'rdfs:comment "How many of the papers the review cites were published in each year?" ;',
                'rdfs:comment "Papers per year." ;',
            )
        },
        "a query example whose question is not a question",
        {},
        "a published SELECT query",
    ),
    "DatasetShape": (
        {"dataset": ("void:triples 120 ;", "void:triples -5 ;")},
        "a dataset with a negative triple count",
        {},
        "a dataset with one subset",
    ),
    "ActivityShape": (
        {
            "activity": (
                " ;\n    prov:used <https://w3id.org/mkg/source/steeg-2006-nature-medicine-review-txt> .",
                " .",
            )
        },
        "a build activity that names no source file",
        {},
        "a build activity with its software and source",
    ),
    "SoftwareAgentShape": (
        {"software": ('mkg:softwareVersion "0.1.0" .', 'mkg:softwareVersion "latest" .')},
        "a software agent whose version is not a version number",
        {},
        "a software agent with its version",
    ),
    "EntityShape": (
        {"source": ('mkg:sha256 "0f5e4b1d', 'mkg:sha256 "xx5e4b1d')},
        "a source file whose checksum is not a SHA-256",
        {},
        "a source file with its SHA-256",
    ),
}

# More invalid fixtures for constraints a shape holds beyond the one its main fixture breaks.
EXTRA = {
    "ReviewArticleShape.invalid-quote": (
        {"mentions": ('oa:exact "bevacizumab"', 'oa:exact "bevacizumob"')},
        "an annotation whose quote differs from the text at its offsets",
    ),
    "JournalArticleShape.invalid-study-type": (
        {"paper": ("    mkg:studyType mkg:unknown ;\n", "")},
        "a cited paper with no study type, not even 'unknown'",
    ),
    "ReviewArticleShape.invalid-unmentioned": (
        {"mentions": (f"{REVIEW} mkg:mentions <{M}gene/HGNC_7029> .\n", "")},
        "an annotation whose source does not state that it mentions the entity",
    ),
    "GeneShape.invalid-unmentioned": (
        {
            "mentions": (f"{REVIEW} mkg:mentions <{M}gene/HGNC_7029> .\n", ""),
            "associations": ("", ""),
        },
        "a gene that nothing mentions",
    ),
    "KnowledgeIntegrityShape.invalid-unsourced": (
        {
            "target": (
                "_:target a owl:Axiom ;",
                '_:target a owl:Axiom ;\n    rdfs:comment "for another target" ;',
            ),
            "entities": (
                'dcterms:identifier "DRUGBANK:DB00112" .',
                'dcterms:identifier "DRUGBANK:DB00112" ;\n    mkg:hasMolecularTarget <https://w3id.org/mkg/gene/HGNC_7029> .',
            ),
        },
        "a curated target with no axiom naming its source",
    ),
}


def _document(changes: dict[str, tuple[str, str]], comment: str) -> str:
    parts = dict(BASE)
    for key, (old, new) in changes.items():
        assert old in parts[key], (key, old)
        parts[key] = parts[key].replace(old, new, 1)
    return f"# {comment}\n" + HEAD + "\n".join(parts.values())


def main() -> None:
    for old in HERE.glob("*.ttl"):
        old.unlink()
    for shape, (bad, bad_comment, good, good_comment) in CASES.items():
        (HERE / f"{shape}.invalid.ttl").write_text(
            _document(bad, f"Invalid for {shape}: {bad_comment}."), encoding="utf-8"
        )
        (HERE / f"{shape}.valid.ttl").write_text(
            _document(good, f"Valid for {shape}: {good_comment}."), encoding="utf-8"
        )
    for name, (bad, comment) in EXTRA.items():
        shape = name.split(".")[0]
        (HERE / f"{name}.ttl").write_text(
            _document(bad, f"Invalid for {shape}: {comment}."), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
