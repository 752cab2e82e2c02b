"""Browser libraries copied into the site from ``node_modules/`` (``npm ci``
installs them from ``package-lock.json``), so no page loads code from a CDN.

Copied at build time rather than checked in: the lock file pins the exact
version and its checksum, and an update is one ``npm install`` away.
"""

from __future__ import annotations

import os
import shutil

from mkdocs.exceptions import PluginError

LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")
LEAFLET_TARGET = "assets/vendor/leaflet"
# The package's own repository, for a mkdocs.yml elsewhere that inherits ours.
_REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def copy_leaflet(project: str, site_dir: str) -> str:
    """Copy Leaflet's build into ``site_dir/assets/vendor/leaflet/``; return the source folder."""
    source = _find(os.path.join("node_modules", "leaflet"), (project, _REPOSITORY))
    target = os.path.join(site_dir, LEAFLET_TARGET)
    os.makedirs(target, exist_ok=True)
    for name in LEAFLET_FILES:
        path = os.path.join(source, "dist", name)
        if os.path.isdir(path):
            shutil.copytree(path, os.path.join(target, name), dirs_exist_ok=True)
        else:
            shutil.copyfile(path, os.path.join(target, name))
    shutil.copyfile(os.path.join(source, "LICENSE"), os.path.join(target, "LICENSE"))
    return source


def _find(relative: str, roots: tuple[str, ...]) -> str:
    for root in roots:
        path = os.path.join(root, relative)
        if os.path.isfile(os.path.join(path, "dist", "leaflet.js")):
            return path
    raise PluginError("extra.directory.tiles is set, so the site needs Leaflet for its maps: "
                      "run `npm ci` (or `make setup`) in the repository to install it into node_modules/")
