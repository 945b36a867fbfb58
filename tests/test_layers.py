"""The layers of sanjian, checked on its import graph (tests/_imports.py): module-level and
function-level imports alike."""

from __future__ import annotations

import ast
from pathlib import Path

from _imports import cycles, graph, imports, is_stdlib, modules, top_level

import sanjian_cli.store

STORE = "sanjian_cli.store"
# What the store may import besides itself: the standard library, its engine, the errors.
STORE_MAY_IMPORT = {"tinydb", "sanjian_cli.errors"}


def _in_store(name: str) -> bool:
    return name == STORE or name.startswith(STORE + ".")


def test_the_graph_sees_imports_inside_functions(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg import b\n")
    (package / "b.py").write_text("from . import a\nimport json\n")
    (package / "c.py").write_text("from pkg.a import f\n")
    edges = graph("pkg", tmp_path)
    assert edges["pkg.a"] == {"pkg.b"} and edges["pkg.b"] == {"pkg.a", "json"}
    assert edges["pkg.c"] == {"pkg.a"}
    assert cycles(edges, "pkg") == [["pkg.a", "pkg.b"]]
    assert cycles(edges, "pkg.c") == []


def test_no_import_cycle_inside_the_store() -> None:
    assert cycles(graph(), STORE) == []


def test_the_store_imports_nothing_of_the_layers_above_it() -> None:
    wrong = [
        f"{found.importer}:{found.line} imports {found.target}"
        for found in imports()
        if _in_store(found.importer)
        and not (
            _in_store(found.target)
            or is_stdlib(found.target)
            or found.target in STORE_MAY_IMPORT
            or top_level(found.target) in STORE_MAY_IMPORT
        )
    ]
    assert wrong == []


def _attributes_of(file: Path, alias: str) -> set[str]:
    """The attributes used on the name `alias` in `file` (`store.X` -> X)."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == alias
    }


def test_the_rest_of_sanjian_uses_only_the_front_of_the_store() -> None:
    front = set(sanjian_cli.store.__all__)
    known = modules()
    wrong = []
    for found in imports():
        if _in_store(found.importer) or not _in_store(found.target):
            continue
        where = f"{found.importer}:{found.line}"
        if found.target != STORE:
            wrong.append(f"{where} imports {found.target}, inside the store")
        elif found.names:
            wrong.extend(
                f"{where} imports {n} from the store" for n in found.names if n not in front
            )
        else:  # `from sanjian_cli import store` or `import sanjian_cli.store`
            tree = ast.parse(known[found.importer].read_text(encoding="utf-8"))
            aliases = {
                alias.asname or alias.name.rpartition(".")[2]
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom | ast.Import)
                for alias in node.names
                if alias.name in ("store", STORE)
            }
            for alias in aliases:
                used = _attributes_of(known[found.importer], alias)
                wrong.extend(f"{where} uses store.{n}" for n in sorted(used - front))
    assert wrong == []


def test_the_front_names_exist() -> None:
    for name in sanjian_cli.store.__all__:
        assert hasattr(sanjian_cli.store, name), name


# The layer table of ARCHITECTURE.md: what each package of sanjian_cli may import from the
# others (the standard library is always allowed; third-party libraries are listed).
LAYERS = {
    "domain": ({"domain", "errors"}, {"dateutil", "pypinyin"}),
    "store": ({"store", "errors"}, {"tinydb"}),
    "services": ({"domain", "store", "services", "errors", "messages"}, set()),
    "render": (
        {"render", "domain", "messages", "errors", "__init__"},
        {"rich", "icalendar", "docx", "lxml", "openpyxl", "python_calamine"},
    ),
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_no_import_cycle_anywhere() -> None:
    assert cycles(graph(), "sanjian_cli") == []


def test_each_layer_imports_only_what_the_architecture_allows() -> None:
    wrong = []
    for found in imports():
        layer = _layer(found.importer)
        if layer not in LAYERS or is_stdlib(found.target):
            continue
        inside, libraries = LAYERS[layer]
        if found.target.startswith("sanjian_cli"):
            if found.target == "sanjian_cli":
                ok = set(found.names or ()) <= {"__version__", "version_line"}
                ok = ok or _layer(found.target) in inside
            else:
                ok = _layer(found.target) in inside
        else:
            ok = top_level(found.target) in libraries
        if not ok:
            wrong.append(f"{found.importer}:{found.line} imports {found.target}")
    assert wrong == []


def test_the_domain_knows_nothing_of_typer_rich_or_tinydb() -> None:
    banned = {"typer", "rich", "tinydb", "click"}
    wrong = [
        f"{found.importer}:{found.line} imports {found.target}"
        for found in imports()
        if _layer(found.importer) in ("domain", "services") and top_level(found.target) in banned
    ]
    assert wrong == []
