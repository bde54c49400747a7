"""Build the metastasis knowledge graph: page -> records -> mentions -> RDF -> validated build."""

__version__ = "0.1.0"
