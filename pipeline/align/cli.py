"""``mtqa align SOURCE TARGET``: sentence-align two documents and write the beads.

Beads go to ``--beads-out`` (or standard output) in the gold format of the Text+Berg and Bleualign
data, one "[source ids]:[target ids]" per line with 0-based sentence ids; a summary goes to
standard error.  With ``--segmented`` each line of the files is one sentence and the line numbers
are the ids; otherwise the documents are split into sentences as ``mtqa run`` does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..config import load_config
from ..errors import InputError
from ..io.text import check_line_lengths, decode_utf8, read_bytes, split_lines
from ..segment import segment_document
from .aligner import AlignStats, Resources, SentenceAligner
from .evaluate import format_bead


def _read(path: str, segmented: bool, lang: str, config) -> tuple[list[str], list[int] | None]:
    text = decode_utf8(read_bytes(path), path)
    if config.input.max_line_chars and not segmented:
        check_line_lengths(text, path, config.input.max_line_chars)
    if not text.strip():
        return [], None
    if segmented:
        return [line.strip() for line in split_lines(text)], None
    segments = segment_document(text, lang, config.segmentation.engine, config.segmentation.line_breaks)
    return [s.text for s in segments], [s.paragraph for s in segments]


def run_align(args: argparse.Namespace) -> int:
    overrides: dict[str, Any] = {"align": {}}
    if args.src_lang:
        overrides["src_lang"] = args.src_lang
    if args.tgt_lang:
        overrides["tgt_lang"] = args.tgt_lang
    if args.no_embeddings:
        overrides["align"]["embeddings"] = False
    if args.cache_dir:
        overrides["align"]["cache_dir"] = args.cache_dir
    if args.max_bead is not None:
        overrides["align"]["max_bead"] = args.max_bead
    config = load_config(args.config, overrides)
    if not config.src_lang or not config.tgt_lang:
        raise InputError("mtqa align: give --src-lang and --tgt-lang (or set src_lang/tgt_lang in a config)")
    for path in (args.source, args.target):
        if not Path(path).exists():
            raise InputError(f"{path}: no such file")
    if args.beads_out and Path(args.beads_out).is_dir():
        raise InputError(f"{args.beads_out}: is a directory, expected a file name for the beads")

    src, src_par = _read(args.source, args.segmented, config.src_lang, config)
    tgt, tgt_par = _read(args.target, args.segmented, config.tgt_lang, config)
    resources = Resources()
    aligner = SentenceAligner(config.align, config.src_lang, config.tgt_lang, resources)
    t0 = time.perf_counter()
    beads = aligner.align(src, tgt, src_par, tgt_par)
    wall = time.perf_counter() - t0

    lines = "".join(format_bead(b.source, b.target) + "\n" for b in beads)
    if args.beads_out:
        out = Path(args.beads_out)
        tmp = out.with_name(out.name + ".tmp")
        try:
            tmp.write_text(lines, encoding="utf-8")
            tmp.replace(out)
        except OSError as err:
            raise InputError(f"{out}: cannot write ({err.strerror})") from None
    else:
        sys.stdout.write(lines)

    if args.show:
        for b in beads:
            s_text = " ".join(src[i] for i in b.source)
            t_text = " ".join(tgt[j] for j in b.target)
            print(f"{b.confidence:.2f}\t{format_bead(b.source, b.target)}\t{s_text[:200]}\t{t_text[:200]}", file=sys.stderr)
    for note in resources.notes:
        print(f"note: {note}", file=sys.stderr)
    print(summary(src, tgt, beads, aligner.stats, wall, config.align.min_confidence, args.beads_out, aligner.refusal), file=sys.stderr)
    return 0


def summary(src: list[str], tgt: list[str], beads, stats: AlignStats, wall: float, min_confidence: float, out: str | None, refusal: str | None = None) -> str:
    kinds = Counter(b.kind for b in beads)
    shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    low = sum(1 for b in beads if b.confidence < min_confidence)
    lines = [f"mtqa align: {len(src)} source and {len(tgt)} target sentences -> {len(beads)} beads ({shown or 'none'})"]
    if not src or not tgt:
        empty = "source" if not src else "target"
        lines.append(f"the {empty} document is empty: every sentence of the other side is unaligned")
    if refusal:
        lines.append(refusal)
    if low:
        lines.append(f"{low} bead(s) below confidence {min_confidence:g}")
    lines.append(
        f"time {wall:.2f} s (search {stats.search_seconds:.2f} s, embedding {stats.embed_seconds:.2f} s for {stats.texts_embedded} new texts)"
    )
    if out:
        lines.append(f"wrote {out}")
    return "\n".join(lines)
