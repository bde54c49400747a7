"""The server's modules hold what their names say: routes in pages.py, chart data in charts.py,
the published examples in examples.py, how terms are shown in display.py."""

import ast
import importlib.util
from pathlib import Path

SERVER = Path(__file__).resolve().parents[1] / "server"


def test_views_is_renamed_display() -> None:
    assert importlib.util.find_spec("server.views") is None
    from server import display

    assert callable(display.compact) and callable(display.labels)


def _public_functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def test_pages_holds_routes_only() -> None:
    functions = _public_functions(SERVER / "pages.py")
    assert functions
    for name, node in functions.items():
        decorators = [ast.unparse(d) for d in node.decorator_list]
        assert any(d.startswith("bp.") for d in decorators), f"pages.{name} is not a route"
    assert len((SERVER / "pages.py").read_text(encoding="utf-8").splitlines()) < 500


def test_charts_and_examples_live_in_their_modules() -> None:
    from server import charts, examples

    assert callable(charts.heat_maps) and callable(charts.years_chart)
    assert callable(examples.published_examples) and callable(examples.load_examples)
    for path in SERVER.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "server.views" not in text and "import views" not in text, path.name
