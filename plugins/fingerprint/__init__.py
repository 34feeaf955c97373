"""Pelican plugin: content-hashed names for theme assets (``FINGERPRINT_ASSETS = True``).

A renamed file never changes, so the deploy command can tell browsers and
CloudFront to keep it for a year, while pages stay short-lived.
"""

from .fingerprint import fingerprint_output, register

__all__ = ["fingerprint_output", "register"]
