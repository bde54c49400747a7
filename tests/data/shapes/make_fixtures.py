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
# A sentence of the review's body that cites reference 1 (a citation context).
SENTENCE = f"<{M}sentence/steeg-2006-nat-med-12-895/4>"
POINTER = f"<{M}pointer/steeg-2006-nat-med-12-895/4/1>"
SENTENCE_TEXT = "Paget saw MET-driven spread to bone.1"
CITED_MENTION = (
    f"<{M}cited-mention/steeg-2006-nat-med-12-895/4/HGNC_7029/paper/paget-1889-lancet-1-571>"
)

HEAD = """@prefix biro: <http://purl.org/spar/biro/> .
@prefix c4o: <http://purl.org/spar/c4o/> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix doco: <http://purl.org/spar/doco/> .
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


_BREAST_CANCER_ID = 'dcterms:identifier "MONDO:0007254" .'


def _with_broader_term(identifier: str) -> str:
    """Return the breast cancer's last line with a broader term (MONDO breast neoplasm) after."""
    return f"""dcterms:identifier "MONDO:0007254" ;
    skos:broader <{M}disease/MONDO_0021100> .
<{M}disease/MONDO_0021100> a mkg:BroaderTerm ;
    rdfs:label "breast neoplasm" ;
    skos:exactMatch <http://purl.obolibrary.org/obo/MONDO_0021100> ;
    dcterms:identifier {identifier} ."""


def _association(cls: str, path: str, subject: str, object_: str) -> str:
    s, o = ENTITIES[subject], ENTITIES[object_]
    return f"""<{M}association/{path}/{s[2].replace(":", "_")}--{o[2].replace(":", "_")}> a mkg:{cls} ;
    rdfs:label "{s[3]} \u2013 {o[3]}" ;
    mkg:subject <{M}{s[0]}> ; mkg:object <{M}{o[0]}> ;
    mkg:evidence {PAPER} ; mkg:evidenceCount 1 .
"""


# The other kinds of cited work, each with its numbered entry (2, 3, ...) in the review's list.
WORKS = {
    "book/weinberg-2007-the-biology-of-cancer": f"""a fabio:Book ;
    dcterms:title "The Biology of Cancer" ;
    rdfs:label "The Biology of Cancer" ;
    mkg:publicationYear 2007 ;
    prism:edition "2nd edn" ;
    dcterms:publisher <{M}organization/garland-science> ;
    mkg:publicationPlace "New York" ;
    mkg:hasAuthorship <{M}authorship/weinberg-2007-the-biology-of-cancer/1> ;
    dcterms:creator <{M}person/weinberg-r-a> .
<{M}authorship/weinberg-2007-the-biology-of-cancer/1> a mkg:Authorship ;
    mkg:author <{M}person/weinberg-r-a> ; mkg:authorPosition 1 .
<{M}person/weinberg-r-a> a foaf:Person ; foaf:familyName "Weinberg" ; foaf:givenName "R. A." ;
    foaf:name "Weinberg, R. A." ; rdfs:label "Weinberg, R. A." .
<{M}organization/garland-science> a foaf:Organization ; foaf:name "Garland Science" ;
    rdfs:label "Garland Science" .""",
    "chapter/fidler-2005-cancer-principles-and-practice-135": f"""a fabio:BookChapter ;
    rdfs:label "Chapter in Cancer: Principles and Practice of Oncology" ;
    mkg:publicationYear 2005 ;
    prism:startingPage "135" ;
    prism:endingPage "152" ;
    frbr:partOf <{M}book/devita-2005-cancer-principles-and-practice-of-oncology> .
<{M}book/devita-2005-cancer-principles-and-practice-of-oncology> a fabio:Book ;
    dcterms:title "Cancer: Principles and Practice of Oncology" ;
    rdfs:label "Cancer: Principles and Practice of Oncology" ;
    mkg:publicationYear 2005 ;
    dcterms:publisher <{M}organization/lippincott> ;
    mkg:hasEditorship <{M}editorship/devita-2005-cancer-principles-and-practice-of-oncology/1> .
<{M}editorship/devita-2005-cancer-principles-and-practice-of-oncology/1> a mkg:Editorship ;
    mkg:editor <{M}person/devita-v-t> ; mkg:editorPosition 1 .
<{M}person/devita-v-t> a foaf:Person ; foaf:familyName "DeVita" ; foaf:givenName "V. T." ;
    foaf:name "DeVita, V. T." ; rdfs:label "DeVita, V. T." .
<{M}organization/lippincott> a foaf:Organization ; foaf:name "Lippincott" ;
    rdfs:label "Lippincott" .""",
    "thesis/smith-2001-tumour-dormancy-in-the-lung": f"""a fabio:Thesis , fabio:DoctoralThesis ;
    dcterms:title "Tumour dormancy in the lung" ;
    rdfs:label "Tumour dormancy in the lung" ;
    mkg:publicationYear 2001 ;
    mkg:degree "PhD" ;
    dcterms:publisher <{M}organization/univ-cambridge> .
<{M}organization/univ-cambridge> a foaf:Organization ; foaf:name "Univ. Cambridge" ;
    rdfs:label "Univ. Cambridge" .""",
    "report/world-health-organization-2014-world-cancer-report-2014": f"""a fabio:ReportDocument ;
    dcterms:title "World Cancer Report 2014" ;
    rdfs:label "World Cancer Report 2014" ;
    mkg:publicationYear 2014 ;
    dcterms:publisher <{M}organization/iarc> ;
    mkg:publicationPlace "Lyon" ;
    mkg:hasAuthorship <{M}authorship/who-report/1> .
<{M}authorship/who-report/1> a mkg:Authorship ;
    mkg:author <{M}organization/world-health-organization> ; mkg:authorPosition 1 .
<{M}organization/world-health-organization> a foaf:Organization ;
    foaf:name "World Health Organization" ; rdfs:label "World Health Organization" .
<{M}organization/iarc> a foaf:Organization ; foaf:name "IARC" ; rdfs:label "IARC" .""",
    "web/manaster-2014-sloth-squeak": """a fabio:WebContent ;
    dcterms:title "Sloth squeak" ;
    rdfs:label "Sloth squeak" ;
    mkg:publicationYear 2014 ;
    mkg:venue "Scientific American Blog Network" ;
    fabio:hasURL "http://blogs.scientificamerican.com/sloth-squeak"^^xsd:anyURI .""",
    "database/omim-2006-metastasis-suppressor-1": """a fabio:Database ;
    dcterms:title "Metastasis suppressor 1" ;
    rdfs:label "Metastasis suppressor 1" ;
    fabio:hasURL "http://www.omim.org/entry/605622"^^xsd:anyURI .""",
    "data/hao-2014-gidmaps-data-sets": """a fabio:DataFile ;
    dcterms:title "GIDMaPS data sets" ;
    rdfs:label "GIDMaPS data sets" ;
    mkg:publicationYear 2014 ;
    mkg:venue "figshare" ;
    prism:doi "10.6084/m9.figshare.853801" ;
    fabio:hasURL "https://doi.org/10.6084/m9.figshare.853801"^^xsd:anyURI .""",
    "preprint/zhang-2020-circulating-tumour-cells-in-mice": """a fabio:Preprint , fabio:Manuscript ;
    dcterms:title "Circulating tumour cells in mice" ;
    rdfs:label "Circulating tumour cells in mice" ;
    mkg:publicationYear 2020 ;
    mkg:venue "bioRxiv" ;
    prism:doi "10.1101/2020.01.01.123456" .""",
    "unpublished/steeg-p-unpublished-data-n-d": f"""a fabio:Manuscript ;
    rdfs:label "Steeg, P.: unpublished data" ;
    mkg:publicationStatus "unpublished data" ;
    mkg:hasAuthorship <{M}authorship/unpublished/1> .
<{M}authorship/unpublished/1> a mkg:Authorship ;
    mkg:author <{M}person/steeg-p> ; mkg:authorPosition 1 .""",
    "communication/steeg-p-personal-communication-n-d": f"""a fabio:PersonalCommunication ;
    rdfs:label "Steeg, P.: personal communication" ;
    mkg:publicationStatus "personal communication" ;
    mkg:hasAuthorship <{M}authorship/communication/1> .
<{M}authorship/communication/1> a mkg:Authorship ;
    mkg:author <{M}person/steeg-p> ; mkg:authorPosition 1 .""",
    "patent/us-patent-6-123-456": """a fabio:PatentDocument ;
    dcterms:title "Methods for detecting micrometastases" ;
    rdfs:label "Methods for detecting micrometastases" ;
    mkg:publicationYear 2000 ;
    mkg:patentLabel "US Patent" ;
    fabio:hasPatentNumber "6,123,456" .""",
    "abstract/smith-2006-zh-eksp-klin-onkol-3021": f"""a fabio:ConferencePaper ;
    dcterms:title "A phase II trial of dasatinib" ;
    rdfs:label "A phase II trial of dasatinib" ;
    mkg:publicationYear 2006 ;
    mkg:abstractNumber "3021" ;
    dcterms:isPartOf <{M}journal/zh-eksp-klin-onkol> .""",
    "cited/steeg-2006-nat-med-12-895/14": """a mkg:PartlyReadWork ;
    rdfs:label "Smith, J." ;
    mkg:publicationYear 1999 .""",
}
_RAW = {
    "cited/steeg-2006-nat-med-12-895/14": "Smith, J. A line that could not be read 12 (1999).",
}
_ENTRIES = []
for _number, (_path, _body) in enumerate(WORKS.items(), start=2):
    _entry = f"{M}reference/steeg-2006-nat-med-12-895/{_number}"
    _raw = _RAW.get(_path, f"Printed reference {_number}.")
    _partial = (
        ' ;\n    a mkg:PartialReference ;\n    mkg:parseNote "names no journal that could be told from the title"'
        if _path.startswith("cited/")
        else ""
    )
    _ENTRIES.append(
        f"""<{_entry}> a biro:BibliographicReference ;
    biro:references <{M}{_path}> ;
    mkg:referenceNumber {_number} ;
    rdfs:label "Reference {_number}" ;
    dcterms:bibliographicCitation "{_raw}"{_partial} .
<{M}{_path}> {_body}
"""
    )
WORK_LIST = " , ".join(f"<{M}{path}>" for path in WORKS)
ENTRY_LIST = " , ".join(
    f"<{M}reference/steeg-2006-nat-med-12-895/{n}>" for n in range(2, len(WORKS) + 2)
)

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
    fabio:hasPubMedId "16892035" ;
    skos:exactMatch <https://doi.org/10.1038/nm1469> , <https://identifiers.org/pubmed:16892035> ;
    dcterms:abstract "{ABSTRACT}" ;
    mkg:articleType "Review Article" ;
    mkg:studyType mkg:review ;
    dcterms:isPartOf <{M}journal/nat-med> ;
    dcterms:creator <{M}person/steeg-p> ;
    mkg:hasAuthorship <{M}authorship/steeg-2006-nat-med-12-895/1> ;
    cito:cites {PAPER} , {WORK_LIST} ;
    frbr:part <{M}reference/steeg-2006-nat-med-12-895/1> , {ENTRY_LIST} ;
    mkg:hasFigure <{M}figure/steeg-2006-nat-med-12-895/1> .
""",
    "works": "\n".join(_ENTRIES),
    "erratum": f"""{PAPER} mkg:hasErratum <{M}erratum/paget-1889-lancet-1-571> .
<{M}erratum/paget-1889-lancet-1-571> a fabio:Erratum ;
    rdfs:label "erratum 2, 10" ;
    mkg:erratumLabel "erratum" ;
    prism:volume "2" ;
    prism:startingPage "10" ;
    mkg:publicationYear 1889 .
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
    "sentence": f"""{SENTENCE} a doco:Sentence ;
    rdfs:label "Sentence 4" ;
    c4o:hasContent "{SENTENCE_TEXT}" ;
    mkg:sentenceNumber 4 ;
    mkg:section "Introduction" ;
    frbr:partOf {REVIEW} .
{POINTER} a c4o:InTextReferencePointer ;
    rdfs:label "1" ;
    c4o:hasContent "1" ;
    c4o:hasContext {SENTENCE} ;
    c4o:denotes <{M}reference/steeg-2006-nat-med-12-895/1> .
{CITED_MENTION} a mkg:CitedMention ;
    rdfs:label "MET in sentence 4, citing reference 1" ;
    mkg:mentionedEntity <{M}gene/HGNC_7029> ;
    mkg:citedWork {PAPER} ;
    mkg:inSentence {SENTENCE} ;
    mkg:viaPointer {POINTER} .
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
    mkg:verified true ;
    dcterms:title "Nature medicine" ;
    rdfs:label "Nature medicine" ;
    fabio:hasShortTitle "Nat Med" ;
    prism:issn "1078-8956" ;
    prism:eIssn "1546-170X" ;
    mkg:nlmId "9502015" .

<{M}journal/lancet> a fabio:Journal ;
    mkg:verified true ;
    dcterms:title "Lancet (London, England)" ;
    fabio:hasShortTitle "Lancet" .

<{M}journal/zh-eksp-klin-onkol> a fabio:Journal ;
    mkg:verified false ;
    rdfs:label "Zh. Eksp. Klin. Onkol." ;
    fabio:hasShortTitle "Zh. Eksp. Klin. Onkol." .
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
    + _annotation(SENTENCE, "sentence", SENTENCE_TEXT, "MET")
    + _annotation(SENTENCE, "sentence", SENTENCE_TEXT, "bone")
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
                'mkg:linkLabel "Article" , "CAS, PubMed" .',
            )
        },
        "a reference entry with two link labels run into one",
        {
            "reference": (
                'mkg:linkLabel "Article" , "Google Scholar" .',
                'mkg:linkLabel "Article" , "MathSciNet" , "ADS" , "CAS" , "PubMed" , '
                '"PubMed Central" , "Google Scholar" ;\n'
                '    mkg:trailingLink "https://doi.org/10.1016/S0140-6736(00)49915-0" .',
            )
        },
        "a reference entry with every link label and a trailing DOI link",
    ),
    "PartialReferenceShape": (
        {
            "works": (
                ' ;\n    mkg:parseNote "names no journal that could be told from the title"',
                "",
            )
        },
        "a partially read reference that does not say what could not be read",
        {},
        "a partially read reference with its note and raw text",
    ),
    "PartlyReadWorkShape": (
        {
            "works": (
                ' ;\n    a mkg:PartialReference ;\n    mkg:parseNote "names no journal that could be told from the title"',
                "",
            )
        },
        "a partly read work cited by a reference that claims to be read completely",
        {},
        "a partly read work with the year read",
    ),
    "OrganizationShape": (
        {"works": ('foaf:name "Garland Science" ;', "")},
        "a publisher with no name",
        {},
        "groups and publishers with their printed names",
    ),
    "EditorshipShape": (
        {"works": ("mkg:editorPosition 1 .", "mkg:editorPosition 0 .")},
        "an editorship at position 0",
        {},
        "an editorship of a book",
    ),
    "BookShape": (
        {
            "works": (
                "    dcterms:publisher <https://w3id.org/mkg/organization/garland-science> ;\n",
                "",
            )
        },
        "a book with no publisher",
        {},
        "a book with its edition, publisher and place",
    ),
    "ThesisShape": (
        {"works": ('mkg:degree "PhD" ;', 'mkg:degree "PhD" , "MD" ;')},
        "a thesis with two degrees",
        {},
        "a doctoral thesis",
    ),
    "BookChapterShape": (
        {
            "works": (
                "    frbr:partOf <https://w3id.org/mkg/book/devita-2005-cancer-principles-and-practice-of-oncology> .",
                '    mkg:series "none" .',
            )
        },
        "a chapter that is in no book",
        {},
        "a chapter with no title, in an edited book",
    ),
    "ReportDocumentShape": (
        {
            "works": (
                "    mkg:publicationYear 2014 ;\n    dcterms:publisher <https://w3id.org/mkg/organization/iarc> ;",
                "    dcterms:publisher <https://w3id.org/mkg/organization/iarc> ;",
            )
        },
        "a report with no year",
        {},
        "a report by a group author",
    ),
    "WebContentShape": (
        {
            "works": (
                '    fabio:hasURL "http://blogs.scientificamerican.com/sloth-squeak"^^xsd:anyURI .',
                '    mkg:series "none" .',
            )
        },
        "a web page with no URL",
        {},
        "a web page on a named site",
    ),
    "DatabaseShape": (
        {"works": ('    dcterms:title "Metastasis suppressor 1" ;\n', "")},
        "a database entry with no title",
        {},
        "a database entry",
    ),
    "DataFileShape": (
        {
            "works": (
                '    prism:doi "10.6084/m9.figshare.853801" ;\n    fabio:hasURL "https://doi.org/10.6084/m9.figshare.853801"^^xsd:anyURI .',
                '    mkg:series "none" .',
            )
        },
        "a data set with no URL, DOI or accession",
        {},
        "a data set with its DOI",
    ),
    "PreprintShape": (
        {"works": ('    prism:doi "10.1101/2020.01.01.123456" .', '    mkg:series "none" .')},
        "a preprint with no URL or DOI",
        {},
        "a preprint with its DOI",
    ),
    "ManuscriptShape": (
        {"works": ('    mkg:publicationStatus "unpublished data" ;\n', "")},
        "unpublished data with no status",
        {},
        "unpublished data",
    ),
    "PersonalCommunicationShape": (
        {
            "works": (
                '    mkg:publicationStatus "personal communication" ;\n    mkg:hasAuthorship <https://w3id.org/mkg/authorship/communication/1> .',
                '    mkg:publicationStatus "personal communication" .',
            )
        },
        "a personal communication from nobody",
        {},
        "a personal communication",
    ),
    "PatentDocumentShape": (
        {"works": ('    fabio:hasPatentNumber "6,123,456" .', '    mkg:series "none" .')},
        "a patent with no number",
        {},
        "a patent with its office and number",
    ),
    "ConferencePaperShape": (
        {"works": ('    mkg:abstractNumber "3021" ;\n', "")},
        "a conference abstract with neither an abstract number nor a meeting",
        {},
        "a conference abstract in a journal no catalogue holds",
    ),
    "ErratumShape": (
        {"erratum": ('mkg:erratumLabel "erratum" ;', 'mkg:erratumLabel "oops" ;')},
        "an erratum printed with a word the publisher's style does not use",
        {},
        "an erratum of a cited paper",
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
    "BroaderTermShape": (
        {"entities": (_BREAST_CANCER_ID, _with_broader_term('"MONDO:21100"'))},
        "a broader term whose MONDO id is not seven digits",
        {"entities": (_BREAST_CANCER_ID, _with_broader_term('"MONDO:0021100"'))},
        "MONDO's breast neoplasm above the breast cancer a text names",
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
    "SentenceShape": (
        {"sentence": ("mkg:sentenceNumber 4 ;", "mkg:sentenceNumber 0 ;")},
        "a sentence numbered 0",
        {},
        "a citing sentence of the review, in its section",
    ),
    "InTextReferencePointerShape": (
        {"sentence": ('c4o:hasContent "1" ;', 'c4o:hasContent "" ;')},
        "an in-text pointer with an empty printed text",
        {},
        "an in-text pointer denoting reference 1",
    ),
    "CitedMentionShape": (
        {
            "sentence": (
                f"    mkg:inSentence {SENTENCE} ;\n    mkg:viaPointer {POINTER} .",
                f"    mkg:inSentence {SENTENCE} .",
            )
        },
        "a cited mention that names no pointer citing its work",
        {},
        "a gene named in a sentence that cites a paper",
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
    "ReviewArticleShape.invalid-cited": (
        {
            "sentence": (
                "mkg:mentionedEntity <https://w3id.org/mkg/gene/HGNC_7029> ;",
                "mkg:mentionedEntity <https://w3id.org/mkg/drug/DRUGBANK_DB00112> ;",
            )
        },
        "a cited mention of an entity its sentence does not name",
    ),
    "ReviewArticleShape.invalid-pointer": (
        {
            "sentence": (
                "c4o:denotes <https://w3id.org/mkg/reference/steeg-2006-nat-med-12-895/1> .",
                "c4o:denotes <https://w3id.org/mkg/reference/steeg-2006-nat-med-12-895/99> .",
            )
        },
        "an in-text pointer denoting an entry that is not in the review's reference list",
    ),
    "JournalArticleShape.invalid-pmid": (
        {"review": ('fabio:hasPubMedId "16892035" ;', 'fabio:hasPubMedId "PMID:16892035" ;')},
        "a paper whose PubMed ID carries a prefix",
    ),
    "PartialReferenceShape.invalid-raw": (
        {
            "works": (
                'dcterms:bibliographicCitation "Smith, J. A line that could not be read 12 (1999)."',
                'dcterms:bibliographicCitation ""',
            )
        },
        "a partially read reference without its raw text",
    ),
    "JournalShape.invalid-unverified": (
        {
            "journals": (
                "mkg:verified false ;",
                'mkg:verified false ;\n    prism:issn "0514-7484" ;',
            )
        },
        "an unverified journal with a guessed ISSN",
    ),
    "JournalArticleShape.invalid-locator": (
        {"paper": ('    prism:volume "1" ;\n    prism:startingPage "571" ;\n', "")},
        "a cited paper with neither volume and pages, nor a status, nor a DOI",
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
            "mentions": [
                (f"{REVIEW} mkg:mentions <{M}gene/HGNC_7029> .\n", ""),
                (f"{SENTENCE} mkg:mentions <{M}gene/HGNC_7029> .\n", ""),
            ],
            "associations": ("", ""),
        },
        "a gene that nothing mentions",
    ),
    "BroaderTermShape.invalid-named": (
        {
            "entities": (_BREAST_CANCER_ID, _with_broader_term('"MONDO:0021100"')),
            "mentions": ("", f"{REVIEW} mkg:mentions <{M}disease/MONDO_0021100> .\n"),
        },
        "a broader term that a text names",
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


def _document(changes: dict[str, tuple[str, str] | list[tuple[str, str]]], comment: str) -> str:
    parts = dict(BASE)
    for key, change in changes.items():
        # One (old, new) pair, or a list of them for several changes to one part.
        for old, new in change if isinstance(change, list) else [change]:
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
