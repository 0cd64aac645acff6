"""mtqa against expert error annotations of German targets (issue 18): MQM TED en-de spans and MLQE-PE en-de word tags.

mqm: WMT21 TED talks, English -> German, Google's MQM ratings (../shared/data/wmt_mqm_google/mqm_ted_ende.tsv,
  14 systems incl. the human reference x 529 segments, one <v>...</v> error span per row in the target;
  omissions are marked in the source and are not used here).  mtqa runs once, as a user runs it, on one
  table of the distinct (system, segment) pairs (document = system|talk, so the document-level checks
  read one system's talk), every check but the LM.  Scored per gold category: predicted spans (target side,
  the rule prefixes below), distinct gold spans (any rater), precision (predicted spans overlapping a gold
  span of the category in the same segment) and recall (gold spans overlapped by a predicted one); and the
  segment-level AUROC of "any rater marked a Fluency/* error" (negatives: every rater marked No-error; the
  rest left out) against the number of target-side findings of F1, F2, F3, L and T (as eval/fluency_mqm.py).

mlqe: MLQE-PE en-de test20 (../shared/data/mlqe_pe_wordlevel_qe/en-de-test20; 1,000 Wikipedia sentences, NMT
  output, word tags OK/BAD from the TER alignment with the post-edit).  The files are Moses-tokenized; mtqa
  reads the detokenized text (sacremoses, as a user's file would read; detokenizing only removes spaces here)
  and each finding's target span marks the MT tokens it overlaps BAD.  MCC of those against the gold word tags
  (BAD = positive), over all findings and per rule family, with precision and recall of BAD.  The gap tags
  (every other tag of test20.tags) are left out: mtqa does not predict missing words at a position.

    python eval/into_expert.py mqm                     # writes eval/results/into_mqm_ende.md (section "after")
    python eval/into_expert.py mlqe --label before --root /tmp/intomqm_before
    python eval/into_expert.py mqm --work /tmp/into_expert --no-write

--root runs another checkout (the "before" figures); --label names the results file's section (one per label,
a rerun replaces its own); --work keeps the input table and mtqa's outputs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fluency_data import ROOT, lines, load_average, mqm_segments
from fluency_mqm import TARGET_FAMILIES, auroc, overlaps, span_scores
from ntrex_pairs import Pair, segment_index, write_tsv

MQM_FILE = "wmt_mqm_google/mqm_ted_ende.tsv"
MLQE_DIR = "mlqe_pe_wordlevel_qe/en-de-test20"


@dataclass(frozen=True)
class Category:
    """A gold MQM category (category names starting with one of ``gold``) and the mtqa rules (code prefixes) that target it."""

    title: str
    gold: tuple[str, ...]
    rules: tuple[str, ...]


CATEGORIES = (
    Category("Fluency/Spelling", ("Fluency/Spelling",), ("F2",)),
    Category("Fluency/Punctuation", ("Fluency/Punctuation",), ("T2", "T3", "L101")),
    Category("Locale convention", ("Locale convention",), ("L",)),
    Category("Accuracy/Untranslated", ("Accuracy/Untranslated",), ("F1", "M401")),
)

Span = tuple[int, int]


# ---------------------------------------------------------------- running mtqa


def run_mtqa(rows: list[Pair], lang: str, work: Path, root: Path, jobs: int) -> list[dict]:
    """`mtqa run` on a doc/src/tgt table from English into ``lang``, every check but the LM, as a user runs it,
    in the checkout ``root``; the issues it wrote, each with ``_row`` (its index in ``rows``)."""
    tsv = work / "pairs.tsv"
    write_tsv(rows, tsv)
    out = work / "out"
    cmd = [sys.executable, "-m", "pipeline", "run", str(tsv), "--format", "tsv", "--src-col", "src", "--tgt-col", "tgt",
           "--doc-col", "doc", "-s", "en", "-t", lang, "--disable", "F4", "--no-ci", "-q", "--jobs", str(jobs),
           "-o", str(out), "--no-cache"]  # no shard cache: a rerun in the same --work folder runs the checks again
    # cwd=root: `python -m` puts the working directory first on sys.path, so that checkout's pipeline runs
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"mtqa exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    row_of = {id(p): k for k, p in enumerate(rows)}
    by_segment = segment_index(rows)
    issues = []
    for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            issue = json.loads(line)
            pair = by_segment.get((issue["document"], issue["segment"]))
            issues.append(dict(issue, _row=row_of[id(pair)] if pair is not None else None))
    return issues


def target_findings(issues: Iterable[dict]) -> dict[int, list[dict]]:
    """Target-side findings (not ignored) by row."""
    out: dict[int, list[dict]] = defaultdict(list)
    for issue in issues:
        if issue["side"] == "target" and issue["_row"] is not None and not issue.get("ignored"):
            out[issue["_row"]].append(issue)
    return out


def family_of(code: str) -> str:
    from pipeline.checks import FAMILIES  # deferred: the pipeline is imported only by the functions that need its tables

    return max((f.prefix for f in FAMILIES if code.startswith(f.prefix)), key=len, default=code[:1])


def merge_section(path: Path, head: str, label: str, text: str) -> None:
    """Write ``text`` as the section ``## label`` of ``path``, keeping the other labels' sections."""
    old = path.read_text(encoding="utf-8") if path.exists() else head
    kept = [b for b in old.split("\n## ")[1:] if not b.startswith(label + "\n")]
    path.write_text(head + "".join("## " + b.rstrip("\n") + "\n\n" for b in kept) + text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)} (section {label})")


# ---------------------------------------------------------------- MQM TED en-de


def mqm_rows(segs: list[dict]) -> list[Pair]:
    """One table row per (system, segment), documents = system|talk in segment order."""
    return [Pair(k, f"{s['system']}|{s['doc']}", s["source"], s["target"]) for k, s in enumerate(segs)]


def load_mqm() -> list[dict]:
    segs = mqm_segments(MQM_FILE)
    return sorted(segs, key=lambda s: (s["system"], s["doc"], int(s["seg"])))


def gold_spans(segs: list[dict], prefixes: tuple[str, ...]) -> dict[int, list[Span]]:
    """Distinct target spans (any rater) of the categories starting with ``prefixes``, by row."""
    out: dict[int, list[Span]] = {}
    for k, s in enumerate(segs):
        spans = {e["span"] for e in s["errors"] if e["span"] and e["category"].startswith(prefixes)}
        if spans:
            out[k] = sorted(spans)
    return out


def predicted_spans(found: dict[int, list[dict]], prefixes: tuple[str, ...]) -> dict[int, list[Span]]:
    return {k: [(i["start"], i["end"]) for i in v if i["code"].startswith(prefixes)] for k, v in found.items()}


def fluency_label(seg: dict) -> bool | None:
    """True: a rater marked a Fluency/* error; False: every rater marked No-error; None: only other errors."""
    cats = {e["category"] for e in seg["errors"]}
    return True if any(c.startswith("Fluency") for c in cats) else False if cats == {"No-error"} else None


def context(text: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:start] + "[" + text[start:end] + "]" + text[end:right] + ("…" if right < len(text) else "")


def false_positive_classes(segs: list[dict], found: dict[int, list[dict]], cat: Category, gold: dict[int, list[Span]], examples: int = 3) -> list[str]:
    """Markdown lines: the category's predicted spans that overlap no gold span of it, by rule, with examples
    (and whether they overlap a gold span of another category)."""
    any_gold = gold_spans(segs, ("",))
    misses: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for k, issues in found.items():
        for i in issues:
            if i["code"].startswith(cat.rules) and not any(overlaps((i["start"], i["end"]), g) for g in gold.get(k, [])):
                misses[i["code"]].append((k, i))
    out = [f"- gold spans no rule overlaps, most frequent: {missed_gold(segs, found, cat, gold)}"] if gold else []
    for code, items in sorted(misses.items(), key=lambda kv: -len(kv[1])):
        other = sum(any(overlaps((i["start"], i["end"]), g) for g in any_gold.get(k, [])) for k, i in items)
        texts = Counter(i["text"] for _, i in items)
        out.append(f"- {code} ({items[0][1]['message'].split(':')[0][:60]}): {len(items)} not on a gold {cat.title} span "
                   f"({other} on another category's span); most flagged: {', '.join(f'`{t}` {n}' for t, n in texts.most_common(5))}")
        shown: set[str] = set()
        for k, i in items:
            if i["text"] in shown:
                continue
            shown.add(i["text"])
            out.append(f"  - {segs[k]['system']} {segs[k]['seg']}: {context(segs[k]['target'], i['start'], i['end'])} — {i['message']}")
            if len(shown) >= examples:
                break
    return out


def missed_gold(segs: list[dict], found: dict[int, list[dict]], cat: Category, gold: dict[int, list[Span]], top: int = 8) -> str:
    """The category's most frequent gold span texts that no finding of its rules overlaps (what recall lacks)."""
    missed = Counter(segs[k]["target"][a:b] for k, spans in gold.items() for a, b in spans
                     if not any(i["code"].startswith(cat.rules) and overlaps((i["start"], i["end"]), (a, b)) for i in found.get(k, [])))
    return ", ".join(f"`{t}` {n}" for t, n in missed.most_common(top))


def mqm_report(segs: list[dict], issues: list[dict], seconds: float, label: str, root: Path) -> str:
    found = target_findings(issues)
    present = Counter(e["category"] for s in segs for e in s["errors"] if e["span"])
    lines_md = [f"## {label}", "",
                f"Checkout: `{root}` ({commit_of(root)}); {len(segs):,} (system, segment) pairs, {len(issues):,} findings "
                f"({sum(len(v) for v in found.values()):,} on the target) in {seconds:.0f} s (load average {load_average()}).", "",
                "Gold categories with a target span (rows): " + ", ".join(f"{c} {n}" for c, n in present.most_common()) + ".", "",
                "| gold category | mtqa rules | predicted spans | gold spans | precision | recall |", "|---|---|---:|---:|---:|---:|"]
    examples: list[str] = []
    for cat in CATEGORIES:
        gold = gold_spans(segs, cat.gold)
        sc = span_scores(predicted_spans(found, cat.rules), gold)
        prec = f"{sc['precision']:.3f}" if sc["predicted"] and sc["gold"] else "n/a"
        rec = f"{sc['recall']:.3f}" if sc["gold"] else "n/a (no gold)"
        lines_md.append(f"| {cat.title} | {', '.join(cat.rules)} | {sc['predicted']} | {sc['gold']} | {prec} | {rec} |")
        examples += [f"**{cat.title}** ({', '.join(cat.rules)}):", *false_positive_classes(segs, found, cat, gold), ""]
    labels = [fluency_label(s) for s in segs]
    used = [k for k, lab in enumerate(labels) if lab is not None]
    counts = [float(sum(1 for i in found.get(k, []) if i["code"].startswith(TARGET_FAMILIES))) for k in used]
    gold_flu = [bool(labels[k]) for k in used]
    lines_md += ["", f"Segment level: {len(used):,} pairs ({sum(gold_flu):,} with a Fluency/* error by any rater, "
                     f"{len(used) - sum(gold_flu):,} No-error); AUROC of the number of target findings of {', '.join(TARGET_FAMILIES)}: "
                     f"**{auroc(counts, gold_flu):.3f}**; pairs with any such finding: {sum(c > 0 for c in counts):,}.", ""]
    per_rule = Counter(i["code"] for v in found.values() for i in v)
    lines_md += ["Target findings per rule: " + ", ".join(f"{c} {n}" for c, n in sorted(per_rule.items())) + ".", "",
                 "False positives (predicted spans on no gold span of the category), by rule, with examples ([flagged span]):", "", *examples]
    return "\n".join(lines_md)


def commit_of(root: Path) -> str:
    done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown commit"


# ---------------------------------------------------------------- MLQE-PE en-de word tags


def word_tags(line: str) -> list[bool]:
    """The MT words' tags of one test20.tags line (gap, word, gap, ..., word, gap: the odd positions); True = BAD."""
    tags = line.split()
    if len(tags) % 2 != 1:
        raise ValueError(f"{len(tags)} tags: expected 2N+1 (gaps and words interleaved)")
    return [t == "BAD" for t in tags[1::2]]


def token_offsets(tokens: Sequence[str], text: str) -> list[Span]:
    """Character spans of ``tokens`` in ``text``, the same characters with spaces removed or added between them."""
    spans, pos = [], 0
    for tok in tokens:
        start = text.find(tok, pos)
        if start < 0 or text[pos:start].strip():
            raise ValueError(f"token {tok!r} not found after offset {pos} in {text!r}")
        spans.append((start, start + len(tok)))
        pos = start + len(tok)
    return spans


def flagged_tokens(tokens: Sequence[Span], findings: Iterable[Span]) -> list[bool]:
    """A token is flagged when a finding's span overlaps it (an empty span: when it touches it)."""
    found = list(findings)
    return [any(overlaps(t, f) or (f[0] == f[1] and t[0] <= f[0] <= t[1]) for f in found) for t in tokens]


def mcc(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    """Matthews correlation of two binary labelings (0 when a margin is empty, as scikit-learn)."""
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    tn = len(gold) - tp - fp - fn
    denom = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
    return (tp * tn - fp * fn) / denom if denom else 0.0


def load_mlqe() -> tuple[list[Pair], list[list[str]], list[list[Span]], list[list[bool]]]:
    """Rows (detokenized source and MT), the MT tokens, their spans in the detokenized MT, and their gold tags."""
    from sacremoses import MosesDetokenizer  # deferred: only this benchmark reads tokenized text

    src, mt, tags = lines(f"{MLQE_DIR}/test20.src"), lines(f"{MLQE_DIR}/test20.mt"), lines(f"{MLQE_DIR}/test20.tags")
    de, en = MosesDetokenizer(lang="de"), MosesDetokenizer(lang="en")
    rows, tokens, spans, gold = [], [], [], []
    for k, (s, m, t) in enumerate(zip(src, mt, tags, strict=True)):
        toks = m.split()
        text = de.detokenize(toks)
        tag = word_tags(t)
        if len(tag) != len(toks):
            raise SystemExit(f"line {k + 1}: {len(toks)} MT tokens, {len(tag)} word tags")
        rows.append(Pair(k, "test20", en.detokenize(s.split()), text))
        tokens.append(toks)
        spans.append(token_offsets(toks, text))
        gold.append(tag)
    return rows, tokens, spans, gold


def scores(pred: list[bool], gold: list[bool]) -> tuple[int, float, float, float]:
    tp = sum(p and g for p, g in zip(pred, gold))
    return sum(pred), mcc(pred, gold), tp / max(1, sum(pred)), tp / max(1, sum(gold))


def mlqe_report(rows: list[Pair], tokens: list[list[str]], spans: list[list[Span]], gold: list[list[bool]], issues: list[dict], seconds: float, label: str, root: Path) -> str:
    found = target_findings(issues)
    flat_gold = [g for tags in gold for g in tags]
    families = sorted({family_of(i["code"]) for v in found.values() for i in v})

    def flags(keep) -> list[bool]:
        return [f for k in range(len(rows)) for f in flagged_tokens(spans[k], [(i["start"], i["end"]) for i in found.get(k, []) if keep(i["code"])])]

    lines_md = [f"## {label}", "",
                f"Checkout: `{root}` ({commit_of(root)}); {len(rows):,} sentences, {len(flat_gold):,} MT words ({sum(flat_gold):,} BAD), "
                f"{sum(len(v) for v in found.values()):,} target findings in {seconds:.0f} s (load average {load_average()}). Gap tags left out. "
                f"A word flagged at random would be BAD with probability {sum(flat_gold) / max(1, len(flat_gold)):.3f} (the base rate).", "",
                "| findings of | words flagged | MCC | precision of BAD | recall of BAD |", "|---|---:|---:|---:|---:|"]
    rows_md = [("all", lambda c: True), *[(f, lambda c, f=f: family_of(c) == f) for f in families]]
    for name, keep in rows_md:
        n, m, p, r = scores(flags(keep), flat_gold)
        lines_md.append(f"| {name} | {n:,} | {m:.3f} | {p:.3f} | {r:.3f} |")
    lines_md += ["", "Per rule (words flagged, share of them BAD) and examples of flagged OK words ([flagged span]):", ""]
    by_code: dict[str, list[tuple[int, dict]]] = defaultdict(list)
    for k, v in found.items():
        for i in v:
            by_code[i["code"]].append((k, i))
    for code, items in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
        flagged = [(k, j) for k in sorted({k for k, _ in items})
                   for j, f in enumerate(flagged_tokens(spans[k], [(i["start"], i["end"]) for kk, i in items if kk == k])) if f]
        bad = sum(gold[k][j] for k, j in flagged)
        lines_md.append(f"- {code}: {len(items)} findings, {len(flagged)} words flagged, {bad / max(1, len(flagged)):.2f} BAD")
        shown = 0
        for k, i in items:
            words = flagged_tokens(spans[k], [(i["start"], i["end"])])
            if shown < 3 and not any(g for f, g in zip(words, gold[k]) if f):
                lines_md.append(f"  - {k + 1}: {context(rows[k].target, i['start'], i['end'])} — {i['message']}")
                shown += 1
    return "\n".join(lines_md)


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bench", choices=("mqm", "mlqe"))
    ap.add_argument("--root", default=str(ROOT), help="the mtqa checkout to run (default: this one)")
    ap.add_argument("--label", default="after", help="the results file's section")
    ap.add_argument("--work", help="keep the input table and mtqa's outputs here")
    ap.add_argument("--jobs", type=int, default=2, help="mtqa worker processes")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    root = Path(args.root).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        if args.bench == "mqm":
            segs = load_mqm()
            issues = run_mtqa(mqm_rows(segs), "de", work, root, args.jobs)
            text = mqm_report(segs, issues, time.perf_counter() - t0, args.label, root)
            name, title = "into_mqm_ende", "mtqa vs. expert MQM spans, WMT21 TED en-de (German targets)"
        else:
            rows, tokens, spans, gold = load_mlqe()
            issues = run_mtqa(rows, "de", work, root, args.jobs)
            text = mlqe_report(rows, tokens, spans, gold, issues, time.perf_counter() - t0, args.label, root)
            name, title = "into_mlqe_ende", "mtqa findings vs. MLQE-PE en-de word tags (test20, German targets)"
    print(text)
    if not args.no_write:
        head = (f"# {title}\n\nCommand: `python eval/into_expert.py {args.bench}` (`--root <checkout> --label before` for an older "
                "version); every check but the LM, `--jobs 2`. Method: the docstring of eval/into_expert.py.\n\n")
        merge_section(ROOT / "eval" / "results" / f"{name}.md", head, args.label, text)


if __name__ == "__main__":
    main()
