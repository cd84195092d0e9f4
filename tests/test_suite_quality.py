"""The test suite checks results, not only that nothing raises.

Every test function in tests/test_*.py must make at least one assertion about a result a user
would look at: an `assert` that is not only a status check, or `pytest.raises(..., match=...)`.
Assertions in module-level helpers a test calls count (followed through helpers that call
helpers, and through helpers imported from other modules in tests/).

Status-only and negative-only assertions do not count on their own: `exit_code`/`returncode`
comparisons, `x is not None`, `isinstance(...)`, `result.exception is None`, `x not in y` (such
as `"Traceback" not in r.output`: an unrelated failure passes it too) and `assert True`. Joined
with `and` to a real check they are fine (`r.exit_code == 2 and "no such file" in r.stderr`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
STATUS_ATTRS = {"exit_code", "returncode", "exception"}


def _conjuncts(expr: ast.expr) -> Iterator[ast.expr]:
    if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.And):
        for value in expr.values:
            yield from _conjuncts(value)
    else:
        yield expr


def _is_status_only(expr: ast.expr) -> bool:
    """Whether one conjunct of an assert checks only that something ran, not what it produced."""
    if isinstance(expr, ast.Constant):
        return True  # assert True
    if isinstance(expr, ast.BoolOp):  # `a or b` (and a nested `and`) is a status check if each part is
        return all(_is_status_only(v) for v in expr.values)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
        return _is_status_only(expr.operand)
    if isinstance(expr, ast.Attribute) and expr.attr in STATUS_ATTRS:
        return True  # assert not r.exception
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "isinstance":
        return True
    if isinstance(expr, ast.Compare):
        operands = [expr.left, *expr.comparators]
        if any(isinstance(o, ast.Attribute) and o.attr in STATUS_ATTRS for o in operands):
            return True
        if len(expr.ops) == 1 and isinstance(expr.ops[0], ast.IsNot) and (
                isinstance(expr.comparators[0], ast.Constant) and expr.comparators[0].value is None):
            return True  # x is not None
        if all(isinstance(op, ast.NotIn) for op in expr.ops):
            return True  # "secret" not in message: any message, even an unrelated one, passes
    return False


def _is_real_assert(node: ast.Assert) -> bool:
    return not all(_is_status_only(c) for c in _conjuncts(node.test))


def _is_raises_with_match(node: ast.Call) -> bool:
    func = node.func
    named = (isinstance(func, ast.Attribute) and func.attr == "raises") or (
        isinstance(func, ast.Name) and func.id == "raises")
    return named and any(k.arg == "match" for k in node.keywords)


def _called_names(func: ast.AST) -> set[str]:
    return {n.func.id for n in ast.walk(func) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def _checks_directly(func: ast.AST) -> bool:
    for n in ast.walk(func):
        if isinstance(n, ast.Assert) and _is_real_assert(n):
            return True
        if isinstance(n, ast.Call) and _is_raises_with_match(n):
            return True
    return False


def _helpers(tree: ast.Module, modules: dict[str, ast.Module]) -> dict[str, ast.FunctionDef]:
    """Module-level functions of a file, and those it imports from other modules in tests/."""
    out: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module in modules and node.level == 0:
            imported = _helpers(modules[node.module], {})
            for alias in node.names:
                if alias.name in imported:
                    out[alias.asname or alias.name] = imported[alias.name]
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = node
    return out


def _test_functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            yield node
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    yield item


def weak_tests(sources: dict[str, str]) -> list[str]:
    """`file::test` for every test that checks no result (`sources`: module name → source)."""
    modules = {name: ast.parse(src) for name, src in sources.items()}
    weak = []
    for name, tree in sorted(modules.items()):
        if not name.startswith("test_"):
            continue
        helpers = _helpers(tree, modules)
        for test in _test_functions(tree):
            seen: set[str] = set()
            todo: list[ast.AST] = [test]
            ok = False
            while todo and not ok:
                func = todo.pop()
                ok = _checks_directly(func)
                for called in _called_names(func) - seen:
                    seen.add(called)
                    if called in helpers:
                        todo.append(helpers[called])
            if not ok:
                weak.append(f"{name}.py::{test.name}")
    return weak


def test_every_test_asserts_on_a_result() -> None:
    sources = {p.stem: p.read_text(encoding="utf-8") for p in sorted(TESTS.glob("*.py"))}
    assert sum(1 for n in sources if n.startswith("test_")) >= 10
    assert weak_tests(sources) == []


CHECKER_CASES = '''
import pytest
from helpers import shared_check

def _check(doc):
    assert doc.units() == []

def _deeper(doc):
    _check(doc)

def _status(r):
    assert r.exit_code == 0, r.output

def test_no_assert():
    load("x")

def test_exit_code_only():
    r = run()
    assert r.exit_code == 0, r.output
    assert r.exception is None and "Traceback" not in r.output

def test_not_none_and_isinstance():
    assert load("x") is not None
    assert isinstance(load("x"), Document)

def test_raises_without_match():
    with pytest.raises(ValueError):
        load("x")

def test_status_helper():
    _status(run())

def test_either_status():
    r = run()
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.exit_code in (0, 2)
    assert not r.exception

def test_negative_only():
    with pytest.raises(ValueError) as info:
        load("x")
    assert "secret" not in str(info.value)

def test_real_assert():
    assert load("x").text == "x"

def test_status_and_message():
    r = run()
    assert r.exit_code == 2 and "no such file" in r.stderr

def test_raises_with_match():
    with pytest.raises(ValueError, match="bad"):
        load("x")

def test_helper():
    _deeper(load("x"))

def test_imported_helper():
    shared_check(load("x"))

class TestGroup:
    def test_method_without_assert(self):
        load("x")
'''

HELPERS = '''
def shared_check(doc):
    assert doc.text == "x"
'''


def test_checker_tells_status_checks_from_result_checks() -> None:
    assert weak_tests({"test_cases": CHECKER_CASES, "helpers": HELPERS}) == [
        "test_cases.py::test_no_assert",
        "test_cases.py::test_exit_code_only",
        "test_cases.py::test_not_none_and_isinstance",
        "test_cases.py::test_raises_without_match",
        "test_cases.py::test_status_helper",
        "test_cases.py::test_either_status",
        "test_cases.py::test_negative_only",
        "test_cases.py::test_method_without_assert",
    ]
