"""The package's import structure: no import cycles, imports at the top of modules.

The import graph is read from the source with ``ast`` (every ``import`` and ``from ... import`` of a
``pipeline`` module, also those inside functions, which still tie the two modules together), so the
tests need no module imported.  Checked:

* no cycle between modules, and none between packages (``pipeline.gate`` importing anything of
  ``pipeline.report`` while anything of ``pipeline.report`` imports ``pipeline.gate`` is a cycle,
  however lazily either import is made); a top-level module such as ``pipeline.config`` counts as a
  package of its own;
* imports sit at the top of a module.  An import inside a function is allowed only where a heavy or
  optional dependency is deferred on purpose, and says so: ``# deferred: <reason>`` on its line or
  on the line above.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "pipeline"
DEFERRED = "# deferred:"

# Files (relative to the repository root) whose function-level imports are not checked yet: a
# to-do list, not a licence; empty it as they are fixed.
PENDING_FILES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ImportSite:
    module: str  # importing module, dotted
    target: str  # imported pipeline module, dotted
    path: str  # file, relative to the repository root
    line: int
    deferred: bool  # inside a function (or lambda)


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's __init__)."""
    out = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        out[".".join(parts)] = (path, is_package)
    return out


MODULES = _modules()


def _resolve(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The pipeline modules an import statement loads (the named module, and imported submodules)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        names = [stem] + [f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in MODULES]
    out = []
    for name in names:
        if name.split(".")[0] != PACKAGE:
            continue
        while name not in MODULES and "." in name:  # pipeline.x.func -> pipeline.x
            name = name.rsplit(".", 1)[0]
        if name in MODULES:
            out.append(name)
    return out


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, in_function
        elif isinstance(child, ast.If) and _is_type_checking(child):
            continue  # never executed: no dependency at run time
        else:
            yield from _import_nodes(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))


def _sites() -> list[ImportSite]:
    sites = []
    for module, (path, is_package) in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        rel = path.relative_to(ROOT).as_posix()
        for node, in_function in _import_nodes(tree):
            targets = _resolve(module, is_package, node)
            # Importing pipeline.a.b from outside pipeline.a runs pipeline/a/__init__.py first.
            parents = {".".join(t.split(".")[:k]) for t in targets for k in range(2, t.count(".") + 1)}
            parents = {p for p in parents if p in MODULES and not (module + ".").startswith(p + ".")}
            for target in [*targets, *sorted(parents)]:
                if target != module:
                    sites.append(ImportSite(module, target, rel, node.lineno, in_function))
            if in_function and not targets:
                sites.append(ImportSite(module, "", rel, node.lineno, True))  # a third-party deferral
    return sites


SITES = _sites()


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the components of more than one node, each sorted."""
    nodes = sorted(set(edges) | {t for ts in edges.values() for t in ts})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def _describe(components: list[list[str]], key) -> str:
    lines = []
    for component in components:
        members = set(component)
        lines.append("cycle: " + ", ".join(component))
        for site in SITES:
            if site.target and key(site.module) in members and key(site.target) in members and key(site.module) != key(site.target):
                lines.append(f"  {site.path}:{site.line}: {site.module} -> {site.target}{' (in a function)' if site.deferred else ''}")
    return "\n".join(lines)


def test_no_import_cycle_between_modules():
    edges: dict[str, set[str]] = defaultdict(set)
    for site in SITES:
        if site.target:
            edges[site.module].add(site.target)
    cycles = strongly_connected(edges)
    assert not cycles, "import cycles between modules:\n" + _describe(cycles, lambda m: m)


def test_no_import_cycle_between_packages():
    edges: dict[str, set[str]] = defaultdict(set)
    for site in SITES:
        if site.target and _package(site.module) != _package(site.target):
            edges[_package(site.module)].add(_package(site.target))
    cycles = strongly_connected(edges)
    assert not cycles, "import cycles between packages:\n" + _describe(cycles, _package)


def _marked(lines: list[str], node: ast.stmt) -> bool:
    own = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
    above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
    return any(DEFERRED in line for line in own) or above.startswith(DEFERRED)


def test_function_level_imports_say_why_they_are_deferred():
    unmarked = []
    for path, _ in MODULES.values():
        rel = path.relative_to(ROOT).as_posix()
        if rel in PENDING_FILES:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, in_function in _import_nodes(ast.parse("\n".join(lines), str(path))):
            if in_function and not _marked(lines, node):
                unmarked.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
    assert not unmarked, (
        "imports inside functions belong at the top of the module; a heavy or optional dependency "
        f"deferred on purpose says so with '{DEFERRED} <reason>' on its line or the line above:\n" + "\n".join(unmarked)
    )


def _import_block(node: ast.stmt) -> bool:
    """An import, or a try/if whose body imports (``try: import fcntl / except ImportError: ...``)."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.Try):
        return all(isinstance(n, (ast.Import, ast.ImportFrom)) for n in node.body)
    return isinstance(node, ast.If) and _is_type_checking(node)


def test_module_level_imports_come_first():
    late = []
    for path, _ in MODULES.values():
        body = ast.parse(path.read_text(encoding="utf-8"), str(path)).body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body = body[1:]  # the docstring
        seen_code = False
        for node in body:
            if _import_block(node):
                if seen_code:
                    late.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {ast.unparse(node).splitlines()[0]}")
            else:
                seen_code = True
    assert not late, "module-level imports after code:\n" + "\n".join(late)


def test_the_graph_sees_lazy_and_package_imports():
    """The checker itself: a lazy import is an edge; importing a submodule runs its package."""
    by_pair = {(s.module, s.target): s for s in SITES}
    assert ("pipeline.gate.cli", "pipeline.report") in by_pair  # gate.cli renders the Markdown summary
    assert ("pipeline.gate.evaluate", "pipeline.locations") in by_pair
    assert ("pipeline.align.cli", "pipeline.io") in by_pair  # from ..io.text import ... runs pipeline/io/__init__.py
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("def f():\n    import os  # deferred: test\n")
    assert [deferred for _, deferred in _import_nodes(tree)] == [True]
