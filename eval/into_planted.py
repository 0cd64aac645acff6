"""Planted errors in clean en->X targets: how many does mtqa catch, per error type and target language? (issue 18)

Data: NTREX-128 English->X for 21 target languages (eval/into_pairs.py: source = the English
original, target = the professional translation).  The planting functions are in
eval/into_planting.py.  Two planted files a language, each run against its clean control:

- "rotation" (all documents): in every document every third line (the second, fifth, ...: its
  neighbours stay clean) gets one error in its target, the types taking turns (each line gets the
  rarest type so far that applies to it): English words left in (``english_phrase``: 3-5 words of the
  source in place of target words; ``english_word``: one target word replaced by a long English
  word of the source), ``quotes`` (the first quotation put in another locale's marks, or two words
  quoted with them), ``word_doubled``, ``misspelling`` (two letters swapped in the longest word);
- "dense" (only the documents concerned): every line where it can be planted gets one of the types
  that few lines allow: ``name_english`` (a Russian/Ukrainian person or place in the target's form
  replaced by the English form the source has: Selenskyj -> Zelensky, Кремль -> Kremlin),
  ``exonym_english`` (a place with its own name in the target language replaced by the English name
  the source has: München -> Munich, Italien -> Italy; CLDR territory names) and ``number_marks``
  (a decimal or grouped number written in the other convention: 2,5 -> 2.5 in German).

A planted error counts as detected when the planted line has a flag of a family that claims the
type (``CLAIMS``) which the clean line does not have (same code, side and flagged text), as
eval/planted_errors.py counts.  Only the claiming families run (--all-checks: every check but the
LM); --control DIR takes the clean control from an eval/into_false_alarms.py --work DIR run of the
same split instead of running it again; each language's outcome is saved in --work, and --reuse
builds the report from the saved ones.  mtqa --jobs 2, one run a file.

    python eval/into_false_alarms.py --split calib --work /tmp/into_fa && python eval/into_planted.py --split calib --control /tmp/into_fa
    python eval/into_planted.py --split calib --langs de,ru --types quotes,misspelling --misses 5 --work /tmp/into_pl

Writes eval/results/into_planted_<split>.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fluency_data import ROOT
from into_pairs import LANGUAGES, pairs_into, run_mtqa_into, target_words
from into_planting import PLANTERS
from ntrex_pairs import Pair
from planted_errors import Planted, issues_by_segment, new_flag, outcomes, print_misses, type_rows, write_clean_and_planted

CLAIMS: dict[str, tuple[str, ...]] = {
    "name_english": ("N1",),
    "exonym_english": ("N1",),
    "english_phrase": ("F1",),
    "english_word": ("F1",),
    "quotes": ("L1",),
    "number_marks": ("L2",),
    "word_doubled": ("T1",),
    "misspelling": ("F2",),
}
TARGETS = {  # issue 18's detection bounds
    "name_english": 0.90, "exonym_english": 0.90, "quotes": 0.90, "number_marks": 0.90,
    "english_phrase": 0.80, "english_word": 0.80, "misspelling": 0.80,
}
DENSE = ("name_english", "exonym_english", "number_marks")
TYPES = tuple(CLAIMS)


def _by_document(rows: list[Pair]) -> dict[str, list[int]]:
    docs: dict[str, list[int]] = defaultdict(list)
    for k, p in enumerate(rows):
        docs[p.document].append(k)
    return docs


def plant_rotation(lang: str, rows: list[Pair], types: tuple[str, ...]) -> list[Planted]:
    """Every third line of each document: the rarest type so far that applies."""
    planted: list[Planted] = []
    counts: Counter[str] = Counter()
    for members in _by_document(rows).values():
        for pos in range(1, len(members), 3):
            k = members[pos]
            for kind in sorted(types, key=lambda t: (counts[t], types.index(t))):
                made = PLANTERS[kind](rows[k], lang)
                if made is not None and made[0] != rows[k].target:
                    planted.append(Planted(kind, k, made[0], made[1]))
                    counts[kind] += 1
                    break
    return planted


def plant_dense(lang: str, rows: list[Pair], types: tuple[str, ...]) -> tuple[list[Pair], list[Planted]]:
    """Every line where one of ``types`` applies (the rarest so far); the rows of the documents concerned."""
    found: list[tuple[str, Pair, str, str]] = []
    counts: Counter[str] = Counter()
    for p in rows:
        for kind in sorted(types, key=lambda t: (counts[t], types.index(t))):
            made = PLANTERS[kind](p, lang)
            if made is not None and made[0] != p.target:
                found.append((kind, p, made[0], made[1]))
                counts[kind] += 1
                break
    docs = {p.document for _, p, _, _ in found}
    subset = [p for p in rows if p.document in docs]
    index = {id(p): k for k, p in enumerate(subset)}
    return subset, [Planted(kind, index[id(p)], target, change) for kind, p, target, change in found]


def detected(kind: str, clean: list[dict], planted: list[dict]) -> bool:
    return new_flag(CLAIMS[kind], clean, planted)


def control_issues(control: Path, lang: str, rows: list[Pair]) -> list[dict]:
    """The clean run of eval/into_false_alarms.py --work ``control`` (same split), on the documents of ``rows``."""
    path = control / f"out-{lang}" / "issues.jsonl"
    if not path.exists():
        raise SystemExit(f"--control: {path} missing (run eval/into_false_alarms.py --work {control} on this split first)")
    docs = {p.document for p in rows}
    found = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in found if i["document"] in docs]


def run_file(lang: str, name: str, rows: list[Pair], planted: list[Planted], work: Path, extra: list[str], jobs: int, control: Path | None) -> tuple[list[dict], int]:
    folder = work / lang
    write_clean_and_planted(rows, planted, folder / f"{name}-clean.tsv", folder / f"{name}-planted.tsv")
    cache = work / "cache"
    if control is not None:
        clean = issues_by_segment(control_issues(control, lang, rows))
    else:
        clean = issues_by_segment(run_mtqa_into(folder / f"{name}-clean.tsv", lang, folder / f"out-{name}-clean", cache, extra, jobs))
    dirty = issues_by_segment(run_mtqa_into(folder / f"{name}-planted.tsv", lang, folder / f"out-{name}-planted", cache, extra, jobs))
    return outcomes(planted, rows, clean, dirty, detected), sum(len(v) for v in clean.values())


def run_language(lang: str, split: str | None, types: tuple[str, ...], work: Path, extra: list[str], jobs: int, control: Path | None, reuse: bool = False) -> dict:
    saved = work / lang / f"result-{split or 'all'}.json"
    if reuse and saved.exists():
        result = json.loads(saved.read_text(encoding="utf-8"))
        if result.get("types") == list(types) and result.get("extra") == extra:
            return result
    rows = pairs_into(lang, split)
    outcome: list[dict] = []
    clean_flags = 0
    rotation = tuple(t for t in types if t not in DENSE)
    if rotation:
        found, clean_flags = run_file(lang, "rotation", rows, plant_rotation(lang, rows, rotation), work, extra, jobs, control)
        outcome += found
    dense = tuple(t for t in types if t in DENSE)
    if dense:
        subset, planted = plant_dense(lang, rows, dense)
        if planted:
            outcome += run_file(lang, "dense", subset, planted, work, extra, jobs, control)[0]
    hits = sum(o["hit"] for o in outcome)
    print(f"en-{lang}: {len(outcome)} planted, {hits} detected", flush=True)
    result = {"lang": lang, "planted": outcome, "clean_flags": clean_flags if rotation else None,
              "words": sum(target_words(p.target, lang) for p in rows), "types": list(types), "extra": extra}
    saved.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def report(results: list[dict], split: str, types: tuple[str, ...], command: str) -> str:
    langs = [r["lang"] for r in results]
    per: dict[str, dict[str, list[bool]]] = {t: defaultdict(list) for t in types}
    for r in results:
        for o in r["planted"]:
            per[o["kind"]][r["lang"]].append(o["hit"])
    out = [f"# Planted errors in NTREX-128 en->X targets ({split} split)", "",
           f"Command: `{command}`. A planted error counts as detected when its line gets a new flag of a family that claims "
           "the type (vs. the clean control run on the same documents). Only the claiming families run. Types and planting: "
           "eval/into_planted.py and eval/into_planting.py.", "",
           "| type | claimed by | planted | detected | rate | target |", "|---|---|---:|---:|---:|---:|"]
    out += type_rows(per, types, CLAIMS, TARGETS)
    out += ["", "## Detection per target language (detected/planted; '-': the type could not be planted there)", "",
            "| type | " + " | ".join(langs) + " |", "|---|" + "---:|" * len(langs)]
    for t in types:
        cells = []
        for lang in langs:
            hits = per[t].get(lang, [])
            cells.append(f"{sum(hits)}/{len(hits)}" if hits else "-")
        out.append(f"| {t} | " + " | ".join(cells) + " |")
    counted = [r for r in results if r["clean_flags"] is not None]
    if counted:
        words = sum(r["words"] for r in counted)
        flags = sum(r["clean_flags"] for r in counted)
        out += ["", f"Clean control (all documents, no planted errors): {flags} flags on {words:,.0f} target words = "
                f"{1000 * flags / max(words, 1):.2f} per 1,000 (eval/into_false_alarms.py reports them per rule)."]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="calib", choices=["calib", "test", "all"])
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--jobs", type=int, default=2, help="mtqa worker processes per run (default 2)")
    ap.add_argument("--par", type=int, default=1, help="languages run at once (default 1)")
    ap.add_argument("--work", help="keep inputs, outputs and the shard cache in this folder")
    ap.add_argument("--control", help="the --work folder of an eval/into_false_alarms.py run of the same split: its clean outputs are the control")
    ap.add_argument("--all-checks", action="store_true", help="run every check but the LM (default: only the families that claim the types run)")
    ap.add_argument("--reuse", action="store_true", help="take a language's outcome saved in --work by an earlier run with the same types")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed errors per type")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("extra", nargs="*", help="more mtqa run arguments (after --)")
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    types = tuple(t for t in args.types.split(",") if t)
    unknown = [t for t in types if t not in CLAIMS]
    if unknown:
        ap.error(f"unknown types: {', '.join(unknown)} (known: {', '.join(TYPES)})")
    langs = [x for x in args.langs.split(",") if x]
    command = f"python eval/into_planted.py --split {args.split}" + ("" if set(langs) == set(LANGUAGES) else f" --langs {args.langs}") + (
        "" if types == TYPES else f" --types {args.types}")
    extra = list(args.extra)
    if not args.all_checks:
        # Only the claiming families count, so only they run (a third of the CPU time: no embeddings);
        # with --control the clean control is the all-checks run, whose claiming-family flags are the same.
        extra += ["--enable", ",".join(sorted({f for t in types for f in CLAIMS[t]}))]
    control = Path(args.control) if args.control else None
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        with ThreadPoolExecutor(args.par) as pool:
            results = list(pool.map(lambda lang: run_language(lang, split, types, work, extra, args.jobs, control, args.reuse), langs))
    text = report(results, args.split, types, command)
    print(text)
    if args.misses:
        print_misses(results, types, args.misses, seed=18, pair=lambda lang: f"en-{lang}")
    if not args.no_write:
        (ROOT / "eval" / "results" / f"into_planted_{args.split}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
