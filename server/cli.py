"""The `mkg` command: build, validate, query and serve the metastasis knowledge graph."""

import difflib
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ingest import layout
from ingest.errors import IngestError
from server import DEFAULTS
from server.parameters import (
    ParameterError,
    apply_parameters,
    check_names,
    graph_labels,
    name_parameters,
)
from server.store import BuildNotFound, compact

F = TypeVar("F", bound="Callable[..., Any]")

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rdflib import Graph

    from server.engine import Solutions

_FORMATS = ("json", "csv", "tsv", "xml")


@click.group()
@click.version_option(package_name="mkg")
def main() -> None:
    """The metastasis knowledge graph: build it, check it, query it, serve it."""


@main.command()
@click.argument("pages", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--citing-doi",
    default=None,
    metavar="DOI",
    help="The DOI of the work that cites the reference lists given (CSL-JSON, RIS, BibTeX, "
    "or a PubMed set read as a list).",
)
@click.option(
    "--citing",
    "citing_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="A file holding the record of the work that cites the reference lists given "
    "(one CSL-JSON item, RIS record, BibTeX entry, PubMed article or JATS article, with a DOI).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    envvar="MKG_BUILD_DIR",
    help="Directory to install the build into (its 'current' link is switched atomically).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also print every mention with its grounding and every candidate left unmapped.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    envvar="MKG_BUILD_JOBS",
    help="Worker processes that validate graphs side by side, or the workers of the local Dask "
    "cluster of --executor dask [default: one per CPU core].",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default=None,
    envvar="MKG_BUILD_EXECUTOR",
    help="Where the per-document work runs: this machine's processes, or a Dask cluster "
    "(a local one, or the --scheduler's) [default: local; dask with --scheduler].",
)
@click.option(
    "--scheduler",
    default=None,
    envvar="MKG_DASK_SCHEDULER",
    metavar="tcp://HOST:PORT",
    help="Run on the existing Dask cluster of this scheduler (its address or scheduler file).",
)
@click.option(
    "--parts-url",
    default=None,
    envvar="MKG_PARTS_URL",
    metavar="URL",
    help="With Dask: workers write document parts under this fsspec URL, which the build "
    "also reads (file:///shared/dir, s3://bucket/dir) [default: sent back as data].",
)
def build(
    pages: tuple[Path, ...],
    citing_doi: str | None,
    citing_file: Path | None,
    out: Path,
    explain: bool,
    jobs: int | None,
    executor: str | None,
    scheduler: str | None,
    parts_url: str | None,
) -> None:
    """Read, ground, map, validate and install the graph (default: the shipped review page).

    PAGES are files of any mix of formats, each read by what it holds: publisher pages, JATS
    articles, PubMed XML sets, and reference lists (CSL-JSON, RIS, BibTeX) with --citing-doi
    or --citing naming the work that cites them.
    """
    from ingest.build import build as run_build
    from ingest.readers import citing_doi as doi_citation
    from ingest.readers import read_citing
    from ingest.report import reading_lines

    if executor is None:
        executor = "dask" if scheduler is not None else "local"
    if citing_doi is not None and citing_file is not None:
        raise click.UsageError("give the citing work once: --citing-doi or --citing")
    try:
        citing = None
        if citing_doi is not None:
            try:
                citing = doi_citation(citing_doi)
            except ValueError as error:
                raise click.BadParameter(str(error), param_hint="--citing-doi") from None
        elif citing_file is not None:
            citing = read_citing(citing_file)
        result = run_build(
            list(pages),
            out=out,
            progress=lambda step: click.echo(f"{step} ...", err=True),
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            parts_url=parts_url,
            citing=citing,
        )
    except IngestError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"installed {result.release}")
    click.echo("graphs (triples):")
    for name, size in result.graph_sizes.items():
        click.echo(f"  {size:>7}  {name}")
    click.echo("instances per class:")
    for name, count in result.class_counts.items():
        click.echo(f"  {count:>7}  {name}")
    click.echo("grounding:")
    for name, count in result.grounding.items():
        click.echo(f"  {count:>7}  {name}")
    click.echo(f"  (every mention and unmapped candidate: {result.release / layout.GROUNDING})")
    for line in reading_lines(result.reading):
        click.echo(line)
    if explain:
        click.echo((result.release / layout.GROUNDING).read_text(encoding="utf-8"), nl=False)
    click.echo("time per step: " + ", ".join(f"{s} {t:.2f} s" for s, t in result.timings.items()))


@main.command()
@click.argument("graph", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A SHACL shapes file (default: the shipped shapes).",
)
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    envvar="MKG_BUILD_DIR",
    help="Build whose dump is validated when no GRAPH is given.",
)
def validate(graph: Path | None, shapes: Path | None, build_dir: Path) -> None:
    """Validate an RDF file (default: the installed build) against the shapes; exit 0/1/2."""
    from ingest.validate import class_hierarchy, load_ontology, load_shapes, validate_graph

    path = graph or (build_dir / layout.CURRENT / layout.NQUADS)
    if not path.exists():
        click.echo(f"Error: {path} does not exist; run 'mkg build' or name a file", err=True)
        sys.exit(2)
    try:
        data = _read_graph(path)
        report = validate_graph(
            data, shapes=load_shapes(shapes), ontology=class_hierarchy(load_ontology())
        )
    except (SyntaxError, ValueError, OSError) as error:
        click.echo(f"Error: cannot validate {path}: {error}", err=True)
        sys.exit(2)
    click.echo(report.text(limit=1000))
    sys.exit(0 if report.conforms else 1)


def _read_graph(path: Path) -> "Graph":
    """Read any RDF file into one graph (the union of its named graphs)."""
    from rdflib import Graph

    from server.engine import terms

    triples = (quad.triple for quad in terms.parse_file(path))
    text = terms.serialize(triples, "ntriples").decode("utf-8")
    return Graph().parse(data=text, format="nt")


@main.command()
@click.argument("query")
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    envvar="MKG_BUILD_DIR",
    help="The build to query.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", *_FORMATS]),
    default="table",
    show_default=True,
    help="Output format of SELECT/ASK results.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Replace the default of a named query's parameter (its VALUES block), e.g. site=lung.",
)
@click.option(
    "--engine",
    "engine_url",
    default=None,
    metavar="URL",
    help="Query the build loaded into the SPARQL engine at URL ('mkg load') instead.",
)
@click.option(
    "--load",
    "load_name",
    default=DEFAULTS["ENGINE_LOAD"],
    show_default=True,
    help="With --engine: the name of the load to query.",
)
def query(
    query: str,
    build_dir: Path,
    output: str,
    params: tuple[str, ...],
    engine_url: str | None,
    load_name: str,
) -> None:
    """Run a SPARQL query (text or a .rq file) against the build and print the result."""
    from server import syntaxhelp
    from server.engine import (
        QueryError,
        QuerySyntaxError,
        RemoteFailure,
        Solutions,
        open_engine,
        terms,
    )
    from server.engine.results import write_rows

    text = _query_text(query)
    try:
        values = dict(_split_param(p) for p in params)
        text = apply_parameters(text, values)
    except ParameterError as error:
        raise click.ClickException(str(error)) from None
    from server.engine.remote import EngineNotReady

    config = {**DEFAULTS, "BUILD_DIR": str(build_dir), "QUERY_PROCESSES": 0}
    if engine_url:
        config.update(ENGINE=engine_url, ENGINE_LOAD=load_name, QUERY_TIMEOUT=3600.0)
    try:
        engine = open_engine(config)
    except (BuildNotFound, EngineNotReady) as error:
        raise click.ClickException(str(error)) from None
    try:
        if name_parameters(text, values):
            check_names(text, values, graph_labels(engine))
        answer = engine.query(text)
    except ParameterError as error:
        raise click.ClickException(str(error)) from None
    except QuerySyntaxError as error:
        raise click.ClickException(syntaxhelp.explain(text, str(error)).text()) from None
    except RemoteFailure as error:
        raise click.ClickException(str(error)) from None
    except QueryError as error:
        raise click.ClickException(f"the query failed: {error}") from None
    finally:
        engine.close()
    if isinstance(answer, bool):
        printed = "true\n" if answer else "false\n"
    elif not isinstance(answer, Solutions):
        printed = terms.serialize(answer, "turtle").decode("utf-8")
    elif output != "table":
        out = io.BytesIO()
        write_rows(answer.variables, answer, out, fmt=output, max_rows=sys.maxsize)
        printed = out.getvalue().decode("utf-8")
    else:
        printed = _table(answer) + "\n"
    click.echo(printed, nl=False)


def _query_text(query: str) -> str:
    """Return the query itself, or the text of the .rq file it names."""
    if not query.endswith(".rq"):
        return query
    path = Path(query)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = sorted(p.name for p in path.parent.glob("*.rq")) if path.parent.is_dir() else []
        message = f"no query file {query}"
        near = difflib.get_close_matches(path.name, known, n=1, cutoff=0.5)
        if near:
            message += f"; did you mean {path.parent / near[0]}?"
        elif known:
            message += f"; the .rq files in {path.parent}/ are {', '.join(known)}"
        raise click.ClickException(message) from None
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {query}: {error}") from None


_CELL_WIDTH = 60


def _cell(term: object) -> str:
    text = compact(term).replace("\n", " ")
    return text if len(text) <= _CELL_WIDTH else text[: _CELL_WIDTH - 3] + "..."


def _split_param(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise ParameterError(f"--param takes NAME=VALUE, not {text!r}")
    return name, value


def _table(results: "Solutions") -> str:
    names = results.variables
    rows = [[_cell(solution[name]) for name in names] for solution in results]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = ["  ".join(name.ljust(w) for name, w in zip(names, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(line.rstrip() for line in lines)


def _source_options(*, build: str, data: str, data_graph: str) -> "Callable[[F], F]":
    """The options naming what `mkg load` and `mkg serve` take: a build, or RDF files."""

    def decorate(function: F) -> F:
        options = [
            click.option(
                "--build",
                "--build-dir",
                "build_dir",
                type=click.Path(path_type=Path),
                default=Path("build"),
                show_default=True,
                envvar="MKG_BUILD_DIR",
                help=build,
            ),
            click.option(
                "--data",
                "data_files",
                multiple=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help=data,
            ),
            click.option(
                "--data-graph",
                "data_graphs",
                multiple=True,
                nargs=2,
                type=(str, click.Path(exists=True, dir_okay=False, path_type=Path)),
                metavar="IRI FILE",
                help=data_graph,
            ),
        ]
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


@main.command()
@click.option(
    "--engine",
    "engine_url",
    required=True,
    envvar="MKG_ENGINE",
    show_envvar=True,
    metavar="URL",
    help="The SPARQL query endpoint of the engine to load.",
)
@_source_options(
    build="The build to load (its 'current' release).",
    data="Load this quads file (.nq .trig) instead of a build (repeatable).",
    data_graph="Load the triples of FILE as the named graph IRI (repeatable).",
)
@click.option(
    "--name",
    "load_name",
    default=DEFAULTS["ENGINE_LOAD"],
    show_default=True,
    help="Name of the load in the engine: an engine can hold several side by side "
    "(mkg serve --load NAME); loading a name again replaces it.",
)
@click.option(
    "--store",
    "store_url",
    default=None,
    metavar="URL",
    help="The engine's Graph Store Protocol endpoint [default: Oxigraph server's /store, "
    "Fuseki's /data, beside the query endpoint]. MKG_STORE_USER and MKG_STORE_PASSWORD, if "
    "set, are sent as HTTP basic authentication.",
)
@click.option(
    "--virtuoso",
    "virtuoso_sql",
    default=None,
    metavar="HOST:PORT",
    help="Load with Virtuoso's bulk loader through its SQL port (isql-vt, as dba, the password "
    "in MKG_VIRTUOSO_PASSWORD); the files are written to --virtuoso-dir.",
)
@click.option(
    "--virtuoso-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --virtuoso: a directory Virtuoso may read (its DirsAllowed) on a file system it "
    "shares with this machine.",
)
@click.option(
    "--loaders",
    type=click.IntRange(1),
    default=None,
    help="With --virtuoso: loaders run side by side [default: one per CPU core].",
)
def load(
    engine_url: str,
    build_dir: Path,
    data_files: tuple[Path, ...],
    data_graphs: tuple[tuple[str, Path], ...],
    load_name: str,
    store_url: str | None,
    virtuoso_sql: str | None,
    virtuoso_dir: Path | None,
    loaders: int | None,
) -> None:
    """Put a build (or RDF files) into a SPARQL engine, and record what was loaded."""
    import os
    import tempfile

    from server.engine.loading import LoadError, load_into
    from server.engine.virtuoso import VirtuosoError

    files = [(path, None) for path in data_files] + [(path, iri) for iri, path in data_graphs]
    if virtuoso_sql and virtuoso_dir is None:
        raise click.UsageError("--virtuoso needs --virtuoso-dir, a directory Virtuoso may read")
    password = os.environ.get("MKG_VIRTUOSO_PASSWORD")
    if virtuoso_sql and not password:
        raise click.UsageError("--virtuoso needs the dba password in MKG_VIRTUOSO_PASSWORD")
    user = os.environ.get("MKG_STORE_USER")
    auth = (user, os.environ.get("MKG_STORE_PASSWORD", "")) if user else None
    try:
        with tempfile.TemporaryDirectory(prefix="mkg-load-", dir=virtuoso_dir) as work:
            done = load_into(
                engine_url,
                build_dir=None if files else build_dir,
                files=files,
                name=load_name,
                work=Path(work),
                store=store_url,
                auth=auth,
                virtuoso=(virtuoso_sql, password) if virtuoso_sql and password else None,
                loaders=loaders,
                progress=lambda step: click.echo(f"{step} ...", err=True),
            )
    except (LoadError, VirtuosoError, BuildNotFound) as error:
        raise click.ClickException(str(error)) from None
    record = done.record
    click.echo(
        f"loaded {record.title} as {record.name!r} into {engine_url}: {len(record.graphs)} "
        f"graphs, {record.triples:,} triples, {done.seconds:.1f} s ({done.loader})"
    )


@main.command()
@_source_options(
    build="The build to serve (its 'current' release, opened read-only).",
    data="Serve this RDF file instead of a build (.nq .trig .ttl .nt .rdf; repeatable).",
    data_graph="Serve the triples of FILE as the named graph IRI (repeatable).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="MKG_HOST",
    help="Address to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    envvar="MKG_PORT",
    type=int,
    help="Port to listen on.",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    envvar="MKG_WORKERS",
    type=click.IntRange(1),
    help="Worker processes.",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    envvar="MKG_THREADS",
    type=click.IntRange(1),
    help="Requests each worker serves at once (each with its own query process).",
)
@click.option(
    "--timeout",
    default=DEFAULTS["QUERY_TIMEOUT"],
    show_default=True,
    envvar="MKG_QUERY_TIMEOUT",
    show_envvar=True,
    type=click.FloatRange(min=0.1),
    help="Time limit of one query, in seconds (MKG_TIMEOUT, the old name, still works).",
)
@click.option(
    "--max-rows",
    default=DEFAULTS["MAX_ROWS"],
    show_default=True,
    envvar="MKG_MAX_ROWS",
    show_envvar=True,
    type=click.IntRange(1),
    help="Most rows (or triples) one result may have.",
)
@click.option(
    "--max-query-size",
    default=DEFAULTS["MAX_QUERY_SIZE"],
    show_default=True,
    envvar="MKG_MAX_QUERY_SIZE",
    show_envvar=True,
    type=click.IntRange(1),
    help="Longest accepted query, in bytes.",
)
@click.option(
    "--query-memory",
    default=None,
    envvar="MKG_QUERY_MEMORY_MB",
    show_envvar=True,
    type=click.IntRange(0),
    help="Address-space limit of each query process, in MiB (0: none) [default: 60% of the "
    "machine's memory (physical, or the cgroup's limit when lower) shared by the workers x "
    "threads query processes; below 768 MiB each, mkg serve refuses to start].",
)
@click.option(
    "--request-timeout",
    default=DEFAULTS["REQUEST_TIMEOUT"],
    show_default=True,
    envvar="MKG_REQUEST_TIMEOUT",
    show_envvar=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a client has to send a request's headers, and again its body; then the "
    "connection is closed (a late body gets 408). Slow clients never hold a request thread.",
)
@click.option(
    "--allow-service",
    "allowed_services",
    multiple=True,
    envvar="MKG_SERVICE_ALLOWLIST",
    help="A SPARQL endpoint that SERVICE may call (repeatable; default: none).",
)
@click.option(
    "--base",
    "base_iri",
    default=None,
    envvar="MKG_BASE_IRI",
    help="Base IRI of the things this server describes (default: the mkg base).",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log every request to stderr.",
)
@click.option(
    "--engine",
    "engine_name",
    default=DEFAULTS["ENGINE"],
    envvar="MKG_ENGINE",
    show_envvar=True,
    metavar="virtuoso|URL",
    help="Answer from another engine instead of the build's own store: 'virtuoso' runs and "
    "loads mkg's own Virtuoso (in BUILD/virtuoso/, every port on 127.0.0.1); a URL fronts the "
    "SPARQL endpoint of an engine loaded with 'mkg load' [default: the build's store].",
)
@click.option(
    "--load",
    "load_name",
    default=DEFAULTS["ENGINE_LOAD"],
    show_default=True,
    envvar="MKG_ENGINE_LOAD",
    show_envvar=True,
    help="With --engine URL: the name of the load to serve ('mkg load --name').",
)
def serve(
    build_dir: Path,
    data_files: tuple[Path, ...],
    data_graphs: tuple[tuple[str, Path], ...],
    host: str,
    port: int,
    workers: int,
    threads: int,
    timeout: float,
    max_rows: int,
    max_query_size: int,
    query_memory: int | None,
    request_timeout: float,
    allowed_services: tuple[str, ...],
    base_iri: str | None,
    access_log: bool,
    engine_name: str | None,
    load_name: str,
) -> None:
    """Serve the graph read-only: SPARQL endpoint, linked-data pages, dumps (until SIGTERM)."""
    import os
    import tempfile

    from server import deprecated_settings
    from server.engine.oxigraph import (
        DataFileError,
        check_build,
        describe_files,
        in_fresh_process,
        load_files,
    )
    from server.serving import MemoryTooSmall, machine_memory, plan_query_memory
    from server.serving import serve as run_server

    old, warnings = deprecated_settings(os.environ)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    source_of = click.get_current_context().get_parameter_source
    if "QUERY_TIMEOUT" in old and source_of("timeout") is click.core.ParameterSource.DEFAULT:
        try:
            timeout = float(old["QUERY_TIMEOUT"])
        except ValueError:
            raise click.BadParameter(old["QUERY_TIMEOUT"], param_hint="MKG_TIMEOUT") from None
    files = [(path, None) for path in data_files] + [(path, iri) for iri, path in data_graphs]
    total, source = machine_memory()
    try:
        # An engine of its own needs no query processes of mkg's.
        memory = plan_query_memory(
            processes=workers * threads,
            requested_mb=0 if engine_name else query_memory,
            memory=total,
            source=source,
        )
    except MemoryTooSmall as error:
        raise click.ClickException(str(error)) from None
    config = {
        "QUERY_TIMEOUT": timeout,
        "MAX_ROWS": max_rows,
        "MAX_QUERY_SIZE": max_query_size,
        "QUERY_MEMORY_MB": memory.per_process_mb,
        "REQUEST_TIMEOUT": request_timeout,
        "QUERY_PROCESSES": threads,
        "SERVICE_ALLOWLIST": [iri for value in allowed_services for iri in value.split()],
        "BASE_IRI": base_iri or DEFAULTS["BASE_IRI"],
        "BUILD_DIR": str(build_dir),
        "ENGINE_LOAD": load_name,
    }

    def start(app_config: dict[str, object]) -> None:
        run_server(
            app_config,
            host=host,
            port=port,
            workers=workers,
            threads=threads,
            access_log=access_log,
        )

    if engine_name:
        _serve_engine(engine_name, config, files, start, f"http://{host}:{port}/sparql")
        return
    if not files:
        try:
            in_fresh_process(check_build, build_dir)
        except BuildNotFound as error:
            raise click.ClickException(str(error)) from None
        click.echo(memory.describe(), err=True)
        click.echo(f"serving {build_dir} on http://{host}:{port}/sparql", err=True)
        start(config)
        return
    with tempfile.TemporaryDirectory(prefix="mkg-serve-") as work:
        try:
            in_fresh_process(load_files, files, work)
        except DataFileError as error:
            raise click.ClickException(str(error)) from None
        config.update(STORE_DIR=work, DATA_DESCRIPTION=describe_files(files))
        click.echo(memory.describe(), err=True)
        click.echo(f"serving {len(files)} file(s) on http://{host}:{port}/sparql", err=True)
        start(config)


def _serve_engine(
    name: str,
    config: dict[str, object],
    files: "Sequence[tuple[Path, str | None]]",
    start: "Callable[[dict[str, object]], None]",
    address: str,
) -> None:
    """Serve from mkg's own Virtuoso ('virtuoso') or from the engine at a URL."""
    from server.engine.loading import LoadError
    from server.engine.remote import EngineNotReady, open_remote
    from server.engine.virtuoso import VirtuosoError

    def check(app_config: dict[str, object]) -> str:
        try:
            engine = open_remote({**DEFAULTS, **app_config})
        except EngineNotReady as error:
            raise click.ClickException(str(error)) from None
        engine.close()
        return engine.description

    if name != "virtuoso":
        if not name.startswith(("http://", "https://")):
            raise click.BadParameter("give 'virtuoso' or an http(s) URL", param_hint="--engine")
        if files:
            raise click.UsageError(
                "--data serves files from the build's store: load them "
                "with 'mkg load --engine URL --data FILE' instead"
            )
        config.update(ENGINE=name)
        click.echo(f"serving {check(config)} on {address}", err=True)
        start(config)
        return
    from server.engine.local import local_virtuoso

    progress = lambda step: click.echo(f"{step} ...", err=True)  # noqa: E731
    build = None if files else Path(str(config["BUILD_DIR"]))
    try:
        with local_virtuoso(build_dir=build, files=files, progress=progress) as running:
            config.update(ENGINE=running.url, ENGINE_LABEL=running.label)
            if files:
                config["BUILD_DIR"] = None
            click.echo(f"serving {check(config)} on {address}", err=True)
            start(config)
    except (VirtuosoError, BuildNotFound, LoadError) as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":
    main()
