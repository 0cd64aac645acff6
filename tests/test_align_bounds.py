"""Alignment of very unequal documents stays bounded.

One sentence against 20,000 cannot be a translation, whichever side is long: the aligner refuses
such pairs before embedding or searching anything (pipeline/doclength.py: length_mismatch), every
sentence becomes a 1-0 or 0-1 bead, and A101/A102 report the documents once instead of every
sentence.  The end-to-end cases run `mtqa run` in a child process and measure its wall time and
peak RSS; only the alignment rules run there (``--enable A1``), because every other rule costs in
proportion to the sentences it reads whatever the alignment does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.align import Resources, SentenceAligner, pairs_for
from pipeline.checks import CheckContext, load_rules, run_checks
from pipeline.config import AlignConfig
from pipeline.doclength import LENGTH_RATIO_SLACK, MAX_LENGTH_RATIO, length_mismatch
from pipeline.model import Document, Segment, Severity

ROOT = Path(__file__).resolve().parents[1]
LONG = 20_000
# Measured on the two shared cores (loaded by other work): about 2.5 s of CPU, 5.5-6.5 s of wall
# time and 305 MB; the bounds leave room for a busier machine.
MAX_WALL_S = 30.0
MAX_PEAK_MB = 500.0

# Runs a command and prints its wall time and peak RSS: this process's only child is that command.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(json.dumps({'rc': rc, 'wall_s': time.perf_counter() - t, 'peak_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
)


def german(k: int) -> str:
    return f"Der Ausschuss hat im Mai zum {k}ten Mal über den Antrag Nummer {k * 7 % 1000} beraten."


def english(k: int) -> str:
    return f"The committee discussed motion number {k * 7 % 1000} for the {k}th time on May {k % 28 + 1}."


class NoEmbedder:
    """Stands in for the embedding model: a refused pair must never reach it."""

    def embed(self, texts):
        raise AssertionError(f"embedded {len(texts)} texts of documents that cannot be translations")


def test_length_mismatch_bounds():
    one = [german(1)]
    assert length_mismatch(one, [english(k) for k in range(int(MAX_LENGTH_RATIO) + LENGTH_RATIO_SLACK)]) is None  # short: aligned
    side, message = length_mismatch(one, [english(k) for k in range(LONG)])
    assert side == "target" and "cannot be translations" in message and "20,000 sentences" in message
    assert length_mismatch([german(k) for k in range(LONG)], [english(1)])[0] == "source"
    # Ten times the sentences but not ten times the characters: a segmentation mismatch, aligned.
    assert length_mismatch([" ".join(german(k) for k in range(100))], [english(k) for k in range(100)]) is None
    # A translation of the first tenth of a document is still aligned (omissions reported one by one).
    assert length_mismatch([german(k) for k in range(300)], [english(k) for k in range(30)]) is None
    assert length_mismatch([], [english(k) for k in range(LONG)]) is None  # an empty side is not refused


@pytest.mark.parametrize("long_side", ["target", "source"])
def test_refused_pair_is_not_embedded_and_the_checks_report_it_once(long_side):
    short, long = [german(0)], [english(k) for k in range(2000)]
    src, tgt = (short, long) if long_side == "target" else (long, short)
    aligner = SentenceAligner(AlignConfig(embeddings=True), "de", "en", Resources(embedder=NoEmbedder()))
    beads = aligner.align(src, tgt, [0] * len(src), list(range(len(tgt))))
    assert aligner.refusal and aligner.stats.refused == 1
    assert all(not (b.source and b.target) for b in beads)
    assert sorted(i for b in beads for i in b.source) == list(range(len(src)))
    assert sorted(j for b in beads for j in b.target) == list(range(len(tgt)))

    doc = Document("d", [Segment(t, i) for i, t in enumerate(src)], {"mt": [Segment(t, i) for i, t in enumerate(tgt)]})
    rules = [r for r in load_rules() if r.code.startswith("A1")]
    issues = run_checks([pairs_for(doc, "mt", beads)], rules, CheckContext("de", "en"))
    assert len(issues) == 1
    issue = issues[0]
    assert issue.code == ("A102" if long_side == "target" else "A101")
    assert issue.severity == Severity.CRITICAL and issue.side == long_side and issue.segment == 0
    assert issue.message == aligner.refusal


def _run_cli(src: Path, tgt: Path, out: Path) -> dict:
    cmd = [sys.executable, "-m", "pipeline", "run", str(src), str(tgt), "-s", "de", "-t", "en", "-o", str(out), "--enable", "A1", "-q"]
    done = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("long_side", "form"),
    [
        ("target", "lines"),
        ("source", "paragraphs"),
        pytest.param("target", "paragraphs", marks=pytest.mark.slow),  # the same path again: slow suite only
        pytest.param("source", "lines", marks=pytest.mark.slow),
    ],
)
def test_one_sentence_against_20000_runs_in_bounded_time_and_memory(tmp_path, long_side, form):
    sep = "\n" if form == "lines" else "\n\n"
    src, tgt = tmp_path / "doc.de.txt", tmp_path / "doc.en.txt"
    if long_side == "target":
        src.write_text(german(0) + "\n", encoding="utf-8")
        tgt.write_text(sep.join(english(k) for k in range(LONG)) + "\n", encoding="utf-8")
    else:
        src.write_text(sep.join(german(k) for k in range(LONG)) + "\n", encoding="utf-8")
        tgt.write_text(english(0) + "\n", encoding="utf-8")
    figures = _run_cli(src, tgt, tmp_path / "out")
    print(f"1 x {LONG} ({long_side} long, {form}): {figures['wall_s']:.1f} s, peak {figures['peak_mb']:.0f} MB")
    assert figures["rc"] == 0
    issues = [json.loads(line) for line in (tmp_path / "out" / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(i["code"], i["severity"]) for i in issues] == [("A102" if long_side == "target" else "A101", "critical")]
    assert "cannot be translations of each other" in issues[0]["message"] and f"{LONG:,} sentences" in issues[0]["message"]
    assert figures["wall_s"] < MAX_WALL_S, figures
    assert figures["peak_mb"] < MAX_PEAK_MB, figures
