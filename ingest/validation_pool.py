"""Validate several graphs at once, each in a forked worker process, one per CPU core.

pySHACL is pure Python and holds the interpreter lock, so threads would not help. A forked
worker inherits the graph it validates from the parent's memory (nothing is pickled on the
way in) and sends back only the small Report. The parent goes on mapping the next document
while workers validate, and blocks only when every worker is busy.
"""

import gc
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType

from rdflib import Graph, URIRef

from ingest.errors import ValidationError
from ingest.validate import Report, merge_reports, shape_groups, validate_graph


def default_jobs() -> int:
    """Return the number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class ValidationPool:
    """Run validations in up to `jobs` worker processes; collect one Report per name.

    With one job, or where processes cannot be forked, every validation runs in this process,
    in the order submitted. Either way the reports are the same.
    """

    def __init__(self, shapes: Graph, hierarchy: Graph, jobs: int | None = None) -> None:
        self.shapes = shapes
        self.hierarchy = hierarchy
        self.jobs = max(1, jobs if jobs is not None else default_jobs())
        self._parts: dict[str, list[Report]] = defaultdict(list)
        self._running: dict[Connection, tuple[str, BaseProcess]] = {}
        self._context = multiprocessing.get_context("fork") if _can_fork() else None

    def __enter__(self) -> "ValidationPool":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def submit(self, name: str, unit: Graph, *, split: int = 1) -> None:
        """Validate `unit` (this pool adds the class hierarchy to it) under `name`.

        With `split` > 1 the shapes are divided into that many groups validated side by side:
        worth it when there are fewer graphs than cores.
        """
        unit += self.hierarchy
        groups: Sequence[list[URIRef] | None] = [None]
        if split > 1 and self._parallel:
            groups = shape_groups(self.shapes, unit, split)
        for group in groups:
            self._start(name, unit, group)

    @property
    def _parallel(self) -> bool:
        return self.jobs > 1 and self._context is not None

    def _start(self, name: str, unit: Graph, group: list[URIRef] | None) -> None:
        if not self._parallel or self._context is None:
            self._parts[name].append(validate_graph(unit, shapes=self.shapes, use_shapes=group))
            return
        while len(self._running) >= self.jobs:
            self._collect(block=True)
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_work, args=(sender, unit, self.shapes, group), name=f"validate {name}"
        )
        process.start()
        sender.close()
        self._running[receiver] = (name, process)

    def _collect(self, *, block: bool) -> None:
        ready = wait(list(self._running), timeout=None if block else 0)
        for receiver in ready:
            assert isinstance(receiver, Connection)
            name, process = self._running.pop(receiver)
            try:
                outcome, value = receiver.recv()
            except EOFError:
                process.join()
                raise ValidationError(
                    f"validating {name}: the worker process stopped without a report "
                    f"(exit code {process.exitcode})"
                ) from None
            finally:
                receiver.close()
            process.join()
            if outcome != "report":
                raise ValidationError(f"validating {name}: {value}")
            self._parts[name].append(value)

    def reports(self) -> dict[str, Report]:
        """Wait for every validation; return one Report per submitted name."""
        while self._running:
            self._collect(block=True)
        return {name: merge_reports(parts) for name, parts in self._parts.items()}

    def close(self) -> None:
        """Stop any worker still running (after an error elsewhere in the build)."""
        for receiver, (_, process) in list(self._running.items()):
            process.terminate()
            process.join()
            receiver.close()
        self._running.clear()


def _work(sender: Connection, unit: Graph, shapes: Graph, group: list[URIRef] | None) -> None:
    # A worker validates one graph and exits: the inherited heap is never freed here, and the
    # cycles pySHACL leaves behind cost a few MiB at most, so the collector only costs time.
    gc.freeze()
    gc.disable()
    try:
        sender.send(("report", validate_graph(unit, shapes=shapes, use_shapes=group)))
    except Exception as error:  # reported to the parent, which raises it with the graph's name
        sender.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        sender.close()
