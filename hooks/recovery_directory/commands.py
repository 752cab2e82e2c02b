"""Imports every module that registers a sub-command with :mod:`cli`."""

from . import geocode_command  # noqa: F401 - recovery-directory geocode
