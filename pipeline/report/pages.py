"""How a large job's HTML report is cut into pages that a browser opens in well under a second.

A page holds *slices*: a whole document, or (a document too large for one page) a run of its source
segments with the beads anchored there.  A bead's anchor is its first source segment (a bead with no
source, an insertion, goes with the bead before it), so each system's beads on a slice are one
consecutive run, and so are the target and reference segments they cover: a slice's texts are one
list slice per side, and a page's indices count from the slice's first segment on each side.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A report whose aligned texts (segments x (source, every system, every reference)) are more than
# this is cut into pages: one page of 60,000 segments x 9 systems would be 80 MB, and no browser
# opens that in under a second.  WMT22 de-en (1,984 segments, 9 systems, 2 references) is 24,000.
PAGE_TEXTS = 100_000


@dataclass(slots=True)
class Slice:
    doc: int  # index in results.json's documents
    lo: int  # source segments [lo, hi)
    hi: int
    beads: dict[str, tuple[int, int]] = field(default_factory=dict)  # system -> its beads [from, to)
    targets: dict[str, tuple[int, int]] = field(default_factory=dict)  # system -> target segments [from, to)
    references: dict[str, tuple[int, int]] = field(default_factory=dict)  # reference -> segments [from, to)
    part: tuple[int, int] | None = None  # (k, of n) where the document is cut

    def bead_range(self, system: str) -> tuple[int, int]:
        return self.beads.get(system, (0, 0))


@dataclass(slots=True)
class Page:
    """One page of the report: its slices, and where every page's slices are (for links)."""

    index: int
    slices: list[Slice]
    names: list[str]
    pages: list[list[Slice]]
    shared: dict[str, Any] = field(default_factory=dict)  # what every page of the report computes alike, computed once

    def href(self, system: str, system_index: int, doc: int, bead: int) -> str:
        """The link to a system's bead (results.json document index and bead): ``#s=..&seg=..`` on
        this page, or the page file that has it."""
        for k, slices in enumerate(self.pages):
            for local, sl in enumerate(slices):
                lo, hi = sl.bead_range(system)
                if sl.doc == doc and lo <= bead < hi:
                    return ("" if k == self.index else self.names[k]) + f"#s={system_index}&seg={local}-{bead - lo}"
        return f"#s={system_index}"

    def summary(self) -> list[dict[str, Any]]:
        """Per page: its file name, documents (or parts), source segments and the number of its first."""
        out, first = [], 1
        for k, slices in enumerate(self.pages):
            segments = sum(sl.hi - sl.lo for sl in slices)
            out.append({"name": self.names[k], "documents": len({sl.doc for sl in slices}), "segments": segments, "first": first})
            first += segments
        return out


def _sources(doc: dict[str, Any]) -> int:
    return len(doc.get("source", []))


def _cut(data: dict[str, Any], d: int, size: int) -> list[Slice]:
    """Document ``d`` as slices of ``size`` source segments (one slice when it fits)."""
    doc = data["documents"][d]
    n = _sources(doc)
    bounds = [(lo, min(n, lo + size)) for lo in range(0, n, size)] or [(0, 0)]
    slices = [Slice(d, lo, hi, part=(k + 1, len(bounds)) if len(bounds) > 1 else None) for k, (lo, hi) in enumerate(bounds)]
    refs: list[dict[str, list[int]]] = [{} for _ in slices]  # the reference segments each slice's beads show
    for name in data["job"]["systems"]:
        beads = data["systems"].get(name, {}).get("beads", {}).get(doc["id"], [])
        # each bead goes to the slice of its anchor: its first source segment, or the bead before's
        anchor, at, edges = 0, 0, [0]
        for b, bead in enumerate(beads):
            anchor = bead["source"][0] if bead["source"] else anchor
            while at < len(slices) - 1 and anchor >= slices[at].hi:
                at += 1
                edges.append(b)
        edges += [len(beads)] * (len(slices) + 1 - len(edges))
        for k, sl in enumerate(slices):
            mine = beads[edges[k] : edges[k + 1]]
            sl.beads[name] = (edges[k], edges[k + 1])
            sl.targets[name] = _span(i for bead in mine for i in bead["target"])
            for bead in mine:
                for ref, idx in bead["references"].items():
                    refs[k].setdefault(ref, []).extend(idx)
    for sl, shown in zip(slices, refs):
        sl.references = {ref: _span(shown.get(ref, [])) for ref in doc.get("references", {})}
    if len(slices) == 1:  # a whole document: every text, also those no bead shows
        slices[0].targets = {name: (0, len(segs)) for name, segs in doc.get("targets", {}).items()}
        slices[0].references = {name: (0, len(segs)) for name, segs in doc.get("references", {}).items()}
    return slices


def _span(indices: Any) -> tuple[int, int]:
    """The smallest range [from, to) holding the indices ((0, 0) for none)."""
    idx = list(indices)
    return (min(idx), max(idx) + 1) if idx else (0, 0)


def plan_pages(data: dict[str, Any], limit: int | None = None) -> list[list[Slice]]:
    """The slices of each page: consecutive documents and document parts, each page at most
    ``limit`` texts (default PAGE_TEXTS); one page for a job under the limit."""
    limit = PAGE_TEXTS if limit is None else limit
    per_segment = 1 + len(data["job"]["systems"]) + len(data["job"].get("references", []))
    size = max(1, limit // per_segment)  # source segments a page holds
    pages: list[list[Slice]] = [[]]
    used = 0
    for d in range(len(data["documents"])):
        for sl in _cut(data, d, size):
            n = sl.hi - sl.lo
            if pages[-1] and used + n > size:
                pages.append([])
                used = 0
            pages[-1].append(sl)
            used += n
    return pages


def _stem_and_extension(name: str) -> tuple[str, str]:
    """("report", "html") for report.html; a name without a dot gets further pages in .html."""
    stem, dot, ext = name.rpartition(".")
    return (stem, ext) if dot else (name, "html")


def page_names(name: str, count: int) -> list[str]:
    """File names of a split report's pages: report.html, report-2.html, ..."""
    stem, ext = _stem_and_extension(name)
    return [name] + [f"{stem}-{k}.{ext}" for k in range(2, count + 1)]


def stale_pages(folder: Path, name: str, keep: Iterable[str]) -> list[Path]:
    """Further pages of an earlier, larger split report beside ``name`` that this rendering did not
    rewrite (``report-7.html`` left from a bigger job would still link and open): mtqa's own pages
    only, known by the generator tag of their head, never another file that happens to match."""
    stem, ext = _stem_and_extension(name)
    numbered = re.compile(rf"{re.escape(stem)}-[0-9]+\.{re.escape(ext)}")
    kept = set(keep)
    stale = []
    for path in folder.glob(f"{glob.escape(stem)}-*.{glob.escape(ext)}"):
        if path.name in kept or not numbered.fullmatch(path.name) or not path.is_file():
            continue
        try:
            with path.open("rb") as f:
                head = f.read(2048)
        except OSError:
            continue
        if b'<meta name="generator" content="mtqa' in head:
            stale.append(path)
    return sorted(stale)
