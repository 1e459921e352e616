"""The app's own `manifest.yml`: what it asks Slack for (its bot scopes, its events).

Read without a YAML library (none is a dependency): the manifest's lists are plain. A
checkout has it at the top of the repository; an installed wheel does not ship it.
"""

from __future__ import annotations

from pathlib import Path

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


def manifest_list(*path: str, manifest: Path = MANIFEST) -> list[str]:
    """The block list at `path` in the manifest (`"oauth_config", "scopes", "bot"`), read
    without a YAML library (none is a dependency): the manifest's lists are plain."""
    lines = [
        line.split(" #", 1)[0].rstrip()
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    depth, indent, items = 0, -1, []
    for line in lines:
        here = len(line) - len(line.lstrip())
        text = line.strip()
        if depth < len(path):
            if here > indent and text == f"{path[depth]}:":
                depth, indent = depth + 1, here
            elif here <= indent:
                break
            continue
        if here <= indent:
            break
        if text.startswith("- "):
            items.append(text[2:].strip().strip("\"'"))
    if depth < len(path):
        raise KeyError(f"{'.'.join(path)} is not in {manifest}")
    return items


def manifest_scopes(manifest: Path = MANIFEST) -> frozenset[str] | None:
    """The bot scopes `manifest.yml` asks for; None without a manifest (an installed wheel)."""
    if not manifest.is_file():
        return None
    return frozenset(manifest_list("oauth_config", "scopes", "bot", manifest=manifest))
