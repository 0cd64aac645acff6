"""Planted meaning errors in clean pairs: how many does mtqa catch, per error type and source language?

Data: NTREX-128 X->English for 21 languages (eval/ntrex_pairs.py; source = the professional
translation, target = the English original).  In every document, every third line (the second, fifth,
...: its neighbours stay clean) gets one planted error in its English target; the types take turns, each
line getting the next type that applies to it.  The clean run of the same lines is the control: a
planted error counts as detected when the planted line has a flag of a family that claims the type
(table ``CLAIMS``) which the clean line does not have (same code, side and flagged text).

Types (all changes are made to the English target):
- ``target_swapped``: the target replaced by another sentence of the same document;
- ``number_digits`` / ``number_words``: a number in digits changed ("12" -> "15"), or an English number
  word changed to another ("three" -> "nine");
- ``untranslated_span``: 3-5 words of the source (6 characters for zh/ja) put in place of English words;
- ``entity_replaced`` / ``entity_removed``: a person, place or organisation (eval/entity_types.py: a
  capitalised run not at the start of the sentence, typed by WordNet, CLDR and the shape of names; no
  headline, time, nation or common word) replaced by a name of the same type and number of words from
  another line, or deleted (typed since the fifteenth session; before, any capitalised run counted and
  the replacement was any run of the same length: "Trump" -> "Start", "Thursday's" -> "Dewar");
- ``negation``: a "not"/"never"/"n't" removed, or "not" added after an auxiliary when there is none;
- ``antonym``: an adjective, adverb or verb replaced by its WordNet antonym ("increase" -> "decrease"),
  not at auxiliaries and particles (changed after the first calibration runs: "had been" -> "lacked been"
  measured WordNet's odd senses, not a rule);
- ``clause_removed``: a comma-delimited clause of >= 4 words removed (>= 6 words remaining);
- ``word_doubled``: a word written twice.

    python eval/planted_errors.py --split test           # all 21 languages, all types
    python eval/planted_errors.py --split calib --langs fr,zh --types negation,antonym --work /tmp/pl

Writes eval/results/planted_errors_<split>.md (unless --no-write): detection per type (over all
languages, and per language) and the false alarms of the clean control run on the same documents.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from entity_types import Entity, document_persons
from entity_types import entities as typed_entities
from fluency_data import ROOT, run_mtqa_table
from ntrex_pairs import LANGUAGES, Pair, english_words, pairs, write_tsv

CLAIMS: dict[str, tuple[str, ...]] = {
    "target_swapped": ("A5", "A1"),
    "number_digits": ("A2",),
    "number_words": ("A2",),
    "untranslated_span": ("F1",),
    "entity_replaced": ("N2",),
    "entity_removed": ("N2",),
    "negation": ("A6",),
    "antonym": ("A6",),
    "clause_removed": ("A5", "A6", "A7", "A3", "A1"),
    "word_doubled": ("T1",),
}
TARGETS = {  # issue 14's detection targets over all 21 languages
    "target_swapped": 0.95, "number_digits": 0.90, "number_words": 0.90, "untranslated_span": 0.90,
    "entity_replaced": 0.70, "entity_removed": 0.60, "negation": 0.60, "clause_removed": 0.50, "antonym": 0.40,
}
TYPES = tuple(CLAIMS)
UNSPACED = {"zh", "ja"}


@dataclass(frozen=True)
class Planted:
    kind: str
    row: int  # index into the split's rows
    target: str
    change: str  # what was changed, for reading the misses


# ----------------------------------------------------------------------------------------------
# Perturbations: (pair, context) -> new target and a description, or None when the type does not apply.

_NUMBER = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/:]|[.,]\d)")
_NUMBER_WORDS = {
    "two": "five", "three": "nine", "four": "seven", "five": "eight", "six": "ten", "seven": "three", "eight": "two",
    "nine": "four", "ten": "six", "eleven": "fifteen", "twelve": "twenty", "fifteen": "fifty", "twenty": "forty",
    "thirty": "seventy", "forty": "ninety", "fifty": "twenty", "sixty": "thirty", "seventy": "forty", "eighty": "fifty",
    "ninety": "sixty", "hundred": "thousand", "thousand": "million", "million": "billion", "billion": "million",
    "dozen": "hundred", "half": "third",
}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never) |\b(?:do|does|did|is|are|was|were|has|have|had|could|would|should|must)n't\b|\bcan't\b|\bwon't\b|\bcannot\b", re.IGNORECASE)
# An auxiliary before what it governs: "not" after it negates the clause ("was not found", "will not go").
_AUXILIARY = re.compile(
    r"\b(?:(is|are|was|were)\s+(?=[a-z])|(has|have|had)\s+(?=been\b|[a-z]{2,}(?:ed|en|wn|ne|ght|und|ld|lt|pt|ft|ck|de|ft|ung|un)\b)"
    r"|(will|would|can|could|should|must|may|might)\s+(?=[a-z]{2,}\b))"
)
_LEGIT_DOUBLES = {"that", "had", "the", "and"}  # "that that", "had had": doubled on purpose in English
_WORD = re.compile(r"[A-Za-z][a-z]{2,}")


def _swap_target(p: Pair, ctx: dict) -> tuple[str, str] | None:
    doc_rows = ctx["doc_rows"][p.document]
    pos = doc_rows.index(p)
    candidates = [q for k, q in enumerate(doc_rows) if abs(k - pos) >= 2 and english_words(q.target) >= 5 and q.target != p.target]
    if not candidates:
        return None
    other = candidates[len(candidates) // 2]
    return other.target, f"target of line {other.line}"


def _change_digits(p: Pair, ctx: dict) -> tuple[str, str] | None:
    found = list(_NUMBER.finditer(p.target))
    if not found:
        return None
    m = found[len(found) // 2]
    whole = int(m.group(1).replace(",", ""))
    new = whole - 3 if 1900 <= whole <= 2100 and not m.group(2) else (whole + 3 if whole < 10 else whole + max(2, whole // 4))
    text = f"{new:,}" if "," in m.group(1) else str(new)
    return p.target[: m.start(1)] + text + p.target[m.end(1) :], f"{m.group(1)} -> {text}"


def _change_number_word(p: Pair, ctx: dict) -> tuple[str, str] | None:
    m = _NUMBER_WORD.search(p.target)
    if not m:
        return None
    word = m.group(1)
    new = _NUMBER_WORDS[word.lower()]
    new = new.capitalize() if word[0].isupper() else new
    return p.target[: m.start()] + new + p.target[m.end() :], f"{word} -> {new}"


def _source_span(p: Pair, lang: str) -> str | None:
    if lang in UNSPACED:
        chars = [k for k, c in enumerate(p.source) if c.isalpha()]
        if len(chars) < 12:
            return None
        mid = chars[len(chars) // 2]
        span = p.source[mid : mid + 6]
        return span if all(c.isalpha() for c in span) else None
    tokens = p.source.split()
    words_in_target = {w.lower().strip(".,;:!?\"'()«»„“”") for w in p.target.split()}
    for size in (4, 5, 3):
        for start in range(len(tokens) // 3, len(tokens) - size):
            span = tokens[start : start + size]
            clean = [w.strip(".,;:!?\"'()«»„“”") for w in span]
            if all(w and any(c.isalpha() for c in w) for w in clean) and sum(w.lower() not in words_in_target for w in clean) >= size - 1:
                return " ".join(clean)
    return None


def _insert_untranslated(p: Pair, ctx: dict) -> tuple[str, str] | None:
    span = _source_span(p, ctx["lang"])
    words = p.target.split()
    if span is None or len(words) < 8:
        return None
    at = len(words) // 2
    new = [*words[:at], span, *words[at + 3 :]]
    return " ".join(new), f"'{' '.join(words[at:at + 3])}' -> '{span}'"


def _entities(p: Pair, ctx: dict) -> list[Entity]:
    """The line's typed names (eval/entity_types.py), knowing its document's people."""
    persons = ctx.setdefault("persons", {})
    if p.document not in persons:
        persons[p.document] = document_persons(q.target for q in ctx["doc_rows"][p.document])
    return typed_entities(p.target, persons[p.document])


def _replace_entity(p: Pair, ctx: dict) -> tuple[str, str] | None:
    found = _entities(p, ctx)
    if not found:
        return None
    e = found[0]
    pool = [x for x in ctx["entity_pool"].get((e.type, len(e.text.split())), []) if x not in p.target and x not in p.source]
    if not pool:
        return None
    new = pool[(p.line * 7919) % len(pool)]
    return p.target[: e.start] + new + p.target[e.end :], f"{e.text} -> {new} ({e.type})"


def _remove_entity(p: Pair, ctx: dict) -> tuple[str, str] | None:
    found = _entities(p, ctx)
    if not found:
        return None
    e = found[-1]
    new = (p.target[: e.start].rstrip() + " " + p.target[e.end :].lstrip()).strip()
    new = re.sub(r" ([,.;:!?'])", r"\1", new)
    return new, f"removed {e.text} ({e.type})"


def _change_negation(p: Pair, ctx: dict) -> tuple[str, str] | None:
    m = _NEGATION.search(p.target)
    if m:
        old = m.group(0)
        low = old.lower()
        if low in ("not ", "never "):
            new = ""
        elif low == "can't" or low == "cannot":
            new = old[:3]
        elif low == "won't":
            new = old[0] + "ill"
        else:
            new = old[:-3]
        return p.target[: m.start()] + new + p.target[m.end() :], f"removed '{old.strip()}'"
    m = _AUXILIARY.search(p.target)
    if not m:
        return None
    aux = m.group(m.lastindex or 1)
    at = m.start() + len(aux)
    return p.target[:at] + " not" + p.target[at:], f"added 'not' after '{aux}'"


# Auxiliaries and particles whose WordNet "antonyms" come from other senses ("had been" -> "lacked
# been", "just" -> "unjust", "out" -> "safe"): not an antonym a translation could contain.
_NOT_ANTONYM_SITES = {"have", "has", "had", "do", "does", "did", "be", "is", "are", "was", "were", "just", "out", "in", "up",
                      "down", "on", "off", "over", "under", "run", "get", "got", "make", "take", "go", "come", "keep", "let"}


def _antonym(p: Pair, ctx: dict) -> tuple[str, str] | None:
    table = ctx["antonyms"]
    for m in _WORD.finditer(p.target):
        word = m.group(0)
        if (word[0].isupper() and m.start() > 0) or word.lower() in _NOT_ANTONYM_SITES:
            continue
        new = table.get(word.lower())
        if new:
            new = new.capitalize() if word[0].isupper() else new
            return p.target[: m.start()] + new + p.target[m.end() :], f"{word} -> {new}"
    return None


def _remove_clause(p: Pair, ctx: dict) -> tuple[str, str] | None:
    text = p.target
    cuts = [m.start() for m in re.finditer(r", ", text)]
    end = len(text.rstrip(".!?\"'”’"))
    options = []
    for k, start in enumerate(cuts):
        stop = cuts[k + 1] if k + 1 < len(cuts) else end
        clause = text[start:stop]
        rest = text[:start] + text[stop:]
        if len(clause.split()) >= 4 and len(rest.split()) >= 6:
            options.append((len(clause), start, stop))
    if not options:
        return None
    _, start, stop = max(options)
    return text[:start] + text[stop:], f"removed '{text[start + 2:stop]}'"


def _double_word(p: Pair, ctx: dict) -> tuple[str, str] | None:
    words = p.target.split(" ")
    choices = [k for k, w in enumerate(words) if k > 0 and re.fullmatch(r"[a-z]{3,}", w) and w not in _LEGIT_DOUBLES]
    if not choices:
        return None
    k = choices[len(choices) // 2]
    return " ".join([*words[: k + 1], words[k], *words[k + 1 :]]), f"doubled '{words[k]}'"


PLANTERS: dict[str, Callable[[Pair, dict], tuple[str, str] | None]] = {
    "target_swapped": _swap_target,
    "number_digits": _change_digits,
    "number_words": _change_number_word,
    "untranslated_span": _insert_untranslated,
    "entity_replaced": _replace_entity,
    "entity_removed": _remove_entity,
    "negation": _change_negation,
    "antonym": _antonym,
    "clause_removed": _remove_clause,
    "word_doubled": _double_word,
}


def wordnet_antonyms(folder: str = "/usr/share/wordnet") -> list[tuple[str, str]]:
    """(word, antonym) pairs of the WordNet 3.0 data files (Debian wordnet-base), adjectives, adverbs, verbs.

    Read directly: nltk's reader wants a "lexnames" file the Debian package does not ship.
    """
    found = []
    for pos in ("adj", "adv", "verb"):
        synsets: dict[str, list[str]] = {}
        antonym_links: list[tuple[str, int, str, int]] = []
        with open(f"{folder}/data.{pos}", encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                fields = line.split(" | ")[0].split()
                offset, count = fields[0], int(fields[3], 16)
                words = [re.sub(r"\(.*\)$", "", fields[4 + 2 * k]).lower() for k in range(count)]
                synsets[offset] = words
                at = 4 + 2 * count
                for k in range(int(fields[at])):
                    symbol, target, _, link = fields[at + 1 + 4 * k : at + 5 + 4 * k]
                    if symbol == "!":
                        antonym_links.append((offset, int(link[:2], 16), target, int(link[2:], 16)))
        for offset, source, target, number in antonym_links:
            if source and number and target in synsets:
                found.append((synsets[offset][source - 1], synsets[target][number - 1]))
    return found


def antonym_table() -> dict[str, str]:
    """Common English words with a one-word WordNet antonym."""
    from wordfreq import zipf_frequency

    table: dict[str, str] = {}
    for a, b in wordnet_antonyms():
        if "_" in a or "_" in b or a == b:
            continue
        if zipf_frequency(a, "en") >= 3.5 and zipf_frequency(b, "en") >= 3.0:
            table.setdefault(a, b)
    return table


def plant(lang: str, rows: list[Pair], types: tuple[str, ...], antonyms: dict[str, str], entity_pool: dict[tuple[str, int], list[str]]) -> list[Planted]:
    doc_rows: dict[str, list[Pair]] = defaultdict(list)
    for p in rows:
        doc_rows[p.document].append(p)
    ctx = {"lang": lang, "doc_rows": doc_rows, "antonyms": antonyms, "entity_pool": entity_pool}
    index = {p.line: k for k, p in enumerate(rows)}
    planted: list[Planted] = []
    counts: Counter[str] = Counter()
    for doc in doc_rows.values():
        for pos in range(1, len(doc), 3):
            p = doc[pos]
            # The rarest type so far that applies to the line: types that apply to few lines
            # (numbers in words, antonyms) get every line they can take.
            for kind in sorted(types, key=lambda t: (counts[t], types.index(t))):
                made = PLANTERS[kind](p, ctx)
                if made is not None and made[0] != p.target:
                    planted.append(Planted(kind, index[p.line], made[0], made[1]))
                    counts[kind] += 1
                    break
    return planted


def write_clean_and_planted(rows: list[Pair], planted: list[Planted], clean: Path, dirty: Path) -> None:
    """The pairs as mtqa's TSV input twice: as they are, and with each planted line's target put in."""
    targets = [p.target for p in rows]
    for item in planted:
        targets[item.row] = item.target
    write_tsv(rows, clean)
    write_tsv(rows, dirty, targets)


def issues_by_segment(issues: list[dict]) -> dict[tuple[str, int], list[dict]]:
    """A run's issues (not those its ignore list marks) by (document, segment)."""
    found: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for i in issues:
        if not i.get("ignored"):
            found[(i["document"], i["segment"])].append(i)
    return found


def entity_pool_of(rows: list[Pair]) -> dict[tuple[str, int], list[str]]:
    """The names of the rows' targets by type and number of words: a replacement's candidates."""
    doc_rows: dict[str, list[Pair]] = defaultdict(list)
    for p in rows:
        doc_rows[p.document].append(p)
    pool: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc in doc_rows.values():
        persons = document_persons(p.target for p in doc)
        for p in doc:
            for e in typed_entities(p.target, persons):
                pool[(e.type, len(e.text.split()))].add(e.text)
    return {k: sorted(v) for k, v in pool.items()}


# ----------------------------------------------------------------------------------------------
# Running mtqa on the clean and planted files, and comparing.

def run_mtqa(tsv: Path, lang: str, out: Path, cache: Path, extra: list[str]) -> dict[tuple[str, int], list[dict]]:
    found: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for issue in run_mtqa_table(tsv, lang, out, cache, extra=extra):
        found[(issue["document"], issue["segment"])].append(issue)
    return found


def segment_keys(rows: list[Pair]) -> list[tuple[str, int]]:
    seen: Counter[str] = Counter()
    keys = []
    for p in rows:
        keys.append((p.document, seen[p.document]))
        seen[p.document] += 1
    return keys


def new_flag(families: str | tuple[str, ...], clean: list[dict], planted: list[dict]) -> bool:
    """Whether the planted line has a flag of ``families`` that its clean control does not have."""
    before = {(i["code"], i["side"], i.get("text")) for i in clean}
    return any(i["code"].startswith(families) and (i["code"], i["side"], i.get("text")) not in before for i in planted)


def detected(kind: str, clean: list[dict], planted: list[dict]) -> bool:
    return new_flag(CLAIMS[kind], clean, planted)


def outcomes(planted: list, rows: list[Pair], clean: dict, dirty: dict, detect: Callable[[str, list[dict], list[dict]], bool]) -> list[dict]:
    """Each planted error (``kind``, ``row``, ``target``, ``change``) with ``detect``'s verdict on its
    line's flags (``clean`` and ``dirty``: issues by (document, segment)) and the flags themselves."""
    keys = segment_keys(rows)
    out = []
    for item in planted:
        key = keys[item.row]
        out.append({"kind": item.kind, "hit": detect(item.kind, clean.get(key, []), dirty.get(key, [])), "change": item.change,
                    "source": rows[item.row].source, "target": item.target, "line": rows[item.row].line,
                    "flags": [f"{i['code']} {i.get('text')}" for i in dirty.get(key, [])]})
    return out


def run_language(lang: str, split: str | None, types: tuple[str, ...], work: Path, antonyms: dict[str, str], extra: list[str]) -> dict:
    rows = pairs(lang, split)
    planted = plant(lang, rows, types, antonyms, entity_pool_of(pairs(lang, None)))
    folder = work / lang
    write_clean_and_planted(rows, planted, folder / "clean.tsv", folder / "planted.tsv")
    cache = work / "cache"
    clean = run_mtqa(folder / "clean.tsv", lang, folder / "out-clean", cache, extra)
    dirty = run_mtqa(folder / "planted.tsv", lang, folder / "out-planted", cache, extra)
    outcome = outcomes(planted, rows, clean, dirty, detected)
    clean_flags = sum(len(v) for v in clean.values())
    return {"lang": lang, "planted": outcome, "clean_flags": clean_flags, "words": sum(english_words(p.target) for p in rows)}


def type_rows(per: dict[str, dict[str, list[bool]]], types: tuple[str, ...], claims: dict, targets: dict[str, float]) -> list[str]:
    """The summary table's rows: per type, the claiming families, planted, detected, rate and target."""
    rows = []
    for t in types:
        hits = [h for v in per[t].values() for h in v]
        rate = sum(hits) / len(hits) if hits else 0.0
        target = targets.get(t)
        mark = "" if target is None or rate >= target else " (below)"
        rows.append(f"| {t} | {', '.join(claims[t])} | {len(hits)} | {sum(hits)} | {rate:.1%}{mark} | {f'{target:.0%}' if target else '-'} |")
    return rows

def report(results: list[dict], split: str, types: tuple[str, ...]) -> str:
    langs = [r["lang"] for r in results]
    per: dict[str, dict[str, list[bool]]] = {t: defaultdict(list) for t in types}
    for r in results:
        for o in r["planted"]:
            per[o["kind"]][r["lang"]].append(o["hit"])
    out = [f"# Planted errors in NTREX-128 X->en ({split} split)", "",
           f"Command: `python eval/planted_errors.py --split {split}`. A planted error counts as detected when its line gets a new flag "
           "of a family that claims the type (vs. the clean control run on the same documents). Every check but the LM.", "",
           "| type | claimed by | planted | detected | rate | target |", "|---|---|---:|---:|---:|---:|"]
    out += type_rows(per, types, CLAIMS, TARGETS)
    out += ["", "## Detection per source language", "", "| type | " + " | ".join(langs) + " |", "|---|" + "---:|" * len(langs)]
    for t in types:
        cells = []
        for lang in langs:
            hits = per[t].get(lang, [])
            cells.append(f"{sum(hits) / len(hits):.0%}" if hits else "-")
        out.append(f"| {t} | " + " | ".join(cells) + " |")
    words = sum(r["words"] for r in results)
    flags = sum(r["clean_flags"] for r in results)
    out += ["", f"Clean control (same documents, no planted errors): {flags} flags on {words:,} target words = "
            f"{1000 * flags / max(words, 1):.2f} per 1,000 (eval/false_alarms.py reports them per rule)."]
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="test", choices=["calib", "test", "all"])
    ap.add_argument("--langs", default=",".join(LANGUAGES))
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", help="keep inputs, outputs and the embedding cache in this folder")
    ap.add_argument("--misses", type=int, default=0, help="print this many missed errors per type")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("extra", nargs="*", help="more mtqa run arguments (after --)")
    args = ap.parse_args()
    split = None if args.split == "all" else args.split
    types = tuple(t for t in args.types.split(",") if t)
    unknown = [t for t in types if t not in CLAIMS]
    if unknown:
        ap.error(f"unknown types: {', '.join(unknown)} (known: {', '.join(TYPES)})")
    antonyms = antonym_table() if "antonym" in types else {}
    langs = [x for x in args.langs.split(",") if x]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda lang: run_language(lang, split, types, work, antonyms, args.extra), langs))
    text = report(results, args.split, types)
    print(text)
    if args.misses:
        print_misses(results, types, args.misses, seed=14)
    if not args.no_write:
        (ROOT / "eval" / "results" / f"planted_errors_{args.split}.md").write_text(text, encoding="utf-8")


def print_misses(results: list[dict], types: list[str], n: int, seed: int, pair: Callable[[str], str] = lambda lang: lang) -> None:
    """``n`` missed planted errors of each type, drawn at random (``seed``), with their flags."""
    rng = random.Random(seed)
    for t in types:
        missed = [(r["lang"], o) for r in results for o in r["planted"] if o["kind"] == t and not o["hit"]]
        rng.shuffle(missed)
        for lang, o in missed[:n]:
            print(f"MISS {t} {pair(lang)} line {o['line']}: {o['change']}\n  src: {o['source']}\n  tgt: {o['target']}\n  flags: {o['flags']}")

if __name__ == "__main__":
    main()
