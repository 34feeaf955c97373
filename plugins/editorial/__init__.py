from .editorial import register

__all__ = ["register"]
