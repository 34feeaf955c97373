from .sitedata import register

__all__ = ["register"]
