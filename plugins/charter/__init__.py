from .site_charter import register

__all__ = ["register"]
