"""Bad and hostile input files: one-line errors naming file and line; nothing fetched or expanded.

A damaged file (malformed XML or JSON, a BibTeX entry with no title, an unknown RIS type) stops
the build with one line and leaves the previous build installed; an XML bomb, an external
entity, or a DTD on the network is refused without reading or fetching anything (a local
listener stands in for the network and must see no connection).
"""

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest.errors import PageFormatError
from ingest.readers import citing_doi, read_input, read_review
from server.cli import main

FORMATS = Path(__file__).parent / "data" / "formats"
JATS = FORMATS / "review.jats.xml"
CITING = citing_doi("10.5555/mkg.review.2022.001")

_ARTICLE = (
    "<article><front><article-meta><title-group><article-title>T</article-title>"
    "</title-group></article-meta></front><back><ref-list><ref id='R1'>"
    "<element-citation publication-type='journal'><article-title>&{entity};</article-title>"
    "<source>Cell</source><volume>1</volume><fpage>1</fpage><year>2001</year>"
    "</element-citation></ref></ref-list></back></article>"
)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while self.running:
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _read(path: Path, *, citing: bool = False) -> None:
    read_review(read_input(path, citing=CITING if citing else None))


def _error(path: Path, *, citing: bool = False) -> PageFormatError:
    with pytest.raises(PageFormatError) as caught:
        _read(path, citing=citing)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(f"{path.name}:"), message
    return caught.value


# ------------------------------------------------------------------------------ hostile XML


def test_billion_laughs_is_refused_unexpanded(tmp_path: Path) -> None:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">' for n in range(1, 10)
    ]
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE article [\n'
        + "\n".join(levels)
        + "\n]>\n"
        + _ARTICLE.format(entity="lol9"),
        encoding="utf-8",
    )
    error = _error(bomb)
    assert error.line == 2 and "declares entities" in error.message


def test_external_entity_to_a_file_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET", encoding="utf-8")
    for target in ("file:///etc/passwd", secret.as_uri()):
        hostile = tmp_path / "xxe.xml"
        hostile.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY xxe SYSTEM "{target}">]>\n'
            + _ARTICLE.format(entity="xxe"),
            encoding="utf-8",
        )
        error = _error(hostile)
        assert "declares entities (xxe)" in error.message
        assert "root:" not in str(error) and "SECRET" not in str(error)


def test_dtd_on_the_network_is_refused_unfetched(tmp_path: Path, listener: Listener) -> None:
    url = f"http://127.0.0.1:{listener.port}/evil.dtd"
    hostile = tmp_path / "dtd.xml"
    hostile.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE article SYSTEM "{url}">\n'
        + _ARTICLE.format(entity="amp"),
        encoding="utf-8",
    )
    error = _error(hostile)
    assert error.line == 2 and url in error.message
    assert listener.connections == 0


def test_parameter_entity_on_the_network_is_refused_unfetched(
    tmp_path: Path, listener: Listener
) -> None:
    url = f"http://127.0.0.1:{listener.port}/remote.ent"
    hostile = tmp_path / "param.xml"
    hostile.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY % remote SYSTEM "{url}"> %remote;]>\n'
        + _ARTICLE.format(entity="amp"),
        encoding="utf-8",
    )
    _error(hostile)
    assert listener.connections == 0


def test_public_jats_dtd_is_named_but_never_loaded(tmp_path: Path, listener: Listener) -> None:
    """The NLM's public identifier is accepted; its system URL, even reachable, is never read."""
    url = f"http://127.0.0.1:{listener.port}/JATS-archivearticle1.dtd"
    text = JATS.read_text(encoding="utf-8").replace('"JATS-archivearticle1.dtd"', f'"{url}"')
    article = tmp_path / "article.xml"
    article.write_text(text, encoding="utf-8")
    review = read_review(read_input(article))
    assert len(review.references) == 13
    assert listener.connections == 0


def test_pubmed_set_with_an_entity_is_refused(tmp_path: Path) -> None:
    hostile = tmp_path / "set.xml"
    hostile.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]>\n<PubmedArticleSet><PubmedArticle>&x;</PubmedArticle>'
        "</PubmedArticleSet>",
        encoding="utf-8",
    )
    assert "declares entities" in _error(hostile).message


# ----------------------------------------------------------------------------- damaged files


def _bad_files() -> dict[str, tuple[str, str, int | None, str]]:
    """Name -> (file name, content, line of the error, words of the message)."""
    jats = JATS.read_text(encoding="utf-8")
    broken = jats.replace(
        "</source>\n          <year>2008</year>", "\n          <year>2008</year>", 1
    )
    bib = (FORMATS / "references.bib").read_text(encoding="utf-8")
    untitled = bib.replace("  title = {Lung metastasis of osteosarcoma requires ezrin},\n", "", 1)
    ris = (FORMATS / "references.ris").read_text(encoding="utf-8")
    return {
        "malformed-xml": (
            "bad.xml",
            broken,
            _line_of(broken, "<year>2008</year>") + 3,
            "malformed XML",
        ),
        "bibtex-untitled": (
            "bad.bib",
            untitled,
            _line_of(untitled, "@article{moreau"),
            "has no title",
        ),
        "ris-unknown-type": (
            "bad.ris",
            ris.replace("TY  - BOOK", "TY  - SCROLL", 1),
            _line_of(ris, "TY  - BOOK"),
            "unknown RIS type 'SCROLL'",
        ),
        "csl-malformed": (
            "bad.json",
            '[\n  {"id": "a",\n   "type": "book"\n  ,]\n',
            4,
            "malformed JSON",
        ),
        "bibtex-malformed": (
            "broken.bib",
            "@article{a,\n  title = {A},\n  journal = {Cell},\n  year = {2001},\n}\n\n"
            "@article{b,\n  title = {B\n",
            7,
            "malformed BibTeX",
        ),
        "xml-not-an-article": ("other.xml", "<?xml version='1.0'?>\n<html2/>\n", 1, "neither"),
    }


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("case", list(_bad_files()))
def test_bad_file_gives_one_line_error_with_file_and_line(case: str, tmp_path: Path) -> None:
    name, content, line, words = _bad_files()[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    error = _error(path, citing=True)
    assert words in error.message
    if case == "malformed-xml":
        assert error.line is not None and error.line >= _line_of(content, '<ref id="B1">')
    else:
        assert error.line == line, str(error)


def test_reference_list_without_its_citing_work_is_refused() -> None:
    error = _error(FORMATS / "references.ris")
    assert "--citing-doi" in error.message


# ------------------------------------------------------------------- through mkg build


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("formats-build")
    result = CliRunner().invoke(main, ["build", str(JATS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("case", ["malformed-xml", "bibtex-untitled", "ris-unknown-type"])
def test_bad_file_through_mkg_build_leaves_the_previous_build(
    case: str, installed: Path, tmp_path: Path
) -> None:
    current = (installed / "current").resolve()
    manifest = (installed / "current" / "manifest.json").read_bytes()
    name, content, _, words = _bad_files()[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["build", str(JATS), str(path), "--citing-doi", "10.5555/other", "--out", str(installed)],
    )
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"Error: {name}:") and words in last, result.output
    assert (installed / "current").resolve() == current
    assert (installed / "current" / "manifest.json").read_bytes() == manifest


def test_mkg_build_refuses_a_bad_citing_doi(installed: Path) -> None:
    ris = FORMATS / "references.ris"
    result = CliRunner().invoke(
        main, ["build", str(ris), "--citing-doi", "nm1469", "--out", str(installed)]
    )
    assert result.exit_code == 2 and "not a DOI" in result.output
