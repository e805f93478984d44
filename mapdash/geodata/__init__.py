"""Region geodata: the only package that reads or writes GeoJSON.

- :mod:`.read`: bounded parsing, CRS, reprojection, repair; :func:`read_geojson`;
- :mod:`.match`: which of the six regions a feature's properties name;
- :mod:`.validate`: areas and the plausibility checks, against the shipped reference;
- :mod:`.layers`: control layers (dated territory held by Russia) and their attribution;
- :mod:`.versions`: the folder's layout, the live version of the boundaries, loading;
- :mod:`.install`: the one install pipeline, versions, removal and rollback;
- :mod:`.audit`: the append-only audit log;
- :mod:`.write`: deterministic GeoJSON bytes; :mod:`.coverage`: shared-border simplification.

Everything returned is in EPSG:4326 with exterior rings clockwise (what d3-geo draws).
"""

from __future__ import annotations

from .audit import AUDIT_FILE, AuditEntry, read_audit
from .coverage import clean_coverage, simplify_coverage, simplify_coverage_around
from .install import (
    Installed,
    InstalledLayer,
    boundaries_attribution,
    guess_kind,
    install_bytes,
    install_file,
    list_installed,
    locked,
    region_files,
    remove_layer,
    rollback,
)
from .layers import ControlLayer, read_control
from .match import CODE_PROPERTIES, NAME_PROPERTIES, Match, feature_label, match_properties
from .read import (
    DEFAULT_MAX_BYTES,
    EQUAL_AREA_CRS,
    MAX_FEATURES,
    MAX_NUMBER_DIGITS,
    MAX_PROBLEMS,
    MAX_VERTICES,
    WGS84,
    FeatureReport,
    FeatureSet,
    GeoFeature,
    GeojsonReport,
    Winding,
    orient_for_drawing,
    read_features,
    read_geojson,
    summarise,
)
from .validate import (
    AREA_TOLERANCE,
    check_control,
    check_regions,
    land_outline,
    reference_areas,
    region_areas,
    validate_file,
)
from .versions import (
    BOUNDARIES,
    CONTEXT_KINDS,
    CONTEXT_WEB_FILE,
    KINDS,
    REGIONS_FILE,
    REGIONS_WEB_FILE,
    SHIPPED,
    ContextKind,
    Kind,
    Resolution,
    boundaries_dir,
    current_boundaries,
    load_context,
    load_regions,
    shipped_regions,
)
from .write import dumps_geojson, write_geojson

__all__ = [
    "AREA_TOLERANCE",
    "AUDIT_FILE",
    "BOUNDARIES",
    "CODE_PROPERTIES",
    "CONTEXT_KINDS",
    "CONTEXT_WEB_FILE",
    "DEFAULT_MAX_BYTES",
    "EQUAL_AREA_CRS",
    "KINDS",
    "MAX_FEATURES",
    "MAX_NUMBER_DIGITS",
    "MAX_PROBLEMS",
    "MAX_VERTICES",
    "NAME_PROPERTIES",
    "REGIONS_FILE",
    "REGIONS_WEB_FILE",
    "SHIPPED",
    "WGS84",
    "AuditEntry",
    "ContextKind",
    "ControlLayer",
    "FeatureReport",
    "FeatureSet",
    "GeoFeature",
    "GeojsonReport",
    "Installed",
    "InstalledLayer",
    "Kind",
    "Match",
    "Resolution",
    "Winding",
    "boundaries_attribution",
    "boundaries_dir",
    "check_control",
    "check_regions",
    "clean_coverage",
    "current_boundaries",
    "dumps_geojson",
    "feature_label",
    "guess_kind",
    "install_bytes",
    "install_file",
    "land_outline",
    "list_installed",
    "load_context",
    "load_regions",
    "locked",
    "match_properties",
    "orient_for_drawing",
    "read_audit",
    "read_control",
    "read_features",
    "read_geojson",
    "reference_areas",
    "region_areas",
    "region_files",
    "remove_layer",
    "rollback",
    "shipped_regions",
    "simplify_coverage",
    "simplify_coverage_around",
    "summarise",
    "validate_file",
    "write_geojson",
]
