"""Replace the default of a named query's parameter: the value in its VALUES block.

A named query states its parameters as `VALUES ?site_name { "bone" }` (or a row of several,
`VALUES (?first_name ?second_name) { ("lung" "liver") }`), so it runs as written; a parameter
`site=brain` replaces the default of `?site` or `?site_name`. Values are written as SPARQL terms
(an integer, an <IRI> or an escaped string), so a value can never change the query's structure.
"""

import re

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
