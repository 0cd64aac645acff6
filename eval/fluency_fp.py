"""False positives of the fluency, locale and accuracy rules on clean human English.

Clean text: WMT22 de-en reference A (German source, professional English translation) and NTREX-128
English (English original news, paired with its professional German translation as the source).
Every flag on these is counted (an upper bound on false positives: professional text has real
slips); the flags were also judged by hand (eval/data/fluency_fp_verdicts.tsv: real error in the
human text, or false alarm) and the false-alarm rate is reported beside the flag rate.  A flag
without a verdict (after a rule changes) counts as a false alarm.  Rules: the A2/A3/F/L/T families (this issue) except the LM rule F401, which is
reported separately on a sample (--lm N sentences per set; 0 to skip); the names rules (N) are
listed for information and not counted in the total.

    python eval/fluency_fp.py [--lm 300] [--show 3]
"""

from __future__ import annotations

import argparse
import collections
import csv
import time
from pathlib import Path

from fluency_data import line_pairs, load_average, ntrex, rule_codes, sample, sentences, wmt22, write_summary

VERDICTS = Path(__file__).parent / "data" / "fluency_fp_verdicts.tsv"
SET_KEYS = {"WMT22 de-en ref A": "W", "NTREX English": "N"}


def load_verdicts() -> dict[tuple[str, int, str, int, int], str]:
    with VERDICTS.open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        return {(r["set"], int(r["line"]), r["rule"], int(r["start"]), int(r["end"])): r["verdict"] for r in rows}

OWN = ("A2", "A3", "F", "L", "T")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lm", type=int, default=300, help="sentences per set for the LM rule (0: skip)")
    ap.add_argument("--show", type=int, default=3, help="examples to print per rule")
    ap.add_argument("--dump", metavar="TSV", help="write every flag with its context to this file (for review; not for the repo)")
    args = ap.parse_args()

    from pipeline.checks import CheckContext, run_checks

    sets = {
        "WMT22 de-en ref A": (wmt22("de-en", "src.de"), wmt22("de-en", "ref.A.en")),
        "NTREX English": (ntrex("ref.deu"), ntrex("src.eng")),
    }
    rules = rule_codes(OWN + ("N",), exclude=("F401",))
    per_rule: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    verdicts = load_verdicts()
    false_alarms: collections.Counter = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    tokens: dict[str, int] = {}
    flags: list[tuple[str, int, str, int, int, str, str]] = []
    for name, (src, tgt) in sets.items():
        tokens[name] = sum(len(t.split()) for t in tgt)
        ctx = CheckContext(src_lang="de", tgt_lang="en")
        t = time.time()
        found = run_checks([line_pairs(src, tgt)], rules, ctx)
        print(f"{name}: {len(tgt)} segments, {tokens[name]} tokens, {len(found)} flags ({time.time() - t:.1f} s){' notes: ' + '; '.join(ctx.notes) if ctx.notes else ''}")
        for issue in found:
            per_rule[issue.code][name] += 1
            if verdicts.get((SET_KEYS[name], issue.segment + 1, issue.code, issue.start, issue.end)) != "error":
                false_alarms[issue.code] += 1
            context = (src if issue.side == "source" else tgt)[issue.segment]
            flags.append((name, issue.segment + 1, issue.code, issue.start, issue.end, issue.text, context))
            if len(examples[issue.code]) < args.show:
                context = (src if issue.side == "source" else tgt)[issue.segment]
                examples[issue.code].append(f"{issue.text!r} in {context[:110]!r}")

    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            for row in flags:
                fh.write("\t".join(str(x).replace("\t", " ") for x in row) + "\n")

    lm_rows = {}
    if args.lm:
        from pipeline.checks.lm_fluency import load_scorer

        scorer = load_scorer("smollm2-135m", "en", threads=2)
        for name, (_, tgt) in sets.items():
            sents = sample([s for s in sentences(tgt) if len(s.split()) >= 4], args.lm)
            scores = scorer.score(sents)
            flagged = [s for s in scores if s.z > scorer.calibration.max_z]
            n_tok = sum(len(s.split()) for s in sents)
            lm_rows[name] = {"sentences": len(sents), "tokens": n_tok, "flags": len(flagged), "per_1000_tokens": 1000 * len(flagged) / n_tok}
            for s in flagged[: args.show]:
                examples["F401"].append(f"{s.word.text if s.word else ''!r} z={s.z:.1f} in {s.lm.text[:110]!r}")

    total_tokens = sum(tokens.values())
    header = f"| rule | {' | '.join(sets)} | flags / 1,000 tokens | false alarms (hand-checked) |"
    rows = [header, "|---|" + "---|" * len(sets) + "---|---|"]
    own_total = own_false = 0
    for r in rules:
        counts = per_rule.get(r.code, collections.Counter())
        n = sum(counts.values())
        if r.code.startswith(OWN):
            own_total += n
            own_false += false_alarms[r.code]
        fa = str(false_alarms[r.code]) if r.code.startswith(OWN) else "-"
        rows.append(f"| {r.code} {r.name} | {' | '.join(str(counts[s]) for s in sets)} | {1000 * n / total_tokens:.3f} | {fa} |")
    own_rate = 1000 * own_total / total_tokens
    false_rate = 1000 * own_false / total_tokens
    md = [
        f"Clean human English: {', '.join(f'{k} ({tokens[k]} tokens)' for k in sets)}; source German. Load average during the run: {load_average()}.",
        "",
        *rows,
        "",
        f"**Total for the rule checks of this issue (A2, A3, F1-F3, L, T): {own_total} flags = {own_rate:.3f} per 1,000 tokens** (target: < 1); "
        f"judged by hand, {own_total - own_false} of them are real slips in the human text (typos, doubled words, broken quotes, one mistranslated idiom) "
        f"and **{own_false} are false alarms = {false_rate:.3f} per 1,000 tokens**. N rules listed for information only.",
    ]
    if lm_rows:
        md += ["", "LM rule F401 (SmolLM2-135M, calibrated threshold), on a random sample of sentences (seed 1):", "", "| set | sentences | tokens | flags | flags / 1,000 tokens |", "|---|---|---|---|---|"]
        md += [f"| {k} | {v['sentences']} | {v['tokens']} | {v['flags']} | {v['per_1000_tokens']:.3f} |" for k, v in lm_rows.items()]
    md += ["", "Examples (the first few flags per rule):", ""]
    for code in sorted(examples):
        md += [f"- {code}: " + "; ".join(examples[code])]
    print("\n".join(md))
    write_summary("fluency_fp", "False positives on clean English (eval/fluency_fp.py)", md, {"tokens": tokens, "per_rule": {k: dict(v) for k, v in per_rule.items()}, "false_alarms": dict(false_alarms), "own_total": own_total, "own_per_1000": own_rate, "own_false_alarms": own_false, "false_alarms_per_1000": false_rate, "lm": lm_rows})


if __name__ == "__main__":
    main()
