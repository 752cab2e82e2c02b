"""The site of geo_listings.py, built once a session with a tile server
configured; loaded with ``pytest_plugins = ["site_fixtures", "geo_site_fixtures"]``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from geo_listings import TILES, write_geo_directory
from site_build import Site, mkdocs_build, serve, write_inheriting_config


@pytest.fixture(scope="session")
def geo_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("geo")
    config_path = write_inheriting_config(project, write_geo_directory(project))
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["extra"]["directory"].update(tiles=TILES, search=False)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def geo_site(geo_project) -> Site:
    build = mkdocs_build(geo_project / "mkdocs.yml", geo_project / "site", cwd=geo_project)
    if build.returncode != 0 or build.warnings:
        pytest.fail(f"mkdocs build --strict failed or warned:\n{build.output}", pytrace=False)
    return Site(build.site_dir)


@pytest.fixture(scope="session")
def geo_server(geo_site):
    with serve(geo_site.root) as base:
        yield base
