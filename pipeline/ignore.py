"""Ignore lists: findings a reviewer has accepted as false positives, named by fingerprint.

An ignored issue stays in every output (marked ``ignored``, counted separately, a suppressed result
in SARIF) but counts towards no score and fails no gate.  Fingerprints hash the rule code, the flagged
text and its segment (see :func:`pipeline.model.make_fingerprint`), so an entry keeps matching when
unrelated text elsewhere in the document changes.

The file (``.mtqa-ignore`` by default, YAML)::

    ignore:
      - fingerprint: 3f0c1a9e5b7d2c44
        reason: house style keeps the German spelling
        code: N101          # optional, for the reader: the rule and the flagged text
        text: Selenskyj

Entries can also sit in a config file under ``ignore.entries``; ``mtqa ignore`` adds entries from a
results file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableSequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import _read_yaml as read_yaml_mapping
from .errors import ConfigError, InputError
from .io.writers import atomic_write
from .model import Issue

DEFAULT_IGNORE_FILE = ".mtqa-ignore"
_FINGERPRINT = re.compile(r"^[0-9a-f]{16}$")
_HEADER = (
    "# mtqa ignore list: findings reviewed as false positives, by fingerprint.\n"
    "# Ignored issues stay in the reports but count towards no score and fail no gate.\n"
    "# `mtqa ignore RESULTS --fingerprint FP --reason TEXT` adds entries.\n"
)


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    fingerprint: str
    reason: str | None = None
    code: str | None = None
    text: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"fingerprint": self.fingerprint}
        for key in ("reason", "code", "text"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


class IgnoreList:
    """Entries by fingerprint; later entries for the same fingerprint keep the first one's reason."""

    def __init__(self, entries: Iterable[IgnoreEntry] = (), sources: Iterable[str] = ()) -> None:
        self.entries: dict[str, IgnoreEntry] = {}
        self.sources = list(sources)
        for entry in entries:
            self.entries.setdefault(entry.fingerprint, entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, fingerprint: str) -> bool:
        return fingerprint in self.entries

    def merged(self, other: IgnoreList) -> IgnoreList:
        return IgnoreList([*self.entries.values(), *other.entries.values()], [*self.sources, *other.sources])

    def apply(self, issues: Iterable[Issue]) -> int:
        """Mark the listed issues ignored (the list is the truth: others are un-ignored); returns how many."""
        count = 0
        for issue in issues:
            entry = self.entries.get(issue.fingerprint)
            issue.ignored = entry is not None
            if entry is not None:
                count += 1
                if entry.reason:
                    issue.data["ignore_reason"] = entry.reason
        return count

    def apply_dicts(self, issues: MutableSequence[dict[str, Any]]) -> int:
        """The same for issues in a results dict (``mtqa gate``/``report`` on a results.json)."""
        count = 0
        for issue in issues:
            entry = self.entries.get(issue["fingerprint"])
            issue["ignored"] = entry is not None
            if entry is not None:
                count += 1
                if entry.reason:
                    issue.setdefault("data", {})["ignore_reason"] = entry.reason
        return count

    def dump(self) -> str:
        body = yaml.safe_dump({"ignore": [e.to_dict() for e in self.entries.values()]}, allow_unicode=True, sort_keys=False, width=100)
        return _HEADER + body


def parse_entries(raw: Any, origin: str) -> list[IgnoreEntry]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"{origin}: 'ignore' must be a list of entries with a fingerprint")
    entries = []
    for k, item in enumerate(raw, start=1):
        if isinstance(item, str):
            item = {"fingerprint": item}
        if not isinstance(item, dict) or "fingerprint" not in item or isinstance(item["fingerprint"], (list, dict)):
            raise ConfigError(f"{origin}: ignore entry {k} needs a 'fingerprint'")
        unknown = set(item) - {"fingerprint", "reason", "code", "text"}
        if unknown:
            raise ConfigError(f"{origin}: ignore entry {k}: unknown key '{sorted(unknown)[0]}'")
        fingerprint = str(item["fingerprint"]).strip().lower()
        if not _FINGERPRINT.match(fingerprint):
            raise ConfigError(f"{origin}: ignore entry {k}: {item['fingerprint']!r} is not a fingerprint (16 hex digits)")
        entries.append(
            IgnoreEntry(
                fingerprint,
                _opt_str(item.get("reason"), origin, k, "reason"),
                _opt_str(item.get("code"), origin, k, "code"),
                _opt_str(item.get("text"), origin, k, "text"),
            )
        )
    return entries


def _opt_str(value: Any, origin: str = "ignore list", k: int = 0, key: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict, set, tuple)):  # text, not a structure (nor a YAML alias bomb)
        raise ConfigError(f"{origin}: ignore entry {k}: '{key}' must be text")
    return str(value)


def read_ignore_file(path: str | Path) -> IgnoreList:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such ignore file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected an ignore file")
    try:
        data = read_yaml_mapping(p)
    except OSError as err:
        raise InputError(f"{p}: cannot read the ignore file ({err.strerror})") from None
    except RecursionError:
        raise InputError(f"{p}: invalid ignore file (nested too deeply)") from None
    if set(data) - {"ignore"}:
        raise ConfigError(f"{p}: expected one key at the top level, 'ignore: [entries]'")
    return IgnoreList(parse_entries(data.get("ignore"), str(p)), [str(p)])


def resolve_ignore_list(file: str | None, entries: Iterable[dict[str, Any]] = (), explicit: bool = False) -> IgnoreList:
    """Config entries plus the ignore file; the default file may be absent, a file named by the user may not."""
    listed = IgnoreList(parse_entries(list(entries), "config 'ignore.entries'"), ["config"] if entries else [])
    if file and (explicit or Path(file).exists()):
        listed = listed.merged(read_ignore_file(file))
    return listed


def apply_ignore_file(data: dict[str, Any], path: str | None) -> IgnoreList | None:
    """Recompute a results dict's ``ignored`` marks from the run's config entries plus the ignore
    file (``path``, or the default file when present); None when there is neither."""
    config_entries = parse_entries((data.get("config") or {}).get("ignore", {}).get("entries") or [], "results config 'ignore.entries'")
    listed = IgnoreList(config_entries)
    if path:
        listed = listed.merged(read_ignore_file(path))
    elif Path(DEFAULT_IGNORE_FILE).exists():
        listed = listed.merged(read_ignore_file(DEFAULT_IGNORE_FILE))
    elif not config_entries:
        return None
    listed.apply_dicts(data["issues"])
    return listed


def add_entries(path: str | Path, issues: Iterable[dict[str, Any]], reason: str | None) -> tuple[int, int]:
    """Add the issues' fingerprints to the ignore file (created if absent); returns (added, already there)."""
    p = Path(path)
    existing = read_ignore_file(p) if p.exists() else IgnoreList()
    added = already = 0
    new = []
    seen = set(existing.entries)
    for issue in issues:
        if issue["fingerprint"] in seen:
            already += 1
            continue
        seen.add(issue["fingerprint"])
        new.append(IgnoreEntry(issue["fingerprint"], reason, issue["code"], issue["text"] or None))
        added += 1
    atomic_write(p, IgnoreList([*existing.entries.values(), *new]).dump())
    return added, already


def ignore_list_for(config: Any) -> IgnoreList:
    """The ignore list a run uses: ``config.ignore`` entries plus its file (named ones must exist)."""
    settings = config.ignore
    entries = [e.model_dump() for e in settings.entries]
    return resolve_ignore_list(settings.file, entries, explicit=settings.file not in (None, DEFAULT_IGNORE_FILE))
