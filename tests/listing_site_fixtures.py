"""The site of field_listings.py, built once a session; loaded with
``pytest_plugins = ["site_fixtures", "listing_site_fixtures"]``. The site has no
default service body (``entity: null``) and sends directions to Google Maps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from field_listings import LISTINGS
from hostile_listings import write_directory
from site_build import Site, mkdocs_build, serve, write_inheriting_config


@pytest.fixture(scope="session")
def fields_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("fields")
    config_path = write_inheriting_config(project, write_directory(project, LISTINGS))
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["extra"]["directory"].update(entity=None, directions="google", search=False)
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def fields_build(fields_project):
    return mkdocs_build(fields_project / "mkdocs.yml", fields_project / "site", cwd=fields_project)


@pytest.fixture(scope="session")
def fields_site(fields_build) -> Site:
    if fields_build.returncode != 0 or fields_build.warnings:
        pytest.fail(f"mkdocs build --strict failed or warned:\n{fields_build.output}", pytrace=False)
    return Site(fields_build.site_dir)


@pytest.fixture(scope="session")
def fields_server(fields_site):
    with serve(fields_site.root) as base:
        yield base
