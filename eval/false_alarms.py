"""False alarms on clean pairs: NTREX-128 X->English for 21 languages, every check but the LM.

The source is a professional translation, the target the English original: a fluent and faithful
rendering, so (nearly) every flag is a false alarm.  Reports flags per 1,000 target words per
language and per rule, on the "test" half of the documents by default (thresholds are tuned on
"calib"; see eval/ntrex_pairs.py), and writes a sample of the remaining flags for hand-checking.
Flags at hand-verified errors of the English original (eval/ntrex_original_errors.yaml: typos,
doubled words, stray spaces) are counted and reported beside the false alarms, never dropped
silently; the hand-check sample leaves them out.

    python eval/false_alarms.py                       # test split, all 21 languages
    python eval/false_alarms.py --split calib --langs fr,zh
    python eval/false_alarms.py --sample 50           # also eval/results/false_alarms_sample.tsv
    python eval/false_alarms.py --write-rates         # also pipeline/data/false_alarm_rates.yaml
    python eval/false_alarms.py --write-rates -- --enable N2,A601   # those rules' rates only (after a change)

The rates file (numbers only) is what `mtqa rules --lang xx-en` and the README's language-support
table show as each rule's measured false-alarm rate for the pair.

Writes eval/results/false_alarms_<split>.md.  Runs the mtqa CLI as a user would (tabular input with a
document column, so document-level rules see documents); --jobs runs languages in parallel.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from fluency_data import ROOT, run_mtqa_table, write_shipped_yaml
from ntrex_pairs import LANGUAGES, english_words, pairs, segment_index, write_tsv

BOUND_ALL, BOUND_EACH = 1.0, 2.0  # issue 14's acceptance: flags per 1,000 target words
ORIGINAL_ERRORS = ROOT / "eval" / "ntrex_original_errors.yaml"


def verified_original_errors() -> set[tuple[str, int, str]]:
    """(document, segment, flagged text) of the hand-verified real errors of the English original."""
    import yaml  # deferred: only this table

    entries = yaml.safe_load(ORIGINAL_ERRORS.read_text(encoding="utf-8"))
    return {(e["document"], int(e["segment"]), str(e["text"])) for e in entries if e["verdict"] == "real"}


def at_original_error(issue: dict, verified: set[tuple[str, int, str]]) -> bool:
    return issue.get("side") == "target" and (issue.get("document"), issue.get("segment"), issue.get("text")) in verified


def run_language(lang: str, split: str, work: Path, extra: list[str]) -> dict:
    rows = pairs(lang, split)
    tsv = work / f"{lang}.tsv"
    write_tsv(rows, tsv)
    out = work / f"out-{lang}"
    t0 = time.perf_counter()
    issues = run_mtqa_table(tsv, lang, out, work / "cache", extra=extra)
    seconds = time.perf_counter() - t0
    issues = [i for i in issues if not i.get("ignored")]
    notes = json.loads((out / "results.json").read_text(encoding="utf-8")).get("notes", [])
    by_segment = segment_index(rows)
    verified = verified_original_errors()
    return {
        "lang": lang,
        "pairs": len(rows),
        "words": sum(english_words(r.target) for r in rows),
        "rules": Counter(i["code"] for i in issues),
        "original_errors": sum(at_original_error(i, verified) for i in issues),
        "issues": [dict(i, _pair=by_segment.get((i["document"], i["segment"]))) for i in issues if not at_original_error(i, verified)],
        "seconds": seconds,
        "notes": notes,
    }


def table(results: list[dict], split: str) -> str:
    total_words = sum(r["words"] for r in results)
    total_flags = sum(sum(r["rules"].values()) for r in results)
    total_false = total_flags - sum(r["original_errors"] for r in results)
    out = [f"# False alarms on NTREX-128 X->en ({split} split), every check but the LM", "",
           f"Command: `python eval/false_alarms.py --split {split}`. Bound: <= {BOUND_ALL} flags per 1,000 target words over all "
           f"languages, <= {BOUND_EACH} for each.", "",
           f"**All {len(results)} languages: {total_flags} flags on {total_words:,} English words = "
           f"{1000 * total_flags / max(total_words, 1):.2f} per 1,000 words; false alarms (the flags less "
           f"{total_flags - total_false} at hand-verified errors of the English original, eval/ntrex_original_errors.yaml): "
           f"{total_false} = {1000 * total_false / max(total_words, 1):.2f} per 1,000 words.**", "",
           "| pair | pairs | words | flags | per 1k words | at original errors | false alarms per 1k | rules (count) |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        flags = sum(r["rules"].values())
        rate = 1000 * flags / max(r["words"], 1)
        false_rate = 1000 * (flags - r["original_errors"]) / max(r["words"], 1)
        mark = "" if false_rate <= BOUND_EACH else " **over**"
        rules = ", ".join(f"{c} {n}" for c, n in r["rules"].most_common())
        out.append(f"| {r['lang']}-en | {r['pairs']} | {r['words']:,} | {flags} | {rate:.2f} | {r['original_errors']} | {false_rate:.2f}{mark} | {rules} |")
    per_rule: Counter[str] = Counter()
    for r in results:
        per_rule.update(r["rules"])
    out += ["", "## Per rule, all languages", "", "| rule | flags | per 1k words |", "|---|---:|---:|"]
    out += [f"| {c} | {n} | {1000 * n / max(total_words, 1):.3f} |" for c, n in per_rule.most_common()]
    notes = sorted({n for r in results for n in r["notes"]})
    if notes:
        out += ["", "## Notes in the results (rules switched off per pair)", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


# The two benchmarks that write pipeline/data/false_alarm_rates.yaml, each its own direction's pairs.
BENCHMARKS = {
    "X-en": {"source": "NTREX-128 X->en, test half of the documents (eval/ntrex_pairs.py); every check but the LM",
             "command": "python eval/false_alarms.py --write-rates"},
    "en-X": {"source": "NTREX-128 en->X, test half of the documents (eval/ntrex_pairs.py); every check but the LM; "
                       "zh and ja target words: characters / 2",
             "command": "python eval/into_false_alarms.py --write-rates"},
}


def write_rates(results: list[dict], benchmark: str = "X-en", path: Path = ROOT / "pipeline" / "data" / "false_alarm_rates.yaml", only: tuple[str, ...] = ()) -> None:
    """The measured rates of one direction into pipeline/data/false_alarm_rates.yaml; the other
    direction's pairs stay as they were measured (each pair names its benchmark).  ``only`` (rule
    codes or prefixes: a run with ``-- --enable N2,A601``) replaces those rules' rates in each pair and
    keeps the others as the last full run measured them; the benchmark lists such partial runs."""
    old = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}) or {}
    pairs = dict(old.get("pairs", {}))
    kept = {k: v for k, v in pairs.items() if v.get("benchmark", "X-en") != benchmark}
    fresh = {}
    for r in results:
        pair = f"{r['lang']}-en" if benchmark == "X-en" else f"en-{r['lang']}"
        rules = {code: round(1000 * n / r["words"], 3) for code, n in sorted(r["rules"].items())}
        if only:
            before = pairs.get(pair)
            if before is None or before.get("benchmark", "X-en") != benchmark or int(before["words"]) != int(r["words"]):
                raise SystemExit(f"--write-rates with --enable: {pair} has no full run of the same words to update")
            rules = dict(sorted({**{c: v for c, v in before["rules"].items() if not c.startswith(only)}, **rules}.items()))
        fresh[pair] = {"benchmark": benchmark, "words": int(r["words"]), "total": round(sum(rules.values()), 3), "rules": rules}
    benchmarks = {name: dict(spec) for name, spec in BENCHMARKS.items()}
    partial = [] if not only else [*old.get("benchmarks", {}).get(benchmark, {}).get("partial_updates", []), f"{BENCHMARKS[benchmark]['command']} -- --enable {','.join(only)}"]
    if partial:
        benchmarks[benchmark]["partial_updates"] = list(dict.fromkeys(partial))  # after the last full run, in order
    table = {"unit": "flags per 1,000 target words", "benchmarks": benchmarks, "pairs": dict(sorted({**kept, **fresh}.items()))}
    header = ("# Measured false-alarm rates per language pair and rule, written by eval/false_alarms.py --write-rates (X->en)\n"
              "# and eval/into_false_alarms.py --write-rates (en->X): numbers only.\n")
    write_shipped_yaml(path, header, table)


def enabled_only(extra: list[str]) -> tuple[str, ...]:
    """The rules of ``-- --enable A,B`` (the only extra arguments a rates update accepts), else ()."""
    if len(extra) == 2 and extra[0] == "--enable" and extra[1].strip(","):
        return tuple(c for c in extra[1].split(",") if c)
    if len(extra) == 1 and extra[0].startswith("--enable="):
        return tuple(c for c in extra[0].split("=", 1)[1].split(",") if c)
    return ()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test", choices=["calib", "test", "all"])
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sample", type=int, default=0, help="write this many random remaining flags for hand-checking")
    ap.add_argument("--work", help="keep the inputs and outputs in this folder")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    ap.add_argument("--write-rates", action="store_true", help="write pipeline/data/false_alarm_rates.yaml (test split, all languages)")
    ap.add_argument("extra", nargs="*", help="more mtqa run arguments (after --)")
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    langs = [x for x in args.langs.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda lang: run_language(lang, split, work, args.extra), langs))  # type: ignore[arg-type]
    text = table(results, args.split)
    print(text)
    if not args.no_write:
        (ROOT / "eval" / "results" / f"false_alarms_{args.split}.md").write_text(text, encoding="utf-8")
    if args.write_rates:
        only = enabled_only(args.extra)
        if args.split != "test" or set(langs) != set(LANGUAGES) or (args.extra and not only):
            raise SystemExit("--write-rates: run on the test split, all languages and the default checks (or -- --enable CODES: those rules only)")
        write_rates(results, only=only)
    if args.sample:
        flagged = [(r["lang"], i) for r in results for i in r["issues"]]
        random.Random(14).shuffle(flagged)
        # with --no-write the sample goes to --work (or a temporary file), never over the results' sample
        folder = ROOT / "eval" / "results"
        if args.no_write:
            folder = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="fa_sample_"))
        path = folder / "false_alarms_sample.tsv"
        with path.open("w", encoding="utf-8") as f:
            f.write("verdict\tlang\tcode\tmessage\tflagged\tsource\ttarget\n")
            for lang, i in flagged[: args.sample]:
                pair = i["_pair"]
                cells = ["", lang, i["code"], i["message"], i.get("text", ""), pair.source if pair else "", pair.target if pair else ""]
                f.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells) + "\n")
        print(f"sample of {min(args.sample, len(flagged))} flags: {path}")


if __name__ == "__main__":
    main()
