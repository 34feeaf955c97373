"""The build pipeline: every output file written only when its bytes change, stale files removed exactly,
pages skipped when their inputs did not change, and the steps after the pages run in a fixed order.

The plugin's names (Pelican's signals) are imported on first use: ``make build`` (pipeline.build) first checks
whether anything changed since the last build (pipeline.nochange), before Pelican, the data model or any plugin
is loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .site_build import SiteBuild, site_build

if TYPE_CHECKING:
    from .plugin import Pipeline, finishing_step, pipeline_of, register

__all__ = ["Pipeline", "SiteBuild", "finishing_step", "pipeline_of", "register", "site_build"]

_PLUGIN = frozenset({"Pipeline", "finishing_step", "pipeline_of", "register"})  # need Pelican


def __getattr__(name: str):
    if name not in _PLUGIN:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import plugin

    value = getattr(plugin, name)
    globals()[name] = value
    return value
