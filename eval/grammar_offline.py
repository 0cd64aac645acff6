"""Offline grammar for targets other than English (issue 18, item 5): is link-grammar a usable signal?

A grammar rule for a target language needs an offline component that accepts clean text and rejects
ungrammatical text.  LanguageTool (``language-tool-python``) downloads its server at run time, so it
does not work offline.  Debian's link-grammar 5.12 (``python3-link-grammar``,
``link-grammar-dictionaries-all``) parses offline and ships dictionaries for Arabic, German, Hebrew,
Kazakh, Russian, Turkish, Vietnamese (and English, Persian, Indonesian, Lithuanian, Thai).  The
simplest rule it allows: flag a sentence that has no complete linkage (no word left unlinked).  That
rule is only usable if clean professional text does parse.  This benchmark measures, per
language, the share of NTREX-128 reference sentences (professional translations from English; 200 drawn
at random, seed 1) with a complete linkage within 1 s, the same for sentences of at most 12 words, and
for the same sentences with their words in reverse order (word salad a grammar must reject).  The
English original is the reference point.

link-grammar's Python binding is built for Debian's Python, so the parsing runs in ``/usr/bin/python3``
(Debian's packages are read at run time, never copied here).

    python eval/grammar_offline.py [--sentences 200] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from fluency_data import write_summary

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = "/usr/bin/python3"

# link-grammar's dictionary name -> the NTREX-128 file of that language (data folder, file)
LANGUAGES = {
    "ru": ("ntrex128_en_de_ru_uk", "newstest2019-ref.rus.txt"),
    "de": ("ntrex128_en_de_ru_uk", "newstest2019-ref.deu.txt"),
    "tr": ("ntrex128_multi", "newstest2019-ref.tur.txt"),
    "he": ("ntrex128_multi", "newstest2019-ref.heb.txt"),
    "kz": ("ntrex128_multi", "newstest2019-ref.kaz.txt"),
    "vn": ("ntrex128_multi", "newstest2019-ref.vie.txt"),
    "ar": ("ntrex128_multi", "newstest2019-ref.arb.txt"),
    "en": ("ntrex128_en_de_ru_uk", "newstest2019-src.eng.txt"),
}

# Runs in Debian's Python: reads sentences on stdin (JSON), prints one JSON result.
PARSER = r"""
import json, sys, time
import linkgrammar as lg
lang, sentences = json.load(sys.stdin)
d = lg.Dictionary(lang)
po = lg.ParseOptions(min_null_count=0, max_null_count=0, max_parse_time=1, verbosity=0)
timeouts = 0


def complete(text):
    global timeouts
    try:
        linkages = lg.Sentence(text, d, po).parse()
    except lg.LG_TimerExhausted:  # no linkage found within the time limit: not complete
        timeouts += 1
        return False
    return bool(linkages) and len(linkages) > 0


t = time.perf_counter()
out = [complete(s) for s in sentences]
seconds = time.perf_counter() - t
scrambled = [complete(" ".join(reversed(s.split()))) for s in sentences]  # word salad: a grammar must reject it
print(json.dumps({"complete": out, "scrambled": scrambled, "timeouts": timeouts, "seconds": seconds}))
"""


def data_dir() -> Path:
    import os

    return Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")


def sample(path: Path, n: int) -> list[str]:
    import random

    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    random.Random(1).shuffle(lines)
    return lines[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=200)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import linkgrammar"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit("eval: link-grammar's Python binding is not installed (Debian: apt-get install python3-link-grammar link-grammar-dictionaries-all)")
    rows, data = [], {}
    for lang, (folder, name) in LANGUAGES.items():
        path = data_dir() / folder / name
        if not path.exists():
            sys.exit(f"eval: {path} not found (set MTQA_DATA_DIR)")
        sentences = sample(path, args.sentences)
        done = subprocess.run([SYSTEM_PYTHON, "-c", PARSER], input=json.dumps([lang, sentences]), capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"eval: link-grammar failed for {lang}: {done.stderr.strip()[-300:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        complete = result["complete"]
        short = [ok for s, ok in zip(sentences, complete) if len(s.split()) <= 12]
        rate, short_rate = sum(complete) / len(complete), (sum(short) / len(short) if short else float("nan"))
        scrambled = sum(result["scrambled"])
        rows.append(f"| {lang} | {name} | {len(complete)} | {sum(complete)} ({rate:.0%}) | {sum(short)}/{len(short)} ({short_rate:.0%}) | {scrambled} ({scrambled / len(complete):.0%}) | {result['timeouts']} | {1000 * result['seconds'] / len(complete):.0f} |")
        data[lang] = {"sentences": len(complete), "complete": sum(complete), "short": len(short), "short_complete": sum(short), "scrambled_complete": scrambled, "timeouts": result["timeouts"], "seconds": result["seconds"]}
        print(rows[-1], flush=True)
    targets = {k: v for k, v in data.items() if k != "en"}
    low = [k for k, v in targets.items() if v["complete"] < v["sentences"] / 2]
    everything = [k for k, v in targets.items() if v["scrambled_complete"] >= v["sentences"] / 2]
    lines = [
        f"link-grammar 5.12 (Debian), a complete linkage (no word unlinked) within 1 s, {args.sentences} NTREX-128 reference sentences per "
        "language drawn at random (seed 1); a rule flagging sentences without one would flag the rest of these clean, professional sentences.",
        "",
        "| dictionary | NTREX file | sentences | complete linkage | of those <= 12 words | word order reversed: complete linkage | timed out | ms a sentence |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Decision: no rule.  Targets whose clean sentences mostly fail to parse ({', '.join(low) or 'none'}) would have most clean "
        f"text flagged; where sentences with their words reversed parse as well ({', '.join(everything) or 'none'}) the dictionary rejects nothing.  F301 (Harper) "
        "stays English-only, and the run's notes say so for every other target.",
    ]
    if not args.no_write:
        write_summary("grammar_offline", "Offline grammar for other targets: link-grammar on clean NTREX text (eval/grammar_offline.py)", lines, data)


if __name__ == "__main__":
    main()
