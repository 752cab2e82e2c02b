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


# Workbox's loader and the modules sw.js uses: the prod builds only (workbox-sw
# loads the dev builds solely on localhost, which sw.js switches off).
WORKBOX_MODULES = ("workbox-sw", "workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration",
                   "workbox-precaching")
WORKBOX_TARGET = "assets/vendor/workbox"


def copy_workbox(project: str, site_dir: str) -> None:
    """Copy Workbox into ``site_dir/assets/vendor/workbox/``, where sw.js loads it from (never a CDN)."""
    target = os.path.join(site_dir, WORKBOX_TARGET)
    os.makedirs(target, exist_ok=True)
    for module in WORKBOX_MODULES:
        name = "workbox-sw.js" if module == "workbox-sw" else f"{module}.prod.js"
        source = _find_file(os.path.join("node_modules", module, "build", name), (project, _REPOSITORY),
                            "extra.directory.service_worker is on, so the site needs Workbox")
        shutil.copyfile(source, os.path.join(target, name))
    shutil.copyfile(os.path.join(os.path.dirname(os.path.dirname(source)), "LICENSE"), os.path.join(target, "LICENSE"))


def _find_file(relative: str, roots: tuple[str, ...], why: str) -> str:
    for root in roots:
        if os.path.isfile(os.path.join(root, relative)):
            return os.path.join(root, relative)
    raise PluginError(f"{why}: run `npm ci` (or `make setup`) in the repository to install it into node_modules/ "
                      "(or set extra.directory.service_worker: false)")
