"""XLIFF 1.2 and XLIFF 2.x readers.

XLIFF 1.2: one document per ``<file>`` (its source-language/target-language), one unit per
``<trans-unit>`` wherever it sits (``<body>``, nested ``<group>``); a ``<group
restype="x-gettext-plurals">`` (translate-toolkit's PO -> XLIFF) is one plural unit.  Only the
unit's own ``<source>``/``<target>`` are read (``<alt-trans>`` matches and ``<seg-source>`` are
not units); ``<note>``, ``<context-group>/<context>``, ``resname``, ``approved`` and
``translate`` are kept.  Inline codes: ``x bx ex ph bpt ept it`` standalone, ``g mrk`` containers.
XLIFF 1.2 files without the namespace (old tools write ``<xliff version="1.2">`` bare) are read too.

XLIFF 2.0/2.1 (one namespace for both): srcLang/trgLang of the root, one document per ``<file>``,
one unit per ``<segment>`` (``Unit.segment`` names it where a ``<unit>`` has several), the unit's
``<notes>`` (category, appliesTo), ``name`` and ``translate``; segment ``state`` initial /
translated / reviewed / final.  Inline codes: ``ph sc ec sm em`` standalone (``cp`` too), ``pc
mrk`` containers; a code's ``dataRef`` (``dataRefStart`` for ``pc``) is looked up in the unit's
``<originalData>`` for its ``content``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...errors import InputError
from .model import L10nDocument, L10nFile, Note, State, TaggedText, Unit, normalize_lang
from .safexml import attributes, iterparse, local_name, release, tagged_text

XLIFF1_NS = ("urn:oasis:names:tc:xliff:document:1.2", "urn:oasis:names:tc:xliff:document:1.1", "urn:oasis:names:tc:xliff:document:1.0")
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"

XLIFF1_STANDALONE = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it"})
XLIFF2_STANDALONE = frozenset({"ph", "sc", "ec", "sm", "em", "cp"})

_XLIFF1_STATES = {
    "new": State.NEW, "needs-translation": State.NEW,
    "needs-adaptation": State.NEEDS_REVIEW, "needs-l10n": State.NEEDS_REVIEW,
    "needs-review-adaptation": State.NEEDS_REVIEW, "needs-review-l10n": State.NEEDS_REVIEW, "needs-review-translation": State.NEEDS_REVIEW,
    "translated": State.TRANSLATED, "signed-off": State.REVIEWED, "final": State.FINAL,
}  # fmt: skip
_XLIFF2_STATES = {"initial": State.NEW, "translated": State.TRANSLATED, "reviewed": State.REVIEWED, "final": State.FINAL}


def final_state(source: TaggedText, target: TaggedText | None, state: State) -> State:
    """A missing target, or an empty one for a non-empty source, is untranslated whatever the file's
    state says (Angular writes ``<target state="translated"/>`` for a unit nobody translated)."""
    if target is None or (target.is_empty and not source.is_empty):
        return State.UNTRANSLATED
    return state


def _q(ns: str | None, local: str) -> str:
    return f"{{{ns}}}{local}" if ns else local


def _text(el: Any) -> str:
    return "".join(el.itertext())


# --- XLIFF 1.2 -------------------------------------------------------------------------------


def _xliff1_state(target: Any) -> tuple[State, str | None]:
    if target is None:
        return State.UNTRANSLATED, None
    raw = target.get("state")
    state = _XLIFF1_STATES.get(raw, State.TRANSLATED) if raw else State.TRANSLATED
    if target.get("state-qualifier") == "fuzzy-match" and state not in (State.REVIEWED, State.FINAL):
        state = State.FUZZY
    return state, raw


def _xliff1_unit(tu: Any, ns: str | None, name: str) -> Unit:
    source_el, target_el = tu.find(_q(ns, "source")), tu.find(_q(ns, "target"))
    if source_el is None:
        raise InputError(f"{name}: line {tu.sourceline}: <trans-unit id={tu.get('id')!r}> has no <source>")
    source = tagged_text(source_el, ns, XLIFF1_STANDALONE, name)
    target = tagged_text(target_el, ns, XLIFF1_STANDALONE, name) if target_el is not None else None
    state, raw = _xliff1_state(target_el)
    notes = tuple(Note(_text(n), n.get("from"), n.get("annotates")) for n in tu.iterchildren(_q(ns, "note")))
    context = tuple((c.get("context-type", ""), _text(c)) for group in tu.iterchildren(_q(ns, "context-group")) for c in group.iterchildren(_q(ns, "context")))
    translate = tu.get("translate", "yes") != "no"
    flags = tuple(f for f, on in (("approved", tu.get("approved") == "yes"), ("no-translate", not translate)) if on)
    return Unit(
        id=tu.get("id", ""), source=source, target=target, state=final_state(source, target, state), state_raw=raw, name=tu.get("resname"),
        notes=notes, context=context, flags=flags, translate=translate, line=tu.sourceline,
    )  # fmt: skip


def _plural_unit(group: Any, forms: list[Unit]) -> Unit:
    """translate-toolkit's x-gettext-plurals group: its trans-units are the forms of one message."""
    first = forms[0]
    plurals = tuple(f.target if f.target is not None else TaggedText("") for f in forms)
    untranslated = any(p.is_empty for p in plurals) and not first.source.is_empty
    return dataclasses.replace(
        first, id=group.get("id") or first.id, source_plural=forms[1].source if len(forms) > 1 else None, target=plurals[0], plurals=plurals,
        state=State.UNTRANSLATED if untranslated else first.state, line=group.sourceline,
    )  # fmt: skip


def read_xliff1(data: bytes, name: str, ns: str | None, root_attrs: dict[str, str]) -> L10nFile:
    documents: list[L10nDocument] = []
    plural_groups: list[tuple[Any, list[Unit]]] = []  # open x-gettext-plurals groups, innermost last
    tags = (_q(ns, "file"), _q(ns, "group"), _q(ns, "trans-unit"))
    doc: L10nDocument | None = None
    for event, el in iterparse(data, name, tags):
        tag = local_name(el.tag)
        if tag == "file" and event == "start":
            attrs = attributes(el)
            doc = L10nDocument(attrs.get("original") or str(len(documents) + 1), [], normalize_lang(attrs.get("source-language")), normalize_lang(attrs.get("target-language")), attrs)
            documents.append(doc)
        elif tag == "group" and el.get("restype") == "x-gettext-plurals":
            if event == "start":
                plural_groups.append((el, []))
            else:
                group, forms = plural_groups.pop()
                if forms and doc is not None:
                    doc.units.append(_plural_unit(group, forms))
        elif tag == "trans-unit" and event == "end":
            if doc is None:
                raise InputError(f"{name}: line {el.sourceline}: <trans-unit> outside a <file>")
            unit = _xliff1_unit(el, ns, name)
            (plural_groups[-1][1] if plural_groups else doc.units).append(unit)
            release(el)
        elif tag == "file" and event == "end":
            release(el)
    if not documents:
        raise InputError(f"{name}: XLIFF without a <file> element")
    return L10nFile(
        name, "xliff1", root_attrs.get("version"), _common(d.src_lang for d in documents), _common(d.tgt_lang for d in documents), documents,
        header=dict(root_attrs),
    )  # fmt: skip


def _common(values: Any) -> str | None:
    """The language most documents name (XLIFF 1.2 puts the languages on each <file>)."""
    counts: dict[str, int] = {}
    for v in values:
        if v:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


# --- XLIFF 2 ---------------------------------------------------------------------------------


def _with_data(text: TaggedText, data: dict[str, str]) -> TaggedText:
    """Codes that point into <originalData> get that native code as their content."""
    if not data or not text.codes:
        return text
    codes = []
    for code in text.codes:
        ref = code.attrs.get("dataRef") or code.attrs.get("dataRefStart")
        codes.append(dataclasses.replace(code, content=data[ref]) if ref in data else code)
    return TaggedText(text.text, tuple(codes))


def _xliff2_units(unit: Any, ns: str, name: str) -> list[Unit]:
    notes_el = unit.find(_q(ns, "notes"))
    notes = tuple(Note(_text(n), n.get("category"), n.get("appliesTo")) for n in notes_el.iterchildren(_q(ns, "note"))) if notes_el is not None else ()
    original = unit.find(_q(ns, "originalData"))
    data = {d.get("id"): _text(d) for d in original.iterchildren(_q(ns, "data"))} if original is not None else {}
    segments = list(unit.iterchildren(_q(ns, "segment")))
    translate = unit.get("translate", "yes") != "no"
    out = []
    for index, seg in enumerate(segments, 1):
        source_el, target_el = seg.find(_q(ns, "source")), seg.find(_q(ns, "target"))
        if source_el is None:
            raise InputError(f"{name}: line {seg.sourceline}: a <segment> of <unit id={unit.get('id')!r}> has no <source>")
        source = _with_data(tagged_text(source_el, ns, XLIFF2_STANDALONE, name), data)
        target = _with_data(tagged_text(target_el, ns, XLIFF2_STANDALONE, name), data) if target_el is not None else None
        raw = seg.get("state")
        state = _XLIFF2_STATES.get(raw, State.TRANSLATED) if raw else State.TRANSLATED
        out.append(Unit(
            id=unit.get("id", ""), source=source, target=target, state=final_state(source, target, state), state_raw=raw, name=unit.get("name"),
            segment=(seg.get("id") or str(index)) if len(segments) > 1 else None, notes=notes, flags=() if translate else ("no-translate",),
            translate=translate, line=seg.sourceline,
        ))  # fmt: skip
    return out


def read_xliff2(data: bytes, name: str, ns: str, root_attrs: dict[str, str]) -> L10nFile:
    src, tgt = normalize_lang(root_attrs.get("srcLang")), normalize_lang(root_attrs.get("trgLang"))
    documents: list[L10nDocument] = []
    doc: L10nDocument | None = None
    for event, el in iterparse(data, name, (_q(ns, "file"), _q(ns, "unit"))):
        tag = local_name(el.tag)
        if tag == "file" and event == "start":
            attrs = attributes(el)
            doc = L10nDocument(attrs.get("id") or attrs.get("original") or str(len(documents) + 1), [], src, tgt, attrs)
            documents.append(doc)
        elif tag == "unit" and event == "end":
            if doc is None:
                raise InputError(f"{name}: line {el.sourceline}: <unit> outside a <file>")
            doc.units.extend(_xliff2_units(el, ns, name))
            release(el)
        elif tag == "file" and event == "end":
            release(el)
    if not documents:
        raise InputError(f"{name}: XLIFF without a <file> element")
    return L10nFile(name, "xliff2", root_attrs.get("version"), src, tgt, documents, header=dict(root_attrs))
