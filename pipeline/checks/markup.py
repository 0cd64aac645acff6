"""Inline tags and markup (M2): the codes around and inside a unit's text must survive translation.

Two kinds of markup are compared the same way:

- the inline codes of a localization unit (XLIFF 1.2 ``x bx ex ph bpt ept it g mrk``, XLIFF 2 ``ph
  sc ec pc mrk``, TMX ``bpt ept it ph ut hi``), which the reader keeps as typed spans
  (``Segment.codes``); a code is known by its kind and id (TMX: ``x``, an ``ept`` by its ``bpt``),
  by its ``equiv-text`` or native content where it has no id;
- HTML/XML written as text ("<b>", "&lt;a href=...&gt;" in a Qt or PO string, "&amp;"): a tag
  counts as markup when it is an HTML element of text ("b", "a", "br", "span", ...) or its closing
  tag is in the same text, so a usage string's "<file>" or "<commit>" is left to the placeholders
  and spelling rules; an ``<a>`` is known by its ``href``, which a note usually says not to touch.

A code of the source that the target lacks is missing (M201), one the source lacks is added
(M202), a code of the same kind with another id or ``href`` in its place is changed (M203, once
instead of one missing and one added), and paired codes (``bpt``/``ept``, ``bx``/``ex``,
``sc``/``ec``, containers, Angular ``START_*``/``CLOSE_*`` placeholders, HTML open/close tags)
that close before they open or nest differently from the source are out of order (M204).  Standalone
codes may move: word order differs between languages.

The rules have document scope although each looks at one unit: the engine remembers a pair rule's
findings by the pair's texts, and two units with the same text can carry different codes.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import AlignedPair, Segment
from .placeholders import pair_renamed
from .registry import CheckContext, Finding, rule

if TYPE_CHECKING:  # annotations only: pipeline.io imports the checks (through the config), so a run-time import is circular
    from ..io.l10n.model import InlineCode

# Elements that only occur as markup in running text; any other name counts when its closing tag is
# in the same text ("<b>" alone is markup, "<file>" alone is a usage string's metavariable, and so
# are "<mark>", "<code>" and "<object>" in git's messages, which translators translate).
HTML_TEXT_ELEMENTS = frozenset("a b br div em h1 h2 h3 h4 h5 h6 hr i img li ol p span strike strong sub sup tt u ul".split())
_TAG_RE = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<attrs>(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s\"'<>=]+))?)*)\s*(?P<empty>/?)>")
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Spaces written as entities are typography (a French "&nbsp;" before a colon), not markup to keep.
_SPACE_ENTITIES = frozenset({"&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "&thinsp;", "&#8239;", "&#x202f;", "&#x202F;", "&#8201;", "&ensp;", "&emsp;"})
# Angular i18n writes an element as two standalone <x/> codes: START_TAG_SPAN ... CLOSE_TAG_SPAN.
_ANGULAR_RE = re.compile(r"(?P<role>START|CLOSE)_(?P<base>[A-Z][A-Z0-9_]*?)(?:_\d+)?")

# A message key standing for the source text (Symfony, Angular key-as-source files read alone).
MESSAGE_KEY_RE = re.compile(r"[A-Za-z][\w-]*(?:[.:/][\w-]+)+|(?=[a-f]*\d)[0-9a-f]{6,40}")

_OPENERS = frozenset({"bpt", "bx", "sc"})
_CLOSERS = frozenset({"ept", "ex", "ec"})


@dataclass(frozen=True, slots=True)
class Mark:
    """One tag of a text: an inline code or a tag written as text."""

    key: str  # what must be equal on both sides: "bpt:1", "x:INTERPOLATION", "<a href=terms>"
    kind: str  # codes of one kind can stand in for each other (M203): "x", "html:a", "entity"
    label: str  # how a message shows it
    start: int  # span in the plain text (zero width for a code)
    end: int
    pos: tuple[int, int]  # document order: (offset, order among the codes at that offset)
    role: str = "single"  # single | open | close | container
    link: str | None = None  # joins an open and a close of the same text
    close_pos: tuple[int, int] | None = None  # a container's closing tag


def _code_ident(code: InlineCode, x_of_i: dict[str, str]) -> str:
    attrs = code.attrs
    if code.kind == "ec" and "startRef" in attrs and "id" not in attrs:
        return attrs["startRef"]
    ident = attrs.get("id") or attrs.get("x") or (x_of_i.get(attrs["i"]) if "i" in attrs else None) or attrs.get("i")
    if ident:
        return ident
    return "=" + (attrs.get("equiv-text") or code.content)  # no id at all: its text stands for it


def _code_label(code: InlineCode) -> str:
    if code.is_container:
        return code.xml + code.close_xml
    return code.xml if len(code.xml) <= 80 else code.xml[:77] + "..."


def code_marks(codes: Sequence[InlineCode]) -> list[Mark]:
    """The marks of a text's inline codes, with their open/close links."""
    x_of_i = {c.attrs["i"]: c.attrs["x"] for c in codes if c.kind == "bpt" and "i" in c.attrs and "x" in c.attrs}  # TMX: an ept has only i
    marks: list[Mark] = []
    angular_open: dict[str, list[int]] = defaultdict(list)
    angular_close: dict[str, list[int]] = defaultdict(list)  # closes seen before any opening: a reversed pair
    for k, code in enumerate(codes):
        ident = _code_ident(code, x_of_i)
        pos = (code.start, code.order)
        label = _code_label(code)
        if code.is_container:
            marks.append(Mark(f"{code.kind}:{ident}", code.kind, label, code.start, code.end, pos, "container", f"c{k}", (code.end, code.close_order)))
            continue
        role, link = "single", None
        attrs = code.attrs
        if code.kind in _OPENERS or code.kind in _CLOSERS:
            role = "open" if code.kind in _OPENERS else "close"
            # XLIFF 1.2 rid (else id), TMX i, XLIFF 2 sc id / ec startRef join the two halves
            link = attrs.get("rid") or attrs.get("i") or (attrs.get("startRef") if code.kind == "ec" else None) or attrs.get("id")
            link = None if link is None else f"{'bx' if code.kind in ('bx', 'ex') else 'p'}:{link}"
        elif code.kind == "x" and (m := _ANGULAR_RE.fullmatch(ident)) is not None:
            role = "open" if m.group("role") == "START" else "close"
            base = m.group("base")
            if role == "open" and angular_close[base]:
                closer = angular_close[base].pop(0)
                marks[closer] = _with_link(marks[closer], f"ng:{closer}")
                link = f"ng:{closer}"
            elif role == "open":
                angular_open[base].append(len(marks))
            elif angular_open[base]:
                opener = angular_open[base].pop()
                marks[opener] = _with_link(marks[opener], f"ng:{opener}")
                link = f"ng:{opener}"
            else:
                angular_close[base].append(len(marks))
        marks.append(Mark(f"{code.kind}:{ident}", code.kind, label, code.start, code.end, pos, role, link))
    return marks


def _with_link(mark: Mark, link: str) -> Mark:
    return Mark(mark.key, mark.kind, mark.label, mark.start, mark.end, mark.pos, mark.role, link, mark.close_pos)


def text_marks(text: str) -> list[Mark]:
    """HTML/XML tags and character entities written as text."""
    if "<" not in text and "&" not in text:
        return []
    marks: list[Mark] = []
    if "<" in text:
        found = list(_TAG_RE.finditer(text))
        closed = {m.group("name").lower() for m in found if m.group("close")}
        stack: dict[str, list[int]] = defaultdict(list)
        early: dict[str, list[int]] = defaultdict(list)  # closing tags before any opening one: a reversed pair
        for m in found:
            name = m.group("name").lower()
            if name not in HTML_TEXT_ELEMENTS and name not in closed:
                continue
            pos = (m.start(), 0)
            if m.group("close"):
                if not stack[name]:
                    early[name].append(len(marks))
                link = f"h{stack[name].pop() if stack[name] else len(marks)}"
                marks.append(Mark(f"</{name}>", f"html:/{name}", m.group(), m.start(), m.end(), pos, "close", link))
                continue
            href = _HREF_RE.search(m.group("attrs") or "")
            key = f"<{name} href={next(g for g in href.groups() if g is not None)}>" if href else f"<{name}>"
            if m.group("empty") or name in ("br", "hr", "img"):
                marks.append(Mark(key, f"html:{name}", m.group(), m.start(), m.end(), pos))
            elif early[name]:
                marks.append(Mark(key, f"html:{name}", m.group(), m.start(), m.end(), pos, "open", f"h{early[name].pop(0)}"))
            else:
                stack[name].append(len(marks))
                marks.append(Mark(key, f"html:{name}", m.group(), m.start(), m.end(), pos, "open", f"h{len(marks)}"))
    if "&" in text:
        for m in _ENTITY_RE.finditer(text):
            if m.group() not in _SPACE_ENTITIES:
                marks.append(Mark(m.group(), "entity", m.group(), m.start(), m.end(), (m.start(), 0)))
    return marks


def marks_of(text: str, codes: Sequence[InlineCode]) -> list[Mark]:
    marks = code_marks(codes) + text_marks(text) if codes else text_marks(text)
    return sorted(marks, key=lambda m: m.pos) if codes and len(marks) > len(codes) else marks


@dataclass(frozen=True, slots=True)
class MarkupDiff:
    missing: list[Mark]
    added: list[Mark]
    changed: list[tuple[Mark, Mark]]  # (source, target)
    disorder: list[tuple[Mark, str]]  # target mark, why


def _unmatched(side: list[Mark], other: list[Mark]) -> list[Mark]:
    available = Counter(m.key for m in other)
    out = []
    for m in side:
        if available[m.key] > 0:
            available[m.key] -= 1
        else:
            out.append(m)
    return out


def _intervals(marks: list[Mark]) -> dict[str, tuple[Mark, tuple[int, int], tuple[int, int]]]:
    """Paired codes by the key of their opening half: (opening mark, open position, close position);
    a key that occurs twice on a side is left out (which of the two is which cannot be told)."""
    counts = Counter(m.key for m in marks if m.role in ("open", "container"))
    out: dict[str, tuple[Mark, tuple[int, int], tuple[int, int]]] = {}
    closes: dict[str, Mark] = {}
    for m in marks:
        if m.role == "close" and m.link is not None:
            closes.setdefault(m.link, m)
    for m in marks:
        if counts[m.key] != 1:
            continue
        if m.role == "container" and m.close_pos is not None:
            out[m.key] = (m, m.pos, m.close_pos)
        elif m.role == "open" and m.link in closes:
            out[m.key] = (m, m.pos, closes[m.link].pos)
    return out


def _relation(a: tuple[tuple[int, int], tuple[int, int]], b: tuple[tuple[int, int], tuple[int, int]]) -> str:
    (a0, a1), (b0, b1) = a, b
    if a1 <= b0 or b1 <= a0:
        return "apart"
    if a0 <= b0 and b1 <= a1:
        return "contains"
    if b0 <= a0 and a1 <= b1:
        return "inside"
    return "overlaps"


def _reversed(marks: list[Mark]) -> list[Mark]:
    """Opening halves of pairs whose closing half comes first, repeated keys included."""
    closes = {m.link: m for m in marks if m.role == "close" and m.link is not None}
    return [m for m in marks if m.role == "open" and m.link in closes and closes[m.link].pos < m.pos]


def _disorder(source: list[Mark], target: list[Mark]) -> list[tuple[Mark, str]]:
    out: list[tuple[Mark, str]] = []
    allowed = Counter(m.key for m in _reversed(source))  # a source written that way is copied faithfully
    for mark in _reversed(target):
        if allowed[mark.key] > 0:
            allowed[mark.key] -= 1
        else:
            out.append((mark, f"'{mark.label}' is closed before it is opened"))
    src, tgt = _intervals(source), _intervals(target)
    flagged = {m.key for m, _ in out}
    ordered = [k for k in src if k in tgt and k not in flagged and tgt[k][1] < tgt[k][2]]
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            before = _relation(src[a][1:], src[b][1:])
            after = _relation(tgt[a][1:], tgt[b][1:])
            if before != after:
                mark = tgt[b][0] if tgt[b][1] >= tgt[a][1] else tgt[a][0]
                out.append((mark, f"'{tgt[a][0].label}' and '{tgt[b][0].label}' are nested differently from the source (source: {_say(before)}, target: {_say(after)})"))
    return out


def _say(relation: str) -> str:
    return {"apart": "one after the other", "contains": "the second inside the first", "inside": "the first inside the second", "overlaps": "overlapping"}[relation]


def compare_markup(source_text: str, source_codes: Sequence[InlineCode], target_text: str, target_codes: Sequence[InlineCode]) -> MarkupDiff:
    """What differs between the tags and markup of a source and its translation."""
    source, target = marks_of(source_text, source_codes), marks_of(target_text, target_codes)
    if not source and not target:
        return MarkupDiff([], [], [], [])
    missing, added = _unmatched(source, target), _unmatched(target, source)
    # "&amp;" on one side and a literal "&" on the other render the same in HTML
    missing = [m for m in missing if m.kind != "entity" or html.unescape(m.key) not in target_text]
    added = [m for m in added if m.kind != "entity" or html.unescape(m.key) not in source_text]
    changed = pair_renamed(missing, added, lambda m: m.kind)  # a code of the same kind in its place: renamed, or an href changed
    return MarkupDiff(missing, added, changed, _disorder(source, target))


def _signature(pair: AlignedPair) -> tuple[object, ...]:
    def side(segments: Sequence[Segment]) -> tuple[object, ...]:
        return tuple((s.text, tuple((c.xml, c.close_xml, c.start, c.end, c.order, c.close_order) for c in s.codes)) for s in segments)

    return ("M2", side(pair.source), side(pair.target))


def pair_codes(pair: AlignedPair) -> tuple[tuple[InlineCode, ...], tuple[InlineCode, ...]]:
    """The inline codes of a one-unit pair (a localization file's pairs are line-aligned: one
    segment per side); none where a side has several segments, whose offsets would not add up."""
    src = pair.source[0].codes if len(pair.source) == 1 else ()
    tgt = pair.target[0].codes if len(pair.target) == 1 else ()
    return src, tgt


def markup_diff(pair: AlignedPair, ctx: CheckContext) -> MarkupDiff | None:
    """The comparison for a pair, shared by the four rules (None for a blank target: A104's)."""
    if not pair.target or (not pair.target_text.strip() and not any(s.codes for s in pair.target)):
        return None
    src_codes, tgt_codes = pair_codes(pair)
    if not src_codes and MESSAGE_KEY_RE.fullmatch(pair.source_text.strip()):
        return None  # a key-as-source file read alone ("content.saved"): its markup is the target's own
    if not src_codes and not tgt_codes and "<" not in pair.source_text + pair.target_text and "&" not in pair.source_text + pair.target_text:
        return None
    key = _signature(pair)
    found = ctx.findings_memo.get(key)
    if found is None:
        found = ctx.findings_memo[key] = compare_markup(pair.source_text, src_codes, pair.target_text, tgt_codes)
    assert isinstance(found, MarkupDiff)
    return found


def _data(mark: Mark) -> dict[str, str]:
    return {"tag": mark.label, "key": mark.key}


@rule("M201", "tag-missing", category="design-and-markup/markup", severity="major", scope="document")
def tag_missing(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """An inline tag or markup of the source is not in the target.

    Why: a lost tag loses formatting, a link or a line break, and a lost half of a pair (``bpt``
    without ``ept``, "<b>" without "</b>") breaks the file the translation is merged back into.
    Inline codes are compared by kind and id (TMX ``x``; ``equiv-text`` or the native code where
    there is no id); HTML written as text ("<b>", "<a href=...>", "&amp;") by element and ``href``.

    Example: "<bpt i="1" x="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept> now" -> "Jetzt
    speichern" -> the ``bpt`` and the ``ept`` marked in the source.
    Switch off: ``checks.disable: [M201]``.
    """
    for pair in pairs:
        diff = markup_diff(pair, ctx)
        for m in diff.missing if diff else ():
            yield pair, Finding(m.start, m.end, f"tag '{m.label}' of the source is missing in the target", side="source", data=_data(m))


@rule("M202", "tag-added", category="design-and-markup/markup", severity="major", scope="document")
def tag_added(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """The target has an inline tag or markup the source does not have.

    Why: a code that the source never had cannot be merged back (its id points nowhere), and a
    tag typed into the text ("<b>", "&amp;") shows raw or changes the formatting of what follows.
    Spaces written as entities ("&nbsp;" before a French colon) are typography and not counted.

    Example: "Open the file" -> "<b>Öffnen</b> Sie die Datei" -> "<b>" and "</b>".
    Switch off: ``checks.disable: [M202]``.
    """
    for pair in pairs:
        diff = markup_diff(pair, ctx)
        for m in diff.added if diff else ():
            yield pair, Finding(m.start, m.end, f"tag '{m.label}' is not in the source", data=_data(m))


@rule("M203", "tag-changed", category="design-and-markup/markup", severity="major", scope="document")
def tag_changed(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """An inline tag of the source stands in the target with another id, or a link with another target.

    Why: codes are matched by id when the file is merged back, so a renamed one
    (``INTERPOLATION`` -> ``INTERPOLATION_1``) puts the wrong value in place; an ``<a href>``
    pointing elsewhere ("open-account" translated) breaks the link.  Reported once, with the
    source's tag as suggestion, instead of one missing and one added tag.

    Example: "Go to <a href="open-account">settings</a>" -> "Gehen Sie zu <a
    href="konto-oeffnen">Einstellungen</a>" -> the ``<a>`` (suggestion: the source's).
    Switch off: ``checks.disable: [M203]``.
    """
    for pair in pairs:
        diff = markup_diff(pair, ctx)
        for s, t in diff.changed if diff else ():
            yield pair, Finding(t.start, t.end, f"tag '{t.label}' should be the source's '{s.label}'", suggestion=s.label, data=_data(t))


@rule("M204", "tag-order", category="design-and-markup/markup", severity="major", scope="document")
def tag_order(pairs: list[AlignedPair], ctx: CheckContext) -> Iterator[tuple[AlignedPair, Finding]]:
    """Paired tags that close before they open, or nest differently from the source.

    Why: a pair (``bpt``/``ept``, ``sc``/``ec``, ``g``/``pc``, Angular ``START_*``/``CLOSE_*``,
    HTML "<b>"/"</b>") must open before it closes, and two pairs one inside the other in the
    source ("<a><b>...</b></a>") that overlap in the target ("<a><b>...</a></b>") make markup the
    file format or the browser cannot rebuild.  Pairs that only change places ("<b>x</b> <i>y</i>"
    -> "<i>y'</i> <b>x'</b>") and standalone codes that move are word order, not errors.

    Example: "<b>Save</b> the file" -> "Die Datei </b>speichern<b>" -> "</b>".
    Switch off: ``checks.disable: [M204]``.
    """
    for pair in pairs:
        diff = markup_diff(pair, ctx)
        for m, why in diff.disorder if diff else ():
            yield pair, Finding(m.start, m.end, why, data=_data(m))
