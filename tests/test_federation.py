"""SERVICE is decided on the parsed query, and the query processes cannot call out without an
allow-list (hardening issue: the SERVICE guard bypass)."""

import multiprocessing
import random
import socket
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.engine.querypool import Job, QueryPool
from server.federation import UNKNOWN_TARGET, mentions_service, parsed_targets, refused_services
from server.sandbox import _ARCHES, deny_network, network_filter
from server.sparqltext import MAX_NESTING, inspect_query

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import fuzz_service  # noqa: E402

BASE = "http://127.0.0.1/sparql"
OTHER = "http://127.0.0.1:8890/sparql"


def refused(query: str, *, allowed: frozenset[str] = frozenset(), sealed: bool = False) -> list:
    return refused_services(query, base=BASE, allowed=allowed, sealed=sealed)[0]


@pytest.fixture(scope="module")
def listeners():
    allowed, other = fuzz_service.Listener(), fuzz_service.Listener()
    yield allowed, other
    allowed.close()
    other.close()


# The shapes that got past the old lexer; each is a real call (the control runs it in the engine).
BYPASSES = [
    "SELECT * WHERE {{ ?a ?b ?c #\rSERVICE <{url}> {{ ?s ?p ?o }} \n}}",
    "SELECT * WHERE {{ ?a ?b ?c #\r SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ ?a ?b ?c FILTER(?c != "a\\"b") SERVICE <{url}> {{ ?s ?p ?o }} '
    'FILTER(?c != "c\\"d") }}',
    "PREFIX ex: <{host}>\nSELECT * WHERE {{ ?a ?b ?c FILTER(?c < 2) SERVICE ex:sparql # >\n"
    "{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c FILTER(?c<2)SERVICE<{url}>{{?s ?p ?o}} }}",
]


@pytest.mark.parametrize("shape", BYPASSES)
def test_former_bypass_shapes_are_refused_and_would_call(shape: str, listeners) -> None:
    _, other = listeners
    query = shape.format(url=other.url, host=f"http://127.0.0.1:{other.port}/")
    assert refused(query) == [other.url]
    assert refused(query, sealed=True) == [other.url]
    calls = fuzz_service.engine_calls(fuzz_service.one_triple_store(), query, [other])
    assert calls == [1], "the control: the engine itself calls this endpoint"


def test_a_query_ending_in_service_is_refused_not_an_error() -> None:
    assert refused("SELECT * WHERE { SERVICE") == [UNKNOWN_TARGET]
    assert refused("SELECT * WHERE { ?s ?p ?o } SERVICE", sealed=True) == [UNKNOWN_TARGET]


def test_the_parser_resolves_base_prefixes_and_escapes() -> None:
    reading = parsed_targets(
        "BASE <http://a.example/p/>\nPREFIX e: <http://b.example/>\n"
        "SELECT * { SERVICE <s> {} SERVICE SILENT e:t {} SERVICE <http://c.example/\\u0073> {} "
        "SERVICE ?v {} }",
        None,
    )
    assert reading.unverified is None
    assert set(reading.targets) == {
        "http://a.example/p/s",
        "http://b.example/t",
        "http://c.example/s",
        None,
    }
    assert len(reading.targets) == 4


def test_relative_targets_resolve_against_the_endpoint() -> None:
    assert refused("SELECT * { SERVICE <other> { ?s ?p ?o } }") == ["http://127.0.0.1/other"]


@pytest.mark.parametrize(
    "wrapper",
    [
        "FILTER EXISTS {{ {} }}",
        "FILTER NOT EXISTS {{ {} }}",
        "OPTIONAL {{ {} }}",
        "MINUS {{ {} }}",
        "{{ SELECT * WHERE {{ {} }} }}",
        "{{ {} }} UNION {{ }}",
        "GRAPH ?g {{ {} }}",
    ],
)
def test_service_is_found_wherever_it_is_nested(wrapper: str) -> None:
    query = "SELECT * WHERE { ?s ?p ?o " + wrapper.format(f"SERVICE <{OTHER}> {{ }}") + " }"
    assert refused(query) == [OTHER]


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://a.example/s> {}" }',
        "SELECT * { ?s ?p ?o } # SERVICE <http://a.example/s> {}",
        "SELECT * { ?s <http://a.example/service> ?o }",
        "PREFIX service: <http://a.example/>\nSELECT * { ?s service:x ?o }",
    ],
)
def test_the_word_in_strings_comments_and_iris_is_no_call(query: str) -> None:
    assert refused(query) == []


def test_allow_listed_targets_run_and_others_do_not() -> None:
    allowed = frozenset({OTHER})
    assert refused(f"SELECT * {{ SERVICE <{OTHER}> {{}} }}", allowed=allowed) == []
    assert refused(f"SELECT * {{ SERVICE <{OTHER}/x> {{}} }}", allowed=allowed) == [OTHER + "/x"]
    assert refused("SELECT * { SERVICE ?e {} }", allowed=allowed) == [UNKNOWN_TARGET]


def test_the_lexer_vetoes_what_it_reads_as_a_call() -> None:
    """Two readings: a known target either finds off the list is refused."""
    query = f"SELECT * {{ SERVICE <{OTHER}> {{}} }}"
    assert parsed_targets(query, BASE).targets == (OTHER,)
    assert inspect_query(query).services == [OTHER]


def test_an_unverified_query_is_refused_unless_the_processes_are_sealed() -> None:
    deep = "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 40 + "?o" + ")" * 40 + ") } # service"
    reading = parsed_targets(deep, BASE)
    assert reading.unverified is not None
    assert refused(deep) == [UNKNOWN_TARGET]
    # Sealed processes cannot call out: the lexer's reading (no call) lets it run.
    assert refused(deep, sealed=True) == []
    glued = f"SELECT*WHERE{{SERVICESILENT<{OTHER}>{{}}}}"
    assert refused(glued, sealed=True) == [UNKNOWN_TARGET]


def test_ordinary_queries_are_never_parsed() -> None:
    parsed_targets.cache_clear()
    assert refused("SELECT * { ?s ?p ?o }") == []
    assert parsed_targets.cache_info().misses == 0


@pytest.mark.parametrize(
    "text",
    ["SERVICE", "service", "\\u0053ERVICE", "\\U00000053ervice", "\u017fervice", "serv\u0131ce"],
)
def test_service_is_mentioned_in_any_case_or_escape(text: str) -> None:
    assert mentions_service(f"SELECT * {{ {text} }}")


def test_no_mention_without_the_letters() -> None:
    assert not mentions_service("SELECT * { ?s <http://a.example/serv-ice> ?o }")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_differential_fuzz_finds_no_bypass(seed: int) -> None:
    """What the check allows never calls the endpoint off the allow-list when the engine runs it.

    `python bench/fuzz_service.py --seconds 60` runs the same generator for longer.
    """
    allowed, other = _FUZZ_LISTENERS
    tally = fuzz_service.Tally()
    query = fuzz_service.make_query(random.Random(seed), (allowed.port, other.port))
    fuzz_service.check(query, _FUZZ_STORE, allowed, other, tally)
    assert tally.bypasses == []


_FUZZ_LISTENERS = (fuzz_service.Listener(), fuzz_service.Listener())
_FUZZ_STORE = fuzz_service.one_triple_store()


def test_nesting_is_measured_over_brackets_and_prefix_operators() -> None:
    assert inspect_query("SELECT * { ?s ?p ?o }").nesting == 1
    assert inspect_query("SELECT * WHERE " + "{" * 70 + "}" * 70).nesting == 70
    assert inspect_query("ASK { FILTER(!!!!?o) }").nesting == 6
    assert inspect_query("SELECT * { FILTER(?o - 1 - 2 > 3) }").nesting == 3
    assert inspect_query("SELECT * {" + "(!" * 10 + "1" + ")" * 10 + "}").nesting == 21
    assert inspect_query("SELECT * { ?s ^^^<http://p> ?o }").nesting == 4
    assert inspect_query("SELECT * { [ ?p [ ?q 1 ] ] }").nesting == 3


# The sandbox.


def _try_network(queue) -> None:
    results = [deny_network()]
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family).close()
            results.append("open")
        except OSError as error:
            results.append(error.errno)
    left, right = socket.socketpair()
    left.close()
    right.close()
    queue.put(results)


needs_seccomp = pytest.mark.skipif(
    sys.platform != "linux" or __import__("platform").machine() not in _ARCHES,
    reason="the network filter is built for Linux on x86_64 and aarch64",
)


@needs_seccomp
def test_a_sealed_process_cannot_open_network_sockets() -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_try_network, args=(queue,))
    process.start()
    results = queue.get(timeout=60)
    process.join(timeout=10)
    assert results == [True, 13, 13]  # sealed; EACCES for IPv4 and IPv6; AF_UNIX still works


def test_the_filter_program_is_well_formed() -> None:
    for machine in _ARCHES:
        program = network_filter(machine)
        assert len(program) % 8 == 0 and len(program) // 8 == 11


@needs_seccomp
@pytest.mark.parametrize("network", [False, True])
def test_query_processes_without_network_never_call(network: bool, listeners, tmp_path) -> None:
    """Run a SERVICE query straight through the pool, past every check: only the control calls."""
    _, other = listeners
    store_dir = tmp_path / "store"
    store = pyoxigraph.Store(str(store_dir))
    node = pyoxigraph.NamedNode("http://example.org/a")
    store.add(pyoxigraph.Quad(node, node, node))
    store.flush()
    del store
    pool = QueryPool(str(store_dir), size=1, network=network)
    try:
        pool.wait_ready(60)
        assert pool.sealed is (not network)
        before = len(other.calls)
        job = Job(f"SELECT * WHERE {{ ?a ?b ?c SERVICE <{other.url}> {{ ?s ?p ?o }} }}", "json", 10)
        try:
            pool.run(job, timeout=30).body.close()
        except Exception:  # noqa: BLE001 (a refused connection is the expected answer)
            pass
        assert (len(other.calls) > before) is network
    finally:
        pool.close()


def test_nesting_limit_is_generous_for_people() -> None:
    assert MAX_NESTING >= 32
