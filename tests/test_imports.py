"""No import cycle inside the schoolclaims package, counting imports inside functions too (a cycle hidden in
a function still ties the two modules together)."""

from __future__ import annotations

import ast
from pathlib import Path


from schoolclaims import paths

PACKAGE = "schoolclaims"
SOURCE = paths.ROOT / "src" / PACKAGE


def module_names(root: Path = SOURCE) -> dict[str, Path]:
    """Every module under ``root`` by dotted name; a package's __init__.py is the package itself."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The dotted name a (possibly relative) ``from ... import`` refers to, from inside ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The schoolclaims modules ``module`` imports anywhere in its file (module level or inside functions)."""
    is_package = path.name == "__init__.py"
    edges = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, is_package, node.level, node.module)
            # `from pkg import name`: an edge to the submodule pkg.name if there is one, else to pkg itself
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` or `from a.b import X` with X not a module
                target = target.rpartition(".")[0]
            if target and target != module:
                edges.add(target)
    return edges


def import_graph(root: Path = SOURCE) -> dict[str, set[str]]:
    modules = module_names(root)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" when fully explored
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_sees_relative_function_level_and_submodule_imports(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("from .a import thing\n")
    (root / "a.py").write_text("def f():\n    from .sub import b\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "b.py").write_text("from .. import a\nfrom ..a import f\nimport pkg.sub\n")
    graph = import_graph(root)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.sub.b"}, "pkg.sub": set(), "pkg.sub.b": {"pkg.a", "pkg.sub"}}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]
    assert find_cycle({"x": {"y"}, "y": set()}) is None


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "schoolclaims.claims.methods.funding" in graph  # the walk found the package
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


BASE = {"paths", "entities", "years", "files", "urls"}
ALLOWED = {  # component -> the components it may import (ARCHITECTURE.md, "Which package may import which")
    **{name: set() for name in BASE},
    "urls": {"files"},  # its error is an UnsafePath
    "tables": BASE,
    "freshness": BASE,
    "sources": BASE,
    "acquire": BASE | {"sources"},
    "transform": BASE | {"tables", "sources"},
    "build": BASE | {"tables", "sources", "acquire", "transform", "freshness"},
    "claims": BASE | {"tables", "transform"},
    "report": BASE | {"tables", "transform", "sources", "claims"},
    "trace": BASE | {"tables", "sources", "acquire", "claims"},
}


def component(module: str) -> str:
    """schoolclaims.sources.cde_frpm -> 'sources'; the package's own __init__ is ''."""
    return module.split(".")[1] if "." in module else ""


def test_packages_import_only_what_the_architecture_allows():
    graph = import_graph()
    assert set(ALLOWED) | {"", "cli", "__main__"} >= {component(m) for m in graph}, "a new component needs a row here and in ARCHITECTURE.md"
    # the package root may import only its version; cli and __main__ may import anything
    forbidden = sorted(f"{m} -> {t}" for m, targets in graph.items() if component(m) in ALLOWED
                       for t in targets if component(t) not in ALLOWED[component(m)] | {component(m), ""})
    assert forbidden == [], "imports ARCHITECTURE.md forbids:\n" + "\n".join(forbidden)
