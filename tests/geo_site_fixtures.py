"""The site of geo_listings.py, built once a session with a tile server
configured; loaded with ``pytest_plugins = ["site_fixtures", "geo_site_fixtures"]``."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo_listings import TILES, write_geo_directory
from site_build import Site, build_project, serve, write_inheriting_config


@pytest.fixture(scope="session")
def geo_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("geo")
    write_inheriting_config(project, write_geo_directory(project), tiles=TILES, search=False)
    return project


@pytest.fixture(scope="session")
def geo_site(geo_project) -> Site:
    return build_project(geo_project).site()


@pytest.fixture(scope="session")
def geo_server(geo_site):
    with serve(geo_site.root) as base:
        yield base
