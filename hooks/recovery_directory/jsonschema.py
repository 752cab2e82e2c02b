"""JSON Schema files generated from :mod:`schema` and the vocabularies, for
editors (the YAML language server) and for the contributor docs."""

from __future__ import annotations

import json
from typing import Any

from .schema import KINDS
from .vocabularies import load_vocabularies

SCHEMA_BASE = "https://recovery-directory.invalid/schema/"


def schema_files(directory: str = "directory") -> dict[str, str]:
    vocabularies = load_vocabularies(directory)
    codes = {key: list(vocab.terms) for key, vocab in vocabularies.terms.items()}
    codes["regions"] = list(vocabularies.regions)
    derived = {t.code for t in vocabularies.terms["meeting-types"] if t.extra.get("derived")}
    codes["meeting-types"] = [c for c in codes["meeting-types"] if c not in derived]
    files = {}
    for kind in KINDS:
        document = kind.record.schema()
        document = _fill_vocabularies(document, codes)
        document = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}{kind.key}.schema.json",
            "description": f"One {kind.record.title.lower()} listing, a YAML file in directory/{kind.folder}/.",
            **document,
        }
        files[f"{kind.key}.schema.json"] = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return files


def _fill_vocabularies(node: Any, codes: dict[str, list[str]]) -> Any:
    if isinstance(node, dict):
        out = {k: _fill_vocabularies(v, codes) for k, v in node.items() if k != "x-vocabulary"}
        if "x-vocabulary" in node:
            out["enum"] = codes[node["x-vocabulary"]]
        return out
    if isinstance(node, list):
        return [_fill_vocabularies(v, codes) for v in node]
    return node
