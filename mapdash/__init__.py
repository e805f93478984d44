"""mapdash: territory claimed and proposed in the Russia-Ukraine peace negotiations, on a map."""

from .claims import ClaimSet, check_claims, load_claims, save_claims
from .corpus import corpus_warnings, load_corpus
from .errors import (
    ClaimsError,
    CorpusError,
    ExportError,
    GeodataError,
    MapdashError,
    UnknownRegionError,
)
from .extract import extract_article
from .regions import GROUPS, REGION_IDS, REGIONS, expand_group, get_region, match_code, match_name
from .timeline import Selection, Timeline, transfer_beyond_line
from .types import Article, Claim, ControlFact, Evidence, Proposal, Region

__all__ = [
    "GROUPS",
    "REGIONS",
    "REGION_IDS",
    "Article",
    "Claim",
    "ClaimSet",
    "ClaimsError",
    "ControlFact",
    "CorpusError",
    "Evidence",
    "ExportError",
    "GeodataError",
    "MapdashError",
    "Proposal",
    "Region",
    "Selection",
    "Timeline",
    "UnknownRegionError",
    "check_claims",
    "corpus_warnings",
    "expand_group",
    "extract_article",
    "get_region",
    "load_claims",
    "load_corpus",
    "match_code",
    "match_name",
    "save_claims",
    "transfer_beyond_line",
]

__version__ = "0.1.0"
