"""Where an issue sits in the input files: file, 1-based line and 1-based columns.

One function serves every human-facing output (XLSX, Markdown, HTML, SARIF, GitHub annotations, the
gate verdict), so that they all name the same place.  Machine outputs keep ``segment``, the 0-based
segment index; a location is what a reviewer opens in an editor:

* ``line``: the 1-based line of the file of the issue's side (the target file, or the source file for
  source-side issues such as omissions); for line-aligned text it is the segment index + 1, also
  when results.json left the segment texts out (large jobs); for TSV/CSV/JSONL the row's line;
* ``column``/``end_column``: 1-based, counted in UTF-16 code units (SARIF's default ``columnKind``,
  and what GitHub and editors built on JavaScript count); ``end_column`` is the column after the
  flagged text (SARIF's ``endColumn``).  Columns are given only when the file can be read and still
  holds the text at that place (for tabular rows: the cell's text occurs once in its line).

HF datasets and WMT XML have no lines: their issues carry no line, only the document and segment.
"""

from __future__ import annotations

import bisect
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .io.text import decode_utf8

LINE_FORMATS = ("lines", "tsv", "csv", "jsonl")  # one segment a line (or row)
L10N_FORMATS = ("xliff1", "xliff2", "tmx", "po", "l10n")  # localization files (l10n: a folder of them)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP (emoji) count twice."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


@dataclass(frozen=True, slots=True)
class Location:
    path: Path | None  # the input file (a document's file inside a folder input)
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based, UTF-16 code units
    end_line: int | None = None
    end_column: int | None = None  # the column after the flagged text
    unit: str | None = None  # the localization unit (XLIFF, TMX, PO input)

    def display_path(self, base: str | os.PathLike[str] | None = None) -> str:
        """The path relative to ``base`` (the working directory) when inside it, else as recorded."""
        if self.path is None:
            return ""
        try:
            return self.path.resolve().relative_to(Path(base or os.getcwd()).resolve()).as_posix()
        except ValueError:
            return str(self.path)

    def label(self, issue: dict[str, Any], base: str | os.PathLike[str] | None = None) -> str:
        """``hyp.en:17:5`` (compiler style), ``hyp.en:17``, or the document and 0-based segment
        index where the input has no lines."""
        unit = f" (unit {self.unit})" if self.unit else ""
        if self.path is not None and self.line:
            return f"{self.display_path(base)}:{self.line}" + (f":{self.column}" if self.column else "") + unit
        return f"{issue['document']} segment {issue['segment']}{unit}"


class _Files:
    """Each input file's text and line starts, read once; None for a file that cannot be read."""

    def __init__(self) -> None:
        self._texts: dict[Path, tuple[str, list[int]] | None] = {}

    def get(self, path: Path) -> tuple[str, list[int]] | None:
        if path not in self._texts:
            try:
                text = decode_utf8(path.read_bytes(), str(path))
            except Exception:  # a moved or unreadable file only costs the columns
                self._texts[path] = None
            else:
                starts = [0]
                find = text.find
                pos = find("\n")
                while pos >= 0:
                    starts.append(pos + 1)
                    pos = find("\n", pos + 1)
                self._texts[path] = (text, starts)
        return self._texts[path]

    def line(self, path: Path, line: int) -> str | None:
        got = self.get(path)
        if got is None or not 1 <= line <= len(got[1]):
            return None
        text, starts = got
        end = starts[line] - 1 if line < len(starts) else len(text)
        return text[starts[line - 1] : end]


class IssueLocator:
    """Locations of the issues of one results dict (files are read once per locator)."""

    def __init__(self, results: dict[str, Any]) -> None:
        self.files = _Files()
        self.inputs: dict[tuple[str, str], tuple[Path, str, bool]] = {}
        for item in results["job"]["inputs"]:
            path = Path(item["path"])
            self.inputs.setdefault((item["role"], item["name"]), (path, item["format"], path.is_dir()))
        self.documents = {d["id"]: d for d in results["documents"]}

    def _segment(self, issue: dict[str, Any], source_side: bool) -> dict[str, Any] | None:
        doc = self.documents.get(issue["document"], {})
        segs = doc.get("source") if source_side else doc.get("targets", {}).get(issue["system"])
        k = issue["segment"]
        return segs[k] if segs and 0 <= k < len(segs) else None

    def locate(self, issue: dict[str, Any]) -> Location:
        source_side = issue.get("side") == "source"
        found = self.inputs.get(("source", "source") if source_side else ("target", issue["system"]))
        if found is None:
            return Location(None)
        path, fmt, folder = found
        if fmt in L10N_FORMATS:  # the unit's line; an XLIFF <file> is "name#id" in a file of the folder
            seg = self._segment(issue, source_side)
            unit = (issue.get("data") or {}).get("unit")
            return Location(path / issue["document"].split("#")[0] if folder else path, seg.get("line") or None if seg else None, unit=unit)
        if folder:
            path = path / issue["document"]
        seg = self._segment(issue, source_side)
        if fmt in LINE_FORMATS:
            return self._in_line(path, fmt, seg, issue)
        if fmt == "text":
            return self._in_document(path, seg, issue)
        return Location(path)

    def _in_line(self, path: Path, fmt: str, seg: dict[str, Any] | None, issue: dict[str, Any]) -> Location:
        line = seg["line"] if seg and seg.get("line") else (issue["segment"] + 1 if fmt == "lines" else None)
        if not line:
            return Location(path)
        text = self.files.line(path, line)
        if text is None:
            return Location(path, line)
        seg_text = seg["text"] if seg else None
        if fmt == "lines":
            offset = len(text) - len(text.lstrip())  # the segment is the stripped line
            stripped = text.strip()
            if seg_text is not None and stripped != seg_text:
                return Location(path, line)  # the file changed since the run
            if seg_text is None:
                seg_text = stripped
        else:
            if not seg_text or text.count(seg_text) != 1:
                return Location(path, line)
            offset = text.index(seg_text)
        start = min(len(seg_text), max(0, issue["start"]))
        end = min(len(seg_text), max(start, issue["end"]))
        if issue.get("text") and seg_text[start:end] != issue["text"]:
            return Location(path, line)
        col = utf16_len(text[: offset + start]) + 1
        return Location(path, line, col, line, col + utf16_len(text[offset + start : offset + end]))

    def _in_document(self, path: Path, seg: dict[str, Any] | None, issue: dict[str, Any]) -> Location:
        if seg is None:
            return Location(path)
        got = self.files.get(path)
        seg_start = seg.get("start", 0)
        seg_end = seg.get("end", 0)
        # Segment offsets index the normalised file text; a paragraph joined from several lines
        # has spaces where the file has line breaks.
        if got is None or got[0][seg_start:seg_end].replace("\n", " ") != seg["text"]:
            return Location(path, seg.get("line") or None)
        text, starts = got
        start = seg_start + min(len(seg["text"]), max(0, issue["start"]))
        end = seg_start + min(len(seg["text"]), max(issue["start"], issue["end"]))
        line = bisect.bisect_right(starts, start)
        end_line = bisect.bisect_right(starts, end)
        col = utf16_len(text[starts[line - 1] : start]) + 1
        end_col = utf16_len(text[starts[end_line - 1] : end]) + 1
        return Location(path, line, col, end_line, end_col)


def issue_locations(results: dict[str, Any], issues: list[dict[str, Any]] | None = None) -> list[Location]:
    """The location of each issue (default: every issue of the results), in order."""
    locator = IssueLocator(results)
    return [locator.locate(i) for i in (results["issues"] if issues is None else issues)]
