"""Where the prompts/ and migrations/ folders are, however mentorbot was installed.

They sit at the top of the repository, beside bot/. A wheel (`pip install .`, a Docker
image, a buildpack) ships them inside the package as bot/prompts and bot/migrations
(see `package-dir` in pyproject.toml); a checkout or an editable install reads them
from the source tree.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The folder NAME (`prompts` or `migrations`): installed package data, else the checkout's."""
    candidates = (PACKAGE / name, PACKAGE.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"mentorbot's {name}/ folder is missing: looked in "
        + " and ".join(str(candidate) for candidate in candidates)
        + "; reinstall mentorbot"
    )
