"""Replace the default of a named query's parameter: the value in its VALUES block.

A named query states its parameters as `VALUES ?site_name { "bone" }` (or a row of several,
`VALUES (?first_name ?second_name) { ("lung" "liver") }`), so it runs as written; a parameter
`site=brain` replaces the default of `?site` or `?site_name`. Values are written as SPARQL terms
(an integer, an <IRI> or an escaped string), so a value can never change the query's structure.

A parameter whose variable is `?name` or ends in `_name` names an entity: the queries match it
against labels and synonyms ignoring case, so a value that matches none gives no rows and no
reason. `check_names` says so instead, with the nearest labels of the graph.
"""

import difflib
import re
from collections.abc import Iterable, Mapping

from server.engine import Engine

_SINGLE = re.compile(r"VALUES\s+\?(\w+)\s*\{([^{}]*)\}", re.IGNORECASE)
_ROW = re.compile(r"VALUES\s*\(([^()]*)\)\s*\{\s*\(([^()]*)\)\s*\}", re.IGNORECASE)
_TERM = re.compile(r'"(?:[^"\\]|\\.)*"|<[^<>]*>|[^\s()]+')
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")


class ParameterError(ValueError):
    """A parameter the query does not have, or a value that cannot be written."""


def parameters(query: str) -> dict[str, str]:
    """Return the query's parameters and their default values as written."""
    found = {}
    for match in _SINGLE.finditer(query):
        found[match.group(1)] = match.group(2).strip()
    for match in _ROW.finditer(query):
        names = re.findall(r"\?(\w+)", match.group(1))
        for name, value in zip(names, _TERM.findall(match.group(2)), strict=False):
            found[name] = value
    return found


def term(value: str) -> str:
    """Write a parameter value as a SPARQL term: integer, IRI or string literal."""
    if re.fullmatch(r"-?\d+", value):
        return value
    if value.startswith("<"):
        if not _IRI.fullmatch(value):
            raise ParameterError(f"not a valid IRI: {value}")
        return value
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def apply_parameters(query: str, values: dict[str, str]) -> str:
    """Return the query with each named parameter's default replaced by the given value."""
    declared = parameters(query)
    for name, value in values.items():
        variable = name if name in declared else f"{name}_name"
        if variable not in declared:
            known = ", ".join(sorted(n.removesuffix("_name") for n in declared)) or "none"
            raise ParameterError(f"the query has no parameter {name!r} (it has: {known})")
        query = _replace(query, variable, term(value))
    return query


def _replace(query: str, variable: str, written: str) -> str:
    def single(match: re.Match[str]) -> str:
        if match.group(1) != variable:
            return match.group(0)
        return f"VALUES ?{variable} {{ {written} }}"

    def row(match: re.Match[str]) -> str:
        names = re.findall(r"\?(\w+)", match.group(1))
        if variable not in names:
            return match.group(0)
        values = _TERM.findall(match.group(2))
        values[names.index(variable)] = written
        return f"VALUES ({match.group(1).strip()}) {{ ({' '.join(values)}) }}"

    return _ROW.sub(row, _SINGLE.sub(single, query))


def name_parameters(query: str, values: Mapping[str, str]) -> dict[str, str]:
    """Return the given values that name an entity (of a `?name` or `?..._name` variable)."""
    declared = parameters(query)
    named = {}
    for name, value in values.items():
        variable = name if name in declared else f"{name}_name"
        if (variable == "name" or variable.endswith("_name")) and term(value).startswith('"'):
            named[name] = value
    return named


# Every label and synonym of the graph, but those of properties: nothing a query parameter names.
_LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?label WHERE {
  ?thing rdfs:label|skos:altLabel ?label .
  FILTER NOT EXISTS {
    VALUES ?property { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
    ?thing a ?property
  }
}"""


def graph_labels(engine: Engine) -> list[str]:
    """Return every label and synonym of the things the engine serves (its union graph)."""
    return [row["label"].value for row in engine.select(_LABELS)]


def check_names(query: str, values: Mapping[str, str], labels: Iterable[str]) -> None:
    """Refuse a name parameter that matches no label (ignoring case), naming the nearest ones."""
    named = name_parameters(query, values)
    if not named:
        return
    by_key: dict[str, str] = {}
    for label in sorted(labels):
        by_key.setdefault(label.lower(), label)
    problems = []
    for name, value in named.items():
        if value.lower() in by_key:
            continue
        near = difflib.get_close_matches(value.lower(), list(by_key), n=5, cutoff=0.6)
        problem = f"no entity in the graph is named {value!r} ({name}={value})"
        if near:
            problem += "; the nearest names are " + ", ".join(repr(by_key[k]) for k in near)
        else:
            problem += "; names are matched to labels and synonyms, ignoring case"
        problems.append(problem)
    if problems:
        raise ParameterError("\n".join(problems))
