"""The site of field_listings.py, built once a session; loaded with
``pytest_plugins = ["site_fixtures", "listing_site_fixtures"]``. The site has no
default service body (``entity: null``) and sends directions to Google Maps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from field_listings import LISTINGS
from hostile_listings import write_directory
from site_build import Site, build_project, serve, write_inheriting_config


@pytest.fixture(scope="session")
def fields_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("fields")
    write_inheriting_config(project, write_directory(project, LISTINGS), entity=None, directions="google", search=False)
    return project


@pytest.fixture(scope="session")
def fields_build(fields_project):
    return build_project(fields_project)


@pytest.fixture(scope="session")
def fields_site(fields_build) -> Site:
    return fields_build.site()


@pytest.fixture(scope="session")
def fields_server(fields_site):
    with serve(fields_site.root) as base:
        yield base
