"""N2 (N201 entity-missing, N202 entity-replaced) alone on the planted entity errors, in one process: a
quick loop for calibrating the entity rules (about 30 s for 21 languages; the full eval/planted_errors.py
runs mtqa twice per language).

The plants are eval/planted_errors.py's own (``entity_replaced`` and ``entity_removed`` taking turns on every
third line of a document); the clean control is the same documents unchanged.  A plant counts as detected
when its line gets an N2 flag the clean line does not have (code and flagged text), as in the full suite.
Each plant counts under the kind it was planted as (``entity_replaced`` or ``entity_removed``).

    python eval/entity_calib.py --split calib                    # every language
    python eval/entity_calib.py --split calib --langs ru,uk --list      # and every clean-pair flag
    python eval/entity_calib.py --split calib --langs es --misses       # and every missed plant

Needs the data (``MTQA_DATA_DIR`` or ../shared/data); prints, writes nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "eval")]

from ntrex_pairs import LANGUAGES, pairs  # noqa: E402
from planted_errors import entity_pool_of, plant  # noqa: E402

from pipeline.checks import CheckContext, load_rules, run_checks  # noqa: E402
from pipeline.model import AlignedPair, Bead, Segment  # noqa: E402
from pipeline.names.detect import Frequencies  # noqa: E402

_WORD = re.compile(r"\w+")


def _document(rows: list[tuple[str, str]]) -> list[AlignedPair]:
    return [AlignedPair("d", "mt", k, Bead((k,), (k,)), (Segment(s, k),), (Segment(t, k),)) for k, (s, t) in enumerate(rows)]


def one_language(lang: str, split: str) -> dict:
    """Detection of each kind, the clean pairs' flags and the misses of one source language."""
    rows = pairs(lang, split)
    planted = {p.row: p for p in plant(lang, rows, ("entity_replaced", "entity_removed"), {}, entity_pool_of(pairs(lang, None)))}
    ctx = CheckContext(src_lang=lang, tgt_lang="en", resources={"names.frequencies": Frequencies()})
    rules = [load_rules().get("N201"), load_rules().get("N202")]
    documents: dict[str, list[int]] = defaultdict(list)
    for k, p in enumerate(rows):
        documents[p.document].append(k)
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    clean_flags: list[str] = []
    misses: list[str] = []
    for members in documents.values():
        clean = _document([(rows[k].source, rows[k].target) for k in members])
        dirty = _document([(rows[k].source, planted[k].target if k in planted else rows[k].target) for k in members])
        before = list(run_checks([clean], rules, ctx))
        seen = {(f.segment, f.code, f.text) for f in before}
        clean_flags += [f"{lang} {f.code} {f.text} | {clean[f.segment].source_text[:110]} | {clean[f.segment].target_text[:110]}" for f in before]
        after = list(run_checks([dirty], rules, ctx))
        for pos, k in enumerate(members):
            if k not in planted:
                continue
            new = planted[k].target
            kind = planted[k].kind.removeprefix("entity_")
            total[kind] += 1
            found = any(f.segment == pos and (f.segment, f.code, f.text) not in seen for f in after)
            hits[kind] += found
            if not found:
                misses.append(f"{lang} {kind} ({planted[k].change}) | {rows[k].source[:110]} | {new[:110]}")
    words = sum(len(_WORD.findall(p.target)) for p in rows)
    return {"lang": lang, "hits": hits, "total": total, "clean": clean_flags, "words": words, "misses": misses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("calib", "test"), default="calib")
    ap.add_argument("--langs", default=",".join(sorted(LANGUAGES)))
    ap.add_argument("--list", action="store_true", help="print every flag on the clean pairs")
    ap.add_argument("--misses", action="store_true", help="print every missed plant")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    langs = args.langs.split(",")
    hits: Counter[str] = Counter()
    total: Counter[str] = Counter()
    flags = words = 0
    with ProcessPoolExecutor(args.jobs) as pool:
        for r in pool.map(one_language, langs, [args.split] * len(langs)):
            hits.update(r["hits"])
            total.update(r["total"])
            flags += len(r["clean"])
            words += r["words"]
            print(f"{r['lang']}: removed {r['hits']['removed']}/{r['total']['removed']}  replaced {r['hits']['replaced']}/{r['total']['replaced']}  "
                  f"clean N2 {len(r['clean'])} = {1000 * len(r['clean']) / max(1, r['words']):.2f}/1k", flush=True)
            for line in (r["clean"] if args.list else []) + (r["misses"] if args.misses else []):
                print("  " + line)
    print(f"ALL: removed {hits['removed']}/{total['removed']} = {hits['removed'] / max(1, total['removed']):.1%}  "
          f"replaced {hits['replaced']}/{total['replaced']} = {hits['replaced'] / max(1, total['replaced']):.1%}  "
          f"clean N2 {flags} = {1000 * flags / max(1, words):.2f}/1k")


if __name__ == "__main__":
    main()
