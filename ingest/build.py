"""Run read -> ground -> map -> validate -> install, and install the result atomically.

The inputs are files of any format the readers read (`ingest/readers/`: publisher pages, JATS,
PubMed XML, CSL-JSON, RIS, BibTeX), each chosen by its content; a reference list comes with the
work that cites it (`citing`).

The output directory is laid out as `ingest/layout.py` describes: each build is a new release
under `releases/`, and `current` is switched to it atomically. A build that fails at any step
leaves `current` as it was. One build at a time runs into an output directory (it holds the
directory's lock throughout), and a release that a server holds a lease on is never removed.
The dumps and the store are made from one sorted N-Quads part per named graph.

The per-document work runs as tasks of an executor (`ingest/executors/`): per input, read and
ground (`parse_and_ground`); then this process keys the works the reviews cite, one node per
work (`ingest/identity.py`), and, once it has made what all documents share (the knowledge
graphs), per document, map, write its part and validate it (`map_document`). Wherever the tasks
run, the result is the same as running them one after another here.
"""

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.term import Node

from ingest import __version__, layout
from ingest.dumps import concatenate, nquads, union_ntriples, write_owl, write_part, write_turtle
from ingest.entities import Lexicon
from ingest.errors import BuildError, IngestError, ValidationError
from ingest.executors import Executor, ExecutorOptions, open_executor
from ingest.formindex import MemoryFormIndex
from ingest.ground import Finder, Passage, ground_review
from ingest.identity import completions, identify, keyed_review
from ingest.journals import Journal, load_journals
from ingest.mapping import (
    DatasetStats,
    SourceFile,
    add_build_time,
    add_examples,
    add_metadata,
    add_review,
    review_key,
)
from ingest.mapping_entities import (
    SourcedPassage,
    add_associations,
    add_curated_targets,
    add_entities,
    add_mentions,
    add_roles,
    add_study_types,
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
    graph_iri,
    paper_iri,
)
from ingest.queries import read_named_queries
from ingest.readers import Page, read_input, read_review
from ingest.records import Citation, Review
from ingest.report import reading_report, report_rows, report_tsv, summarize
from ingest.resources import DEFAULT_SOURCE, source_path
from ingest.searchindex import write_search_index
from ingest.store import graph_sizes, instance_counts, load_store
from ingest.validate import Report, class_hierarchy, load_ontology, load_shapes, validate_graph
from ingest.vocabulary import load_grounding_lexicon

# Old releases kept besides the new one (any release a server holds a lease on is kept too).
KEEP_RELEASES = 3
# The graphs that all reviews share, in the order they are written.
KNOWLEDGE_GRAPHS = (ENTITIES_GRAPH, ASSOCIATIONS_GRAPH, CURATED_GRAPH, EXAMPLES_GRAPH)
# A statement of a graph: subject, predicate, object.
Triple = tuple[Node, Node, Node]


@dataclass
class BuildResult:
    """What a build produced: where, how big, how long each step took."""

    release: Path
    graph_sizes: dict[str, int]
    class_counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)
    executor: dict[str, object] = field(default_factory=dict)
    grounding: dict[str, int] = field(default_factory=dict)
    # References read by kind, those read partly, and journals no catalogue holds.
    reading: dict[str, object] = field(default_factory=dict)


def default_pages() -> list[Path]:
    """Return the review page(s) the project ships."""
    return [source_path(DEFAULT_SOURCE)]


def parse_pages(pages: Sequence[Path], *, citing: Citation | None = None) -> list[Review]:
    """Read each input file, of any format; two files describing the same review are an error.

    The works the reviews cite are keyed as one node per work (ingest/identity.py).
    """
    reviews: list[Review] = []
    seen: dict[str, str] = {}
    for page in pages:
        review = read_review(read_input(page, citing=citing))
        _refuse_repeated(review, page.name, seen)
        reviews.append(review)
    keys = identify(reviews)
    completed = completions(reviews, keys)
    return [keyed_review(review, keys, completed) for review in reviews]


@dataclass(frozen=True)
class Grounded:
    """A parsed review with its grounded passages."""

    review: Review
    passages: tuple[SourcedPassage, ...]


# Seconds between two progress messages of a long grounding step.
PROGRESS_SECONDS = 5.0


def ground_reviews(
    reviews: Sequence[Review],
    *,
    lexicon: Lexicon,
    progress: Callable[[str], None] = lambda message: None,
    interval: float = PROGRESS_SECONDS,
) -> list[Grounded]:
    """Find the lexicon's entities in every title, abstract and figure title of the reviews.

    While grounding lasts, `progress` hears every `interval` seconds how far it got
    ("ground: 37/100 reviews, 5,120 texts"): a short build says nothing more.
    """
    finder = grounding_finder(lexicon)
    grounded: list[Grounded] = []
    texts = 0
    reported = time.monotonic()

    def grounded_one(passage: Passage) -> None:
        nonlocal texts, reported
        texts += 1
        if time.monotonic() - reported >= interval:
            progress(f"ground: {len(grounded)}/{len(reviews)} reviews, {texts:,} texts")
            reported = time.monotonic()

    for review in reviews:
        passages = ground_review(review, finder, on_passage=grounded_one)
        sourced = source_passages(passages, review_key=review_key(review))
        grounded.append(Grounded(review, tuple(sourced)))
    return grounded


def grounding_finder(lexicon: Lexicon) -> Finder:
    """Return the finder that grounds every review of a build (by the lexicon's index if any)."""
    return Finder(lexicon.index if lexicon.index is not None else MemoryFormIndex(lexicon.forms))


def ground(review: Review, finder: Finder) -> Grounded:
    """Find the entities in the review's title, abstract and figure titles and the cited titles."""
    passages = ground_review(review, finder)
    return Grounded(review, tuple(source_passages(passages, review_key=review_key(review))))


def read_pages(paths: Sequence[Path], *, citing: Citation | None = None) -> list[Page]:
    """Read the input files, each by the reader its content calls for (ingest/readers/).

    A file no reader reads, or a reference list without the `citing` work, is refused here in
    one line; what a file holds is read in its task (`parse_and_ground`).
    """
    return [read_input(path, citing=citing) for path in paths]


@dataclass(frozen=True)
class GroundedPage:
    """What the first task of a page returns: the grounded review, and its time per step."""

    item: Grounded
    parse_seconds: float
    ground_seconds: float


def parse_and_ground(page: Page, finder: Finder) -> GroundedPage:
    """Read an input into a Review and ground its texts: the first task of every input."""
    clock = time.perf_counter()
    review = read_review(page)
    parsed = time.perf_counter()
    item = ground(review, finder)
    return GroundedPage(item, parsed - clock, time.perf_counter() - parsed)


def knowledge_graphs(
    passages: Sequence[SourcedPassage], *, lexicon: Lexicon
) -> dict[URIRef, Graph]:
    """Map what all the reviews name together: entities, associations, curated targets, examples."""
    graphs = {name: Graph(identifier=name) for name in KNOWLEDGE_GRAPHS}
    add_entities(graphs[ENTITIES_GRAPH], passages, lexicon=lexicon)
    add_associations(graphs[ASSOCIATIONS_GRAPH], passages, lexicon=lexicon)
    mentioned = {m.entity for p in passages for m in p.passage.mentions}
    add_curated_targets(graphs[CURATED_GRAPH], mentioned=mentioned, lexicon=lexicon)
    add_examples(graphs[EXAMPLES_GRAPH], read_named_queries())
    return graphs


def document(
    item: Grounded, *, journals: Mapping[str, Journal], persons: dict[URIRef, str], lexicon: Lexicon
) -> Graph:
    """Map one review into its document graph: what the page states, and what its texts name."""
    graph = Graph(identifier=graph_iri(review_key(item.review)))
    add_review(graph, item.review, journals=journals, persons=persons)
    add_mentions(graph, item.passages, lexicon=lexicon)
    # A reference read partly has no title and no kind to classify.
    references = item.review.references
    citations = [item.review.citation, *(r.citation for r in references if r.partial is None)]
    add_study_types(graph, {paper_iri(c): c for c in citations}.items())
    add_roles(graph, item.passages, lexicon=lexicon)
    return graph


def add_entity_descriptions(graph: Graph, entities: Graph) -> Graph:
    """Add to a document graph the descriptions of the entities it mentions; return it.

    This makes the unit a document is validated in; the graph is extended in place (after it
    was written) because copying a document graph costs as much as mapping it.
    """
    for entity in set(graph.objects(None, MKG.mentions)):
        for triple in entities.triples((entity, None, None)):
            # Family membership points to entities this document may not name: it is checked
            # with the knowledge graphs, where every entity is present.
            if triple[1] != MKG.memberOf:
                graph.add(triple)
    return graph


@dataclass
class MappedDocument:
    """A document graph as its N-Quads part, with its mkg:mentions and its validation unit."""

    graph: URIRef
    part: bytes
    mentions: tuple[Triple, ...]
    unit: Graph


def map_document(
    item: Grounded,
    *,
    journals: Mapping[str, Journal],
    persons: dict[URIRef, str],
    lexicon: Lexicon,
    entities: Graph,
) -> MappedDocument:
    """Map a document, serialize it as a part, extend it into its unit: the second task.

    `persons` is what `add_review` keeps across the documents of a build, in page order;
    executors that map documents side by side reconcile it (`ingest.executors.persons`).
    """
    graph = document(item, journals=journals, persons=persons, lexicon=lexicon)
    mentions = tuple(graph.triples((None, MKG.mentions, None)))
    part = nquads(graph)
    name = URIRef(str(graph.identifier))
    return MappedDocument(name, part, mentions, add_entity_descriptions(graph, entities))


def _raise_failures(reports: Mapping[str, Report]) -> None:
    failed = {name: report for name, report in reports.items() if not report.conforms}
    if failed:
        text = "\n".join(f"{name}:\n{report.text()}" for name, report in failed.items())
        raise ValidationError(
            f"the graph does not conform to the shapes; nothing installed\n{text}"
        )


def build(
    pages: Sequence[Path] | None = None,
    *,
    out: Path,
    progress: Callable[[str], None] = lambda message: None,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    parts_url: str | None = None,
    citing: Citation | None = None,
) -> BuildResult:
    """Build the graph from `pages` (default: the shipped review) and install it under `out`.

    `pages` are files of any format the readers read (ingest/readers/), chosen by content, in
    any mix; `citing` is the work that cites the reference lists among them (CSL-JSON, RIS,
    BibTeX, or a PubMed set read as a list).

    With the local executor (the default), each document graph is mapped, validated with the
    entities it names and written out before the next is mapped, so memory holds one document
    at a time and validation grows linearly. Validation runs in up to `jobs` worker processes
    (default: one per CPU core) while the next document is mapped; the "validate" timing is the
    time the build waited for it. With `executor="dask"` the per-document work runs on a Dask
    cluster: a local one of `jobs` workers, or the one whose `scheduler` is given; document
    parts come back as data, or through `parts_url` (ingest/executors/dask.py).
    Another build running into `out` makes this one fail at once (layout.BuildLocked).
    """
    options = ExecutorOptions(executor, jobs=jobs, scheduler=scheduler, parts_url=parts_url)
    options.check()
    with layout.build_lock(out):
        _remove_leftovers(out, progress)
        return _build(pages, out=out, progress=progress, options=options, citing=citing)


def _remove_leftovers(out: Path, progress: Callable[[str], None]) -> None:
    """Remove what killed builds left in `out`: while this build holds the lock, no other runs."""
    found = layout.leftovers(out)
    if found:
        names = ", ".join(path.name for path in found)
        progress(f"removing {len(found)} folder(s) left by builds that were stopped ({names})")
        layout.remove_leftovers(out)


def _build(
    pages: Sequence[Path] | None,
    *,
    out: Path,
    progress: Callable[[str], None],
    options: ExecutorOptions,
    citing: Citation | None = None,
) -> BuildResult:
    pages = list(pages) if pages else default_pages()
    started = datetime.now(UTC).replace(microsecond=0)
    timings: dict[str, float] = {"parse": 0.0, "ground": 0.0, "map": 0.0, "validate": 0.0}
    staging: Path | None = None
    try:
        with open_executor(options, timings=timings, progress=progress) as executor:
            progress("parse and ground")
            grounded, sources = _parse_and_ground(pages, executor, timings, progress, citing=citing)
            clock = time.perf_counter()
            reviews = [item.review for item in grounded]
            reading = reading_report(reviews, journals=load_journals())
            timings["parse"] += time.perf_counter() - clock
            clock = time.perf_counter()
            lexicon = load_grounding_lexicon()
            passages = (p.passage for item in grounded for p in item.passages)
            rows = report_rows(passages, lexicon=lexicon)
            timings["ground"] += time.perf_counter() - clock
            staging = _staging(out)
            progress("map and validate")
            clock = time.perf_counter()
            shapes = load_shapes()
            timings["validate"] += time.perf_counter() - clock
            directory = staging / "parts"
            parts = _map_and_validate(grounded, lexicon, shapes, directory, timings, executor)
            described = executor.describe()
        with _timed(timings, "install", progress):
            result = _install(
                staging, parts, shapes, out=out, started=started, sources=sources, rows=rows,
                timings=timings, reading=reading, executor=described,
            )  # fmt: skip
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _parse_and_ground(
    pages: Sequence[Path],
    executor: Executor,
    timings: dict[str, float],
    progress: Callable[[str], None],
    interval: float = PROGRESS_SECONDS,
    *,
    citing: Citation | None = None,
) -> tuple[list[Grounded], list[SourceFile]]:
    """Parse and ground every page as tasks; two pages describing the same review are an error.

    The results are taken in page order, so the first page that fails is the one reported.
    While it lasts, `progress` hears every `interval` seconds how far it got. Then the works
    the reviews cite are keyed as one node per work, across reviews (ingest/identity.py).
    """
    clock = time.perf_counter()
    texts = read_pages(pages, citing=citing)
    sources = [SourceFile(page.name, _sha256(page)) for page in pages]
    timings["parse"] += time.perf_counter() - clock
    grounded: list[Grounded] = []
    seen: dict[str, str] = {}
    count = 0
    reported = time.monotonic()
    for page, item in zip(texts, executor.ground(texts), strict=True):
        _refuse_repeated(item.review, page.name, seen)
        grounded.append(item)
        count += len(item.passages)
        if time.monotonic() - reported >= interval:
            progress(f"ground: {len(grounded)}/{len(texts)} reviews, {count:,} texts")
            reported = time.monotonic()
    clock = time.perf_counter()
    grounded = identified(grounded)
    timings["parse"] += time.perf_counter() - clock
    return grounded, sources


def _refuse_repeated(review: Review, name: str, seen: dict[str, str]) -> None:
    """Refuse a second input of one review: the same key, or the same DOI.

    A reference list's citing work known by its DOI has another key than the review's own
    record, but it is the same review: its references would make a second node of it.
    """
    for key in (review_key(review), f"doi:{review.doi}" if review.doi else ""):
        if key in seen:
            raise IngestError(f"{name}: describes the same review as {seen[key]} ({key})")
    for key in (review_key(review), f"doi:{review.doi}" if review.doi else ""):
        if key:
            seen[key] = name


def identified(grounded: Sequence[Grounded]) -> list[Grounded]:
    """Return the grounded reviews with every cited work keyed as one node per work.

    The passages of a cited title move with their work: their source is the work's IRI.
    """
    reviews = [item.review for item in grounded]
    keys = identify(reviews)
    completed = completions(reviews, keys)
    if not keys and not completed:
        return list(grounded)
    result = []
    for item in grounded:
        review = keyed_review(item.review, keys, completed)
        passages = []
        for sourced in item.passages:
            citation = sourced.passage.citation
            if citation is not None and citation in keys:
                keyed = replace(citation, key=keys[citation])
                moved = replace(sourced.passage, citation=keyed)
                node = paper_iri(keyed)
                paper = node if sourced.paper is not None else None
                sourced = SourcedPassage(node, moved, paper)
            passages.append(sourced)
        result.append(Grounded(review, tuple(passages)))
    return result


def _staging(out: Path) -> Path:
    """Make the staging directory of a new release under `out` (the build holds its lock)."""
    releases = out / layout.RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    staging = releases / f"{layout.STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "parts").mkdir(parents=True)
    (staging / layout.LEASE).touch()
    return staging


def _map_and_validate(
    grounded: Sequence[Grounded],
    lexicon: Lexicon,
    shapes: Graph,
    directory: Path,
    timings: dict[str, float],
    executor: Executor,
) -> dict[URIRef, Path]:
    """Map, validate and write every graph as a part; return the parts by graph IRI.

    The documents are mapped, written and validated as tasks of the executor; the graphs all
    documents share are made here, before them, and validated with every document's mentions.
    """
    clock = time.perf_counter()
    ontology = load_ontology()
    ontology_graph = Graph(identifier=ONTOLOGY_GRAPH)
    ontology_graph += ontology
    passages = [p for item in grounded for p in item.passages]
    knowledge = knowledge_graphs(passages, lexicon=lexicon)
    timings["map"] += time.perf_counter() - clock
    # The executor counts the time of its tasks (or of waiting for them); this, the rest.
    clock = time.perf_counter()
    hierarchy = class_hierarchy(ontology)
    examples = Graph()
    examples += knowledge[EXAMPLES_GRAPH]
    timings["validate"] += time.perf_counter() - clock
    executor.begin(shapes=shapes, hierarchy=hierarchy, entities=knowledge[ENTITIES_GRAPH])
    executor.validate(str(EXAMPLES_GRAPH), examples)
    documents = executor.documents(grounded, directory)
    parts = {document.graph: document.path for document in documents}
    clock = time.perf_counter()
    unit = Graph()
    for name in (ENTITIES_GRAPH, ASSOCIATIONS_GRAPH, CURATED_GRAPH):
        unit += knowledge[name]
    for document in documents:
        unit += document.mentions
    del documents
    timings["validate"] += time.perf_counter() - clock
    executor.validate("knowledge", unit)
    del unit
    reports = executor.reports()
    _raise_failures(reports)
    for graph in (ontology_graph, *knowledge.values()):
        parts[URIRef(str(graph.identifier))] = _write(graph, directory, len(parts))
    return parts


def _write(graph: Graph, directory: Path, index: int) -> Path:
    path = directory / f"{index:06d}.nq"
    write_part(graph, path)
    return path


def _install(
    staging: Path,
    parts: dict[URIRef, Path],
    shapes: Graph,
    *,
    out: Path,
    started: datetime,
    sources: Sequence[SourceFile],
    rows: Sequence[tuple[str, ...]],
    timings: dict[str, float],
    reading: dict[str, object],
    executor: dict[str, object],
) -> BuildResult:
    """Load the store, describe it, write the dumps, then switch `out/current` to the release.

    The store's bulk loader runs in a thread (it leaves the interpreter lock) while this one
    streams the dumps; the counts for the VoID description come from the deduplicated union
    written for the dumps, not from queries over the loaded store.
    """
    content = [parts[name] for name in sorted(parts, key=str)]
    loader = _StoreLoader(staging / layout.STORE, content)
    loader.start()
    try:
        counts = union_ntriples(content, staging / "content.nt")
        stats = DatasetStats(
            graph_triples={str(name): _lines(path) for name, path in parts.items()},
            triples=counts.triples,
            distinct_subjects=counts.subjects,
            properties=len(counts.properties),
            classes=counts.classes,
        )
        metadata = Graph(identifier=METADATA_GRAPH)
        activity = add_metadata(metadata, stats=stats, sources=sources, version=__version__)
        report = validate_graph(metadata, shapes=shapes)
        if not report.conforms:
            raise ValidationError(f"the build metadata does not conform:\n{report.text()}")
        parts[METADATA_GRAPH] = _write(metadata, staging / "parts", len(parts))
        described = staging / "metadata.nt"
        union_ntriples([parts[METADATA_GRAPH]], described)
        union_ntriples([staging / "content.nt", described], staging / "union.nt")
        write_turtle(staging / "union.nt", staging / layout.TURTLE)
        write_owl(staging / "content.nt", staging / layout.OWL)
        ordered = [parts[name] for name in sorted(parts, key=str)]
        digest = concatenate(ordered, staging / layout.NQUADS)
    except BaseException:
        loader.join()
        loader.store = None
        raise
    store = loader.result()
    run = Graph(identifier=BUILD_RUN_GRAPH)
    add_build_time(
        run, activity=activity, started=started, ended=datetime.now(UTC).replace(microsecond=0)
    )
    run_part = _write(run, staging / "parts", len(parts) + 1)
    for part in (parts[METADATA_GRAPH], run_part):
        store.bulk_load(path=str(part), format=pyoxigraph.RdfFormat.N_QUADS)
    result = BuildResult(
        release=out,
        graph_sizes=graph_sizes(store),
        class_counts=instance_counts(store),
        timings=timings,
        executor=executor,
        grounding=summarize(rows),
        reading=reading,
    )
    store.flush()
    store.optimize()
    # The server's search reads this index, never the store (server/search.py).
    write_search_index(store, staging / layout.SEARCH)
    del store
    for scratch in ("content.nt", "metadata.nt", "union.nt"):
        (staging / scratch).unlink()
    shutil.rmtree(staging / "parts")
    manifest = _manifest(result, sources=sources, started=started)
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    (staging / layout.MANIFEST).write_text(text, encoding="utf-8")
    (staging / layout.GROUNDING).write_text(report_tsv(rows), encoding="utf-8")
    result.release = _release(staging, out=out, name=layout.release_name(started, digest))
    return result


class _StoreLoader(threading.Thread):
    """Bulk-load the parts into a new store in the background; `result()` waits for it."""

    def __init__(self, path: Path, parts: Sequence[Path]) -> None:
        super().__init__(name="store loader", daemon=True)
        self.path, self.parts = path, parts
        self.store: pyoxigraph.Store | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.store = load_store(self.path, self.parts)
        except BaseException as error:  # handed to the build thread by result()
            self.error = error

    def result(self) -> pyoxigraph.Store:
        self.join()
        if self.error is not None:
            raise BuildError(f"loading the store failed: {self.error}") from self.error
        # Hand the store over: it must close (and free its lock) when the build drops it.
        store, self.store = self.store, None
        assert store is not None
        return store


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def _release(staging: Path, *, out: Path, name: str) -> Path:
    """Rename the staging directory into a new release and point `out/current` at it atomically.

    The caller holds the build lock of `out`. An existing release is never replaced.
    """
    release = out / layout.RELEASES / name
    if release.exists() or release.is_symlink():
        raise BuildError(f"{release} exists already; build again (release names are unique)")
    staging.rename(release)
    _switch(out / layout.CURRENT, Path(layout.RELEASES) / name)
    _prune(out, keep=release)
    return release


def _switch(link: Path, target: Path) -> None:
    temporary = link.with_name(f"{layout.LINK_PREFIX}{os.getpid()}")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target)
    if link.exists() and not link.is_symlink():
        raise BuildError(f"{link} exists and is not a symlink; move it away and build again")
    os.replace(temporary, link)


def _prune(out: Path, *, keep: Path) -> list[Path]:
    """Remove releases older than the newest few, except `keep` and any a server holds a lease on.

    Return the releases removed.
    """
    removed = []
    for old in layout.release_directories(out)[KEEP_RELEASES:]:
        if old != keep and layout.remove_release(old):
            removed.append(old)
    return removed


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
        "executor": result.executor,
        "sources": [{"name": s.name, "sha256": s.sha256} for s in sources],
        "graphs": result.graph_sizes,
        "classes": result.class_counts,
        "grounding": result.grounding,
        **result.reading,
        "timings_seconds": {step: round(t, 3) for step, t in result.timings.items()},
    }
