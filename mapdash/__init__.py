"""mapdash: territory claimed and proposed in the Russia-Ukraine peace negotiations, on a map."""

from .errors import (
    ClaimsError,
    CorpusError,
    ExportError,
    GeodataError,
    MapdashError,
    UnknownRegionError,
)
from .regions import GROUPS, REGION_IDS, REGIONS, expand_group, get_region, match_code, match_name
from .types import Article, Claim, ControlFact, Evidence, Proposal, Region

__all__ = [
    "GROUPS",
    "REGIONS",
    "REGION_IDS",
    "Article",
    "Claim",
    "ClaimsError",
    "ControlFact",
    "CorpusError",
    "Evidence",
    "ExportError",
    "GeodataError",
    "MapdashError",
    "Proposal",
    "Region",
    "UnknownRegionError",
    "expand_group",
    "get_region",
    "match_code",
    "match_name",
]

__version__ = "0.1.0"
