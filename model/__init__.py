"""The data model of the site: one loader and validator for every YAML and reference file.

Pelican plugins, the map, the print kit and the form functions' routing table all read
the typed objects built here, never the raw files.
"""

from .associations import Association
from .charter import Brand
from .communes import Commune, CommuneReference, Departement, FormerCommune
from .errors import DataError, Problem
from .partners import Partner
from .services import Service
from .settings import Network, ReferralSource, Settings
from .shapes import ShapeFile, Shapes
from .site import SiteData, load_site

__all__ = [
    "Association", "Brand", "Commune", "CommuneReference", "DataError", "Departement", "FormerCommune",
    "Network", "Partner", "Problem", "ReferralSource", "Service", "Settings", "ShapeFile", "Shapes", "SiteData",
    "load_site",
]
