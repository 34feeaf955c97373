"""The build pipeline: every output file written only when its bytes change, stale files removed exactly,
pages skipped when their inputs did not change, and the steps after the pages run in a fixed order."""

from .plugin import Pipeline, finishing_step, pipeline_of, register
from .site_build import SiteBuild, site_build

__all__ = ["Pipeline", "SiteBuild", "finishing_step", "pipeline_of", "register", "site_build"]
