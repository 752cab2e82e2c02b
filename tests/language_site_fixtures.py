"""The example directory built in every language, as ``make site`` builds it:
``recovery-directory build`` (each language's ``mkdocs build --strict`` side by
side, then Pagefind once over the whole site). Load with
``pytest_plugins = ["site_fixtures", "language_site_fixtures"]``.

- ``languages_build``: the command's result;
- ``whole_site``: the whole site (English at its root);
- ``spanish_site``: its ``es/`` folder, addressed like a site of its own;
- ``whole_server``: the whole site on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from language_build import SPANISH_SITE_URL, build_all_languages
from site_build import Build, Site, serve


@pytest.fixture(scope="session")
def languages_build(tmp_path_factory) -> Build:
    return build_all_languages(tmp_path_factory.mktemp("languages") / "site")


@pytest.fixture(scope="session")
def whole_site(languages_build) -> Site:
    return languages_build.site("recovery-directory build")


@pytest.fixture(scope="session")
def spanish_site(whole_site) -> Site:
    return Site(whole_site.root / "es", SPANISH_SITE_URL)


@pytest.fixture(scope="session")
def whole_server(whole_site):
    with serve(whole_site.root) as base:
        yield base
