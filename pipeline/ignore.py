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
results file, ``mtqa review import`` the false positives of a reviewer's decisions (pipeline/review.py).
Both edit the file in place: its comments, blank lines and the order of its entries stay.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, MutableSequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import _read_yaml as read_yaml_mapping
from .errors import ConfigError, InputError
from .filenames import DEFAULT_IGNORE_FILE
from .io.writers import atomic_write
from .model import Issue

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


def read_entry_list(path: str | Path, key: str, kind: str) -> Any:
    """The raw entry list of a YAML file whose one top-level key is ``key`` (the ignore file's
    ``ignore:``, the review file's ``review:``); ``kind`` names the file in the errors."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such {kind}")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected {'an' if kind[0] in 'aeiou' else 'a'} {kind}")
    try:
        data = read_yaml_mapping(p)
    except OSError as err:
        raise InputError(f"{p}: cannot read the {kind} ({err.strerror})") from None
    except RecursionError:
        raise InputError(f"{p}: invalid {kind} (nested too deeply)") from None
    if set(data) - {key}:
        raise ConfigError(f"{p}: expected one key at the top level, '{key}: [entries]'")
    return data.get(key)


def read_ignore_file(path: str | Path) -> IgnoreList:
    origin = str(Path(path))
    return IgnoreList(parse_entries(read_entry_list(path, "ignore", "ignore file"), origin), [origin])


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
    """Add the issues' fingerprints to the ignore file (created if absent); returns (added, already there).
    The file is edited in place: its comments and the order of its entries stay."""
    wanted: dict[str, dict[str, str]] = {}
    for issue in issues:
        wanted.setdefault(issue["fingerprint"], IgnoreEntry(issue["fingerprint"], reason, issue["code"], issue["text"] or None).to_dict())
    counts = edit_entry_file(Path(path), "ignore", _HEADER, read_ignore_file, wanted, set(), update=False)
    return counts.added, counts.unchanged


@dataclass(slots=True)
class EditCounts:
    """What an edit of an entry file changed, by fingerprint."""

    added: int = 0
    removed: int = 0
    updated: int = 0
    unchanged: int = 0

    def describe(self) -> str:
        return f"{self.added} added, {self.removed} removed, {self.updated} updated, {self.unchanged} unchanged"


def _round_trip_yaml(text: str) -> Any:
    from ruamel.yaml import YAML  # deferred: only editing a file needs the round-trip parser

    rt = YAML(typ="rt")
    rt.width = 4096
    # keep the file's own indentation of list items ("ignore:\n  - fingerprint" or "ignore:\n- fingerprint")
    m = re.search(r"^( *)- ", text, re.MULTILINE)
    offset = len(m.group(1)) if m else 2
    rt.indent(mapping=2, sequence=offset + 2, offset=offset)
    return rt


_RESOLVER = yaml.resolver.Resolver()


def _scalar(value: str) -> Any:
    """A string as it must be written for mtqa's reader (PyYAML, YAML 1.1) to read it back as the
    same string: quoted where 1.1 would make it something else (``yes``, ``0012``, ``1_000``), which
    the round-trip writer (YAML 1.2) leaves plain."""
    from ruamel.yaml.scalarstring import SingleQuotedScalarString  # deferred: only editing a file needs the round-trip parser

    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return SingleQuotedScalarString(value)
    return value


def edit_entry_file(
    path: Path,
    key: str,
    header: str,
    validate: Any,
    upserts: dict[str, dict[str, str]],
    removals: set[str],
    update: bool = True,
) -> EditCounts:
    """Add, change and remove entries (by fingerprint) of a YAML entry file (``key: [entries]``),
    keeping its comments, blank lines and the order of the entries (ruamel.yaml's round trip).

    ``validate(path)`` reads the file as mtqa does (safe YAML, checked entries) before anything is
    changed, so a broken file is reported, never rewritten.  ``upserts``: fingerprint -> entry; an
    entry already listed is changed to the new values when ``update`` (keys given as empty are
    left as they are), else left alone.  New entries go at the end.  The file is created (with
    ``header``) when absent and written atomically.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq  # deferred: only editing a file needs the round-trip parser

    counts = EditCounts()
    text = ""
    if path.exists():
        validate(path)
        text = path.read_text(encoding="utf-8-sig")
    if not re.search(rf"^{key}\s*:", text, re.MULTILINE):
        text = (text if text.strip() else header).rstrip("\n") + f"\n{key}:\n"
    rt = _round_trip_yaml(text)
    doc = rt.load(text)
    items = doc.get(key)
    if items is None or (not items and items.fa.flow_style()):  # "ignore:" or "ignore: []": a block list from here on
        items = doc[key] = CommentedSeq()
    seen: set[str] = set()
    for k in range(len(items) - 1, -1, -1):
        item = items[k]
        fingerprint = str(item["fingerprint"] if isinstance(item, dict) else item).strip().lower()
        if fingerprint in removals and fingerprint not in upserts:
            del items[k]
            counts.removed += 1
            continue
        seen.add(fingerprint)
        new = upserts.get(fingerprint)
        if new is None:
            continue
        if not update or (isinstance(item, dict) and all(item.get(f) == v for f, v in new.items() if v)):
            counts.unchanged += 1
            continue
        if not isinstance(item, dict):
            item = items[k] = CommentedMap([("fingerprint", fingerprint)])
        for f, v in new.items():
            if v:
                item[f] = _scalar(v)
        counts.updated += 1
    for fingerprint, new in upserts.items():
        if fingerprint not in seen:
            items.append(CommentedMap((f, _scalar(v)) for f, v in new.items() if v))
            counts.added += 1
    if counts.added or counts.removed or counts.updated or not path.exists():
        buffer = io.StringIO()
        rt.dump(doc, buffer)
        atomic_write(path, buffer.getvalue())
    return counts


def ignore_list_for(config: Any) -> IgnoreList:
    """The ignore list a run uses: ``config.ignore`` entries plus its file (named ones must exist)."""
    settings = config.ignore
    entries = [e.model_dump() for e in settings.entries]
    return resolve_ignore_list(settings.file, entries, explicit=settings.file not in (None, DEFAULT_IGNORE_FILE))
