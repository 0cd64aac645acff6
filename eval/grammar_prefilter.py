"""Does the F301 (Harper) trigger prefilter lose any lint?

Runs rule F301 twice over the same English sentences, once sending every sentence to Harper
(``checks.options.grammar.prefilter: false``) and once with the trigger prefilter, and compares the
findings: they must be identical.  Sentences: every English side of WMT22 general test (system
outputs and references, all x-en pairs), JFLEG learner sentences (dev and test sources and a
correction), CoLA (acceptable and unacceptable) and the MQM TED zh-en targets, de-duplicated.

    python eval/grammar_prefilter.py
"""

from __future__ import annotations

import csv
import time

from fluency_data import data_dir, line_pairs, lines, mqm_segments, rule_codes, write_summary


def corpus() -> dict[str, list[str]]:
    root = data_dir()
    parts: dict[str, list[str]] = {"WMT22 x-en outputs and references": []}
    for path in sorted((root / "wmt22_general_test").glob("*-en/generaltest2022.*.en")):
        parts["WMT22 x-en outputs and references"] += path.read_text(encoding="utf-8").splitlines()
    parts["JFLEG dev/test sources and ref0"] = [s for split in ("dev", "test") for name in ("src", "ref0") for s in lines(f"jfleg/{split}.{name}")]
    parts["CoLA train/dev"] = []
    for path in sorted((root / "cola").glob("*.tsv")):
        with path.open(encoding="utf-8") as fh:
            parts["CoLA train/dev"] += [row[3] for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if len(row) >= 4]
    parts["MQM TED zh-en targets"] = [s["target"] for s in mqm_segments()]
    seen: set[str] = set()
    for name, texts in parts.items():
        parts[name] = [t for t in dict.fromkeys(t.strip() for t in texts) if t and t not in seen and not seen.add(t)]
    return parts


def findings(texts: list[str], prefilter: bool) -> tuple[set, float]:
    from pipeline.checks import CheckContext, run_checks

    ctx = CheckContext(src_lang="de", tgt_lang="en", options={"grammar": {"prefilter": prefilter}})
    rules = rule_codes(("F301",))
    run_checks([line_pairs(["x"], ["A test."])], rules, ctx)  # load Harper before timing
    ctx.findings_memo.clear()
    pairs = line_pairs(texts, texts)
    t = time.process_time()
    issues = run_checks([pairs], rules, ctx)
    return {(i.segment, i.start, i.end, i.message) for i in issues}, time.process_time() - t


def main() -> None:
    parts = corpus()
    texts = [t for ts in parts.values() for t in ts]
    full, t_full = findings(texts, prefilter=False)
    filtered, t_filtered = findings(texts, prefilter=True)
    from pipeline.checks import CheckContext
    from pipeline.checks.grammar import _harper, triggered

    _, trigger = _harper(CheckContext(src_lang="de", tgt_lang="en"))
    sent = sum(1 for t in texts if triggered(trigger, t))
    lost, gained = sorted(full - filtered), sorted(filtered - full)
    md = [
        f"{len(texts)} distinct English sentences: " + ", ".join(f"{name} {len(ts)}" for name, ts in parts.items()) + ".",
        "",
        "| | sentences sent to Harper | F301 findings | CPU s |",
        "|---|---|---|---|",
        f"| no prefilter | {len(texts)} | {len(full)} | {t_full:.1f} |",
        f"| trigger prefilter | {sent} ({sent / len(texts):.1%}) | {len(filtered)} | {t_filtered:.1f} |",
        "",
        f"Findings lost by the prefilter: **{len(lost)}**; findings only with it: {len(gained)}.",
    ]
    for seg, start, end, msg in lost[:20]:
        md.append(f"- lost: {texts[seg][max(0, start - 30):end + 30]!r}: {msg}")
    print("\n".join(md))
    write_summary("grammar_prefilter", "F301 trigger prefilter: findings with and without (eval/grammar_prefilter.py)", md,
                  {"sentences": len(texts), "parts": {k: len(v) for k, v in parts.items()}, "sent": sent, "findings_full": len(full),
                   "findings_filtered": len(filtered), "lost": len(lost), "gained": len(gained), "cpu_full_s": t_full, "cpu_filtered_s": t_filtered})


if __name__ == "__main__":
    main()
