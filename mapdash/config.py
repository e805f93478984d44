"""Where mapdash finds its data: the project's geodata/ and seeds/, or folders the user names."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """The data folders one mapdash process works on."""

    geodata: Path
    seeds: Path

    @classmethod
    def default(cls) -> Paths:
        """Folders from MAPDASH_GEODATA / MAPDASH_SEEDS, else the embedded project data."""
        return cls(
            geodata=Path(os.environ.get("MAPDASH_GEODATA", PROJECT_ROOT / "geodata")),
            seeds=Path(os.environ.get("MAPDASH_SEEDS", PROJECT_ROOT / "seeds")),
        )
