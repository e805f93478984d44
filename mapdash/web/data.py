"""Everything the dashboard reads from disk, as one value (see :mod:`.holder` for the live one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd

from ..claims import load_claims, servable_claims
from ..config import Paths
from ..control import installed_layers
from ..corpus import load_corpus
from ..geodata import load_context, load_regions, region_areas
from ..timeline import Timeline
from ..types import Article


@dataclass(frozen=True)
class AppData:
    """The loaded inputs of one dashboard: timeline, geometry, articles and region areas."""

    timeline: Timeline
    regions: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    articles: Mapping[str, Article]
    #: Region areas in km2 from the full-resolution boundaries.
    areas: Mapping[str, float]
    #: What failed its check and is not shown (articles, claims, control facts), and why.
    left_out: tuple[str, ...] = ()

    @classmethod
    def load(
        cls,
        paths: Paths,
        *,
        geometry: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, Mapping[str, float]] | None = None,
    ) -> AppData:
        """Read the claims, the corpus and the geodata of ``paths``.

        ``geometry`` (regions, context, areas) is used instead of reading the geodata, when
        the caller already holds the live one.

        An article that cannot be read, and a claim that fails ``mapdash claims --check``,
        are left out (``left_out`` says which and why); the app starts with the rest.

        Raises
        ------
        MapdashError
            When the claims file as a whole, the seeds folder or the geodata is unusable.
        """
        unreadable: list[str] = []
        articles = load_corpus(paths.seeds, unreadable=unreadable)
        claims, left = servable_claims(load_claims(paths.geodata / "claims.yaml"), articles)
        if geometry is None:
            regions = load_regions(resolution="web", geodata_dir=paths.geodata)
            context = load_context(geodata_dir=paths.geodata)
            areas: Mapping[str, float] = region_areas(
                load_regions(resolution="full", geodata_dir=paths.geodata)
            )
        else:
            regions, context, areas = geometry
        return cls(
            timeline=Timeline.from_source(
                claims,
                published={a.id: a.published for a in articles.values()},
                # Control layers installed by then are slider marks of their own.
                layers=[layer.date for layer in installed_layers(paths.geodata)],
            ),
            regions=regions,
            context=context,
            articles=articles,
            areas=areas,
            left_out=(*unreadable, *(item.describe() for item in left)),
        )
