"""Where the per-document work of a build runs: this machine's processes, or a Dask cluster.

A build (`ingest/build.py`) runs two phases of per-document tasks, with the build process
combining their results in between:

1. per input, `parse_and_ground`: the file (read by the build process as a `Page`: its text or
   bytes, the reader its content calls for, the citing work of a reference list) is read into a
   Review by its reader (`ingest/readers/`) and its texts grounded;
2. the build process, in input order, refuses two inputs of one review, keys the works the
   reviews cite as one node per work (`ingest/identity.py`), makes what needs all documents
   (the knowledge graphs, the grounding report) and hands the executor the inputs every
   document shares (shapes, class hierarchy, entities graph) once;
3. per document, `map_document`: the document is mapped, its sorted N-Quads part written, and
   it is validated with the entities it names;
4. the build process validates the knowledge graphs with every document's mentions (a task
   too), then installs: the VoID counts and dumps need every part.

An executor decides where and when the tasks run, never what they compute: the result is the
one of running them one after another in this process. Documents share one thing while they
are mapped, the printed names of persons (`add_review`'s `persons`); an executor that maps
them side by side reconciles it (`ingest.executors.persons`).

- `local` (`ingest/executors/local.py`, the default): tasks run in this process, in page order,
  and each document's validation in a forked worker process (`ingest/validation_pool.py`) while
  the next document is mapped.
- `dask` (`ingest/executors/dask.py`): tasks run on a Dask cluster, a local one or an existing
  one given by its scheduler's address.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node

from ingest.errors import BuildError

if TYPE_CHECKING:
    from ingest.build import Grounded, Page
    from ingest.validate import Report

EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class ExecutorOptions:
    """Which executor a build runs on, and how it is set up."""

    name: str = "local"
    # Worker processes: the local executor's validation workers, or the workers of a Dask
    # cluster the build starts itself (default: one per CPU core).
    jobs: int | None = None
    # The address of an existing Dask scheduler (tcp://host:port) or its scheduler file.
    scheduler: str | None = None
    # Where Dask workers write the document parts (an fsspec URL); default: sent back as data.
    parts_url: str | None = None

    def check(self) -> None:
        """Refuse options that do not go together, with a one-line error."""
        if self.name not in EXECUTORS:
            choices = ", ".join(EXECUTORS)
            raise BuildError(f"unknown executor {self.name!r}; choose one of {choices}")
        if self.name != "dask" and self.scheduler is not None:
            raise BuildError("a scheduler address needs the dask executor (--executor dask)")
        if self.name != "dask" and self.parts_url is not None:
            raise BuildError("a parts URL needs the dask executor (--executor dask)")


@dataclass(frozen=True)
class DocumentPart:
    """A document mapped and written: its graph, its part in the staging directory, its mentions."""

    graph: URIRef
    path: Path
    mentions: tuple[tuple[Node, Node, Node], ...]


class Executor(Protocol):
    """Runs the per-document tasks of one build (see the module's docstring for the phases)."""

    name: str

    def describe(self) -> dict[str, object]:
        """Return what the manifest records of the executor (its name and workers)."""
        ...

    def ground(self, pages: Sequence["Page"]) -> Iterator["Grounded"]:
        """Parse and ground each page; yield the results in page order.

        A page that fails raises its error when its turn comes, so the first failing page in
        order is reported, as when the pages are parsed one after another.
        """
        ...

    def begin(self, *, shapes: Graph, hierarchy: Graph, entities: Graph) -> None:
        """Take the inputs every validation and every document shares (shipped once)."""
        ...

    def validate(self, name: str, unit: Graph) -> None:
        """Validate `unit` (with the class hierarchy) under `name`; see `reports`."""
        ...

    def documents(self, items: Sequence["Grounded"], directory: Path) -> list[DocumentPart]:
        """Map, write (into `directory`) and validate every document; return them in order.

        The parts are those of mapping the documents one after another in order, with one
        `persons` dict; each document's validation report is under its graph's IRI.
        """
        ...

    def reports(self) -> dict[str, "Report"]:
        """Wait for every validation; return one Report per name."""
        ...

    def close(self) -> None:
        """Stop whatever still runs and release the workers."""
        ...


@contextmanager
def open_executor(
    options: ExecutorOptions,
    *,
    timings: dict[str, float],
    progress: Callable[[str], None] = lambda message: None,
) -> Iterator[Executor]:
    """Start the executor `options` name for one build; close it when the block ends.

    The executor adds the seconds of its tasks to `timings` ("parse", "ground", "map",
    "validate"): on this machine the build's own time per step, on a cluster the sum over the
    tasks, which may exceed the wall time.
    """
    options.check()
    executor: Executor
    if options.name == "dask":
        try:
            from ingest.executors.dask import DaskExecutor
        except ImportError as error:
            raise BuildError(
                f"the dask executor needs Dask ({error}): pip install 'mkg[dask]'"
            ) from None
        executor = DaskExecutor(options, timings=timings, progress=progress)
    else:
        from ingest.executors.local import LocalExecutor

        executor = LocalExecutor(options, timings=timings)
    try:
        yield executor
    finally:
        executor.close()
