"""Imports every module that registers a sub-command with :mod:`cli`."""
