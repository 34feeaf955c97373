"""Modules a route module names at its top but imports when a route first runs: registering the routes (the
Lambda's cold start) then pays for Chalice and the route table only, each route for what it uses.

    if TYPE_CHECKING:             # the type checker sees the real modules
        from . import inbox, signin
    else:
        inbox, signin = modules(__package__, ".inbox", ".signin")

A name read from one (``signin.home``) imports the module the first time; Python keeps it in ``sys.modules``.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any


class LazyModule:
    """Stands for a module until one of its names is read."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def modules(package: str | None, *names: str) -> tuple[Any, ...]:
    """The modules named relative to ``package`` (``.inbox``, ``..service``), each imported when first used."""
    return tuple(LazyModule(importlib.util.resolve_name(name, package)) for name in names)
