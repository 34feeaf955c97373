"""The one FormService of this Lambda, shared by every Blueprint.

Blueprints (each domain's ``routes.py``) cannot import ``app.py`` (it imports them), so the service they all use
lives here: built on first use from the environment, swapped by tests with ``set_service``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import FormService

_service: FormService | None = None


def service() -> FormService:
    """Built on first use from the environment; tests swap it with set_service()."""
    global _service
    if _service is None:   # the service's modules are imported here, by the first request
        from ..config import Settings
        from ..service import FormService
        _service = FormService.from_settings(Settings.from_env())
    return _service


def set_service(new: FormService | None) -> None:
    global _service
    _service = new
