from .preview import mark_page, register

__all__ = ["mark_page", "register"]
