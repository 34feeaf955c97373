from .publish import register

__all__ = ["register"]
