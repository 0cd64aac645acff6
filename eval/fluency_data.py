"""Readers for the gold data used by the fluency/locale/accuracy evals (read from ../shared/data).

Every eval script imports these; nothing here is copied into the repository.
"""

from __future__ import annotations

import csv
import os
import random
import re
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def write_shipped_yaml(path: Path, header: str, table: dict) -> None:
    """Write a calibration or rates file that pipeline/data ships: ``header`` (comment lines naming
    the script that wrote it), then the table as YAML in its own key order."""
    import yaml  # deferred: only the scripts that write such files need it

    path.write_text(header + yaml.safe_dump(table, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def data_dir() -> Path:
    return Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")


def require(relative: str) -> Path:
    path = data_dir() / relative
    if not path.exists():
        sys.exit(f"gold data missing: {path} (set MTQA_DATA_DIR to the folder holding the shared data sets)")
    return path


def lines(relative: str) -> list[str]:
    return require(relative).read_text(encoding="utf-8").splitlines()


def wmt22(pair: str, name: str) -> list[str]:
    """WMT22 general test lines: name is 'src.de', 'ref.A.en', 'hyp.Online-A.en', ..."""
    return lines(f"wmt22_general_test/{pair}/generaltest2022.{pair}.{name}")


def ntrex(name: str) -> list[str]:
    """NTREX-128 lines: name is 'src.eng', 'ref.deu', 'ref.rus', 'ref.ukr', 'ref.eng-GB'."""
    return lines(f"ntrex128_en_de_ru_uk/newstest2019-{name}.txt")


def sentences(texts: list[str], lang: str = "en") -> list[str]:
    from pipeline.segment import Segmenter

    seg = Segmenter(lang)
    out = []
    for text in texts:
        out += [text[s:e] for s, e in seg.split(text)]
    return out


def sample(items: list, n: int | None, seed: int = 1) -> list:
    if n is None or n >= len(items):
        return list(items)
    rng = random.Random(seed)
    return [items[i] for i in sorted(rng.sample(range(len(items)), n))]


SPAN_RE = re.compile(r"<v>(.*?)</v>")


def mqm_segments(relative: str = "wmt_mqm_google/mqm_ted_zhen.tsv") -> list[dict]:
    """One entry per (system, doc, seg): target text, source, error annotations with target spans."""
    path = require(relative)
    segs: dict[tuple[str, str, str], dict] = {}
    with path.open(encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) < 9:
                continue
            system, doc, _, seg_id, rater, source, target, category, severity = row[:9]
            key = (system, doc, seg_id)
            clean = target.replace("<v>", "").replace("</v>", "")
            entry = segs.setdefault(key, {"system": system, "doc": doc, "seg": seg_id, "source": source, "target": clean, "errors": [], "raters": set()})
            entry["raters"].add(rater)
            m = SPAN_RE.search(target)
            span = None
            if m:
                start = len(target[: m.start()].replace("<v>", "").replace("</v>", ""))
                span = (start, start + len(m.group(1)))
            entry["errors"].append({"category": category, "severity": severity, "span": span, "rater": rater})
    return list(segs.values())


def line_pairs(sources: list[str], targets: list[str], document: str = "doc", system: str = "sys"):
    """Line-aligned 1-1 AlignedPairs, as the pipeline builds them for line-aligned input."""
    from pipeline.model import AlignedPair, Bead, Segment

    out = []
    for i, (src, tgt) in enumerate(zip(sources, targets)):
        bead = Bead(source=(i,), target=(i,))
        out.append(AlignedPair(document=document, system=system, bead_index=i, bead=bead, source=(Segment(src, i),), target=(Segment(tgt, i),)))
    return out


def rule_codes(prefixes: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list:
    from pipeline.checks import load_rules

    return [r for r in load_rules() if r.code.startswith(prefixes) and not r.code.startswith(exclude)]


def write_summary(name: str, title: str, lines_md: list[str], data: dict) -> None:
    import json

    out = ROOT / "eval" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    (out / f"{name}.md").write_text(f"# {title}\n\n" + "\n".join(lines_md) + "\n", encoding="utf-8")
    print(f"wrote eval/results/{name}.md and .json")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def run_mtqa_table(tsv: Path, src_lang: str, out: Path, cache: Path, targets: Sequence[str] = ("tgt",), extra: Sequence[str] = (), root: Path = ROOT, label: str = "") -> list[dict]:
    """`mtqa run` on a table with doc, src and target columns (into English, every check but the LM), as a
    user runs it; the issues it wrote.  ``root``: the checkout to run (another one for "before" figures)."""
    import json
    import subprocess

    cmd = [sys.executable, "-m", "pipeline", "run", str(tsv), "--format", "tsv", "--src-col", "src", *[x for t in targets for x in ("--tgt-col", t)],
           "--doc-col", "doc", "-s", src_lang, "-t", "en", "--disable", "F4", "--no-ci", "-q", "-o", str(out), "--cache-dir", str(cache), *extra]
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{label or src_lang}: mtqa exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return [json.loads(line) for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
