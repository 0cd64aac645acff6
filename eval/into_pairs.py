"""NTREX-128 English->X pairs: the X->en pairs of eval/ntrex_pairs.py turned round (issue 18).

The source is the English original (newstest2019-src.eng.txt), the target the professional
translation into X; the calib/test split by document is eval/ntrex_pairs.py's.  Target words are
counted per language: whitespace tokens, except Chinese and Japanese (written without spaces), whose
non-space characters are counted and halved (a Chinese or Japanese word is about two characters; the
calib split's totals land within 25% of the English source's word count for both, see
tests/test_eval_into.py).  Korean separates its words with spaces and is counted like the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from fluency_data import ROOT
from ntrex_pairs import LANGUAGES, Pair, pairs

UNSPACED = {"zh", "ja"}  # no spaces between words: characters / 2


def pairs_into(lang: str, split: str | None = None) -> list[Pair]:
    """The en->``lang`` pairs (all, or one split): source = the English original, target = the translation."""
    return [Pair(p.line, p.document, p.target, p.source) for p in pairs(lang, split)]


def target_words(text: str, lang: str) -> float:
    """Words of a target line in ``lang`` (see the module docstring)."""
    if lang in UNSPACED:
        return sum(1 for c in text if not c.isspace()) / 2
    return float(len(text.split()))


def run_mtqa_into(tsv: Path, lang: str, out: Path, cache: Path, extra: Sequence[str] = (), jobs: int = 2) -> list[dict]:
    """`mtqa run` on a doc/src/tgt table from English into ``lang``, every check but the LM, as a user runs it."""
    cmd = [sys.executable, "-m", "pipeline", "run", str(tsv), "--format", "tsv", "--src-col", "src", "--tgt-col", "tgt",
           "--doc-col", "doc", "-s", "en", "-t", lang, "--disable", "F4", "--no-ci", "-q", "--jobs", str(jobs),
           "-o", str(out), "--cache-dir", str(cache), *extra]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"en-{lang}: mtqa exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return [json.loads(line) for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


__all__ = ["LANGUAGES", "UNSPACED", "pairs_into", "run_mtqa_into", "target_words"]
