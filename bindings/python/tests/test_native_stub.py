"""The hand-written stub `_crmlite.pyi` declares exactly what the native module exports."""

from __future__ import annotations

import ast
import inspect
import pathlib

import crmlite
from crmlite import _crmlite

STUB = pathlib.Path(crmlite.__file__).with_name("_crmlite.pyi")


def _stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def _public(names: object) -> set[str]:
    return {n for n in names if not n.startswith("_")}  # type: ignore[attr-defined]


def test_stub_is_installed_with_the_package() -> None:
    assert STUB.is_file()
    assert pathlib.Path(crmlite.__file__).with_name("py.typed").is_file()


def test_stub_declares_every_native_name() -> None:
    declared: set[str] = set()
    for node in _stub_tree().body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            declared.add(node.target.id)
    assert _public(declared) == _public(dir(_crmlite))


def test_stub_functions_have_the_native_parameters() -> None:
    for node in _stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            native = inspect.signature(getattr(_crmlite, node.name))
            stub = [a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs]
            assert stub == list(native.parameters), node.name


def test_stub_classes_have_the_native_members() -> None:
    for node in _stub_tree().body:
        if isinstance(node, ast.ClassDef):
            declared = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} - {"__init__"}
            assert _public(declared) == _public(dir(getattr(_crmlite, node.name))), node.name
