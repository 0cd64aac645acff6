"""Localization units (M4): a target copied from the source, edge whitespace, line breaks, URLs and e-mails.

A software string is not prose: the spaces at its ends join it to the strings around it, its line
breaks are layout, and its URLs and e-mail addresses are addresses the program opens.  These rules
compare such things between a unit's source and target; they are silent on text without them.

M401 reports a target that is the source unchanged where the unit should have been translated; it
is the localization counterpart of F101 (untranslated-segment), which judges a sentence by language
identification and leaves short strings alone.  The exceptions are what localization teams keep on
purpose (Xbench and Okapi CheckMate skip the same): text without three letters in a row,
numbers, placeholders, codes and identifiers, URLs and e-mail addresses, a single word in capitals
("OK", "PDF"), product and brand names (every word capitalised or written as code: "Mozilla VPN",
"GitHub"), and words that are words of the target language too ("Status", "Export" in German: a
word whose frequency in the target language is within 1 Zipf of the source language's, by
wordfreq).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from ..model import AlignedPair
from .markup import MESSAGE_KEY_RE
from .placeholders import find_placeholders
from .registry import CheckContext, Finding, rule

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTERS3_RE = re.compile(r"[^\W\d_]{3}")
_URL_RE = re.compile(r"\b(?:https?://|ftp://|www\.|mailto:)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_CODE_TOKEN_RE = re.compile(r"\S*(?:[_/\\=<>{}\[\]@#$%]|[a-z][A-Z]|\.\w)\S*|--?\w[\w-]*|\w+(?:-\w+){2,}|\b[A-Z][A-Z0-9]+\b")
# A command synopsis ("git merge [<options>] [<commit>...]"): options and metavariables are code.
_SYNOPSIS_RE = re.compile(r"(?:^|\s)(?:\[?--?[A-Za-z]|\[<|<[a-z][\w-]*>)")
_TRAILING = ".,;:!?)]}'\"»”’"
# A locale in a URL's path ("/en-US/", "/en/"), which a localized page rightly changes.
_LOCALE_SEGMENT_RE = re.compile(r"/[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?(?=/|$)")


def _strip_edge(url: str) -> str:
    return url.rstrip(_TRAILING)


def urls(text: str) -> list[tuple[int, int, str]]:
    if "://" not in text and "www." not in text:
        return []
    return [(m.start(), m.start() + len(_strip_edge(m.group())), _strip_edge(m.group())) for m in _URL_RE.finditer(text) if not m.group().lower().startswith("mailto:")]


def emails(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _EMAIL_RE.finditer(text)] if "@" in text else []


def _url_key(url: str) -> str:
    """What must stay equal: scheme and host in any case, the path without a locale segment."""
    m = re.match(r"(?i)(?:(https?|ftp)://)?([^/?#]+)(.*)", url)
    if m is None:
        return url
    return f"{m.group(2).lower().removeprefix('www.')}{_LOCALE_SEGMENT_RE.sub('/*', m.group(3)).rstrip('/')}"


@functools.lru_cache(maxsize=65536)
def _shared_word(word: str, src: str, tgt: str) -> bool:
    """A word the target language uses as much as (within 1 Zipf of) the source language."""
    try:
        from wordfreq import zipf_frequency  # deferred: word lists load on the first copied unit
    except ImportError:  # wordfreq is optional: without it no word counts as shared
        return False
    lower = word.lower()
    in_target = zipf_frequency(lower, tgt)
    return in_target > 0 and in_target >= zipf_frequency(lower, src) - 1.0


@functools.lru_cache(maxsize=65536)
def _known(word: str, lang: str) -> bool:
    """A word of the source language (else an identifier or a name: "gitignore", "bitext2tmx")."""
    try:
        from wordfreq import zipf_frequency  # deferred: word lists load on the first copied unit
    except ImportError:  # without wordfreq every word counts as known: copies are reported
        return True
    return zipf_frequency(word.lower(), lang) > 0


def _base(lang: str) -> str:
    return lang.split("-")[0].split("_")[0].lower()


def kept_on_purpose(text: str, src_lang: str, tgt_lang: str) -> bool:
    """Whether a target equal to its source is what a localizer keeps (see the module doc)."""
    if text.lstrip().startswith("<?") or _SYNOPSIS_RE.search(text):
        return True  # template code ("<?php include ...?>"), a command line
    rest = text
    for p in reversed(find_placeholders(text)):
        rest = rest[: p.start] + " " + rest[p.end :]
    for pattern in (_URL_RE, _EMAIL_RE, _CODE_TOKEN_RE):
        rest = pattern.sub(" ", rest)
    if not _LETTERS3_RE.search(rest) or len(rest.split()) < len(text.split()) / 2:
        return True  # numbers, placeholders, "+", "Aa", version strings; a command line mostly of options and paths
    words = _WORD_RE.findall(rest)
    if len(words) == 1 and words[0].isupper():
        return True
    if all(w[0].isupper() for w in words):
        return True  # product and brand names: "Mozilla VPN", "Firefox Focus"
    src, tgt = _base(src_lang), _base(tgt_lang)
    return all(len(w) < 3 or _shared_word(w, src, tgt) or not _known(w, src) for w in words)


@rule("M401", "target-same-as-source", category="accuracy/untranslated", severity="major")
def target_same_as_source(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A unit's target is its source unchanged, where it should have been translated.

    Why: a string left in the source language is the most common gap of a localized program,
    and translation tools copy the source into the target before anyone translates it.  Not
    reported: what localizers keep on purpose (numbers, codes, URLs, placeholders, "OK", product
    names in capitals, words the target language shares: see the module doc), and texts across
    languages that share the same words by design.  Only localization units are checked (a
    sentence of running text is F101's).

    Example (en -> de): "Connection settings" -> "Connection settings" -> the target.
    Switch off: ``checks.disable: [M401]``.
    """
    if not pair.source or pair.source[0].unit is None or _base(ctx.src_lang) == _base(ctx.tgt_lang):
        return
    source, target = pair.source_text.strip(), pair.target_text.strip()
    if MESSAGE_KEY_RE.fullmatch(source):
        return
    if source != target or kept_on_purpose(target, ctx.src_lang, ctx.tgt_lang):
        return
    start = pair.target_text.index(target)
    yield Finding(start, start + len(target), "the target is the source unchanged")


def _edges(text: str) -> tuple[str, str]:
    body = text.strip()
    if not body:
        return text, ""
    lead = text[: len(text) - len(text.lstrip())]
    return lead, text[len(text.rstrip()) :]


def _show(ws: str) -> str:
    return repr(ws) if ws else "nothing"


@rule("M402", "edge-whitespace", category="design-and-markup/markup", severity="minor")
def edge_whitespace(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """Leading or trailing spaces or line breaks of the target differ from the source's.

    Why: a program joins strings: "Saved " + name loses its space if the translation drops it
    ("Gespeichert" + name), and a trailing line break ends a message.  Compared: the whitespace
    before the first and after the last visible character.  A source or target padded on both ends
    is text cut from an HTML template (Angular i18n), whose edge whitespace collapses when shown,
    and is not compared.

    Example: "Files: " -> "Dateien:" -> the end of the target (the source ends in a space).
    Switch off: ``checks.disable: [M402]``.
    """
    src_lead, src_trail = _edges(pair.source_text)
    tgt_text = pair.target_text
    tgt_lead, tgt_trail = _edges(tgt_text)
    if MESSAGE_KEY_RE.fullmatch(pair.source_text.strip()):
        return
    if (src_lead and src_trail) or (tgt_lead and tgt_trail):
        return  # padded on both ends: text cut from an HTML template (Angular i18n), whose edge whitespace collapses
    if src_lead != tgt_lead and (src_lead.strip(" ") or tgt_lead.strip(" ") or bool(src_lead) != bool(tgt_lead)):
        yield Finding(0, len(tgt_lead), f"the target starts with {_show(tgt_lead)}, the source with {_show(src_lead)}", suggestion=src_lead)
    if src_trail != tgt_trail and (src_trail.strip(" ") or tgt_trail.strip(" ") or bool(src_trail) != bool(tgt_trail)):
        end = len(tgt_text)
        yield Finding(end - len(tgt_trail), end, f"the target ends with {_show(tgt_trail)}, the source with {_show(src_trail)}", suggestion=src_trail)


@rule("M403", "line-breaks", category="design-and-markup/markup", severity="minor")
def line_breaks(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """The target has line breaks where the source has none (or none where it has some), or another number of blank lines.

    Why: line breaks in a software string are layout (a dialog's paragraphs, a label on two
    lines); lost ones join lines, added ones break a label.  Translators rightly re-wrap a
    paragraph of several lines (git's messages) and lists of alternatives differ in length, so the
    number of single breaks is not compared, only whether there are any, and the blank lines that
    separate paragraphs; a translation of 60 characters or more may be wrapped.  Breaks at the
    edges are M402's.

    Example: "Name:\\nEmail:" -> "Name: E-Mail:" -> the target (on one line).
    Switch off: ``checks.disable: [M403]``.
    """
    source, target = pair.source_text.strip(), pair.target_text.strip()
    if "\n" not in source and "\n" not in target:
        return
    start = pair.target_text.index(target)
    if "\n" in target and "\n" not in source and len(target) >= _WRAP_AT:
        return  # a long message wrapped for an 80-column terminal (git's translators do)
    if ("\n" in source) != ("\n" in target):
        several, one = ("source", "target") if "\n" in source else ("target", "source")
        yield Finding(start, start + len(target), f"the {several} is on several lines, the {one} on one")
        return
    n_src, n_tgt = len(_BLANK_LINE_RE.findall(source)), len(_BLANK_LINE_RE.findall(target))
    if n_src != n_tgt:
        yield Finding(start, start + len(target), f"the target has {n_tgt} blank line(s) between paragraphs, the source {n_src}", data={"source": n_src, "target": n_tgt})


_WRAP_AT = 60  # a translation this long may be wrapped where the source is one line
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


def _diff_items(source: list[tuple[int, int, str]], target: list[tuple[int, int, str]], key: object) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    keyf = key if callable(key) else (lambda s: s)

    def unmatched(side: list[tuple[int, int, str]], other: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        available = Counter(keyf(s) for _, _, s in other)
        out = []
        for item in side:
            k = keyf(item[2])
            if available[k] > 0:
                available[k] -= 1
            else:
                out.append(item)
        return out

    return unmatched(source, target), unmatched(target, source)


@rule("M404", "url-mismatch", category="accuracy/mistranslation", severity="major")
def url_mismatch(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A URL of the source is not in the target, or the target has one the source does not.

    Why: a link that was translated, mistyped or dropped sends the user nowhere.  A locale in the
    path ("/en-US/" -> "/de/") and the host's case are allowed to differ.

    Example: "See https://example.com/help" -> "Siehe https://example.com/hilfe" -> the URL
    (suggestion: the source's).
    Switch off: ``checks.disable: [M404]``.
    """
    source, target = urls(pair.source_text), urls(pair.target_text)
    if not source and not target:
        return
    missing, added = _diff_items(source, target, _url_key)
    for (_, _, s), (start, end, t) in zip(missing, added):
        yield Finding(start, end, f"URL '{t}' differs from the source's '{s}'", suggestion=s)
    for start, end, s in missing[len(added) :]:
        yield Finding(start, end, f"URL '{s}' of the source is not in the target", side="source")
    for start, end, t in added[len(missing) :]:
        yield Finding(start, end, f"URL '{t}' is not in the source")


@rule("M405", "email-mismatch", category="accuracy/mistranslation", severity="major")
def email_mismatch(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """An e-mail address of the source is not in the target, or the target has one the source does not.

    Why: an address is where users write for help; one changed by a letter reaches nobody.
    Addresses compare without case.

    Example: "Write to support@example.com" -> "Schreiben Sie an support@beispiel.de" -> the address.
    Switch off: ``checks.disable: [M405]``.
    """
    source, target = emails(pair.source_text), emails(pair.target_text)
    if not source and not target:
        return
    missing, added = _diff_items(source, target, str.lower)
    for (_, _, s), (start, end, t) in zip(missing, added):
        yield Finding(start, end, f"e-mail address '{t}' differs from the source's '{s}'", suggestion=s)
    for start, end, s in missing[len(added) :]:
        yield Finding(start, end, f"e-mail address '{s}' of the source is not in the target", side="source")
    for start, end, t in added[len(missing) :]:
        yield Finding(start, end, f"e-mail address '{t}' is not in the source")
