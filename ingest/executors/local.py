"""The local executor: tasks in this process, in page order; validation in forked workers.

Parsing, grounding and mapping run here one document after another; each document's
validation goes to a worker process of `ingest/validation_pool.py` (up to `jobs` at once)
while the next document is mapped, so a build's time and memory grow linearly with its
documents.
"""

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from rdflib import Graph, URIRef

from ingest.build import Grounded, Page, grounding_finder, map_document, parse_and_ground
from ingest.executors import DocumentPart, ExecutorOptions
from ingest.journals import load_journals
from ingest.validate import Report
from ingest.validation_pool import ValidationPool
from ingest.vocabulary import load_grounding_lexicon


class LocalExecutor:
    """Run a build's tasks in this process and its validations in up to `jobs` workers."""

    name = "local"

    def __init__(self, options: ExecutorOptions, *, timings: dict[str, float]) -> None:
        self.jobs = options.jobs
        self.timings = timings
        self._pool: ValidationPool | None = None
        self._entities = Graph()

    def describe(self) -> dict[str, object]:
        """Name the executor and its validation workers."""
        workers = self._pool.jobs if self._pool is not None else self.jobs
        return {"name": self.name, "workers": workers}

    def ground(self, pages: Sequence[Page]) -> Iterator[Grounded]:
        """Parse and ground the pages here, one after another."""
        clock = time.perf_counter()
        finder = grounding_finder(load_grounding_lexicon())
        self.timings["ground"] += time.perf_counter() - clock
        for page in pages:
            done = parse_and_ground(page, finder)
            self.timings["parse"] += done.parse_seconds
            self.timings["ground"] += done.ground_seconds
            yield done.item

    def begin(self, *, shapes: Graph, hierarchy: Graph, entities: Graph) -> None:
        """Start the validation workers (forked: they inherit what they validate)."""
        self._pool = ValidationPool(shapes, hierarchy, self.jobs)
        self._entities = entities

    def validate(self, name: str, unit: Graph) -> None:
        """Hand `unit` to a validation worker; wait only while every worker is busy."""
        clock = time.perf_counter()
        self._started().submit(name, unit)
        self.timings["validate"] += time.perf_counter() - clock

    def documents(self, items: Sequence[Grounded], directory: Path) -> list[DocumentPart]:
        """Map and write each document here, in order; validate it in a worker meanwhile."""
        pool = self._started()
        # With fewer documents than workers, each document's shapes are shared out.
        split = max(1, pool.jobs // max(1, len(items)))
        journals = load_journals()
        lexicon = load_grounding_lexicon()
        persons: dict[URIRef, str] = {}
        done: list[DocumentPart] = []
        for index, item in enumerate(items):
            clock = time.perf_counter()
            mapped = map_document(
                item, journals=journals, persons=persons, lexicon=lexicon, entities=self._entities
            )
            path = directory / f"{index:06d}.nq"
            path.write_bytes(mapped.part)
            done.append(DocumentPart(mapped.graph, path, mapped.mentions))
            unit = mapped.unit
            del mapped
            self.timings["map"] += time.perf_counter() - clock
            clock = time.perf_counter()
            pool.submit(str(done[-1].graph), unit, split=split)
            del unit
            self.timings["validate"] += time.perf_counter() - clock
        return done

    def reports(self) -> dict[str, Report]:
        """Wait for the validation workers."""
        clock = time.perf_counter()
        reports = self._started().reports()
        self.timings["validate"] += time.perf_counter() - clock
        return reports

    def close(self) -> None:
        """Stop any validation worker still running."""
        if self._pool is not None:
            self._pool.close()

    def _started(self) -> ValidationPool:
        if self._pool is None:
            raise RuntimeError("begin() comes before validations")
        return self._pool
