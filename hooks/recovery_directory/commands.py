"""Imports every module that registers a sub-command with :mod:`cli`."""

from . import geocode_command  # noqa: F401 - recovery-directory geocode
from . import new_command  # noqa: F401 - recovery-directory new
from . import from_issue  # noqa: F401 - recovery-directory from-issue
from . import stale  # noqa: F401 - recovery-directory stale
from . import import_command  # noqa: F401 - recovery-directory import
from . import build_command  # noqa: F401 - recovery-directory build
