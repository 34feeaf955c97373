from .brand import register

__all__ = ["register"]
