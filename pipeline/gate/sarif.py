"""SARIF 2.1.0: one result per issue, so code-review tools show them inline on the translation files.

Rule ids are the check codes; a result's location is the file and line (and, when the file can be
read, the exact columns) of the flagged text in the target (the source for source-side issues such
as omissions), from pipeline/locations.py like every other output's.  Ignored issues are kept
as results with an external suppression, which GitHub code scanning and other viewers hide.  Columns
count UTF-16 code units, SARIF's default ``columnKind`` (stated in the run all the same).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..locations import IssueLocator, Location

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "neutral": "note"}


def _uri(path: Path, base: Path) -> tuple[str, bool]:
    """A URI relative to ``base`` (the repository root in CI) when the file lies inside it."""
    try:
        rel = path.resolve().relative_to(base.resolve())
        return quote(rel.as_posix()), True
    except ValueError:
        return path.resolve().as_uri(), False


def sarif_region(loc: Location) -> dict[str, Any] | None:
    """A SARIF region: lines 1-based; columns 1-based in UTF-16 code units, endColumn exclusive."""
    if not loc.line:
        return None
    region: dict[str, Any] = {"startLine": loc.line}
    if loc.column:
        region.update(startColumn=loc.column, endLine=loc.end_line or loc.line, endColumn=loc.end_column or loc.column)
    return region


def render_sarif(
    results: dict[str, Any],
    rules: dict[str, dict[str, str]] | None = None,
    base_dir: str | os.PathLike[str] | None = None,
    systems: list[str] | None = None,
) -> dict[str, Any]:
    """The SARIF log of the issues of ``systems`` (default: all); URIs relative to ``base_dir`` (cwd)."""
    base = Path(base_dir or os.getcwd())
    rules = rules or {}
    locator = IssueLocator(results)
    issues = [i for i in results["issues"] if systems is None or i["system"] in systems]
    samples: dict[str, dict[str, Any]] = {}
    for issue in issues:
        samples.setdefault(issue["code"], issue)  # the first issue of each code
    codes = sorted(samples)
    rule_index = {code: k for k, code in enumerate(codes)}
    descriptors = [_rule_descriptor(code, rules.get(code, {}), samples[code]) for code in codes]

    sarif_results = []
    relative_used = False
    for issue in issues:
        result = _sarif_result(issue, rule_index[issue["code"]])
        loc = locator.locate(issue)
        if loc.path is not None:
            physical, relative = _physical_location(issue, loc, loc.path, base)
            relative_used |= relative
            result["locations"] = [{"physicalLocation": physical}]
            if loc.unit:  # the localization unit, as a logical location a CAT tool can find
                result["locations"][0]["logicalLocations"] = [{"name": loc.unit, "kind": "element"}]
        if issue["ignored"]:
            result["suppressions"] = [_suppression(issue)]
        sarif_results.append(result)

    run: dict[str, Any] = {
        "tool": {"driver": {"name": "mtqa", "version": __version__, "semanticVersion": __version__, "rules": descriptors}},
        "columnKind": "utf16CodeUnits",
        "results": sarif_results,
        "properties": {"src_lang": results["job"]["src_lang"], "tgt_lang": results["job"]["tgt_lang"], "systems": results["job"]["systems"]},
    }
    if relative_used:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": base.resolve().as_uri() + "/"}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule_descriptor(code: str, info: dict[str, str], sample: dict[str, Any]) -> dict[str, Any]:
    """The rule of a check code; where ``info`` (the registry's) lacks something, from an issue."""
    descriptor: dict[str, Any] = {"id": code}
    if info.get("name"):
        descriptor["name"] = info["name"]
    descriptor["shortDescription"] = {"text": info.get("summary") or info.get("name") or code}
    descriptor["defaultConfiguration"] = {"level": LEVELS.get(sample["severity"], "warning")}
    descriptor["properties"] = {"category": info.get("category", sample["category"]), "tags": ["translation", sample["category"].split("/")[0]]}
    return descriptor


def _sarif_result(issue: dict[str, Any], rule_index: int) -> dict[str, Any]:
    """A result without its location: rule, level, message (flagged text first) and fingerprint."""
    message = issue["message"]
    if issue.get("suggestion"):
        message += f" (suggestion: {issue['suggestion']})"
    if issue["text"]:
        message = f"\"{issue['text']}\": {message}"
    return {
        "ruleId": issue["code"],
        "ruleIndex": rule_index,
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


def _physical_location(issue: dict[str, Any], loc: Location, path: Path, base: Path) -> tuple[dict[str, Any], bool]:
    """The file (relative to ``base`` when inside it: then the bool is true) and the flagged region."""
    uri, relative = _uri(path, base)
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, **({"uriBaseId": "%SRCROOT%"} if relative else {})}}
    region = sarif_region(loc)
    if region:
        if issue["text"]:
            region["snippet"] = {"text": issue["text"]}
        physical["region"] = region
    return physical, relative


def _suppression(issue: dict[str, Any]) -> dict[str, Any]:
    """An ignored issue is kept, suppressed: viewers hide it, the reason stays with it."""
    suppression: dict[str, Any] = {"kind": "external", "status": "accepted"}
    reason = (issue.get("data") or {}).get("ignore_reason")
    if reason:
        suppression["justification"] = reason
    return suppression
