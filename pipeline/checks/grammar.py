"""Grammar (F3): Harper's English grammar rules, and calques listed per language pair.

Harper (``harper-py``, offline, rule-based) checks agreement, articles and verb forms of English
targets.  Calques are literal renderings of source-language constructions ("said ... to “Welt”"
for "sagte ... der „Welt“"); they are data, in pipeline/data/calques/<src>-<tgt>.yaml.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError, ResourceMissing
from ..model import AlignedPair
from .coverage import CALQUE_LIST
from .registry import CheckContext, Finding, RuleOptions, rule
from .textspans import DATA_DIR, base_lang, load_data, region, sentence_initial, shipped


class GrammarOptions(RuleOptions):
    harper_rules: list[str] | None = None  # Harper rules to run (default: pipeline/data/grammar/harper_rules.yaml)
    prefilter: bool = True  # send only sentences a chosen rule could fire on to Harper

HARPER_DIALECTS = {"US": "AMERICAN", "GB": "BRITISH", "UK": "BRITISH", "AU": "AUSTRALIAN", "CA": "CANADIAN", "IN": "INDIAN"}


def _harper(ctx: CheckContext) -> Any:
    def load() -> Any:
        try:
            import harper  # deferred: optional (harper-py); missing, the rules switch off
        except ImportError:
            raise ResourceMissing("harper-py is not installed (pip install harper-py)") from None
        dialect = getattr(harper.Dialect, HARPER_DIALECTS.get(region(ctx.tgt_lang) or "US", "AMERICAN"))
        linter = harper.Linter(dialect)
        wanted = _wanted_rules(ctx)
        known = linter.get_default_lint_config()
        unknown = [r for r in wanted if r not in known]
        if unknown:
            raise ConfigError(f"checks.options.grammar.harper_rules: unknown Harper rule(s) {', '.join(unknown)}")
        # Only the chosen rules run: it is faster and keeps Harper's style advice out.
        linter.set_lint_config({name: name in wanted for name in known})
        return linter, _prefilter(ctx)

    return ctx.resource(f"harper:{ctx.tgt_lang}", load)


def _wanted_rules(ctx: CheckContext) -> list[str]:
    return ctx.settings("grammar", GrammarOptions).harper_rules or shipped(ctx, "grammar/harper_rules.yaml")["rules"]


def _prefilter(ctx: CheckContext) -> list[re.Pattern[str]] | None:
    """The prefilter alone: Harper (about 0.5 s and 130 MB to load) loads only when a text passes it."""
    return ctx.resource(f"harper-trigger:{ctx.tgt_lang}", lambda: _trigger(ctx, _wanted_rules(ctx)))


def _trigger(ctx: CheckContext, rules: list[str]) -> list[re.Pattern[str]] | None:
    """Patterns of which one matches every sentence on which one of ``rules`` could fire, or None
    (lint everything) when a rule has no trigger or the filter is switched off. (Separate
    patterns tried in turn are a quarter faster than one alternation of them all.)"""
    if not ctx.settings("grammar", GrammarOptions).prefilter:
        return None
    triggers = shipped(ctx, "grammar/harper_rules.yaml").get("triggers", {})
    if any(r not in triggers for r in rules):
        return None
    return [re.compile(triggers[r], re.IGNORECASE) for r in dict.fromkeys(rules)]


def triggered(trigger: list[re.Pattern[str]] | None, text: str) -> bool:
    """Whether ``text`` goes to Harper under the prefilter ``trigger`` (None: everything goes)."""
    return trigger is None or any(pattern.search(text) for pattern in trigger)


@rule("F301", "grammar", category="fluency/grammar", severity="minor", scope="document", tgt_langs=["en"], requires=("harper-py",), preload=_harper, options=GrammarOptions)
def grammar(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """English grammar errors found by Harper: agreement, articles, verb forms.

    Why: MT output and post-edits keep agreement and article slips ("he go", "a apple") that
    spell checkers cannot see. Only the Harper rules listed in
    pipeline/data/grammar/harper_rules.yaml run, chosen because they stay quiet on clean news
    English; set ``checks.options.grammar.harper_rules`` to a list of Harper rule names to change
    it. Sentences without any word a chosen rule starts from (no article, pronoun, "there", ...)
    are not sent to Harper (``checks.options.grammar.prefilter: false`` sends all). The dialect
    follows the target region (en-GB: British). Lints on capitalised words inside a
    sentence (names: "Theresa May will") and article lints before acronyms, letters and figures
    ("a SC Freiburg fan day") are dropped. A document's targets are linted in one call, one
    paragraph each (five times faster than one call per sentence).

    Example: "He go to school yesterday." -> "go" (suggestion "goes").
    Switch off: ``checks.disable: [F301]``.
    """
    trigger = _prefilter(ctx)
    memo = ctx.findings_memo  # systems often write the same sentence: lint each text once
    new_texts = list(dict.fromkeys(p.target_text for p in pairs if ("F301", p.target_text) not in memo))
    sent = []
    for text in new_texts:
        if triggered(trigger, text):
            sent.append(text)
        else:
            memo[("F301", text)] = []
    new_texts = sent
    linter = _harper(ctx)[0] if new_texts else None
    for first in range(0, len(new_texts), LINT_BLOCK):
        block = new_texts[first : first + LINT_BLOCK]
        found: dict[str, list[Finding]] = {text: [] for text in block}
        for text, finding in _lint_block(linter, block):
            found[text].append(finding)
        for text, findings in found.items():
            memo[("F301", text)] = findings
    for pair in pairs:
        for finding in memo[("F301", pair.target_text)]:
            yield pair, finding


# Harper's cost per paragraph is lowest for blocks of about 100 paragraphs (one call per sentence
# is eight times dearer; one call for 2,000 paragraphs three times).
LINT_BLOCK = 100


def _lint_block(linter: Any, texts: list[str]) -> Iterator[tuple[str, Finding]]:
    starts = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(PARAGRAPH_BREAK)
    for lint in linter.lint(PARAGRAPH_BREAK.join(texts), language="plaintext"):
        k = bisect.bisect_right(starts, lint.span.start) - 1
        text, base = texts[k], starts[k]
        start, end = lint.span.start - base, lint.span.end - base
        if end > len(text):  # a lint across the paragraph break belongs to no pair
            continue
        if _likely_name_or_code(text, start, end) or _object_you(text, start, lint.lint_kind):
            continue
        suggestion = lint.suggestions[0].replacement_text if lint.suggestions else None
        yield text, Finding(start, end, f"{lint.message} (Harper: {lint.lint_kind_pretty})", suggestion=suggestion, data={"harper_kind": lint.lint_kind})


PARAGRAPH_BREAK = "\n\n"
NEXT_WORD_RE = re.compile(r"\s*([^\s]+)")


def _likely_name_or_code(text: str, start: int, end: int) -> bool:
    """Harper misreads names ("Theresa May will": a double modal) and cannot know how acronyms,
    letters and units are pronounced ("a SC Freiburg", "1.5 A"): those lints are dropped."""
    flagged = text[start:end].strip()
    if flagged[:1].isupper() and not sentence_initial(text, start + len(text[start:end]) - len(text[start:end].lstrip())):
        return True
    if flagged.casefold() in ("a", "an"):
        following = NEXT_WORD_RE.match(text, end)
        word = following.group(1) if following else ""
        return bool(word) and (word[0].isdigit() or sum(c.isupper() for c in word) >= 2 or len(word.strip(".,;:")) == 1)
    return False


PREVIOUS_WORD_RE = re.compile(r"(\w+)\W*$")


def _object_you(text: str, start: int, lint_kind: str) -> bool:
    """ "show you images", "play you guys some sounds": Harper reads "you" as the subject."""
    if lint_kind != "Agreement":
        return False
    before = PREVIOUS_WORD_RE.search(text, 0, start)
    return before is not None and before.group(1).casefold() == "you"


@dataclass(frozen=True, slots=True)
class Calque:
    id: str
    target: re.Pattern[str]
    source: re.Pattern[str] | None
    message: str
    suggestion: str | None


def _calques(ctx: CheckContext) -> list[Calque]:
    name = f"calques/{base_lang(ctx.src_lang)}-{base_lang(ctx.tgt_lang)}.yaml"

    def load() -> list[Calque]:
        if not (DATA_DIR / name).exists():
            return []
        out = []
        for entry in load_data(name)["calques"]:
            try:
                out.append(
                    Calque(
                        id=entry["id"],
                        target=re.compile(entry["target"]),
                        source=re.compile(entry["source"]) if entry.get("source") else None,
                        message=entry["message"],
                        suggestion=entry.get("suggestion"),
                    )
                )
            except (KeyError, re.error) as err:
                raise ConfigError(f"pipeline/data/{name}: bad calque entry {entry.get('id', '?')}: {err}") from None
        return out

    return ctx.resource(f"calques:{name}", load)


@rule("F302", "calque", category="style/awkward", severity="minor", coverage=CALQUE_LIST)
def calque(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A literal rendering of a source-language construction that the target language says
    otherwise (a calque), from the list for the language pair.

    Why: calques are grammatical word by word, so neither spelling nor grammar checks see them,
    yet they read as translationese or change the meaning ("said X to “Welt”" suggests X spoke
    to the world; the German dative means X told the newspaper Die Welt). The lists are data:
    pipeline/data/calques/<src>-<tgt>.yaml (a target pattern, optionally a source pattern that must
    match too, a message and a suggestion).

    Example (German -> English): 'said EU foreign policy chief Josep Borrell to “Welt”' ->
    'to “Welt”' (suggestion 'told <outlet>').
    Switch off: ``checks.disable: [F302]``.
    """
    entries = _calques(ctx)
    if not entries or not pair.target:
        return
    for entry in entries:
        if entry.source is not None and not entry.source.search(pair.source_text):
            continue
        for m in entry.target.finditer(pair.target_text):
            start, end = m.span("flag") if "flag" in entry.target.groupindex else m.span()
            yield Finding(start, end, entry.message, suggestion=entry.suggestion, data={"calque": entry.id})
