"""A request as the modules pass it around.

``Record`` is a request in its storage form: the flat dictionary of fields the stores keep as JSON (the lifecycle's
docstring says which fields). Its typed form is ``Request``, converted to and from storage in one place.
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]
