"""Small real runs with issues for the report, gate and ignore tests.

The issues come from the real check machinery (``run_checks`` with ``to_issue`` and fingerprints)
using a word-flagging rule registered in a private registry, so the tests do not depend on which
check families exist in the project at the time.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.align import pairs_for
from pipeline.checks import CheckContext, Finding, Registry, rule, run_checks
from pipeline.config import load_config
from pipeline.io import read_job, result_to_dict
from pipeline.model import RunResult
from pipeline.run import run_job
from pipeline.scoring import mqm_score, target_words

SOURCE = [
    "Selenskyj sprach am Donnerstag mit Biden.",
    "Das Haus ist alt.",
    "Er kommt morgen um 10 Uhr.",
    "Wir gehen nach Hause.",
    "Peskow sagte nichts dazu.",
]
REFERENCE = [
    "Zelensky spoke with Biden on Thursday.",
    "The house is old.",
    "He is coming tomorrow at 10 am.",
    "We are going home.",
    "Peskov said nothing about it.",
]
SYSTEM_A = [
    "Selenskyj spoke to Biden on Thursday.",
    "The house is old.",
    'He comes tomorrow at 10 o\'clock <script>alert("x")</script>.',
    '"><img src=x onerror=alert(1)> We go home.',
    "Peskow said nothing about it.",
]
SYSTEM_B = [
    "Zelensky spoke with Biden on Thursday.",
    "The house is old.",
    "He is coming tomorrow at 10 am.",
    "We are going home.",
    "Peskov said nothing.",
]

FLAGS = {
    "Selenskyj": ("major", "German spelling of a Ukrainian name", "Zelensky"),
    "Peskow": ("major", "German spelling of a Russian name", "Peskov"),
    "<script>": ("critical", 'markup "<script>" in the translation', None),
    "onerror": ("minor", "markup attribute in the translation", None),
    "comes": ("neutral", "tense", "is coming"),
}


def flag_rules() -> Registry:
    registry = Registry()

    @rule("N901", "test-german-name-spelling", category="terminology/inconsistent", severity="major", registry=registry)
    def names(pair, ctx):
        """Flags the German spellings Selenskyj and Peskow (test rule)."""
        for word in ("Selenskyj", "Peskow"):
            for m in re.finditer(word, pair.target_text):
                _, message, suggestion = FLAGS[word]
                yield Finding(m.start(), m.end(), message, suggestion)

    @rule("T901", "test-markup", category="design-and-markup/markup", severity="critical", registry=registry)
    def markup(pair, ctx):
        """Flags markup in a translation (test rule)."""
        for word in ("<script>", "onerror"):
            for m in re.finditer(re.escape(word), pair.target_text):
                severity, message, _ = FLAGS[word]
                from pipeline.model import Severity

                yield Finding(m.start(), m.end(), message, None, severity=Severity.parse(severity))

    @rule("F901", "test-tense", category="fluency/grammar", severity="neutral", registry=registry)
    def tense(pair, ctx):
        """Flags 'comes' (test rule)."""
        for m in re.finditer(r"\bcomes\b", pair.target_text):
            yield Finding(m.start(), m.end(), FLAGS["comes"][1], FLAGS["comes"][2])

    @rule("A901", "test-omission", category="accuracy/omission", severity="major", registry=registry)
    def omission(pair, ctx):
        """Flags a source 'dazu' with no 'about it' in the target (test rule, source side)."""
        i = pair.source_text.find("dazu")
        if i >= 0 and "about it" not in pair.target_text:
            yield Finding(i, i + 4, "'dazu' is not translated", side="source")

    return registry


def write_inputs(folder: Path, systems: dict[str, list[str]] | None = None, reference: list[str] | None = None) -> tuple[str, list[str], str]:
    folder.mkdir(parents=True, exist_ok=True)
    systems = systems or {"A": SYSTEM_A, "B": SYSTEM_B}
    src = folder / "test.src.de"
    src.write_text("\n".join(SOURCE) + "\n", encoding="utf-8")
    ref = folder / "test.ref.en"
    ref.write_text("\n".join(reference or REFERENCE) + "\n", encoding="utf-8")
    hyps = []
    for name, lines in systems.items():
        p = folder / f"test.hyp.{name}.en"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        hyps.append(str(p))
    return str(src), hyps, str(ref)


def make_result(folder: Path, systems: dict[str, list[str]] | None = None, reference: list[str] | None = None, **overrides) -> RunResult:
    """A line-aligned run of the given systems, scored (BLEU, chrF, paired bootstrap) and checked with the test rules."""
    src, hyps, ref = write_inputs(folder, systems, reference)
    settings = {"input": {"line_aligned": True}, "scoring": {"metrics": ["bleu", "chrf"], "bootstrap_samples": 200, "significance": {"tests": ["bs"]}}}
    settings.update(overrides)
    config = load_config(None, settings)
    job = read_job([src, *hyps], [ref], None, config, "de", "en")
    result = run_job(job, config, ("align", "score"))
    per_document = [pairs_for(doc, name, result.systems[name].beads[doc.id]) for name in job.systems for doc in job.documents]
    result.issues = run_checks(per_document, list(flag_rules()), CheckContext("de", "en"))
    for name, sr in result.systems.items():
        sr.mqm = mqm_score((i for i in result.issues if i.system == name), target_words(job, name), config.mqm.weights)
    return result


def make_results_dict(folder: Path, **kwargs) -> dict:
    return result_to_dict(make_result(folder, **kwargs))
