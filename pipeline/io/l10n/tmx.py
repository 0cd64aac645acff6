"""TMX 1.4 reader (1.1-1.3 read the same way; 1.1's ``lang`` stands in for ``xml:lang``).

The whole file is one document, one unit per ``<tu>`` (id: ``tuid``, else its 1-based position).
The source language is the header's ``srclang``; with ``*all*`` or none, that of the first
variant.  The target language is the one most units have besides the source (a TMX may hold more
than two languages; pass ``target_lang`` to choose another).  Variants are matched by language
tag case-insensitively (``EN`` = ``en``), and by primary language where no variant matches exactly.
A unit without the target variant is untranslated; one without the source variant gets an empty
source and the flag ``no-source``.  ``<note>`` and ``<prop>`` of the unit, and the variants'
``changeid``/``changedate``/``creationid``/``creationdate``, are kept (as notes and context).
Inline codes: ``bpt ept it ph ut`` standalone (their ``<sub>`` flows stay in the code's XML),
``hi`` a container.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ...errors import InputError
from .model import L10nDocument, L10nFile, Note, State, TaggedText, Unit, normalize_lang
from .safexml import XML_NS, attributes, iterparse, release, tagged_text

TMX_STANDALONE = frozenset({"bpt", "ept", "it", "ph", "ut"})
_TUV_CONTEXT = ("changeid", "changedate", "creationid", "creationdate")


@dataclass
class _Tu:
    id: str
    line: int
    variants: dict[str, tuple[TaggedText, dict[str, str]]]  # language (lower case) -> seg, tuv attributes
    notes: tuple[Note, ...]
    props: tuple[tuple[str, str], ...]


def _read_tu(tu: Any, index: int, name: str) -> _Tu:
    variants: dict[str, tuple[TaggedText, dict[str, str]]] = {}
    for tuv in tu.iterchildren("tuv"):
        lang = tuv.get(f"{{{XML_NS}}}lang") or tuv.get("lang")
        if not lang:
            raise InputError(f"{name}: line {tuv.sourceline}: <tuv> without xml:lang")
        seg = tuv.find("seg")
        text = tagged_text(seg, None, TMX_STANDALONE, name) if seg is not None else TaggedText("")
        variants.setdefault(lang.lower(), (text, attributes(tuv)))
    notes = tuple(Note("".join(n.itertext()), "tmx") for n in tu.iterchildren("note"))
    props = tuple((p.get("type", ""), "".join(p.itertext())) for p in tu.iterchildren("prop"))
    return _Tu(tu.get("tuid") or str(index), tu.sourceline, variants, notes, props)


def _match(lang: str, variants: dict[str, Any]) -> str | None:
    """The variant key for a language: the same tag, else the same primary language."""
    if lang in variants:
        return lang
    primary = lang.split("-")[0]
    return next((k for k in variants if k.split("-")[0] == primary), None)


def _unit(tu: _Tu, src: str, tgt: str | None) -> Unit:
    src_key = _match(src, tu.variants)
    tgt_key = _match(tgt, tu.variants) if tgt else None
    if tgt_key == src_key:  # en-US and en-GB both match "en": never read the source as its own target
        tgt_key = None
    source, source_attrs = tu.variants[src_key] if src_key else (TaggedText(""), {})
    target, target_attrs = tu.variants[tgt_key] if tgt_key else (None, {})
    context = tu.props + tuple((f"source-{k}", source_attrs[k]) for k in _TUV_CONTEXT if k in source_attrs)
    context += tuple((f"target-{k}", target_attrs[k]) for k in _TUV_CONTEXT if k in target_attrs)
    untranslated = target is None or (target.is_empty and not source.is_empty)
    return Unit(
        id=tu.id, source=source, target=target, state=State.UNTRANSLATED if untranslated else State.TRANSLATED, notes=tu.notes, context=context,
        flags=() if src_key else ("no-source",), line=tu.line,
    )  # fmt: skip


def read_tmx(data: bytes, name: str, root_attrs: dict[str, str], target_lang: str | None = None) -> L10nFile:
    header: dict[str, str] = {}
    tus: list[_Tu] = []
    for event, el in iterparse(data, name, ("header", "tu")):
        if event != "end":
            continue
        if el.tag == "header":
            header = attributes(el)
        else:
            tus.append(_read_tu(el, len(tus) + 1, name))
            release(el)
    srclang = header.get("srclang", "")
    if not srclang or srclang == "*all*":
        srclang = next((lang for tu in tus for lang in tu.variants), "")
    src = srclang.lower()
    if target_lang:
        tgt: str | None = target_lang.lower()
    else:
        others = Counter(lang for tu in tus for lang in tu.variants if _match(src, {lang: 0}) is None)
        tgt = others.most_common(1)[0][0] if others else None
    units = [_unit(tu, src, tgt) for tu in tus]
    src_tag, tgt_tag = normalize_lang(srclang), normalize_lang(tgt)
    doc = L10nDocument(name, units, src_tag, tgt_tag, dict(header))
    return L10nFile(name, "tmx", root_attrs.get("version"), src_tag, tgt_tag, [doc], header={**root_attrs, **header})
