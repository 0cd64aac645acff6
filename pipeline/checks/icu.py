"""ICU MessageFormat (M3): plural and select messages must have the branches the target needs.

An ICU message (``{count, plural, one {# file} other {# files}}``, ``{gender, select, female {...}
other {...}}``) picks a branch at run time.  A plural needs a branch for every CLDR plural category
of the target language (Russian: one, few, many, other; Japanese: other only), since a missing one
falls back to ``other`` and prints the wrong form; ``=N`` branches are accepted for a category
that holds only that number (German "one" is 1 alone, so ``=1`` does; Russian "one" is 1, 21,
31, ..., so it does not).  ``other`` is required by the syntax.  Select keys are code the program
passes, so the target keeps the source's keys, and every branch speaks of the same variables:
the source's placeholders, ``#`` (the number) and inline codes.

The categories come from CLDR through babel (``Locale.plural_form``); a category counts when a
count below 1,100 falls in it, so French "many" (a million and up: "1 000 000 de fichiers") is not
required.  Only top-level messages are analysed; one nested in a branch counts as a variable of
that branch.  Messages are paired between source and target by argument and type; a message the
target lacks is M101's (placeholder missing).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import AlignedPair
from .markup import code_marks, pair_codes
from .placeholders import find_placeholders, icu_messages
from .registry import CheckContext, Finding, rule

if TYPE_CHECKING:  # annotations only: pipeline.io imports the checks (through the config), so a run-time import is circular
    from ..io.l10n.model import InlineCode

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_SELECTOR_RE = re.compile(r"\s*(?P<sel>=\s*\d+(?:\.\d+)?|[^\s{}]+)\s*\{")
_OFFSET_RE = re.compile(r"\s*offset\s*:\s*\d+")
_COUNT_SAMPLE = range(1100)  # counts that decide which categories a language needs (mod 10/100/1000 rules)


@dataclass(frozen=True, slots=True)
class Branch:
    selector: str  # "one", "=1", "female"
    start: int  # the selector's offset in the text
    body_start: int  # inside the braces
    body_end: int


@dataclass(frozen=True, slots=True)
class IcuMessage:
    argument: str
    type: str  # plural | selectordinal | select
    start: int
    end: int
    branches: tuple[Branch, ...]


def parse_icu(text: str) -> list[IcuMessage]:
    """The top-level ICU plural/select messages of ``text`` with their branches (a branch whose
    braces do not close runs to the end of the message)."""
    out = []
    for start, end, argument, kind in icu_messages(text):
        head = text.index(",", text.index(",", start) + 1) + 1  # after "{name, type,"
        pos = head
        if (m := _OFFSET_RE.match(text, pos)) is not None:
            pos = m.end()
        branches = []
        while (m := _SELECTOR_RE.match(text, pos, end)) is not None:
            body_start, depth, i = m.end(), 1, m.end()
            while i < end and depth:
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            body_end = i - 1 if depth == 0 else end
            branches.append(Branch(re.sub(r"\s+", "", m.group("sel")), m.start("sel"), body_start, body_end))
            pos = i
        out.append(IcuMessage(argument, kind, start, end, tuple(branches)))
    return out


@functools.cache
def plural_numbers(lang: str, ordinal: bool = False) -> dict[str, frozenset[int]]:
    """CLDR plural category -> the counts below 1,100 in it, for ``lang`` ({} when babel does not
    know the language: the rules then stay silent)."""
    try:
        from babel import Locale  # deferred: CLDR data, loaded only for a text with an ICU plural

        locale = Locale.parse(lang.replace("-", "_"))
        form = locale.ordinal_form if ordinal else locale.plural_form
    except (ValueError, LookupError, TypeError, AttributeError):  # an unknown or malformed language code
        return {}
    found: dict[str, set[int]] = {}
    for n in _COUNT_SAMPLE:
        found.setdefault(form(n), set()).add(n)
    return {k: frozenset(v) for k, v in found.items()}


def _exact(selector: str) -> int | None:
    if selector.startswith("="):
        try:
            return int(float(selector[1:]))
        except ValueError:
            return None
    return None


def missing_categories(message: IcuMessage, lang: str) -> list[str]:
    """Categories the target language needs that the message has no branch for."""
    selectors = {b.selector for b in message.branches}
    numbers = plural_numbers(lang, ordinal=message.type == "selectordinal")
    exact = {n for b in message.branches if (n := _exact(b.selector)) is not None}
    missing = [c for c in PLURAL_CATEGORIES if c in numbers and c != "other" and c not in selectors and not numbers[c] <= exact]
    if "other" not in selectors:
        missing.append("other")
    return missing


def unused_categories(message: IcuMessage, lang: str) -> list[Branch]:
    """Keyword branches of a category the target language does not have (German "few")."""
    numbers = plural_numbers(lang, ordinal=message.type == "selectordinal")
    if not numbers:
        return []
    return [b for b in message.branches if b.selector in PLURAL_CATEGORIES and b.selector != "other" and b.selector not in numbers]


def branch_variables(text: str, codes: Sequence[InlineCode], branch: Branch, plural: bool, lang: str) -> set[str]:
    """What a branch speaks of: its placeholders, ``#`` in a plural, and the inline codes in it."""
    body = text[branch.body_start : branch.body_end]
    found = {p.key for p in find_placeholders(body, lang) if not p.uncertain}
    if plural and "#" in _outside_nested(body):
        found.add("#")
    if codes:
        inside = [c for c in codes if branch.body_start <= c.start and c.end <= branch.body_end]
        found |= {m.key for m in code_marks(inside)}
    return found


def _outside_nested(body: str) -> str:
    """The body without nested plural/select messages (a '#' in them is theirs)."""
    for start, end, _, _ in reversed(icu_messages(body)):
        body = body[:start] + body[end:]
    return body


@dataclass(frozen=True, slots=True)
class IcuPair:
    source: IcuMessage
    target: IcuMessage


def paired_messages(pair: AlignedPair) -> list[IcuPair]:
    """Target messages with the source message of the same argument and type."""
    target_text = pair.target_text
    if "{" not in target_text or "," not in target_text:
        return []
    targets = parse_icu(target_text)
    if not targets:
        return []
    sources = parse_icu(pair.source_text)
    out = []
    for t in targets:
        s = next((s for s in sources if s.argument == t.argument and s.type == t.type), None)
        if s is not None:
            sources.remove(s)
            out.append(IcuPair(s, t))
    return out


@rule("M301", "icu-plural-branch-missing", category="fluency/grammar", severity="major")
def icu_plural_branch_missing(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """An ICU plural of the target lacks a branch its language needs, or lacks ``other``.

    Why: the program picks the branch by the CLDR plural category of the count; without the
    target language's categories the count takes ``other`` and prints the wrong form ("21 файлов"
    for 21 files in Russian, which needs "21 файл"), and a message without ``other`` does not
    compile.  ``=N`` branches stand for a category that holds that number alone.

    Example (en -> ru): "{n, plural, one {# file} other {# files}}" -> "{n, plural, one {# файл}
    other {# файлов}}" -> the message (missing: few, many).
    Switch off: ``checks.disable: [M301]``.
    """
    for found in paired_messages(pair):
        t = found.target
        if t.type == "select":
            continue
        missing = missing_categories(t, ctx.tgt_lang)
        if missing:
            yield Finding(
                t.start, t.end, f"ICU {t.type} of '{t.argument}' has no branch for {', '.join(missing)} ({ctx.tgt_lang} needs {', '.join(_needed(t, ctx.tgt_lang))})", data={"missing": missing}
            )


def _needed(message: IcuMessage, lang: str) -> list[str]:
    numbers = plural_numbers(lang, ordinal=message.type == "selectordinal")
    return [c for c in PLURAL_CATEGORIES if c in numbers or c == "other"]


@rule("M302", "icu-plural-branch-unused", category="fluency/grammar", severity="minor")
def icu_plural_branch_unused(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A branch of an ICU plural for a category the target language does not have.

    Why: the branch is never chosen; usually the source's branches were copied (English "one" in
    Japanese) or the wrong language's rules were followed ("few" in German), and the form the
    translator wrote there is lost.

    Example (en -> de): "{n, plural, one {# file} other {# files}}" -> "{n, plural, one {# Datei}
    few {# Dateien} other {# Dateien}}" -> "few".
    Switch off: ``checks.disable: [M302]``.
    """
    for found in paired_messages(pair):
        t = found.target
        if t.type == "select":
            continue
        for b in unused_categories(t, ctx.tgt_lang):
            yield Finding(b.start, b.start + len(b.selector), f"'{b.selector}' is not a plural category of {ctx.tgt_lang}: this branch is never used")


@rule("M303", "icu-select-keys", category="design-and-markup/markup", severity="major")
def icu_select_keys(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """The keys of an ICU select differ from the source's (translated, dropped or invented).

    Why: the program passes one of the source's keys (``male``, ``female``, ``admin``); a key
    that was translated ("weiblich") is never matched, so that case falls to ``other``.

    Example: "{gender, select, female {She} other {They}}" -> "{gender, select, weiblich {Sie}
    other {Sie}}" -> "weiblich" (suggestion "female").
    Switch off: ``checks.disable: [M303]``.
    """
    for found in paired_messages(pair):
        s, t = found.source, found.target
        if t.type != "select":
            continue
        source_keys = [b.selector for b in s.branches]
        target_keys = {b.selector for b in t.branches}
        lost = [k for k in source_keys if k not in target_keys]
        for b in t.branches:
            if b.selector not in source_keys:
                suggestion = lost.pop(0) if lost else None
                yield Finding(b.start, b.start + len(b.selector), f"select key '{b.selector}' is not one of the source's ({', '.join(source_keys)})", suggestion=suggestion)
        if lost:
            yield Finding(t.start, t.end, f"ICU select of '{t.argument}' has no branch for the source's key(s) {', '.join(lost)}")


@rule("M304", "icu-branch-variables", category="accuracy/omission", severity="major", scope="document")
def icu_branch_variables(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """A branch of an ICU message lacks a variable every source branch has, or has one the source lacks.

    Why: each branch is a whole message; "{n, plural, one {# file in {folder}} other {# files}}"
    drops the folder for one of the counts.  ``#`` (the count) may be left out of a branch that
    stands for one number only ("one {a file}" in English, "=0 {no file}"), not of one that stands
    for several (Russian "one" is also 21, 31, ...).  Inline codes in the branches count too.

    Example: "{n, plural, one {# file in {folder}} other {# files in {folder}}}" -> "{n, plural,
    one {# Datei in {folder}} other {# Dateien}}" -> the ``other`` branch (missing {folder}).
    Switch off: ``checks.disable: [M304]``.
    """
    # document scope: the engine remembers pair rules' findings by text, and the codes count here
    for pair in pairs:
        if pair.target and pair.target_text.strip():
            for finding in _branch_variables(pair, ctx):
                yield pair, finding


def _branch_variables(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    src_codes, tgt_codes = pair_codes(pair)
    for found in paired_messages(pair):
        s, t = found.source, found.target
        plural = t.type != "select"
        src_vars = [branch_variables(pair.source_text, src_codes, b, plural, ctx.src_lang) for b in s.branches]
        if not src_vars:
            continue
        everywhere = set.intersection(*src_vars)
        anywhere = set.union(*src_vars)
        numbers = plural_numbers(ctx.tgt_lang, ordinal=t.type == "selectordinal") if plural else {}
        for b in t.branches:
            have = branch_variables(pair.target_text, tgt_codes, b, plural, ctx.tgt_lang)
            single = _exact(b.selector) is not None or len(numbers.get(b.selector, ())) == 1
            lacking = sorted(v for v in everywhere - have if not (v == "#" and single))
            extra = sorted(have - anywhere - {"#"})
            if lacking or extra:
                parts = ([f"lacks {', '.join(lacking)}"] if lacking else []) + ([f"has {', '.join(extra)}, which no source branch has"] if extra else [])
                yield Finding(b.start, b.body_end, f"branch '{b.selector}' of '{t.argument}' {' and '.join(parts)}", data={"lacking": lacking, "extra": extra})
