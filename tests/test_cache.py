"""HTTP caching of the endpoint over real HTTP: ETags, 304, the bounded cache of recent results."""

import io
import threading
from pathlib import Path

import pytest
import requests

from server.cache import Entry, ResultCache
from server.engine import Outcome

CACHE_MB = 0.5
MAX_BYTES = int(CACHE_MB * 1024 * 1024)
MAX_ROWS = 500
TIME_LIMIT = 2.0
YEARS = """PREFIX mkg: <https://w3id.org/mkg/ontology/>
SELECT ?year (COUNT(?paper) AS ?papers) WHERE { ?paper mkg:publicationYear ?year }
GROUP BY ?year ORDER BY ?year"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# A page of about 25 KB of JSON: the cache holds about twenty of them.
PAGE = "SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 120 OFFSET {offset}"


@pytest.fixture(scope="module")
def cache_server(start_server, built_dir: Path):
    """A server over the build with one worker (one cache), a small cache and tight limits."""
    return start_server(
        "--build", str(built_dir),
        "--workers", "1",
        "--threads", "4",
        "--timeout", str(TIME_LIMIT),
        "--max-rows", str(MAX_ROWS),
        env={"MKG_CACHE_MB": str(CACHE_MB)},
    )  # fmt: skip


def get(server, query: str, headers: dict[str, str] | None = None) -> requests.Response:
    """GET /sparql with `query`."""
    return requests.get(
        server.url + "/sparql", params={"query": query}, headers=headers or {}, timeout=60
    )


def stats(server) -> dict[str, int]:
    """Return the counters of the server's (only) worker's result cache."""
    response = requests.get(server.url + "/sparql/cache", timeout=10)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def unique(name: str) -> str:
    """Return a query no other test sends, so that it starts out of the cache."""
    return f"SELECT ?gene WHERE {{ ?gene a <https://w3id.org/mkg/ontology/Gene> }} # {name}"


def test_etag_is_strong_stable_and_names_the_request(cache_server) -> None:
    first = get(cache_server, YEARS)
    again = get(cache_server, YEARS)
    tag = first.headers["ETag"]
    assert first.status_code == again.status_code == 200
    assert tag.startswith('"') and tag.endswith('"'), "a strong, quoted entity tag"
    assert again.headers["ETag"] == tag and again.content == first.content
    assert first.headers["Cache-Control"].startswith("public, max-age=")
    assert "Accept" in first.headers["Vary"]
    head = requests.head(cache_server.url + "/sparql", params={"query": YEARS}, timeout=30)
    assert head.headers["ETag"] == tag
    # Another query, another format, another dataset: another tag.
    other = get(cache_server, YEARS + " LIMIT 3")
    csv = get(cache_server, YEARS, {"Accept": "text/csv"})
    dataset = requests.get(
        cache_server.url + "/sparql",
        params={"query": YEARS, "default-graph-uri": "https://w3id.org/mkg/graph/entities"},
        timeout=30,
    )
    tags = {tag, other.headers["ETag"], csv.headers["ETag"], dataset.headers["ETag"]}
    assert len(tags) == 4
    # The tag names the negotiated format, not the wording of the Accept header.
    json_again = get(cache_server, YEARS, {"Accept": "application/json;q=0.9, text/csv;q=0.1"})
    assert json_again.headers["ETag"] == tag


def test_a_repeated_get_gets_the_same_bytes_and_headers(cache_server) -> None:
    """The second GET is a hit (sent without the app), the HEAD goes through the app."""
    query = unique("same headers")
    ignore = {"date", "mkg-query-seconds"}
    first = get(cache_server, query)
    before = stats(cache_server)
    again = get(cache_server, query)
    head = requests.head(cache_server.url + "/sparql", params={"query": query}, timeout=30)
    assert stats(cache_server)["hits"] == before["hits"] + 2
    assert again.content == first.content
    assert again.headers["MKG-Query-Seconds"] == "0.000"
    for response in (again, head):
        assert {k.lower(): v for k, v in response.headers.items() if k.lower() not in ignore} == {
            k.lower(): v for k, v in first.headers.items() if k.lower() not in ignore
        }


def test_if_none_match_gets_304_without_a_body(cache_server) -> None:
    tag = get(cache_server, YEARS).headers["ETag"]
    for header in (tag, f'W/"other", {tag}', f"W/{tag}", "*"):
        response = get(cache_server, YEARS, {"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["ETag"] == tag
        assert "max-age" in response.headers["Cache-Control"]
    assert get(cache_server, YEARS, {"If-None-Match": '"something-else"'}).status_code == 200
    # The tag of one format does not validate another.
    csv = get(cache_server, YEARS, {"Accept": "text/csv", "If-None-Match": tag})
    assert csv.status_code == 200 and csv.headers["ETag"] != tag


def test_post_answers_carry_no_validators(cache_server) -> None:
    tag = get(cache_server, YEARS).headers["ETag"]
    response = requests.post(
        cache_server.url + "/sparql",
        data={"query": YEARS},
        headers={"If-None-Match": tag},
        timeout=30,
    )
    assert response.status_code == 200
    assert "ETag" not in response.headers and "Cache-Control" not in response.headers


def test_a_repeated_query_is_answered_from_the_cache(cache_server) -> None:
    query = unique("repeated")
    before = stats(cache_server)
    first = get(cache_server, query)
    after_first = stats(cache_server)
    assert after_first["misses"] == before["misses"] + 1
    assert after_first["stores"] == before["stores"] + 1
    again = get(cache_server, query)
    posted = requests.post(cache_server.url + "/sparql", data={"query": query}, timeout=30)
    after = stats(cache_server)
    assert after["hits"] == after_first["hits"] + 2, "GET and POST both found it"
    assert after["misses"] == after_first["misses"], "the engine did not run it again"
    assert again.content == posted.content == first.content
    assert again.headers["MKG-Rows"] == first.headers["MKG-Rows"]


def test_the_cache_stays_within_its_byte_bound(cache_server) -> None:
    before = stats(cache_server)
    assert before["max_bytes"] == MAX_BYTES
    sizes = []
    for page in range(40):
        response = get(cache_server, PAGE.format(offset=page * 120))
        assert response.status_code == 200
        sizes.append(len(response.content))
        assert stats(cache_server)["bytes"] <= MAX_BYTES
    after = stats(cache_server)
    assert sum(sizes) > 1.5 * MAX_BYTES, "the pages together overflow the cache"
    assert after["evictions"] > before["evictions"]
    assert after["entries"] < before["entries"] + 40
    # The least recently used pages went first: the first page runs again, the last does not.
    get(cache_server, PAGE.format(offset=39 * 120))
    assert stats(cache_server)["misses"] == after["misses"]
    get(cache_server, PAGE.format(offset=0))
    assert stats(cache_server)["misses"] == after["misses"] + 1


def test_an_answer_larger_than_its_share_is_sent_but_not_kept(cache_server) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 480 # too large"
    xml = {"Accept": "application/sparql-results+xml"}
    before = stats(cache_server)
    response = get(cache_server, query, xml)
    assert response.status_code == 200 and len(response.content) > before["largest_entry_bytes"]
    after = stats(cache_server)
    assert after["too_large"] == before["too_large"] + 1
    assert after["stores"] == before["stores"]
    assert get(cache_server, query, xml).content == response.content


def test_errors_and_timeouts_are_not_cached(cache_server) -> None:
    broken = "SELECT * WHERE { ?s ?p }"
    before = stats(cache_server)
    statuses = [get(cache_server, broken).status_code for _ in range(2)]
    statuses += [get(cache_server, RUNAWAY).status_code for _ in range(2)]
    after = stats(cache_server)
    assert statuses == [400, 400, 503, 503]
    assert after["misses"] == before["misses"] + 4, "every attempt ran"
    assert after["stores"] == before["stores"] and after["hits"] == before["hits"]
    assert "ETag" not in get(cache_server, broken).headers


def test_a_cut_answer_is_cached_with_its_flags(cache_server) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } # cut"
    first = get(cache_server, query)
    assert first.headers["MKG-Truncated"] == f"true; max-rows={MAX_ROWS}"
    before = stats(cache_server)
    again = get(cache_server, query)
    assert stats(cache_server)["hits"] == before["hits"] + 1
    for name in ("MKG-Truncated", "X-SPARQL-MaxRows", "MKG-Rows", "ETag"):
        assert again.headers[name] == first.headers[name], name
    assert again.content == first.content


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (RAND() AS ?r) WHERE {}",
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "CONSTRUCT { [] <http://example.org/p> ?o } WHERE { ?s a ?o } LIMIT 2",
    ],
)
def test_answers_that_change_between_runs_are_neither_tagged_nor_kept(
    cache_server, query: str
) -> None:
    before = stats(cache_server)
    responses = [get(cache_server, query) for _ in range(2)]
    after = stats(cache_server)
    assert [r.status_code for r in responses] == [200, 200]
    assert all("ETag" not in r.headers for r in responses)
    assert all(r.headers["Cache-Control"] == "no-store" for r in responses)
    assert after["uncacheable"] == before["uncacheable"] + 2
    assert after["entries"] <= before["entries"] and after["stores"] == before["stores"]


def test_identical_requests_at_once_run_the_query_once(cache_server) -> None:
    # A query of a few tenths of a second, so that the requests overlap.
    query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?class . ?b a ?class . "
        "FILTER (?class = <https://w3id.org/mkg/ontology/Authorship>) } # at once"
    )
    before = stats(cache_server)
    bodies: list[bytes] = []
    barrier = threading.Barrier(4)

    def ask() -> None:
        barrier.wait()
        bodies.append(get(cache_server, query).content)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    after = stats(cache_server)
    assert len(bodies) == 4 and len(set(bodies)) == 1
    assert after["misses"] == before["misses"] + 1
    assert (after["hits"] - before["hits"]) + (after["shared"] - before["shared"]) == 3


def test_the_tag_depends_on_the_build_not_the_process(
    start_server, cache_server, built_dir: Path, things_server
) -> None:
    """Another server over the same build agrees on tags; other data gets other tags."""
    twin = start_server(
        "--build", str(built_dir),
        "--workers", "2",
        "--timeout", str(TIME_LIMIT),
        "--max-rows", str(MAX_ROWS),
        env={"MKG_CACHE_MB": "0"},
    )  # fmt: skip
    # Relative IRIs resolve against the endpoint's address, so the tag names it: the servers
    # are reached under one name, as behind a load balancer.
    host = {"Host": "mkg.example.org"}
    tag = get(cache_server, YEARS, host).headers["ETag"]
    assert tag != get(cache_server, YEARS).headers["ETag"]
    assert {get(twin, YEARS, host).headers["ETag"] for _ in range(4)} == {tag}
    assert get(twin, YEARS, {**host, "If-None-Match": tag}).status_code == 304
    assert get(things_server, YEARS, host).headers["ETag"] != tag
    # With the cache turned off every answer runs the query and nothing is kept.
    for _ in range(2):
        get(twin, unique("twin"))
    report = stats(twin)
    assert report["max_bytes"] == 0 and report["entries"] == 0 and report["hits"] == 0


# The cache itself, without HTTP.


def _entry(size: int) -> Entry:
    return Entry(b"x" * size, "solutions", 1, False)


def _outcome(body: bytes) -> Outcome:
    return Outcome("solutions", io.BytesIO(body), 1, False, 0.01)


def test_least_recently_used_entries_go_first() -> None:
    cache = ResultCache(10_000, largest=10_000)
    for key in "abc":
        assert cache.put(key, _entry(2_500))
    assert cache.get("a") is not None
    cache.put("d", _entry(2_500))
    assert cache.get("b") is None, "b was the least recently used"
    assert all(cache.get(key) is not None for key in "acd")
    assert cache.bytes <= cache.max_bytes and cache.stats.evictions == 1


def test_an_entry_over_the_largest_share_is_refused() -> None:
    cache = ResultCache(10_000)
    assert cache.largest == 2_500
    assert not cache.put("big", _entry(3_000))
    assert len(cache) == 0 and cache.stats.too_large == 1


def test_fetch_runs_once_and_keeps_the_answer() -> None:
    cache = ResultCache(100_000)
    calls: list[int] = []

    def run() -> Outcome:
        calls.append(1)
        return _outcome(b"answer")

    first = cache.fetch("k", run, wait=1.0)
    second = cache.fetch("k", run, wait=1.0)
    assert first.body.read() == second.body.read() == b"answer"
    assert len(calls) == 1 and cache.stats.hits == 1 and cache.stats.misses == 1


def test_fetch_keeps_no_error() -> None:
    from server.engine import QueryTimeout

    cache = ResultCache(100_000)

    def run() -> Outcome:
        raise QueryTimeout("stopped")

    for _ in range(2):
        with pytest.raises(QueryTimeout):
            cache.fetch("k", run, wait=1.0)
    assert len(cache) == 0 and cache.stats.misses == 2
