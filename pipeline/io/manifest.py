"""Test-set layouts for batch runs: manifests and WMT-style folders, resolved to input paths.

A manifest (YAML or JSON) names the source, references and system outputs, relative to itself::

    src_lang: de
    tgt_lang: en
    line_aligned: true
    source: generaltest2022.de-en.src.de
    references: {A: generaltest2022.de-en.ref.A.en, B: generaltest2022.de-en.ref.B.en}
    systems: "generaltest2022.de-en.hyp.*.en"     # a glob (name = the differing part), a list or a mapping

A WMT-style folder holds ``<prefix>.src.<sl>``, ``<prefix>.ref.<NAME>.<tl>`` and ``<prefix>.hyp.<SYSTEM>.<tl>``
files (as the WMT22 general test set does); the language codes come from the file names.
A folder with ``source/``, ``references/<NAME>/`` and ``systems/<SYSTEM>/`` sub-folders holds documents.
"""

from __future__ import annotations

import glob
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..yamlfile import safe_load
from .text import decode_utf8, read_bytes

MANIFEST_KEYS = {"src_lang", "tgt_lang", "line_aligned", "source", "references", "systems"}
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")  # as config.LANGUAGE_TAG_RE
_WMT_FILE = re.compile(r"^(?P<prefix>.+)\.(?P<kind>src|ref|hyp)(?:\.(?P<name>[^/]+))?\.(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z]+)?)$")


@dataclass
class Layout:
    """Resolved inputs of a test set."""

    source: str
    systems: dict[str, str]
    references: dict[str, str] = field(default_factory=dict)
    src_lang: str | None = None
    tgt_lang: str | None = None
    line_aligned: bool | None = None
    origin: str = ""


def system_names(paths: Sequence[str]) -> list[str]:
    """Short, distinct names from file paths: the part that differs between them.

    generaltest2022.de-en.hyp.Online-A.en, ...hyp.PROMT.en -> Online-A, PROMT.
    """
    stems = [Path(p).name for p in paths]
    if len(stems) == 1:
        return [Path(stems[0]).stem or stems[0]]
    parts = [s.split(".") for s in stems]
    lead = 0
    while all(len(p) > lead + 1 for p in parts) and len({p[lead] for p in parts}) == 1:
        lead += 1
    trail = 0
    while all(len(p) > lead + trail + 1 for p in parts) and len({p[-1 - trail] for p in parts}) == 1:
        trail += 1
    names = [".".join(p[lead : len(p) - trail]) for p in parts]
    if len(set(names)) != len(names) or not all(names):
        names = stems
    if len(set(names)) != len(names):
        names = [str(Path(p)) for p in paths]
    return names


def _named_paths(value: Any, base: Path, what: str, origin: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        matches = sorted(glob.glob(str(base / value)))
        if not matches:
            raise InputError(f"{origin}: {what} pattern {value!r} matches no file")
        if len(matches) == 1 and not any(ch in value for ch in "*?["):
            return {Path(matches[0]).stem: matches[0]}
        return dict(zip(system_names(matches), matches))
    if isinstance(value, list):
        if not value or not all(isinstance(v, str) and v for v in value):
            raise InputError(f"{origin}: '{what}' must list file paths (strings)")
        paths = [str(base / v) for v in value]
        return dict(zip(system_names(paths), paths))
    if isinstance(value, dict):
        bad = next((k for k, v in value.items() if not isinstance(v, str) or not v), None)
        if bad is not None:
            raise InputError(f"{origin}: '{what}.{bad}' must be a file path (a string)")
        return {str(k): str(base / v) for k, v in value.items()}
    raise InputError(f"{origin}: '{what}' must be a path, a glob, a list or a mapping of name to path")


def read_manifest(path: str) -> Layout:
    p = Path(path)
    text = decode_utf8(read_bytes(p), path)
    try:
        data = json.loads(text) if p.suffix.lower() == ".json" else safe_load(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: not a valid manifest (invalid JSON at line {err.lineno}, column {err.colno}: {err.msg})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = " ".join(str(getattr(err, "problem", "") or type(err).__name__).split())
        raise InputError(f"{path}: not a valid manifest (invalid YAML{where}: {problem})") from None
    except RecursionError:
        raise InputError(f"{path}: not a valid manifest (nested too deeply)") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a manifest is a mapping with source, systems and references")
    unknown = sorted(set(data) - MANIFEST_KEYS)
    if unknown:
        raise InputError(f"{path}: unknown manifest key {unknown[0]!r} (known: {', '.join(sorted(MANIFEST_KEYS))})")
    if "source" not in data or "systems" not in data:
        raise InputError(f"{path}: a manifest needs 'source' and 'systems'")
    if not isinstance(data["source"], str) or not data["source"]:
        raise InputError(f"{path}: 'source' must be a file or folder path (a string)")
    for key in ("src_lang", "tgt_lang"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise InputError(f"{path}: '{key}' must be a language code (a string), got {repr(data[key])[:60]}")
    if data.get("line_aligned") is not None and not isinstance(data["line_aligned"], bool):
        raise InputError(f"{path}: 'line_aligned' must be true or false, got {repr(data['line_aligned'])[:60]}")
    for key in ("src_lang", "tgt_lang"):
        if isinstance(data.get(key), str) and _LANGUAGE_TAG.match(data[key]) is None:
            raise InputError(f"{path}: '{key}' must be a language tag such as de or en-GB, got {data[key][:60]!r}")
    base = p.parent
    systems = _named_paths(data["systems"], base, "systems", path)
    if not systems:
        raise InputError(f"{path}: no systems listed")
    return Layout(
        source=str(base / data["source"]),
        systems=systems,
        references=_named_paths(data.get("references"), base, "references", path),
        src_lang=data.get("src_lang"),
        tgt_lang=data.get("tgt_lang"),
        line_aligned=data.get("line_aligned"),
        origin=path,
    )


def is_manifest(path: str) -> bool:
    p = Path(path)
    return p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json")


def read_folder_layout(path: str) -> Layout | None:
    """A WMT-style or source/systems/references folder, or None if the folder is neither."""
    p = Path(path)
    if (p / "source").is_dir() and (p / "systems").is_dir():
        systems = {d.name: str(d) for d in sorted((p / "systems").iterdir()) if d.is_dir() or d.is_file()}
        refs = {d.name: str(d) for d in sorted((p / "references").iterdir())} if (p / "references").is_dir() else {}
        return Layout(str(p / "source"), systems, refs, origin=path)
    found: dict[str, list[re.Match[str]]] = {"src": [], "ref": [], "hyp": []}
    for f in sorted(p.iterdir()):
        m = _WMT_FILE.match(f.name)
        if f.is_file() and m:
            found[m["kind"]].append(m)
    if len(found["src"]) != 1 or not found["hyp"]:
        return None
    src = found["src"][0]
    return Layout(
        source=str(p / src.string),
        systems={m["name"] or m["prefix"]: str(p / m.string) for m in found["hyp"]},
        references={m["name"] or "ref": str(p / m.string) for m in found["ref"]},
        src_lang=src["lang"],
        tgt_lang=found["hyp"][0]["lang"],
        line_aligned=True,
        origin=path,
    )
