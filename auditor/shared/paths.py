"""Where the project's data lives: the one place that knows the folder layout.

``configs/`` (frameworks, markers, texts, budgets) and ``node_modules/`` (the tracker database
and consent rules installed by ``npm ci``) sit at the project root, beside the packages; every
module that reads them asks here instead of counting ``parents`` of its own file.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIGS_DIR = PROJECT_ROOT / "configs"
NODE_MODULES_DIR = PROJECT_ROOT / "node_modules"


def config_path(*parts: str) -> Path:
    """A file or folder under ``configs/``: ``config_path("markers", "flemish.toml")``."""
    return CONFIGS_DIR.joinpath(*parts)
