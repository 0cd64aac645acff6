"""Which checks a language pair gets: one run note naming the rules that cannot run for it.

Rules declare the languages they are written for (``src_langs``/``tgt_langs`` in the registry)
and what else they need of the pair (``coverage``, a probe from pipeline/checks/coverage.py: a
hunspell dictionary, a word list, CLDR data, a shipped table).  Without it a rule finds nothing,
or switches itself off with a note when it first needs the data.
:func:`coverage_notes` looks the data up once per run and says in one line which of the selected
rules do not run for the pair and why, e.g.::

    xx->en: 'xx' is not a known language; not checked for this language pair: F101 (language ID does
    not know xx); F102 (no hunspell dictionary for xx); N101 (no romanization conventions for xx); ...

The per-rule "switched off" notes of those rules say the same and are dropped in its favour.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .checks.textspans import DATA_DIR, base_lang, load_data
from .prepared import cache_home, write_atomically


@lru_cache(maxsize=64)
def is_known_language(tag: str) -> bool:
    """Whether the tag's language subtag is a registered language (IANA's registry through
    langcodes; without langcodes, CLDR's list of languages through babel).  The answers are kept
    per machine (``<cache>/languages/known.<langcodes version>.json``): importing langcodes, for the
    two tags of a run, cost 40-80 ms of every start."""
    base = base_lang(tag)
    try:
        version = importlib.metadata.version("langcodes")
    except importlib.metadata.PackageNotFoundError:
        from babel import Locale  # deferred: babel (CLDR) costs about 25 ms, needed only here

        return base in Locale("en").languages
    path = cache_home() / "languages" / f"known.{version}.json"
    try:
        answers = json.loads(path.read_bytes())
    except (OSError, ValueError):
        answers = {}
    found = answers.get(base) if isinstance(answers, dict) else None
    if isinstance(found, bool):
        return found
    import langcodes  # deferred: see above

    try:
        known = bool(langcodes.tag_is_valid(base))
    except Exception:
        known = False
    if isinstance(answers, dict) and len(answers) < 1000:
        answers[base] = known
        write_atomically(path, lambda tmp: Path(tmp).write_text(json.dumps(answers), encoding="utf-8"))
    return known


def uncovered(src: str, tgt: str, rules: Iterable[Any], options: dict[str, Any] | None = None) -> dict[str, str]:
    """Rule code -> why it does not run for ``src``->``tgt``, for the given (selected) rules.

    A rule written for other target languages counts; one written for other source languages
    does not (N103 is for Cyrillic sources: other sources have no Cyrillic names to render).
    """
    out: dict[str, str] = {}
    for r in rules:
        if r.tgt_langs is not None and base_lang(tgt) not in r.tgt_langs:
            out[r.code] = f"{', '.join(sorted(r.tgt_langs))} targets only"
            continue
        if not r.applies_to(src, tgt):
            continue
        reason = r.coverage(src, tgt, options or {}) if r.coverage is not None else None
        if reason is not None:
            out[r.code] = reason
    return out


def coverage_line(src: str, tgt: str, rules: Iterable[Any], options: dict[str, Any] | None = None, missing: dict[str, str] | None = None) -> str | None:
    """One note for the pair: unknown languages, and the rules that do not run, grouped by reason."""
    unknown = [t for t in dict.fromkeys((src, tgt)) if not is_known_language(t)]
    missing = uncovered(src, tgt, rules, options) if missing is None else missing
    if not unknown and not missing:
        return None
    parts = [f"{src}->{tgt}:"]
    if unknown:
        parts.append(" and ".join(f"'{t}'" for t in unknown) + (" is not a known language" if len(unknown) == 1 else " are not known languages") + (";" if missing else ""))
    if missing:
        by_reason: dict[str, list[str]] = {}
        for code, reason in sorted(missing.items()):
            by_reason.setdefault(reason, []).append(code)
        parts.append("not checked for this language pair: " + "; ".join(f"{', '.join(codes)} ({reason})" for reason, codes in by_reason.items()))
    return " ".join(parts)


def coverage_notes(src: str, tgt: str, rules: Sequence[Any], notes: Sequence[str], options: dict[str, Any] | None = None) -> list[str]:
    """``notes`` with the pair's coverage line first and the rules' own "switched off" notes for
    the rules it lists left out (the line says why they do not run)."""
    missing = uncovered(src, tgt, rules, options)
    line = coverage_line(src, tgt, rules, options, missing)
    if line is None:
        return list(notes)
    switched_off = re.compile(r"^(?:" + "|".join(map(re.escape, missing)) + r") \S+ switched off: ") if missing else None
    return [line] + [n for n in notes if switched_off is None or not switched_off.match(n)]


# ------------------------------------------------------------------ the support matrix


@dataclass(frozen=True)
class RuleSupport:
    """One rule for one language pair: whether it runs, why not, and its measured false-alarm rate."""

    code: str
    name: str
    runs: bool
    reason: str | None  # why it does not run (None when it runs)
    false_alarms: float | None  # flags per 1,000 target words on clean text of the pair; None: not measured


@lru_cache(maxsize=1)
def measured_rates() -> dict[str, Any]:
    """pipeline/data/false_alarm_rates.yaml (written by eval/false_alarms.py); empty when absent."""
    if not (DATA_DIR / "false_alarm_rates.yaml").exists():
        return {}
    table: dict[str, Any] = load_data("false_alarm_rates.yaml")
    return table


def support(src: str, tgt: str, rules: Iterable[Any], options: dict[str, Any] | None = None) -> tuple[list[RuleSupport], dict[str, Any] | None]:
    """Each rule's support for ``src``->``tgt``, and the pair's measured totals (None: not measured)."""
    rules = list(rules)
    missing = uncovered(src, tgt, rules, options)
    measured = measured_rates().get("pairs", {}).get(f"{base_lang(src)}-{base_lang(tgt)}")
    out = []
    for r in rules:
        reason = missing.get(r.code)
        if reason is None and not r.applies_to(src, tgt):
            reason = f"{', '.join(sorted(r.src_langs or ()))} sources only"
        rate = None
        if measured is not None and reason is None:
            rate = float(measured["rules"].get(r.code, 0.0))
        out.append(RuleSupport(r.code, r.name, reason is None, reason, rate))
    return out, measured


def support_markdown(pairs: Sequence[str], rules: Sequence[Any]) -> str:
    """The README's language-support table: per pair, the rules that do not run and the measured rate."""
    rows = ["| pair | rules that run | not checked for the pair | false alarms per 1k words |", "|---|---:|---|---:|"]
    for pair in pairs:
        src, tgt = pair.split("-", 1)
        found, measured = support(src, tgt, rules)
        off = sorted({r.code for r in found if not r.runs})
        total = f"{measured['total']:.2f}" if measured else "not measured"
        rows.append(f"| {src}->{tgt} | {sum(r.runs for r in found)} of {len(found)} | {', '.join(off) or '-'} | {total} |")
    return "\n".join(rows) + "\n"
