"""SARIF 2.1.0: one result per issue, so code-review tools show them inline on the translation files.

Rule ids are the check codes; a result's location is the file and line (and, when the file can be
read, the exact columns) of the flagged text in the target (the source for source-side issues such
as omissions).  Ignored issues are kept as results with an external suppression, which GitHub code
scanning and other viewers hide.  Columns count Unicode code points (``columnKind``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..io.text import decode_utf8

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "neutral": "note"}


def _uri(path: Path, base: Path) -> tuple[str, bool]:
    """A URI relative to ``base`` (the repository root in CI) when the file lies inside it."""
    try:
        rel = path.resolve().relative_to(base.resolve())
        return quote(rel.as_posix()), True
    except ValueError:
        return path.resolve().as_uri(), False


class _Files:
    """Each input file's text, read once, to turn segment offsets into line and column."""

    def __init__(self) -> None:
        self._texts: dict[Path, str | None] = {}

    def text(self, path: Path) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = decode_utf8(path.read_bytes(), str(path))
            except Exception:  # a moved or unreadable file only costs the columns
                self._texts[path] = None
        return self._texts[path]


def _side_file(results: dict[str, Any], role: str, name: str, document: str) -> tuple[Path | None, str | None]:
    for item in results["job"]["inputs"]:
        if item["role"] == role and item["name"] == name:
            p = Path(item["path"])
            return (p / document if p.is_dir() else p), item["format"]
    return None, None


def _region(seg: dict[str, Any], issue: dict[str, Any], text: str | None) -> dict[str, int] | None:
    if text is not None:
        found = text.find(seg["text"], seg["start"]) if seg["text"] else -1
        if found >= 0 and found <= seg["start"] + 4 * max(1, seg["end"] - seg["start"]):
            start = found + issue["start"]
            end = found + max(issue["end"], issue["start"])
            line = text.count("\n", 0, start) + 1
            line_start = text.rfind("\n", 0, start) + 1
            region = {"startLine": line, "startColumn": start - line_start + 1}
            end_line = text.count("\n", 0, end) + 1
            end_line_start = text.rfind("\n", 0, end) + 1
            region["endLine"] = end_line
            region["endColumn"] = end - end_line_start + 1
            return region
    if seg.get("line", 0) >= 1:
        return {"startLine": seg["line"]}
    return None


def render_sarif(
    results: dict[str, Any],
    rules: dict[str, dict[str, str]] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    systems: list[str] | None = None,
) -> dict[str, Any]:
    """The SARIF log of the issues of ``systems`` (default: all); URIs relative to ``base_dir`` (cwd)."""
    base = Path(base_dir or os.getcwd())
    rules = rules or {}
    docs = {d["id"]: d for d in results["documents"]}
    files = _Files()
    issues = [i for i in results["issues"] if systems is None or i["system"] in systems]
    codes = sorted({i["code"] for i in issues})
    rule_index = {code: k for k, code in enumerate(codes)}
    descriptors = []
    for code in codes:
        info = rules.get(code, {})
        sample = next(i for i in issues if i["code"] == code)
        descriptor: dict[str, Any] = {"id": code}
        if info.get("name"):
            descriptor["name"] = info["name"]
        descriptor["shortDescription"] = {"text": info.get("summary") or info.get("name") or code}
        descriptor["defaultConfiguration"] = {"level": LEVELS.get(sample["severity"], "warning")}
        descriptor["properties"] = {"category": info.get("category", sample["category"]), "tags": ["translation", sample["category"].split("/")[0]]}
        descriptors.append(descriptor)

    sarif_results = []
    relative_used = False
    for issue in issues:
        role = "source" if issue["side"] == "source" else "target"
        name = "source" if role == "source" else issue["system"]
        path, fmt = _side_file(results, role, name, issue["document"])
        doc = docs.get(issue["document"], {})
        segs = doc.get("source") if role == "source" else doc.get("targets", {}).get(issue["system"])
        seg = segs[issue["segment"]] if segs and 0 <= issue["segment"] < len(segs) else None
        message = issue["message"]
        if issue.get("suggestion"):
            message += f" (suggestion: {issue['suggestion']})"
        if issue["text"]:
            message = f"\"{issue['text']}\": {message}"
        result: dict[str, Any] = {
            "ruleId": issue["code"],
            "ruleIndex": rule_index[issue["code"]],
            "level": LEVELS.get(issue["severity"], "warning"),
            "message": {"text": message},
            "partialFingerprints": {"mtqaFingerprint/v1": issue["fingerprint"]},
            "properties": {
                "severity": issue["severity"],
                "category": issue["category"],
                "system": issue["system"],
                "document": issue["document"],
                "segment": issue["segment"],
                "side": issue["side"],
            },
        }
        if path is not None:
            uri, relative = _uri(path, base)
            relative_used |= relative
            physical: dict[str, Any] = {"artifactLocation": {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})}}
            if seg is not None:
                text = files.text(path) if fmt in ("text", "lines") else None
                region = _region(seg, issue, text)
                if region:
                    if issue["text"]:
                        region["snippet"] = {"text": issue["text"]}
                    physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        if issue["ignored"]:
            suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
            reason = (issue.get("data") or {}).get("ignore_reason")
            if reason:
                suppression["justification"] = reason
            result["suppressions"] = [suppression]
        sarif_results.append(result)

    run: dict[str, Any] = {
        "tool": {"driver": {"name": "mtqa", "version": __version__, "semanticVersion": __version__, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "properties": {"src_lang": results["job"]["src_lang"], "tgt_lang": results["job"]["tgt_lang"], "systems": results["job"]["systems"]},
    }
    if relative_used:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
