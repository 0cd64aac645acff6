"""English name forms left in other targets, on real text full of Russian/Ukrainian names (issue 18 item 1).

NTREX has almost no Russian or Ukrainian names (eval/into_planted.py could plant "name_english" twice),
so this suite plants the same two types into news that names them all the time, read backwards:

- ru, uk: WMT22 general test ru-en / uk-en (source = English reference A, target = the Russian /
  Ukrainian original);
- de: WMT newstest2019-2021 de-en (source = the English reference, target = the German original);
- de_names: names_translit/newstest_deen_name_sentences.tsv (213 German newstest2008-2021 sentences
  with a Russian/Ukrainian or other foreign name and their English references), read the same way.

``name_english``: a Russian/Ukrainian person or place in the target's form replaced by the English
form the source has (Selenskyj -> Zelensky, Зеленского -> Zelensky); ``exonym_english``: a place
with its own name in the target language replaced by the English name (München -> Munich, Italien
-> Italy).  The planting is eval/into_planting.py's (its tables and ``_replace_name``): every line
where one applies gets one (the rarer type so far first).  ``name_unlisted``: a name of
names_translit's mined tables (WMT22 ru/uk-en and newstest de-en name pairs) whose English form the
planting tables lack (Kryuchkov, Jazenjuk -> Yatsenyuk), replaced the same way: names the checks must
find without a list.  ``name_genitive`` (German only): the German form with the genitive -s
replaced by the English form with it (Selenskyjs -> Zelenskys).  The WMT files have no document ids, so blocks of 50 lines are the documents:
even blocks are "calib", odd ones "test" (de_names: one curated name pair's sentences a document).

A planted error counts as detected when its line gets a new N1 flag (vs. the clean line), as
eval/into_planted.py counts.  The clean control's N1 flags per 1,000 target words are the false
alarms (listed with --show-clean for hand checking).  mtqa runs with only N1 enabled, --jobs 2.

    python eval/into_names.py --split calib --langs de,ru,uk --misses 10 --show-clean --no-write
    python eval/into_names.py --split test          # writes eval/results/into_names_test.md
    python eval/into_planted.py --split calib --langs de,ru,uk --types name_english,exonym_english --no-write --work /tmp/pl \
        && python eval/into_names.py --split calib --ntrex-work /tmp/pl   # NTREX figures of the same code beside

About 2.5 minutes for all four sets of one split on two busy cores (mtqa --jobs 2, only N1).

--cap N keeps the first N lines of each set (after the split), for a quick look.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections import Counter
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

from fluency_data import ROOT, data_dir
from into_pairs import run_mtqa_into, target_words
from into_planting import _replace_name, plant_exonym, plant_name, tables
from ntrex_pairs import Pair
from planted_errors import Planted, issues_by_segment, new_flag, outcomes, write_clean_and_planted

BLOCK = 50
# The names eval/names_translit.py's mined tables pair with an English form, where that English form is not
# in the planting tables (the shipped lexicon, exonyms.tsv, CLDR): names the checks must find without a list.
MINED = {"ru": "wmt22_ruen_cyr_en_pairs.tsv", "uk": "wmt22_uken_cyr_en_pairs.tsv", "de": "newstest_deen_mined_pairs.curated.tsv"}


def _romanized(word: str, lang: str) -> str:
    import iuliia  # deferred: only the mined-name planting
    import translitua  # deferred: as above

    return translitua.translit(word) if lang == "uk" else iuliia.translate(word, iuliia.WIKIPEDIA)


@cache
def mined_names(lang: str) -> list[tuple[str, str]]:
    """(target form, English form) of the mined tables that the planting tables lack; in Russian and Ukrainian
    only pairs whose English form is close to a romanization of the Cyrillic one (a name, not "Украины" ->
    "Ukrainian"); in German only names of Cyrillic origin."""
    from wordfreq import zipf_frequency  # deferred: only the mined-name planting

    if lang not in MINED:
        return []
    known = {english for _, english in tables().names.get(lang, []) + tables().exonyms.get(lang, [])}
    rows = [line.split("\t") for line in (data_dir() / "names_translit" / MINED[lang]).read_text(encoding="utf-8").splitlines()[1:]]
    out = []
    for row in rows:
        form, english = row[0], row[1]
        if english in known or form == english or not english[:1].isupper() or zipf_frequency(english.lower(), "en") >= 3.5:
            continue  # a common English word ("Economists", "Europe") is not a name left untranslated
        if lang == "de" and row[2] != "cyr":
            continue
        if lang != "de" and SequenceMatcher(None, _romanized(form, lang).lower(), english.lower()).ratio() < 0.75:
            continue
        out.append((form, english))
    return out


def plant_mined(p: Pair, lang: str) -> tuple[str, str] | None:
    """A name of the mined tables (not in the planting tables) replaced by the English form the source has."""
    return _replace_name(p, mined_names(lang), lang)


def plant_genitive(p: Pair, lang: str) -> tuple[str, str] | None:
    """German: a Russian/Ukrainian name with the genitive -s in the German form replaced by the English
    form with the same ending (Selenskyjs -> Zelenskys), from the planting tables and the mined ones."""
    if lang != "de":
        return None
    for form, english in tables().names.get(lang, []) + mined_names(lang):
        m = re.search(r"(?<!\w)" + re.escape(form) + r"s(?!\w)", p.target)
        if m is not None and english in p.source and english + "s" not in p.target:
            return p.target[: m.start()] + english + "s" + p.target[m.end() :], f"{m.group(0)} -> {english}s"
    return None


TYPES = {"name_english": plant_name, "exonym_english": plant_exonym, "name_unlisted": plant_mined, "name_genitive": plant_genitive}
# (English side, original side): WMT22 read backwards, newstest de-en read backwards.
SETS: dict[str, list[tuple[str, str]]] = {
    "ru": [("wmt22_general_test/ru-en/generaltest2022.ru-en.ref.A.en", "wmt22_general_test/ru-en/generaltest2022.ru-en.src.ru")],
    "uk": [("wmt22_general_test/uk-en/generaltest2022.uk-en.ref.A.en", "wmt22_general_test/uk-en/generaltest2022.uk-en.src.uk")],
    "de": [(f"wmt_newstest_deen/newstest{y}.de-en.{e}", f"wmt_newstest_deen/newstest{y}.de-en.de")
           for y, e in (("2019", "en"), ("2020", "en"), ("2021", "refA.en"))],
    "de_names": [],  # names_translit/newstest_deen_name_sentences.tsv (see name_sentences)
}


# A set's target language: "de_names" is German too.
LANG = {"de_names": "de"}


def name_sentences(split: str | None) -> list[Pair]:
    """names_translit's newstest sentences read backwards (source = the English reference, target = the
    German original); the rows of one curated (German, English) pair are one document, pairs alternate
    calib/test."""
    rows = [line.split("\t") for line in (data_dir() / "names_translit" / "newstest_deen_name_sentences.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    order = list(dict.fromkeys((r[1], r[2]) for r in rows))
    out = []
    for i, row in enumerate(rows):
        k = order.index((row[1], row[2]))
        if split is None or ("calib", "test")[k % 2] == split:
            out.append(Pair(i, f"{row[1]}|{row[2]}", row[5].strip(), row[4].strip()))
    return out


def pairs_of(lang: str, split: str | None, cap: int = 0) -> list[Pair]:
    """English -> target pairs of one set and split (blocks of 50 lines alternate calib/test)."""
    if lang == "de_names":
        return name_sentences(split)[: cap or None]
    out: list[Pair] = []
    for english_path, original_path in SETS[lang]:
        english = (data_dir() / english_path).read_text(encoding="utf-8").rstrip("\n").split("\n")
        original = (data_dir() / original_path).read_text(encoding="utf-8").rstrip("\n").split("\n")
        if len(english) != len(original):
            raise SystemExit(f"{original_path}: {len(original)} lines, {english_path}: {len(english)}")
        stem = Path(original_path).name
        for i, (src, tgt) in enumerate(zip(english, original)):
            block = i // BLOCK
            if split is not None and ("calib", "test")[block % 2] != split:
                continue
            if src.strip() and tgt.strip():
                # a tab inside a line (one in the uk-en test half) would split mtqa's tabular input
                out.append(Pair(i, f"{stem}#{block}", src.replace("\t", " ").strip(), tgt.replace("\t", " ").strip()))
    return out[:cap] if cap else out


def plant(lang: str, rows: list[Pair]) -> list[tuple[str, int, str, str]]:
    """(type, row, planted target, change) for every line where a type applies, the rarer type first."""
    counts: Counter[str] = Counter()
    found = []
    for k, p in enumerate(rows):
        for kind in sorted(TYPES, key=lambda t: (counts[t], t)):
            made = TYPES[kind](p, lang)
            if made is not None and made[0] != p.target:
                found.append((kind, k, made[0], made[1]))
                counts[kind] += 1
                break
    return found


def run_language(name: str, split: str | None, work: Path, cap: int, jobs: int) -> dict:
    rows = pairs_of(name, split, cap)
    lang = LANG.get(name, name)
    planted = [Planted(*p) for p in plant(lang, rows)]
    folder = work / name
    write_clean_and_planted(rows, planted, folder / "clean.tsv", folder / "planted.tsv")
    extra = ["--enable", "N1"]
    clean_issues = [i for i in run_mtqa_into(folder / "clean.tsv", lang, folder / "out-clean", work / "cache", extra, jobs) if not i.get("ignored")]
    dirty = issues_by_segment(run_mtqa_into(folder / "planted.tsv", lang, folder / "out-planted", work / "cache", extra, jobs))
    found = outcomes(planted, rows, issues_by_segment(clean_issues), dirty, lambda kind, c, d: new_flag(("N1",), c, d))
    words = sum(target_words(p.target, lang) for p in rows)
    print(f"en-{lang} ({name}): {len(rows)} lines, {len(found)} planted, {sum(o['hit'] for o in found)} detected, {len(clean_issues)} clean N1 flags", flush=True)
    return {"lang": name, "lines": len(rows), "words": words, "planted": found, "clean": clean_issues}


def ntrex_figures(split: str, work: str | None = None) -> dict[str, str]:
    """'type:lang' -> detected/planted on NTREX, for comparison: from the saved outcomes of an
    eval/into_planted.py --work ``work`` run of the same split, else from eval/results/into_planted_<split>.md."""
    if work:
        out = {}
        for saved in Path(work).glob(f"*/result-{split}.json"):
            result = json.loads(saved.read_text(encoding="utf-8"))
            for kind in TYPES:
                hits = [o["hit"] for o in result["planted"] if o["kind"] == kind]
                if hits:
                    out[f"{kind}:{result['lang']}"] = f"{sum(hits)}/{len(hits)}"
        return out
    path = ROOT / "eval" / "results" / f"into_planted_{split}.md"
    if not path.exists():
        return {}
    langs: list[str] = []
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "type" and len(cells) > 6:
            langs = cells[1:]
        elif langs and cells[0] in TYPES and len(cells) == len(langs) + 1:
            out.update({f"{cells[0]}:{lang}": cell for lang, cell in zip(langs, cells[1:])})
    return out


def report(results: list[dict], split: str, command: str, ntrex: dict[str, str]) -> str:
    out = [f"# English name forms planted into de/ru/uk news targets ({split} split)", "",
           f"Command: `{command}`. Data: WMT22 general test ru-en and uk-en read backwards (English reference A as source, the "
           "Russian/Ukrainian original as target), WMT newstest2019-2021 de-en read backwards; blocks of 50 lines alternate "
           "calib/test. Planting: eval/into_planting.py (as eval/into_planted.py's dense file); detected = a new N1 flag on the "
           "planted line. Only N1 runs.", "",
           "| target | lines | target words | type | planted | detected | rate | NTREX (into_planted) |", "|---|---:|---:|---|---:|---:|---:|---|"]
    for r in results:
        for kind in TYPES:
            hits = [o["hit"] for o in r["planted"] if o["kind"] == kind]
            rate = f"{sum(hits) / len(hits):.2f}" if hits else "-"
            out.append(f"| {r['lang']} | {r['lines']:,} | {r['words']:,.0f} | {kind} | {len(hits)} | {sum(hits)} | {rate} | {ntrex.get(kind + ':' + LANG.get(r['lang'], r['lang']), '')} |")
    out += ["", "## Clean control: N1 flags (false alarms unless a hand check says otherwise)", "",
            "| target | flags | per 1,000 target words |", "|---|---:|---:|"]
    for r in results:
        out.append(f"| {r['lang']} | {len(r['clean'])} | {1000 * len(r['clean']) / max(r['words'], 1):.2f} |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="calib", choices=["calib", "test", "all"])
    ap.add_argument("--langs", default=",".join(SETS))
    ap.add_argument("--cap", type=int, default=0, help="keep the first N lines of each target's split")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", help="keep inputs and outputs in this folder")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed errors per type and target")
    ap.add_argument("--show-clean", action="store_true", help="print the clean control's N1 flags")
    ap.add_argument("--ntrex-work", help="the --work folder of an eval/into_planted.py run of the same split with these types: its NTREX figures go beside")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    langs = [x for x in args.langs.split(",") if x]
    command = f"python eval/into_names.py --split {args.split}" + ("" if langs == list(SETS) else f" --langs {args.langs}") + (f" --cap {args.cap}" if args.cap else "")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        results = [run_language(lang, split, work, args.cap, args.jobs) for lang in langs]
    ntrex = ntrex_figures(args.split, args.ntrex_work)
    text = report(results, args.split, command, ntrex)
    print(text)
    for r in results:
        if args.misses:
            for kind in TYPES:
                missed = [o for o in r["planted"] if o["kind"] == kind and not o["hit"]]
                for o in missed[: args.misses]:
                    print(f"MISS en-{r['lang']} {kind} line {o['line']}: {o['change']} | flags {o['flags']}\n   {o['target'][:220]}")
        if args.show_clean:
            for i in r["clean"]:
                print(f"CLEAN en-{r['lang']} {i['code']} {i.get('text')!r}: {i.get('message', '')[:160]}")
    if not args.no_write:
        (ROOT / "eval" / "results" / f"into_names_{args.split}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
