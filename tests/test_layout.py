"""The package's shape: data flows one way through its layers, no module imports itself back
through others, every imported package is declared, and charts are the only thing that needs
the `plots` extra."""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Top to bottom: a layer may import the layers below it, never one above (README, "Architecture").
LAYERS = [
    ("scdocs.cli", "scdocs.__main__"),
    ("scdocs.api", "scdocs"),
    ("scdocs.corpus",),
    ("scdocs.reports",),
    ("scdocs.annotations",),
    ("scdocs.changes",),
    ("scdocs.themes",),
    ("scdocs.readers",),
    ("scdocs.formats",),
    ("scdocs.document",),
    ("scdocs.errors", "scdocs.fileio", "scdocs.datafiles", "scdocs.version"),
]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("scdocs", include_external_packages=True)


def _layer(module: str) -> int:
    """Index of the layer a module belongs to (the longest matching package wins)."""
    best, best_len = -1, -1
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best_len:
                best, best_len = i, len(name)
    return best


def _internal(graph: grimp.ImportGraph) -> list[str]:
    return sorted(m for m in graph.modules if m == "scdocs" or m.startswith("scdocs."))


def _cycles(graph: grimp.ImportGraph, modules: list[str]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    edges = {m: sorted(w for w in graph.find_modules_directly_imported_by(m) if w in set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            if i < len(edges[v]):
                work.append((v, i + 1))
                w = edges[v][i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check below would be worthless if it could not see a cycle."""

    class Fake:
        def find_modules_directly_imported_by(self, m: str) -> set[str]:
            return {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}[m]

    assert _cycles(Fake(), ["a", "b", "c", "d"]) == [["a", "b", "c"]]  # type: ignore[arg-type]


def test_no_import_cycle_anywhere(graph: grimp.ImportGraph) -> None:
    """Function-level (lazy) imports count too: a cycle hidden in a function is still a cycle."""
    assert _cycles(graph, _internal(graph)) == []


def test_every_module_sits_in_a_layer_and_imports_only_downwards(graph: grimp.ImportGraph) -> None:
    upward = []
    for module in _internal(graph):
        here = _layer(module)
        assert here >= 0, f"{module} belongs to no layer: add it to LAYERS and the README"
        for imported in graph.find_modules_directly_imported_by(module):
            if not imported.startswith("scdocs"):
                continue
            there = _layer(imported)
            if there < here:
                upward.append(f"{module} -> {imported}")
    assert upward == []


def test_setuptools_ships_every_package() -> None:
    """The explicit package list (needed to map corpus/ to scdocs.catalogue) misses no package."""
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "scdocs").rglob("__init__.py")}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == found | {"scdocs.catalogue"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["scdocs.catalogue"] == "corpus"


def _declared() -> dict[str, set[str]]:
    """Distribution names (normalised) by where they are declared: core, or an extra."""
    def name(req: str) -> str:
        return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[; ]", req, maxsplit=1)[0]).lower()

    project = PYPROJECT["project"]
    out = {"core": {name(r) for r in project["dependencies"]}}
    for extra, reqs in project["optional-dependencies"].items():
        out[extra] = {name(r) for r in reqs}
    return out


def test_every_imported_package_is_declared(graph: grimp.ImportGraph) -> None:
    dists = importlib.metadata.packages_distributions()
    declared = set().union(*_declared().values())
    stdlib = set(sys.stdlib_module_names)
    missing = {}
    for module in _internal(graph):
        for imported in graph.find_modules_directly_imported_by(module):
            top = imported.split(".")[0]
            if top == "scdocs" or top in stdlib:
                continue
            names = {re.sub(r"[-_.]+", "-", d).lower() for d in dists.get(top, [top])}
            if not names & declared:
                missing.setdefault(top, module)
    assert missing == {}


def test_plotting_libraries_are_only_an_extra(graph: grimp.ImportGraph) -> None:
    declared = _declared()
    assert "matplotlib" not in declared["core"] and "matplotlib" in declared["plots"]
    users = {m for m in _internal(graph) for i in graph.find_modules_directly_imported_by(m)
             if i.split(".")[0] in ("matplotlib", "numpy")}
    assert users == {"scdocs.reports.plots"}


def test_charts_without_the_plots_extra_name_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scdocs.cli import app

    for mod in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # what `import matplotlib` meets when it is missing
    doc = tmp_path / "rules.md"
    doc.write_text("示例办法\n\n第一条　为了规范信用承诺，制定本办法。\n", encoding="utf-8")
    chart = tmp_path / "trend.png"
    result = CliRunner().invoke(app, ["trend", str(doc), "--theme", "rights-protection", "--chart", str(chart)])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: charts need matplotlib, which is not installed: "
                                     "pip install 'scdocs[plots]'")
    assert not chart.exists()
    tagged = CliRunner().invoke(app, ["tag", str(doc), "--format", "json"])  # the rest works without it
    assert tagged.exit_code == 0 and '"第一条"' in tagged.stdout
