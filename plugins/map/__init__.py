"""The map of the AIs (/carte/ and the small maps on département and AI pages), built with folium."""

from .plugin import register

__all__ = ["register"]
