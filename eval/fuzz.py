"""Long fuzz run: the readers, the segmenter, the aligner, the checks and the CLI input layer.

Inputs are drawn with a fixed seed from the hypothesis strategies of tests/test_properties.py:
grammar-built sentences and documents full of what trips translation QA (no-break, thin and
zero-width spaces, U+2028/U+2029, combining and bidi marks, CJK, placeholders such as %s {0} <b>,
numbers with separators, quotes, brackets, lone punctuation, very long lines), random Unicode, and
files with BOMs, CR/LF, NUL bytes, broken UTF-8, broken TSV/CSV/JSONL/XML.  Each input goes to the
same ``check_*`` function as the property tests, so a result must also be well formed.

Per target it counts inputs, inputs rejected with an MtqaError (allowed for the readers and the
CLI only), property violations (a result that breaks a property), and crashes: any other exception,
BaseException included (pyo3's PanicException), an input that runs over --timeout seconds, and for
the CLI an exit status of 3 (internal error).  The CLI runs ``pipeline.cli.main`` in-process on
files in a temporary folder (``mtqa run`` / ``mtqa score``), counted apart from the 100,000.

    python eval/fuzz.py                                   # 100,000 inputs + 1,000 CLI runs
    python eval/fuzz.py --targets aligner-embeddings --aligner-embeddings 300
    python eval/fuzz.py --targets segmenter --inputs 5000 # one target, a quick look
    python eval/fuzz.py --sentencex                       # sentencex's own panic triggers

Results: eval/results/fuzz.md (each target's counts are kept in out/fuzz/state.json, so that
targets run one at a time still add up to one report).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import re
import signal
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import test_properties as props  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.errors import MtqaError  # noqa: E402

RESULTS = ROOT / "eval" / "results" / "fuzz.md"
STATE = ROOT / "out" / "fuzz" / "state.json"
TARGETS = ("readers", "segmenter", "aligner", "checks")
EXTRA = ("cli", "aligner-embeddings")  # counted apart from --inputs
# Share of --inputs per target (the cheap segmenter gets the most).
SHARES = {"readers": 0.2, "segmenter": 0.4, "aligner": 0.2, "checks": 0.2}
BATCH = 500  # examples per hypothesis run: bounds its memory, and each batch has its own seed


class Timeout(BaseException):
    """An input ran over --timeout seconds."""


@dataclass
class Finding:
    kind: str  # "crash" | "violation"
    signature: str
    message: str
    example: str
    count: int = 1


@dataclass
class TargetStats:
    target: str
    inputs: int = 0
    rejected: int = 0
    violations: int = 0
    crashes: int = 0
    seconds: float = 0.0
    findings: dict[str, Finding] = field(default_factory=dict)

    def record(self, kind: str, err: BaseException, example: Any) -> None:
        if kind == "crash":
            self.crashes += 1
        else:
            self.violations += 1
        signature = f"{kind}: {signature_of(err)}"
        text = short_repr(example)
        found = self.findings.get(signature)
        if found is None:
            self.findings[signature] = Finding(kind, signature, " ".join(str(err).split())[:400], text)
        else:
            found.count += 1
            if len(text) < len(found.example):  # keep the smallest example
                found.example, found.message = text, " ".join(str(err).split())[:400]


def signature_of(err: BaseException) -> str:
    """Exception type and the innermost frame in mtqa's code (or the innermost at all)."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.name != "expect"]
    ours = [f for f in frames if "/pipeline/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).relative_to(ROOT) if str(ours[-1].filename).startswith(str(ROOT)) else Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    if isinstance(err, props.PropertyViolation):
        return f"{re.sub(r'[0-9]+', 'N', str(err).split(':')[0])[:80]} ({where})"
    return f"{type(err).__name__} at {where}"


def short_repr(example: Any, limit: int = 600) -> str:
    if isinstance(example, props.ReaderCase):
        example = {"kind": example.kind, "files": example.files, "inputs": example.inputs, "references": example.references, "overrides": example.overrides}
    elif hasattr(example, "__dataclass_fields__"):
        example = {k: getattr(example, k) for k in example.__dataclass_fields__}
    text = repr(example)
    return text if len(text) <= limit else text[: limit - 20] + f"... ({len(text)} chars)"


@contextlib.contextmanager
def time_limit(seconds: int):
    def expired(signum, frame):
        raise Timeout(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- targets: (strategy, handler, MtqaError allowed) ---------------------------------------------


def _reader(case: props.ReaderCase) -> bool:
    with tempfile.TemporaryDirectory(prefix="mtqa-fuzz-") as folder:
        return props.check_reader(case, Path(folder)) is not None


@st.composite
def _segmenter_inputs(draw):
    return draw(props.texts), draw(st.sampled_from(props.LANGS)), draw(st.sampled_from(["sentencex"] * 8 + ["pysbd", "lines"])), draw(st.sampled_from(["boundary", "join"]))


def _segmenter(case) -> None:
    text, lang, engine, breaks = case
    if engine == "pysbd" and len(text) > 2000:
        text = text[:2000]  # pysbd is slow on long blocks; sentencex gets the long ones
    props.check_segmentation(text, lang, engine, breaks)


def _with_embeddings(case: props.AlignCase) -> props.AlignCase:
    case.config = dict(case.config, embeddings=True)
    return case


ALL_PAIRS = [(s, t) for s in ("de", "en", "ru", "uk", "fr", "es", "zh", "ja", "ar", "tr") for t in ("en", "de", "ru", "uk", "fr", "zh", "ja", "he", "pl") if s != t]


def target_specs() -> dict[str, tuple[st.SearchStrategy, Callable[[Any], None], bool]]:
    return {
        "readers": (props.reader_cases(), _reader, True),
        "segmenter": (_segmenter_inputs(), _segmenter, False),
        "aligner": (props.align_cases(max_sentences=40), props.check_alignment, False),
        "aligner-embeddings": (props.align_cases(max_sentences=15).map(_with_embeddings), props.check_alignment, False),
        "checks": (props.check_cases(max_beads=8, pairs=ALL_PAIRS), props.check_issues, False),
        "cli": (cli_cases(), run_cli_case, True),
    }


# --- the CLI input layer ---------------------------------------------------------------------


# Mostly well-formed files, so that most runs get past the readers (the readers target has the rest).
CLI_ENCODINGS = ["utf-8"] * 40 + props.ENCODINGS


@st.composite
def cli_cases(draw):
    case = draw(props.reader_cases(CLI_ENCODINGS))
    src, tgt = draw(st.sampled_from(ALL_PAIRS))
    command = draw(st.sampled_from(["run", "run", "run", "score"]))
    config = {
        "align": {"embeddings": False, "dictionary": "off"},
        "checks": {"disable": ["F4"]},
        "scoring": {"bootstrap_samples": 20, "significance": {"tests": draw(st.sampled_from([[], ["bs"], ["ar"]])), "ar_trials": 20}},
        "segmentation": case.overrides.get("segmentation", {"engine": "sentencex", "line_breaks": "boundary"}),
        "input": case.overrides.get("input", {}),
    }
    if command == "score":
        del config["checks"]
    flags = draw(st.lists(st.sampled_from(["--no-ci", "--no-cache", "--json", "--metrics=bleu,chrf", "--metrics=ter", "--shard-size=2", "--names=x,y"]), max_size=3, unique=True))
    return case, src, tgt, command, config, flags


def run_cli_case(params) -> None:
    from pipeline.cli import main

    case, src, tgt, command, config, flags = params
    with tempfile.TemporaryDirectory(prefix="mtqa-fuzz-cli-") as folder:
        root = Path(folder)
        props.write_case(case, root)
        (root / "config.json").write_text(json.dumps(config), encoding="utf-8")
        argv = ["--debug", command, *[str(root / p) for p in case.inputs]]
        for ref in case.references:
            argv += ["--ref", str(root / ref)]
        argv += ["-s", src, "-t", tgt, "-o", str(root / "out"), "-q", "-c", str(root / "config.json"), *flags]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
        if rc == 2:
            raise MtqaError(err.getvalue().strip().splitlines()[-1] if err.getvalue().strip() else "exit 2")
        if rc not in (0, 1):
            lines = err.getvalue().strip().splitlines()
            where = next((ln.strip() for ln in reversed(lines) if "/pipeline/" in ln), "")
            raise CliCrash(f"exit {rc}: {lines[-1] if lines else ''} [{where}]")
        props.expect((root / "out" / "results.json").is_file(), "exit 0 without results.json")
        json.loads((root / "out" / "results.json").read_text(encoding="utf-8"))


class CliCrash(Exception):
    """``mtqa`` exited with an internal error (its traceback is in the message)."""


# --- driving ---------------------------------------------------------------------------------


def run_target(name: str, n: int, base_seed: int, timeout: int, progress: bool = True) -> TargetStats:
    strategy, handler, may_reject = target_specs()[name]
    stats = TargetStats(name)
    start = time.time()
    batch = 0
    while stats.inputs < n:
        size = min(BATCH, n - stats.inputs)

        @settings(max_examples=size, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
        @seed(base_seed * 1000 + batch)
        @given(strategy)
        def one(case):
            if stats.inputs >= n:
                return
            stats.inputs += 1
            try:
                with time_limit(timeout):
                    accepted = handler(case)
                if accepted is False:  # the readers return False for an input they rejected
                    stats.rejected += 1
            except props.PropertyViolation as err:
                stats.record("violation", err, case)
            except MtqaError as err:
                if may_reject:
                    stats.rejected += 1
                else:
                    stats.record("crash", err, case)
            except KeyboardInterrupt:
                raise
            except BaseException as err:
                stats.record("crash", err, case)

        before = stats.inputs
        one()
        batch += 1
        if stats.inputs == before:  # hypothesis found nothing new to try
            break
        if progress:
            print(f"  {name}: {stats.inputs}/{n} inputs, {stats.rejected} rejected, {stats.violations} violations, {stats.crashes} crashes, {time.time() - start:.0f} s", file=sys.stderr, flush=True)
    stats.seconds = time.time() - start
    return stats


def load_state() -> dict[str, dict]:
    return json.loads(STATE.read_text(encoding="utf-8")) if STATE.exists() else {}


def save_state(state: dict[str, dict]) -> None:
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")


# --- sentencex's own triggers ----------------------------------------------------------------

SENTENCEX_LANGS = ("en", "de", "fr", "ru", "uk", "es", "it", "pt", "nl", "pl", "cs", "zh", "ja", "da", "no", "fi", "sk", "sl", "hr", "sr", "hu", "et", "is", "lv", "lt", "tr", "el", "ar", "he", "hi", "ko", "th")


@contextlib.contextmanager
def quiet_stderr():
    """Rust's panic hook writes to file descriptor 2 itself: silence it while probing."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def sentencex_panics(lang: str, text: str) -> bool:
    from sentencex import segment

    try:
        list(segment(lang, text))
    except BaseException as err:
        if type(err).__name__ != "PanicException":
            raise
        return True
    return False


def sentencex_triggers(n: int, base_seed: int) -> dict[str, Any]:
    """Hypothesis finds and shrinks a panic of raw sentencex; a sweep then maps which languages,
    spaces, letters and punctuation make it, and a guarded run checks that sentencex_safe avoids all."""
    from pipeline.segment import sentencex_safe

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() or unicodedata.category(chr(c)) in ("Zs", "Zl", "Zp")]
    wide = [c for c in spaces if len(c.encode("utf-8")) > 1]
    alphabet = st.sampled_from(list("Aa Bb.!?,;:\"'()«»„“1\n\t-…。") + spaces + list(props.INVISIBLE + props.COMBINING) + ["É", "Ж", "中"])
    found: list[str] = []

    @settings(max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    @seed(base_seed)
    @given(st.sampled_from(SENTENCEX_LANGS), st.text(alphabet, max_size=16))
    def raw(lang, text):
        if sentencex_panics(lang, text):
            found.append(f"{lang} {text!r}")
            raise AssertionError(text)

    with quiet_stderr(), contextlib.suppress(AssertionError):  # hypothesis re-raises the shrunk panic
        raw()
    with quiet_stderr():
        minimal = found[-1] if found else None
        langs = [lang for lang in SENTENCEX_LANGS if sentencex_panics(lang, "A\u00a0.")]
        by_space = {f"U+{ord(c):04X}": sentencex_panics("en", f"A{c}.") for c in spaces}
        letters = [chr(c) for c in range(0x20, 0x3000) if unicodedata.category(chr(c))[0] in "LN" and sentencex_panics("en", chr(c) + "\u00a0.")]
        puncts = [chr(c) for c in range(0x20, 0x10000) if unicodedata.category(chr(c))[0] == "P" and sentencex_panics("en", "A\u00a0" + chr(c))]
        contexts = {t: sentencex_panics("en", t) for t in ["Vitamin A\u00a0.", "x A\u00a0.", "(A\u00a0.", "AB\u00a0.", "A \u00a0.", "A\u00a0 .", "A\t\u00a0.", "A\u00a0..", "A\u00a0.\u00a0B", "A\u200b.", "Á\u00a0."]}
        guarded = {"inputs": 0, "panics": 0}

        @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @seed(base_seed + 1)
        @given(st.sampled_from(SENTENCEX_LANGS), st.one_of(st.text(alphabet, max_size=40), props.texts))
        def safe(lang, text):
            guarded["inputs"] += 1
            guarded["panics"] += sentencex_panics(lang, sentencex_safe(text))

        safe()
    return {
        "minimal": minimal,
        "langs_panicking": langs,
        "langs_not_panicking": [lang for lang in SENTENCEX_LANGS if lang not in langs],
        "wide_spaces": [f"U+{ord(c):04X}" for c in wide],
        "spaces_panicking": [k for k, v in by_space.items() if v],
        "letters": "".join(letters),
        "punctuation": "".join(puncts),
        "contexts": contexts,
        "guarded": guarded,
    }


# --- report ----------------------------------------------------------------------------------


def write_report(state: dict[str, dict]) -> None:
    lines = [
        "# Fuzzing the readers, segmenter, aligner, checks and CLI (eval/fuzz.py)",
        "",
        "Inputs drawn with a fixed seed from the strategies of tests/test_properties.py (grammar-built",
        "sentences and documents with no-break/zero-width spaces, U+2028/9, combining and bidi marks, CJK,",
        "placeholders, numbers with separators, quotes, brackets, lone punctuation and very long lines;",
        "random Unicode; files with BOM, CR/LF, NUL, broken UTF-8, TSV/CSV/JSONL/XML), each checked by the",
        "property tests' `check_*` function.  A crash is any exception but an MtqaError (which only the",
        "readers and the CLI may raise), BaseException included, or an input over the time limit; the CLI",
        "also crashes with exit status 3.  A violation is a result that breaks a property.",
        "",
        *[f"    {c}" for c in dict.fromkeys(s.get("command", state.get("command", "")) for name, s in state.items() if name in (*TARGETS, *EXTRA))],
        "",
        f"python {platform.python_version()}, hypothesis {version('hypothesis')}, sentencex {version('sentencex')}, pysbd {version('pysbd')}",
        "",
        "| target | inputs | rejected (MtqaError) | violations | crashes | seconds | seed |",
        "|---|---|---|---|---|---|---|",
    ]
    total = {"inputs": 0, "violations": 0, "crashes": 0}
    for name in (*TARGETS, *EXTRA):
        s = state.get(name)
        if not s:
            continue
        lines.append(f"| {name} | {s['inputs']:,} | {s['rejected']:,} | {s['violations']} | {s['crashes']} | {s['seconds']:.0f} | {s['seed']} |")
        if name in TARGETS:
            for k in total:
                total[k] += s[k]
    lines.append(f"| **all four targets** | **{total['inputs']:,}** | | **{total['violations']}** | **{total['crashes']}** | | |")
    findings = [(name, f) for name in (*TARGETS, *EXTRA) for f in state.get(name, {}).get("findings", {}).values()]
    lines += ["", "## Crashes and violations", ""]
    if not findings:
        lines.append("None.")
    for name, f in findings:
        lines += [f"* **{name}**, {f['signature']} ({f['count']}x): {f['message']}", f"  smallest input: `` {f['example']} ``"]
    triggers = state.get("sentencex")
    if triggers:
        lines += [
            "",
            "## sentencex panics (`python eval/fuzz.py --sentencex`)",
            "",
            f"Hypothesis over raw `sentencex.segment` ({triggers['examples']:,} examples, seed {triggers['seed']}) shrinks to: `{triggers['minimal']}`.",
            "",
            f"* languages that panic on `\"A\\u00a0.\"`: {', '.join(triggers['langs_panicking'])}; not: {', '.join(triggers['langs_not_panicking']) or 'none'}",
            f"* spaces that panic in `\"A<space>.\"`: {', '.join(triggers['spaces_panicking'])} (the multi-byte Unicode spaces are {', '.join(triggers['wide_spaces'])})",
            f"* letters that panic before `\"\\u00a0.\"` (U+0020..U+2FFF): `{triggers['letters']}`",
            f"* punctuation that panics after `\"A\\u00a0\"`: `{triggers['punctuation']}`",
            "* contexts: " + ", ".join(f"`{k!r}` {'panics' if v else 'ok'}" for k, v in triggers["contexts"].items()),
            f"* with `pipeline.segment.sentencex_safe` applied: {triggers['guarded']['panics']} panics over {triggers['guarded']['inputs']:,} inputs",
        ]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs over the four targets (default 100,000)")
    parser.add_argument("--cli", type=int, default=1000, help="CLI runs, counted apart (default 1,000; 0: none)")
    parser.add_argument("--aligner-embeddings", type=int, default=0, help="alignments with the embedding model (slow), counted apart (default none)")
    parser.add_argument("--targets", default=",".join((*TARGETS, *EXTRA)), help="comma-separated targets (default: all)")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--timeout", type=int, default=60, help="seconds an input may take before it counts as a crash")
    parser.add_argument("--sentencex", action="store_true", help="map sentencex's own panic triggers instead")
    parser.add_argument("--report", action="store_true", help="only write eval/results/fuzz.md again from the kept counts")
    parser.add_argument("--fresh", action="store_true", help="forget the counts of earlier invocations (not the --sentencex map)")
    args = parser.parse_args(argv)
    command = "python eval/fuzz.py " + " ".join(argv if argv is not None else sys.argv[1:])
    state = load_state()
    if args.fresh:  # the sentencex map (--sentencex) is a separate study: it stays
        state = {k: v for k, v in state.items() if k == "sentencex"}
    if args.report:
        write_report(state)
        return
    if args.sentencex:
        n = min(args.inputs, 20000)
        state["sentencex"] = dict(sentencex_triggers(n, args.seed), examples=n, seed=args.seed)
        save_state(state)
        write_report(state)
        print(json.dumps(state["sentencex"], ensure_ascii=False, indent=1))
        return
    import logging

    logging.disable(logging.WARNING)  # the checks' and segmenter's warnings would drown the progress lines
    for name in args.targets.split(","):
        n = getattr(args, name.replace("-", "_")) if name in EXTRA else round(args.inputs * SHARES[name])
        if n <= 0:
            continue
        stats = run_target(name, n, args.seed, args.timeout)
        record = asdict(stats)
        record.update(seed=args.seed, command=command)
        state[name] = record
        save_state(state)
        write_report(state)
        print(f"{name}: {stats.inputs} inputs, {stats.rejected} rejected, {stats.violations} violations, {stats.crashes} crashes ({stats.seconds:.0f} s)", flush=True)
        for f in stats.findings.values():
            print(f"  {f.signature} x{f.count}: {f.message}\n    {f.example}", flush=True)


if __name__ == "__main__":
    main()
