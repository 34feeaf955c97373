from .directory import register

__all__ = ["register"]
