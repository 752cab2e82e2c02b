"""Sites for the offline tests; loaded with ``pytest_plugins = ["site_fixtures",
"offline_site_fixtures"]``.

- ``changeable_server``: a copy of the example site, served, that a test may
  change as a new build would (the session's ``example_site`` stays as built);
- ``no_worker_site``: the example directory built with
  ``extra.directory.service_worker: false`` through an inheriting ``mkdocs.yml``;
- ``sharded_site``/``sharded_server``: a copy of the example site with the saved
  listings' data cut as a directory of thousands is (a few listings a shard,
  so that two listings are in two of many shards).
"""

from __future__ import annotations

import shutil

import pytest

from recovery_directory import offline
from recovery_directory.enrich import enrich
from recovery_directory.site_model import build_model
from recovery_directory.validate import validate_directory
from site_build import REPO, Site, build_project, serve, write_inheriting_config

SHARDED_BYTES = 2_000  # the example's 47 listings in about 9 shards


@pytest.fixture
def changeable_site(example_site, tmp_path) -> Site:
    copy = tmp_path / "site"
    shutil.copytree(example_site.root, copy)
    return Site(copy)


@pytest.fixture
def changeable_server(changeable_site):
    with serve(changeable_site.root) as base:
        yield base


@pytest.fixture(scope="session")
def no_worker_site(tmp_path_factory) -> Site:
    project = tmp_path_factory.mktemp("no-worker")
    write_inheriting_config(project, REPO / "directory", service_worker=False, search=False)
    return build_project(project).site()


@pytest.fixture(scope="session")
def no_worker_server(no_worker_site):
    with serve(no_worker_site.root) as base:
        yield base


@pytest.fixture(scope="session")
def sharded_site(example_site, tmp_path_factory) -> Site:
    copy = tmp_path_factory.mktemp("sharded") / "site"
    shutil.copytree(example_site.root, copy)
    directory = validate_directory(str(REPO / "directory"))  # its own: enrich changes the listings
    directory.problems += enrich(directory.listings, directory.vocabularies, str(REPO / "directory"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(offline, "SHARD_BYTES", SHARDED_BYTES)
        offline.write_listings_data(build_model(directory.vocabularies, directory.listings), str(copy))
    return Site(copy)


@pytest.fixture(scope="session")
def sharded_server(sharded_site):
    with serve(sharded_site.root) as base:
        yield base

