"""Building the site in every language, as ``make site`` does, for the tests:
``recovery-directory build`` run as a contributor runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from site_build import REPO, Build

# The console script's own entry (python -m on cli.py would register the commands twice over).
CLI = "import sys; from recovery_directory.cli import main; sys.exit(main())"
SPANISH_CONFIG = yaml.load((REPO / "mkdocs.es.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
SPANISH_SITE_URL: str = SPANISH_CONFIG["site_url"]
SPANISH_SITE_NAME: str = SPANISH_CONFIG["site_name"]


def build_all_languages(site_dir: Path, *extra: str, cwd: Path = REPO, config: Path | None = None) -> Build:
    """``recovery-directory build`` into ``site_dir``, output kept for messages."""
    command = [sys.executable, "-c", CLI, "build", "-d", str(site_dir), *extra]
    if config is not None:
        command += ["-f", str(config)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    return Build(site_dir, result.stdout + result.stderr, result.returncode)
