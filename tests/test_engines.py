"""The engine layer: the one way server/ reaches data, and the settings of the server.

The same tests of the protocol, the pages and the named queries run on every engine (the
fixtures of conftest.py are parametrised over ENGINES); this file holds what is about the layer
itself.
"""

import ast
import logging
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from server import DEFAULTS, create_app

REPO = Path(__file__).resolve().parents[1]
SERVER = REPO / "server"
ENGINE_LAYER = SERVER / "engine"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_module_of_server_outside_the_engine_layer_imports_pyoxigraph() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted(SERVER.rglob("*.py"))
        if not path.is_relative_to(ENGINE_LAYER)
        and any(name.split(".")[0] == "pyoxigraph" for name in _imported_modules(path))
    ]
    assert not offenders, f"these modules reach the store around the engine layer: {offenders}"


def test_the_import_check_sees_an_import_of_the_store() -> None:
    """The check above is not vacuous: the embedded engine does import the store's library."""
    assert "pyoxigraph" in _imported_modules(ENGINE_LAYER / "oxigraph.py")


# Settings: one default and one environment name each.


def _serve_options() -> dict[str, click.Option]:
    from server.cli import serve

    return {
        param.name: param
        for param in serve.params
        if isinstance(param, click.Option) and param.name is not None
    }


# Options of `mkg serve` and the setting (config key) each one sets.
SERVE_SETTINGS = {
    "build_dir": "BUILD_DIR",
    "timeout": "QUERY_TIMEOUT",
    "max_rows": "MAX_ROWS",
    "max_query_size": "MAX_QUERY_SIZE",
    "query_memory": "QUERY_MEMORY_MB",
    "request_timeout": "REQUEST_TIMEOUT",
    "allowed_services": "SERVICE_ALLOWLIST",
    "base_iri": "BASE_IRI",
}


@pytest.mark.parametrize("option", sorted(SERVE_SETTINGS))
def test_each_setting_of_mkg_serve_has_the_default_and_environment_name_of_create_app(
    option: str,
) -> None:
    key = SERVE_SETTINGS[option]
    param = _serve_options()[option]
    assert param.envvar == f"MKG_{key}"
    if key in ("BUILD_DIR", "BASE_IRI", "SERVICE_ALLOWLIST"):
        return  # a path or a list: the CLI spells the same default its own way
    expected = DEFAULTS[key]
    assert param.default == expected


def test_create_app_reads_the_old_timeout_name_with_a_warning(
    monkeypatch, caplog, repo_root
) -> None:
    things = repo_root / "tests" / "data" / "server" / "things.trig"
    monkeypatch.setenv("MKG_TIMEOUT", "3.5")
    monkeypatch.delenv("MKG_QUERY_TIMEOUT", raising=False)
    with caplog.at_level(logging.WARNING):
        app = create_app({"TESTING": True, "DATA_FILES": [(str(things), None)]})
    try:
        assert app.config["QUERY_TIMEOUT"] == 3.5
        assert "MKG_TIMEOUT is deprecated: use MKG_QUERY_TIMEOUT" in caplog.text
    finally:
        app.extensions["mkg"].close()
    monkeypatch.setenv("MKG_QUERY_TIMEOUT", "7")
    app = create_app({"TESTING": True, "DATA_FILES": [(str(things), None)]})
    try:
        assert app.config["QUERY_TIMEOUT"] == 7
    finally:
        app.extensions["mkg"].close()


def _serve_config(monkeypatch, build: Path, env: dict[str, str]) -> tuple[dict, str]:
    """Run `mkg serve` up to the point it would start serving; return its config and stderr."""
    import server.serving

    captured: dict = {}

    def record(app_config, **options) -> None:
        captured.update(app_config)

    monkeypatch.setattr(server.serving, "serve", record)
    for name in ("MKG_TIMEOUT", "MKG_QUERY_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(
        click.Group(commands={"serve": _serve_command()}),
        ["serve", "--build", str(build), "--query-memory", "0"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    return captured, result.stderr


def _serve_command() -> click.Command:
    from server.cli import serve

    return serve


def test_mkg_serve_reads_the_timeout_under_its_one_name_and_the_old_one(
    monkeypatch, seed_out: Path
) -> None:
    config, err = _serve_config(monkeypatch, seed_out, {"MKG_QUERY_TIMEOUT": "4"})
    assert config["QUERY_TIMEOUT"] == 4 and "deprecated" not in err
    config, err = _serve_config(monkeypatch, seed_out, {"MKG_TIMEOUT": "6"})
    assert config["QUERY_TIMEOUT"] == 6
    assert "Warning: MKG_TIMEOUT is deprecated: use MKG_QUERY_TIMEOUT" in err
    config, err = _serve_config(
        monkeypatch, seed_out, {"MKG_TIMEOUT": "6", "MKG_QUERY_TIMEOUT": "8"}
    )
    assert config["QUERY_TIMEOUT"] == 8
    assert "MKG_TIMEOUT is deprecated and ignored: MKG_QUERY_TIMEOUT is set" in err


def test_mkg_s_virtuoso_lives_in_an_absolute_directory(tmp_path, monkeypatch) -> None:
    """Regression: `mkg serve --engine virtuoso` with the default `--build build` gave Virtuoso
    a relative home; the server runs in that directory and could not find its configuration."""
    from server.engine.virtuoso import LocalVirtuoso, VirtuosoError, find_virtuoso

    try:
        find_virtuoso()
    except VirtuosoError as error:
        pytest.skip(str(error))
    monkeypatch.chdir(tmp_path)
    virtuoso = LocalVirtuoso(Path("build") / "virtuoso")
    assert virtuoso.home == tmp_path / "build" / "virtuoso"
