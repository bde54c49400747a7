"""Run parse -> map -> validate -> install, and install the result atomically.

Layout of an output directory::

    build/
      current -> releases/<id>     the installed build (a symlink swapped atomically)
      releases/<id>/store/         the Oxigraph store
      releases/<id>/mkg.nq         all graphs as N-Quads (sorted, byte-identical per input)
      releases/<id>/mkg.ttl        the union of the graphs as Turtle
      releases/<id>/mkg.owl        ontology + individuals as RDF/XML, for Protégé
      releases/<id>/manifest.json  what was built, from what, when, and the counts

A build that fails at any step leaves `current` as it was.
"""

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from ingest import __version__
from ingest.dumps import write_dumps
from ingest.entities import Lexicon, load_lexicon
from ingest.errors import BuildError, IngestError, ValidationError
from ingest.ground import Finder, ground_review
from ingest.journals import load_journals
from ingest.mapping import (
    SourceFile,
    add_build_time,
    add_examples,
    add_metadata,
    add_review,
    class_key,
    document_graph,
    new_dataset,
    review_key,
)
from ingest.mapping_entities import (
    SourcedPassage,
    add_associations,
    add_curated_targets,
    add_entities,
    add_mentions,
    source_passages,
)
from ingest.namespaces import (
    ASSOCIATIONS_GRAPH,
    BUILD_RUN_GRAPH,
    CURATED_GRAPH,
    ENTITIES_GRAPH,
    EXAMPLES_GRAPH,
    METADATA_GRAPH,
    MKG,
    ONTOLOGY_GRAPH,
)
from ingest.parse import parse_file
from ingest.queries import read_named_queries
from ingest.records import Review
from ingest.report import report_rows, report_tsv, summarize
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.store import load_store
from ingest.validate import Report, class_hierarchy, load_ontology, load_shapes, validate_graph

KEEP_RELEASES = 3


@dataclass
class BuildResult:
    """What a build produced: where, how big, how long each step took."""

    release: Path
    graph_sizes: dict[str, int]
    class_counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    grounding: dict[str, int] = field(default_factory=dict)


def default_pages() -> list[Path]:
    """Return the review page(s) the project ships."""
    return [source_path(DEFAULT_SOURCE)]


def parse_pages(pages: Sequence[Path]) -> list[Review]:
    """Parse each page; two pages describing the same review are an error."""
    reviews: list[Review] = []
    seen: dict[str, str] = {}
    for page in pages:
        review = parse_file(page)
        key = review_key(review)
        if key in seen:
            raise IngestError(f"{page.name}: describes the same review as {seen[key]} ({key})")
        seen[key] = page.name
        reviews.append(review)
    return reviews


@dataclass(frozen=True)
class Grounded:
    """A parsed review with its grounded passages."""

    review: Review
    passages: tuple[SourcedPassage, ...]


def ground_reviews(reviews: Sequence[Review], *, lexicon: Lexicon) -> list[Grounded]:
    """Find the lexicon's entities in every title, abstract and figure title of the reviews."""
    finder = Finder(lexicon.forms)
    return [
        Grounded(
            review,
            tuple(source_passages(ground_review(review, finder), review_key=review_key(review))),
        )
        for review in reviews
    ]


def map_reviews(grounded: Sequence[Grounded], *, lexicon: Lexicon) -> Dataset:
    """Map reviews into a dataset: ontology, one document graph per review, and the knowledge."""
    dataset = new_dataset()
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    for triple in load_ontology():
        ontology.add(triple)
    journals = load_journals()
    persons: dict[URIRef, str] = {}
    passages = [p for item in grounded for p in item.passages]
    for item in grounded:
        document = document_graph(dataset, item.review)
        add_review(document, item.review, journals=journals, persons=persons)
        add_mentions(document, item.passages, lexicon=lexicon)
    add_entities(dataset.graph(ENTITIES_GRAPH), passages, lexicon=lexicon)
    add_associations(dataset.graph(ASSOCIATIONS_GRAPH), passages, lexicon=lexicon)
    mentioned = {m.entity for p in passages for m in p.passage.mentions}
    add_curated_targets(dataset.graph(CURATED_GRAPH), mentioned=mentioned, lexicon=lexicon)
    add_examples(dataset.graph(EXAMPLES_GRAPH), read_named_queries())
    return dataset


def validation_units(dataset: Dataset) -> dict[str, Graph]:
    """Split the dataset into the graphs validated one at a time, so validation grows linearly.

    Each document graph is validated with the descriptions of the entities it mentions; the
    knowledge graphs (entities, associations, curated) together with every mkg:mentions
    statement; the metadata on its own.
    """
    entities = dataset.graph(ENTITIES_GRAPH)
    units: dict[str, Graph] = {}
    knowledge = Graph()
    for name in (ENTITIES_GRAPH, ASSOCIATIONS_GRAPH, CURATED_GRAPH):
        knowledge += dataset.graph(name)
    for graph in _content_graphs(dataset):
        if graph.identifier in (ONTOLOGY_GRAPH, ENTITIES_GRAPH, ASSOCIATIONS_GRAPH, CURATED_GRAPH):
            continue
        unit = Graph()
        unit += graph
        for entity in set(graph.objects(None, MKG.mentions)):
            unit += entities.triples((entity, None, None))
        for triple in graph.triples((None, MKG.mentions, None)):
            knowledge.add(triple)
        units[str(graph.identifier)] = unit
    units["knowledge"] = knowledge
    return units


def validate_dataset(dataset: Dataset) -> dict[str, Report]:
    """Validate the dataset unit by unit; raise ValidationError naming every violation."""
    shapes = load_shapes()
    # sh:class needs the class hierarchy only; mixing in the whole ontology costs more than
    # validating the document itself.
    ontology = class_hierarchy(dataset.graph(ONTOLOGY_GRAPH))
    reports = {
        name: validate_graph(unit, shapes=shapes, ontology=ontology)
        for name, unit in validation_units(dataset).items()
    }
    failed = {name: report for name, report in reports.items() if not report.conforms}
    if failed:
        text = "\n".join(f"{name}:\n{report.text()}" for name, report in failed.items())
        raise ValidationError(
            f"the graph does not conform to the shapes; nothing installed\n{text}"
        )
    return reports


def build(
    pages: Sequence[Path] | None = None,
    *,
    out: Path,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildResult:
    """Build the graph from `pages` (default: the shipped review) and install it under `out`."""
    pages = list(pages) if pages else default_pages()
    started = datetime.now(UTC).replace(microsecond=0)
    timings: dict[str, float] = {}

    with _timed(timings, "parse", progress):
        reviews = parse_pages(pages)
    with _timed(timings, "ground", progress):
        lexicon = load_lexicon()
        grounded = ground_reviews(reviews, lexicon=lexicon)
        rows = report_rows((p.passage for item in grounded for p in item.passages), lexicon=lexicon)
    with _timed(timings, "map", progress):
        dataset = map_reviews(grounded, lexicon=lexicon)
        sources = [SourceFile(page.name, _sha256(page)) for page in pages]
        activity = add_metadata(
            dataset.graph(METADATA_GRAPH), dataset, sources=sources, version=__version__
        )
    with _timed(timings, "validate", progress):
        reports = validate_dataset(dataset)
    with _timed(timings, "install", progress):
        add_build_time(
            dataset.graph(BUILD_RUN_GRAPH),
            activity=activity,
            started=started,
            ended=datetime.now(UTC).replace(microsecond=0),
        )
        result = BuildResult(
            release=out,
            graph_sizes={str(g.identifier): len(g) for g in _content_graphs(dataset, run=True)},
            class_counts=count_classes(dataset),
            timings=timings,
            reports=reports,
            grounding=summarize(rows),
        )
        manifest = _manifest(result, sources=sources, started=started)
        extra = {"grounding.tsv": report_tsv(rows)}
        result.release = install(dataset, out=out, started=started, manifest=manifest, files=extra)
    return result


def install(
    dataset: Dataset,
    *,
    out: Path,
    started: datetime,
    manifest: dict[str, object],
    files: dict[str, str] | None = None,
) -> Path:
    """Write store and dumps into a new release and switch `out/current` to it atomically."""
    releases = out / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        staging = releases / f".staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            digest = write_dumps(dataset, staging, exclude=(BUILD_RUN_GRAPH,))
            load_store(staging / "store", dumps=staging, extra=dataset.graph(BUILD_RUN_GRAPH))
            text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
            (staging / "manifest.json").write_text(text, encoding="utf-8")
            for name, content in (files or {}).items():
                (staging / name).write_text(content, encoding="utf-8")
            name = f"{started.strftime('%Y%m%dT%H%M%SZ')}-{digest[:12]}"
            release = releases / name
            if release.exists():
                shutil.rmtree(release)
            staging.rename(release)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _switch(out / "current", Path("releases") / name)
        _prune(releases, keep=release)
    return release


def count_classes(dataset: Dataset) -> dict[str, int]:
    """Count the instances of each class across the content graphs (not the ontology)."""
    counts: Counter[str] = Counter()
    for graph in _content_graphs(dataset):
        if graph.identifier in (ONTOLOGY_GRAPH, METADATA_GRAPH):
            continue
        for _subject, cls in graph.subject_objects(RDF.type):
            counts[class_key(cls)] += 1
    return dict(sorted(counts.items()))


def _content_graphs(dataset: Dataset, *, run: bool = False) -> list[Graph]:
    graphs = [g for g in dataset.graphs() if len(g) and (run or g.identifier != BUILD_RUN_GRAPH)]
    return sorted(graphs, key=lambda g: str(g.identifier))


def _switch(link: Path, target: Path) -> None:
    temporary = link.with_name(f".current-{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target)
    if link.exists() and not link.is_symlink():
        raise BuildError(f"{link} exists and is not a symlink; move it away and build again")
    os.replace(temporary, link)


def _prune(releases: Path, *, keep: Path) -> None:
    """Remove old releases, keeping the newest few (a running server may still read one)."""
    built = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in built[KEEP_RELEASES:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _lock(out: Path) -> Iterator[None]:
    with open(out / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is installing into {out}; try again") from None
        yield


@contextmanager
def _timed(timings: dict[str, float], step: str, progress: Callable[[str], None]) -> Iterator[None]:
    progress(step)
    start = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - start


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(
    result: BuildResult, *, sources: Sequence[SourceFile], started: datetime
) -> dict[str, object]:
    return {
        "version": __version__,
        "built": started.isoformat(),
        "sources": [{"name": s.name, "sha256": s.sha256} for s in sources],
        "graphs": result.graph_sizes,
        "classes": result.class_counts,
        "grounding": result.grounding,
        "timings_seconds": {step: round(t, 3) for step, t in result.timings.items()},
    }
