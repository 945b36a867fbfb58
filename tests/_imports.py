"""The import graph of a package, read from its sources (for tests of its layering).

Every `import` and `from ... import` counts, at module level, inside functions and under
`if TYPE_CHECKING:` alike. `from a import b` is an import of the module `a.b` when there is
one (as import-linter counts it), else of `a`; relative imports are resolved.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Import:
    importer: str  # the module that imports
    target: str  # the module imported (sanjian's, or the top-level name of another package)
    names: tuple[str, ...]  # what `from target import ...` takes (empty for `import target`)
    line: int


def modules(package: str = "sanjian_cli", root: Path = ROOT) -> dict[str, Path]:
    """Every module of `package` by dotted name (a package by its `__init__.py`)."""
    base = root / package.replace(".", "/")
    found = {}
    for file in sorted(base.rglob("*.py")):
        parts = list(file.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = file
    return found


def _is_package(name: str, known: dict[str, Path]) -> bool:
    return name in known and known[name].name == "__init__.py"


def imports(package: str = "sanjian_cli", root: Path = ROOT) -> list[Import]:
    """Every import statement in `package`."""
    known = modules(package, root)
    out: list[Import] = []
    for name, file in known.items():
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        here = name if _is_package(name, known) else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    out.append(Import(name, alias.name, (), node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                names = tuple(alias.name for alias in node.names)
                subs = [n for n in names if f"{source}.{n}" in known]
                for sub in subs:
                    out.append(Import(name, f"{source}.{sub}", (), node.lineno))
                rest = tuple(n for n in names if n not in subs)
                if rest or not subs:
                    out.append(Import(name, source, rest, node.lineno))
    return out


def graph(package: str = "sanjian_cli", root: Path = ROOT) -> dict[str, set[str]]:
    """importer -> the modules it imports (sanjian's own, and other top-level names)."""
    edges: dict[str, set[str]] = {name: set() for name in modules(package, root)}
    for found in imports(package, root):
        if found.target != found.importer:
            edges[found.importer].add(found.target)
    return edges


def cycles(edges: dict[str, set[str]], within: str | None = None) -> list[list[str]]:
    """The import cycles among the modules whose names start with `within` (all when None):
    each strongly connected component of more than one module, or a module importing
    itself. Tarjan's algorithm."""
    nodes = [n for n in edges if within is None or n == within or n.startswith(within + ".")]
    inside = set(nodes)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in inside:
                continue
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in nodes:
        if node not in index:
            visit(node)
    return found


def top_level(name: str) -> str:
    return name.split(".", 1)[0]


def is_stdlib(name: str) -> bool:
    return top_level(name) in sys.stdlib_module_names or top_level(name) == "__future__"
