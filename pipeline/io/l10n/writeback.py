"""mtqa's findings written back into the localization file they came from.

:func:`annotate` returns the original file's bytes with the findings spliced in; nothing else of
the file changes (no re-serialisation: encoding, BOM, line endings, indentation, attribute quoting,
comments and entity escapes stay as they were, byte for byte).  :func:`write_annotated` writes that
to a file atomically (a temporary file in the destination's folder, then a rename), so a failure
never leaves half a file.

XLIFF 1.2 and 2.x get ITS 2.0 Localization Quality Issue annotations, as standoff markup:

* the root element declares the ITS namespace and ``its:version="2.0"`` (ITS 2.0 section 5.1: the
  version on the element where ITS markup is used or an ancestor);
* each flagged unit gets ``<its:locQualityIssues xml:id="mtqa-lqi-N">`` elements, one per place it
  annotates, each with one ``<its:locQualityIssue locQualityIssueType=... locQualityIssueComment=...
  locQualityIssueSeverity=.../>`` per finding.  Where they go is where each schema allows
  elements of another namespace: XLIFF 1.2, the end of the ``<trans-unit>`` (its content model
  ends with ``<xsd:any namespace="##other">``; inside the unit rather than in ``<header>`` or
  before the first ``<file>``, so the annotations follow the unit when a file is split); XLIFF 2,
  the start of the ``<unit>`` (the unit's only extension point, before ``<notes>``);
* the place is pointed at with ``its:locQualityIssuesRef``: a flagged span of the target gets a
  marker around exactly that span: XLIFF 1.2 ``<mrk mtype="x-its">`` (the ITS XLIFF 1.2 mapping's
  mtype for ITS markers), XLIFF 2 ``<mrk type="its:any">`` (the XLIFF 2.1 ITS module's), or
  ``<sm/>``...``<em/>`` where the span starts and ends in different inline containers.  Everything
  else refers to the whole target: a span XLIFF 1.2 cannot wrap (it crosses a ``<g>`` boundary),
  one that starts or ends in a CDATA section, an empty span, a span overlapping another one, a
  finding about the whole target, and findings on the source (a translator fixes the target; the
  comment quotes the source's flagged text, and the source is never given markers).  XLIFF 1.2
  puts the attribute on ``<target>``; XLIFF 2 ``<target>`` takes no attribute of another
  namespace, so a ``<mrk>`` wraps its whole content instead.  A unit without a target (and, in
  XLIFF 2, one with an empty target) is referred to by its ``<trans-unit>``/``<unit>``.
  References are ``#id`` in XLIFF 1.2 and ``#its=id`` (XLIFF 2 fragment identification with the
  ITS module's prefix) in XLIFF 2.  Nothing the file has is changed: an element that already has
  a reference keeps it (a marker wrapping its content carries ours), an ITS namespace the root
  already declares is used, and a prefix ``its`` bound to something else makes ours ``its1``.

The issue type is the ITS 2.0 type nearest to the finding's MQM category (:func:`its_type`); the
severity is MQM's penalty weights (minor 1, major 5, critical 10) scaled to ITS's 0-100:
critical 100, major 50, minor 10, neutral 0; the comment is the rule code and the message.

PO: each finding becomes a translator comment ``# mtqa: M101 placeholder ... (major)`` as the first
line(s) of its entry, where gettext keeps translator comments; nothing else changes.

TMX is read-only: a translation memory is not where a reviewer works on the findings, and TMX has
no standard place for quality annotations; :func:`annotate` refuses it.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from ...errors import InputError
from ...model import Issue
from . import read_l10n
from .model import L10nFile, TaggedText, Unit
from .safexml import load_bytes
from .xliff import XLIFF1_STANDALONE, XLIFF2_NS, XLIFF2_STANDALONE

ITS_NS = "http://www.w3.org/2005/11/its"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ID_PREFIX = "mtqa-lqi-"  # xml:id of the standoff elements
MARKER_PREFIX = "mtqa"  # XLIFF 2 ids of <mrk>/<sm> markers
PO_COMMENT = "# mtqa: "

# MQM weights 1 / 5 / 10 on ITS's 0-100 scale (0: no severity); ITS orders 100 as the most severe.
ITS_SEVERITY = {"critical": 100, "major": 50, "minor": 10, "neutral": 0}

# The ITS 2.0 issue types (section 8.15, locQualityIssueType values).
ITS_TYPES = frozenset({
    "terminology", "mistranslation", "omission", "untranslated", "addition", "duplication", "inconsistency", "grammar",
    "legal", "register", "locale-specific-content", "locale-violation", "style", "characters", "misspelling", "typographical",
    "formatting", "inconsistent-entities", "numbers", "markup", "pattern-problem", "whitespace", "internationalization",
    "length", "non-conformance", "uncategorized", "other",
})  # fmt: skip

# MQM category (pipeline/categories.py) -> ITS type; a dimension alone falls back to its entry here.
_CATEGORY_TYPES = {
    "accuracy/addition": "addition",
    "accuracy/omission": "omission",
    "accuracy/mistranslation": "mistranslation",
    "accuracy/untranslated": "untranslated",
    "accuracy": "mistranslation",
    "fluency/punctuation": "typographical",
    "fluency/spelling": "misspelling",
    "fluency/grammar": "grammar",
    "fluency/register": "register",
    "fluency/inconsistency": "inconsistency",
    "fluency/character-encoding": "characters",
    "fluency": "other",
    "terminology/inappropriate-for-context": "terminology",
    "terminology/inconsistent": "terminology",  # ITS: "terms are used inconsistently" is terminology
    "terminology": "terminology",
    "style/awkward": "style",
    "style": "style",
    "locale-convention": "locale-violation",  # dates, numbers, currencies in another locale's format
    "design-and-markup/markup": "markup",
    "design-and-markup/missing-text": "omission",
    "design-and-markup/truncation": "length",
    "design-and-markup": "formatting",
    "non-translation": "untranslated",
    "source-error": "other",
    "other": "other",
}
# Rules whose ITS type is more exact than their MQM category's (longest code prefix wins).
_CODE_TYPES = {
    "A104": "untranslated",  # empty-target: MQM calls it an omission, ITS has the exact type
    "A2": "numbers",  # number-mismatch/missing/added: "numbers are inconsistent between source and target"
    "T101": "duplication",  # doubled-word
    "T102": "duplication",  # repeated-phrase
    "T201": "whitespace",  # doubled-space
    "N201": "inconsistent-entities",  # entity-missing: "different named entities in source and target"
    "N202": "inconsistent-entities",  # entity-replaced
}


def its_type(category: str, code: str = "") -> str:
    """The ITS 2.0 locQualityIssueType of a finding: the rule's own where it has one, else its MQM
    category's (the type of its dimension for a category without a type of its own)."""
    for length in range(len(code), 0, -1):
        if code[:length] in _CODE_TYPES:
            return _CODE_TYPES[code[:length]]
    if category in _CATEGORY_TYPES:
        return _CATEGORY_TYPES[category]
    return _CATEGORY_TYPES.get(category.split("/")[0], "other")


def its_severity(severity: str) -> int:
    return ITS_SEVERITY.get(severity.lower(), 0)


@dataclass(frozen=True)
class Finding:
    """What the writer needs of an issue (an :class:`~pipeline.model.Issue` or its JSON form)."""

    code: str
    category: str
    severity: str
    message: str
    document: str
    unit: str | None
    side: str
    start: int
    end: int
    text: str
    suggestion: str | None = None
    ignored: bool = False

    @classmethod
    def of(cls, issue: Issue | Finding | Mapping[str, Any]) -> Finding:
        if isinstance(issue, Finding):
            return issue
        d = issue.to_dict() if isinstance(issue, Issue) else issue
        severity = d.get("severity", "")
        unit = (d.get("data") or {}).get("unit")
        return cls(
            code=str(d.get("code", "")), category=str(d.get("category", "")), severity=str(getattr(severity, "value", severity)),
            message=str(d.get("message", "")), document=str(d.get("document", "")), unit=str(unit) if unit is not None else None,
            side=str(d.get("side", "target")), start=int(d.get("start", 0)), end=int(d.get("end", 0)), text=str(d.get("text", "")),
            suggestion=d.get("suggestion"), ignored=bool(d.get("ignored", False)),
        )  # fmt: skip

    def comment(self, where: str = "") -> str:
        hint = f" (suggestion: {self.suggestion})" if self.suggestion else ""
        return f"{self.code}: {self.message}{where}{hint}"


@dataclass
class Annotated:
    """The annotated file's bytes, and the findings that had no place in it (a unit that the file
    does not have, a finding without a unit)."""

    data: bytes
    placed: int
    unplaced: list[Finding] = field(default_factory=list)


def issues_for(issues: Iterable[Issue | Finding | Mapping[str, Any]], name: str) -> list[Finding]:
    """The findings of one input file: its document, or its documents ``name#<file id>`` (the
    names mtqa gives the documents of a file, see pipeline/io/l10n_input.py)."""
    out = []
    for issue in issues:
        f = Finding.of(issue)
        if f.document == name or f.document.startswith(name + "#"):
            out.append(f)
    return out


def annotate(path: str | os.PathLike[str], issues: Iterable[Issue | Finding | Mapping[str, Any]], *, include_ignored: bool = False) -> bytes:
    """The file's bytes with the findings written in (see the module doc); TMX raises InputError."""
    return annotate_file(path, issues, include_ignored=include_ignored).data


def annotate_file(path: str | os.PathLike[str], issues: Iterable[Issue | Finding | Mapping[str, Any]], *, include_ignored: bool = False) -> Annotated:
    """:func:`annotate`, with the count of findings placed and the ones that found no place.

    The findings are this file's (see :func:`issues_for`); where the file has several documents
    (XLIFF ``<file>`` elements), a finding's ``document`` ends in ``#<file id>``.  Ignored findings
    (``ignored: true``, accepted by the reviewer) are left out unless ``include_ignored``."""
    findings = [f for f in map(Finding.of, issues) if include_ignored or not f.ignored]
    data = load_bytes(path)
    parsed = read_l10n(path)
    if parsed.format == "tmx":
        raise InputError(f"{path}: TMX is read-only: mtqa writes findings back into XLIFF and PO files only")
    if parsed.format == "po":
        return _annotate_po(data, parsed, findings)
    return _XliffWriter(data, parsed, str(path)).annotate(findings)


def write_annotated(source: str | os.PathLike[str], issues: Iterable[Issue | Finding | Mapping[str, Any]], dest: str | os.PathLike[str], **kwargs: Any) -> Annotated:
    """Write the annotated ``source`` to ``dest`` (which may be ``source`` itself) atomically: the
    bytes go to a temporary file in ``dest``'s folder, which then replaces ``dest``."""
    result = annotate_file(source, issues, **kwargs)
    target = Path(dest)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(result.data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp's 0600 is for secrets; an output file gets the usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return result


_PLURAL_KEY = re.compile(r"(.*)\[(\d+)\]", re.DOTALL)


def _find_unit(units: Mapping[str, Unit], key: str) -> tuple[Unit, int | None] | None:
    """The unit of a finding's unit key, and the plural form (``key[n]``) it is about."""
    unit = units.get(key)
    if unit is not None and not unit.plurals:
        return unit, None
    m = _PLURAL_KEY.fullmatch(key)
    if m and m.group(1) in units and units[m.group(1)].plurals:
        return units[m.group(1)], int(m.group(2))
    return (unit, 0) if unit is not None else None


# --- XML tokens ------------------------------------------------------------------------------------

_TAG = r"""<[^\s/>!?][^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>"""
_TOKEN = re.compile(rf"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|</[^>]*>|{_TAG}", re.DOTALL)
_ATTR = re.compile(r"""([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_NAME = re.compile(r"</?([^\s/>]+)")
_REF = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);|\r\n?|[^&\r]+")
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


@dataclass
class _Element:
    qname: str
    ns: str | None
    local: str
    start: int  # offset of '<'
    tag_end: int  # offset after the start tag's '>'
    attrs: dict[str, str]  # by the names written, values unescaped
    attr_end: int  # where a new attribute goes: after the last one (or the name)
    nsmap: dict[str | None, str]
    first_token: int  # index of the start tag's token
    last_token: int  # index of the end tag's token (the start tag's for an empty element)
    empty: bool
    parent: _Element | None = None
    children: list[_Element] = field(default_factory=list)
    close_start: int = 0  # offset of '</' (tag_end for an empty element)
    content_end: int = 0  # end of the last non-blank token before the end tag (tag_end if none)


def _unescape(value: str) -> str:
    def ref(m: re.Match[str]) -> str:
        name = m.group(1)
        if name is None:
            return "\n" if m.group().startswith("\r") else m.group()
        if name.startswith("#x"):
            return chr(int(name[2:], 16))
        if name.startswith("#"):
            return chr(int(name[1:]))
        return _ENTITIES.get(name, m.group())

    return _REF.sub(ref, value)


def _escape_attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


class _Document:
    """The file's text as tokens and a light element tree with the offsets of every tag."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, int, int]] = []  # (kind, start, end): text, tag, end, empty, other
        self.root: _Element | None = None
        self.elements: list[_Element] = []
        self.index_of: dict[int, int] = {}  # start token -> index in elements
        self._tokenize()
        self._build()

    def _tokenize(self) -> None:
        text, at, tokens = self.text, 0, self.tokens
        while at < len(text):
            lt = text.find("<", at)
            if lt < 0:
                tokens.append(("text", at, len(text)))
                break
            if lt > at:
                tokens.append(("text", at, lt))
            m = _TOKEN.match(text, lt)
            if m is None:  # the reader parsed this file: only a bug of this tokenizer gets here
                raise InputError(f"cannot write back: unexpected markup at offset {lt}")
            tok = m.group()
            kind = "other" if tok[1] in "!?" else "end" if tok[1] == "/" else "empty" if tok.endswith("/>") else "tag"
            if tok.startswith("<![CDATA["):
                kind = "cdata"
            tokens.append((kind, lt, m.end()))
            at = m.end()

    def _build(self) -> None:
        stack: list[_Element] = []
        for index, (kind, start, end) in enumerate(self.tokens):
            if kind in ("tag", "empty"):
                el = self._element(index, start, end, stack[-1] if stack else None)
                if kind == "tag":
                    stack.append(el)
                else:
                    el.close_start = el.content_end = end
            elif kind == "end":
                el = stack.pop()
                el.last_token, el.close_start = index, start
                el.content_end = self._content_end(el, index)

    def _content_end(self, el: _Element, end_index: int) -> int:
        k = end_index - 1
        while k > el.first_token and self.tokens[k][0] == "text" and not self.text[self.tokens[k][1] : self.tokens[k][2]].strip():
            k -= 1
        return self.tokens[k][2]

    def _element(self, index: int, start: int, end: int, parent: _Element | None) -> _Element:
        tag = self.text[start:end]
        qname = _NAME.match(tag).group(1)  # type: ignore[union-attr]  # every tag token starts with '<name'
        attrs: dict[str, str] = {}
        attr_end = start + 1 + len(qname)
        nsmap: dict[str | None, str] = dict(parent.nsmap) if parent else {"xml": XML_NS}
        for m in _ATTR.finditer(tag, 1 + len(qname)):
            key, value = m.group(1), _unescape(m.group(2)[1:-1])
            attrs[key] = value
            attr_end = start + m.end()
            if key == "xmlns":
                nsmap[None] = value
            elif key.startswith("xmlns:"):
                nsmap[key[6:]] = value
        prefix, _, local = qname.rpartition(":")
        el = _Element(
            qname, nsmap.get(prefix or None), local, start, end, attrs, attr_end, nsmap, index, index, self.tokens[index][0] == "empty", parent,
        )  # fmt: skip
        if parent is not None:
            parent.children.append(el)
        elif self.root is None:
            self.root = el
        self.index_of[index] = len(self.elements)
        self.elements.append(el)
        return el

    def iter(self, el: _Element, ns: str | None, local: str) -> Iterable[_Element]:
        """Descendants named ``local`` in ``ns``, in document order."""
        for child in el.children:
            if child.local == local and child.ns == ns:
                yield child
            yield from self.iter(child, ns, local)

    def child(self, el: _Element, ns: str | None, local: str) -> _Element | None:
        return next((c for c in el.children if c.local == local and c.ns == ns), None)

    def line_indent(self, offset: int) -> str:
        """The blanks between the line start and ``offset`` ('' where other text stands there)."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        head = self.text[line_start:offset]
        return head if not head.strip() else ""


_IN_CDATA = -2


@dataclass
class _TextMap:
    """A source/target's plain text (as the reader gives it) with, per character, its place in the
    file: (start, end, innermost container element token; -1 for none, _IN_CDATA in a CDATA section)."""

    text: str
    places: list[tuple[int, int, int]]


def _text_map(doc: _Document, el: _Element, ns: str | None, standalone: frozenset[str]) -> _TextMap:
    parts: list[str] = []
    places: list[tuple[int, int, int]] = []
    containers: list[int] = [-1]
    skip_until = -1
    for index in range(el.first_token + 1, el.last_token):
        if index <= skip_until:
            continue
        kind, start, end = doc.tokens[index]
        if kind == "text":
            for m in _REF.finditer(doc.text, start, end):
                value = _unescape(m.group())
                if m.group(1) is not None or m.group().startswith("\r"):
                    parts.append(value)
                    places.append((m.start(), m.end(), containers[-1]))
                else:
                    parts.append(value)
                    places.extend((k, k + 1, containers[-1]) for k in range(m.start(), m.end()))
        elif kind == "cdata":
            body_start = start + len("<![CDATA[")
            for m in re.finditer(r"\r\n?|[^\r]", doc.text[body_start : end - 3]):
                parts.append("\n" if m.group().startswith("\r") else m.group())
                places.append((body_start + m.start(), body_start + m.end(), _IN_CDATA))  # no marker can start or end in there
        elif kind in ("tag", "empty"):
            child = doc.elements[doc.index_of[index]]
            if child.ns == ns and child.local in standalone:
                skip_until = child.last_token  # a code's content is not text
            elif kind == "tag":
                containers.append(index)
        elif kind == "end":
            containers.pop()
    return _TextMap("".join(parts), places)


# --- XLIFF -----------------------------------------------------------------------------------------

_SPAN_CLOSE, _WHOLE_CLOSE, _ATTRIBUTE, _WHOLE_OPEN, _SPAN_OPEN, _BLOCK = range(6)  # order of insertions at one offset


@dataclass
class _Place:
    """One unit of the reader (a trans-unit, a plural group's forms, an XLIFF 2 segment) in the file."""

    container: _Element  # where the standoff goes and the last-resort reference: <trans-unit> / <unit>
    forms: list[_Element]  # the trans-unit of each form (XLIFF 1.2; [container] for a plain unit)
    segment: _Element | None = None  # XLIFF 2
    unit: Unit | None = None  # the reader's unit here, once matched


@dataclass
class _Anchor:
    """A place that refers to one <its:locQualityIssues>: an element, or a span of a target."""

    findings: list[Finding]
    element: _Element | None = None  # the element that gets the attribute
    wrap: _Element | None = None  # a target whose whole content gets a marker
    span: tuple[int, int] | None = None  # offsets in the file of the marked text
    crossing: bool = False  # XLIFF 2: the span starts and ends in different containers (sm/em)
    notes: list[str] = field(default_factory=list)  # per finding, what its comment adds (see _note)


class _XliffWriter:
    def __init__(self, data: bytes, parsed: L10nFile, name: str) -> None:
        self.data, self.parsed, self.name = data, parsed, name
        self.bom, self.codec, text = _decode_xml(data, name)
        self.doc = _Document(text)
        self.v2 = parsed.format == "xliff2"
        root = self.doc.root
        if root is None:
            raise InputError(f"{name}: no root element")
        self.ns = root.ns
        self.standalone = XLIFF2_STANDALONE if self.v2 else XLIFF1_STANDALONE
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.insertions: list[tuple[int, int, int, str]] = []  # (offset, order, sequence, text)
        self.used_ids = {e.attrs["xml:id"] for e in self.doc.elements if "xml:id" in e.attrs}
        self.next_id = 0
        self.marker_ids: dict[int, set[str]] = {}  # XLIFF 2 inline ids in use, by the unit's start token
        self.prefix = self._its_prefix(root)

    def _its_prefix(self, root: _Element) -> str:
        for prefix, uri in root.nsmap.items():
            if uri == ITS_NS and prefix:
                return prefix
        taken = {k[6:] for e in self.doc.elements for k in e.attrs if k.startswith("xmlns:")}
        prefix, n = "its", 0
        while prefix in taken:
            n += 1
            prefix = f"its{n}"
        return prefix

    def _places(self) -> list[list[_Place]]:
        """The places of the reader's units, document by document, checked against the reader."""
        assert self.doc.root is not None
        ns = XLIFF2_NS if self.v2 else self.ns
        files = list(self.doc.iter(self.doc.root, ns, "file"))
        out: list[list[_Place]] = []
        for file_el, document in zip(files, self.parsed.documents, strict=False):
            places = self._file_places_v2(file_el, ns) if self.v2 else self._file_places_v1(file_el, ns)
            if len(places) != len(document.units) or len(files) != len(self.parsed.documents):
                raise InputError(f"{self.name}: cannot write back: the units found ({len(places)}) are not the units read ({len(document.units)})")
            for unit, place in zip(document.units, places, strict=True):
                place.unit = unit
            out.append(places)
        return out

    def _file_places_v1(self, file_el: _Element, ns: str | None) -> list[_Place]:
        places: list[_Place] = []

        def walk(el: _Element) -> None:
            for child in el.children:
                if child.ns != ns:
                    continue
                if child.local == "trans-unit":
                    places.append(_Place(child, [child]))
                elif child.local == "group" and child.attrs.get("restype") == "x-gettext-plurals":
                    forms = list(self.doc.iter(child, ns, "trans-unit"))
                    if forms:
                        places.append(_Place(forms[0], forms))
                else:
                    walk(child)

        walk(file_el)
        return places

    def _file_places_v2(self, file_el: _Element, ns: str | None) -> list[_Place]:
        return [_Place(unit, [unit], seg) for unit in self.doc.iter(file_el, ns, "unit") for seg in unit.children if seg.ns == ns and seg.local == "segment"]

    def annotate(self, findings: Sequence[Finding]) -> Annotated:
        per_doc = self._places()
        units_of = [{p.unit.key: p.unit for p in places if p.unit is not None} for places in per_doc]
        place_of = {id(p.unit): p for places in per_doc for p in places}
        several = len(per_doc) > 1
        by_place: dict[int, tuple[_Place, list[tuple[Finding, int | None]]]] = {}
        unplaced: list[Finding] = []
        for finding in findings:
            doc_index = self._document_of(finding) if several else 0
            found = None
            if doc_index is not None and finding.unit is not None:
                found = _find_unit(units_of[doc_index], finding.unit)
            if found is None:
                unplaced.append(finding)
                continue
            unit, form = found
            place = place_of[id(unit)]
            by_place.setdefault(id(place), (place, []))[1].append((finding, form))
        placed = 0
        for place, items in by_place.values():
            placed += self._annotate_unit(place, items)
        if placed:
            self._declare_its()
        return Annotated(self._output(), placed, unplaced)

    def _document_of(self, finding: Finding) -> int | None:
        for index, document in enumerate(self.parsed.documents):
            if finding.document.endswith("#" + document.id):
                return index
        return None

    # -- one unit

    def _annotate_unit(self, place: _Place, items: list[tuple[Finding, int | None]]) -> int:
        anchors: list[_Anchor] = []
        by_element: dict[int, _Anchor] = {}
        spans: list[_Anchor] = []
        for finding, form in items:
            anchor = self._span_anchor(place, finding, form, spans)
            if anchor is None:
                element, wrap = self._element_anchor(place, finding, form)
                key = id(element if element is not None else wrap)
                anchor = by_element.get(key)
                if anchor is None:
                    anchor = by_element[key] = _Anchor([], element=element, wrap=wrap)
                    anchors.append(anchor)
                anchor.findings.append(finding)
                anchor.notes.append(self._note(place, finding))
            elif not any(a is anchor for a in spans):
                spans.append(anchor)
        anchors += spans
        blocks = [self._reference(place, anchor) for anchor in anchors]
        self._standoff(place, blocks)
        return sum(len(a.findings) for a in anchors)

    def _note(self, place: _Place, finding: Finding) -> str:
        """What the comment adds where the reference does not show the flagged text: the text of a
        finding on the source, or of a span of the target that got no marker."""
        assert place.unit is not None
        if not finding.text.strip() or place.unit.untranslated:
            return ""
        return f" (source: {finding.text!r})" if finding.side == "source" else f" (at {finding.text!r})"

    def _form(self, place: _Place, form: int | None) -> _Element:
        """The trans-unit of a plural form (XLIFF 1.2 x-gettext-plurals), else the unit's own."""
        return place.forms[form] if form is not None and form < len(place.forms) else place.container

    def _target(self, place: _Place, form: int | None) -> tuple[_Element | None, TaggedText | None]:
        """The target element and the reader's text of it (of the plural form ``form``)."""
        unit = place.unit
        assert unit is not None
        if self.v2:
            assert place.segment is not None
            return self.doc.child(place.segment, XLIFF2_NS, "target"), unit.target
        index = form if form is not None and form < len(place.forms) else 0
        target = unit.plurals[index] if unit.plurals and index < len(unit.plurals) else unit.target
        return self.doc.child(place.forms[index], self.ns, "target"), target

    def _span_anchor(self, place: _Place, finding: Finding, form: int | None, spans: list[_Anchor]) -> _Anchor | None:
        """A marker for the finding's span of the target, where one can go (see the module doc)."""
        if finding.side != "target" or finding.end <= finding.start:
            return None
        target_el, target = self._target(place, form)
        if target_el is None or target is None or target_el.empty or target.text[finding.start : finding.end] != finding.text:
            return None
        tmap = self._text_map(target_el)
        if tmap.text != target.text or finding.end > len(tmap.places):
            return None
        first, last = tmap.places[finding.start], tmap.places[finding.end - 1]
        if _IN_CDATA in (first[2], last[2]):
            return None
        crossing = first[2] != last[2]
        if crossing and not self.v2:
            return None  # XLIFF 1.2 has no markers that cross element boundaries
        span = (first[0], last[1])
        for other in spans:
            assert other.span is not None
            if other.span == span and other.crossing == crossing:
                other.findings.append(finding)
                other.notes.append("")
                return other
            if span[0] < other.span[1] and other.span[0] < span[1]:
                return None  # overlapping markers cannot nest: the whole target takes it
        return _Anchor([finding], span=span, crossing=crossing, notes=[""])

    def _element_anchor(self, place: _Place, finding: Finding, form: int | None) -> tuple[_Element | None, _Element | None]:
        """(element for the attribute, None) or (None, target whose content a marker wraps)."""
        container = place.container if self.v2 else self._form(place, form)
        target_el, target = self._target(place, form)
        if target_el is None or target is None or target.is_empty:
            if not self.v2 and target_el is not None and not self._has_ref(target_el):
                return target_el, None
            return container, None
        if self.v2 or self._has_ref(target_el):
            return None, target_el
        return target_el, None

    def _has_ref(self, el: _Element) -> bool:
        return any(k.endswith(":locQualityIssuesRef") and el.nsmap.get(k.partition(":")[0]) == ITS_NS for k in el.attrs)

    # -- markup

    def _new_id(self) -> str:
        while True:
            self.next_id += 1
            candidate = f"{ID_PREFIX}{self.next_id}"
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def _insert(self, offset: int, order: int, text: str) -> None:
        self.insertions.append((offset, order, len(self.insertions), text))

    def _reference(self, place: _Place, anchor: _Anchor) -> tuple[str, list[tuple[Finding, str]]]:
        """Point the anchor at a new standoff id; returns (id, findings) for the standoff block."""
        lqi_id = self._new_id()
        ref = f"#its={lqi_id}" if self.v2 else f"#{lqi_id}"
        attr = f'{self.prefix}:locQualityIssuesRef="{_escape_attr(ref)}"'
        if anchor.element is not None:
            self._insert(anchor.element.attr_end, _ATTRIBUTE, " " + attr)
        else:
            target = anchor.wrap
            if target is not None:
                start, end, open_order, close_order = target.tag_end, target.close_start, _WHOLE_OPEN, _WHOLE_CLOSE
            else:
                assert anchor.span is not None
                (start, end), open_order, close_order = anchor.span, _SPAN_OPEN, _SPAN_CLOSE
            inline = self._inline_prefix(place)
            if not self.v2:
                self._insert(start, open_order, f'<{inline}mrk mtype="x-its" {attr}>')
                self._insert(end, close_order, f"</{inline}mrk>")
            elif anchor.crossing:
                marker = self._marker_id(place)
                self._insert(start, open_order, f'<{inline}sm id="{marker}" type="its:any" {attr}/>')
                self._insert(end, close_order, f'<{inline}em startRef="{marker}"/>')
            else:
                marker = self._marker_id(place)
                self._insert(start, open_order, f'<{inline}mrk id="{marker}" type="its:any" {attr}>')
                self._insert(end, close_order, f"</{inline}mrk>")
        return lqi_id, list(zip(anchor.findings, anchor.notes, strict=True))

    def _inline_prefix(self, place: _Place) -> str:
        """The XLIFF prefix as the unit writes its elements ('' under a default namespace)."""
        prefix = place.container.qname.rpartition(":")[0]
        return f"{prefix}:" if prefix else ""

    def _marker_id(self, place: _Place) -> str:
        """An XLIFF 2 inline id unique within the unit (markers share the ids of codes)."""
        unit = place.container
        used = self.marker_ids.get(unit.first_token)
        if used is None:
            used = self.marker_ids[unit.first_token] = set()
            for e in self.doc.elements[self.doc.index_of[unit.first_token] + 1 :]:
                if e.first_token > unit.last_token:
                    break
                used.add(e.attrs.get("id", ""))
        n = 1
        while f"{MARKER_PREFIX}{n}" in used:
            n += 1
        used.add(f"{MARKER_PREFIX}{n}")
        return f"{MARKER_PREFIX}{n}"

    def _text_map(self, el: _Element) -> _TextMap:
        return _text_map(self.doc, el, XLIFF2_NS if self.v2 else self.ns, self.standalone)

    def _standoff(self, place: _Place, blocks: list[tuple[str, list[tuple[Finding, str]]]]) -> None:
        """The <its:locQualityIssues> elements: XLIFF 2 at the start of the <unit>, XLIFF 1.2 at the
        end of the (form's) <trans-unit>, each on its own line, indented like the unit's children."""
        unit = place.container
        if self.v2:
            first = unit.children[0] if unit.children else None
            offset = unit.tag_end
            indent = self.doc.line_indent(first.start) if first is not None else ""
        else:
            offset = unit.content_end
            last = unit.children[-1] if unit.children else None
            indent = self.doc.line_indent(last.start) if last is not None else ""
        multiline = bool(indent) or "\n" in self.doc.text[unit.tag_end : unit.close_start]
        outer = self.doc.line_indent(unit.start)
        step = indent[len(outer) :] if indent.startswith(outer) and len(indent) > len(outer) else "  "
        p = self.prefix
        out = []
        for lqi_id, findings in blocks:
            lines = [f'<{p}:locQualityIssues xml:id="{lqi_id}">']
            for f, note in findings:
                lines.append(
                    f'<{p}:locQualityIssue locQualityIssueType="{its_type(f.category, f.code)}" locQualityIssueComment="{_escape_attr(f.comment(note))}"'
                    f' locQualityIssueSeverity="{its_severity(f.severity)}"/>'
                )
            lines.append(f"</{p}:locQualityIssues>")
            if multiline:
                body = (self.newline + indent + step).join(lines[:-1]) + self.newline + indent + lines[-1]
                out.append(self.newline + indent + body)
            else:
                out.append("".join(lines))
        self._insert(offset, _BLOCK, "".join(out))

    def _declare_its(self) -> None:
        root = self.doc.root
        assert root is not None
        extra = []
        if root.nsmap.get(self.prefix) != ITS_NS:
            extra.append(f'xmlns:{self.prefix}="{ITS_NS}"')
        if f"{self.prefix}:version" not in root.attrs:
            extra.append(f'{self.prefix}:version="2.0"')
        if extra:
            self._insert(root.attr_end, _ATTRIBUTE, " " + " ".join(extra))

    def _output(self) -> bytes:
        """The original bytes with the insertions spliced in, each encoded as the file is."""
        text, out, at, byte_at = self.doc.text, [self.bom], 0, len(self.bom)
        for offset, _order, _seq, piece in sorted(self.insertions):
            if offset > at:
                size = len(text[at:offset].encode(self.codec))
                out.append(self.data[byte_at : byte_at + size])
                byte_at += size
                at = offset
            out.append(piece.encode(self.codec, errors="xmlcharrefreplace"))
        out.append(self.data[byte_at:])
        return b"".join(out)


_XML_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _decode_xml(data: bytes, name: str) -> tuple[bytes, str, str]:
    """(BOM, codec, text) of an XML file: the BOM's encoding, else the declaration's, else UTF-8."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return bom, codec, data[len(bom) :].decode(codec)
    if data.startswith(b"<\x00"):
        codec = "utf-16-le"
    elif data.startswith(b"\x00<"):
        codec = "utf-16-be"
    else:
        declared = _XML_DECL_ENCODING.match(data[:1024])
        codec = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return b"", codec, data.decode(codec)
    except (LookupError, UnicodeDecodeError) as err:
        raise InputError(f"{name}: cannot decode as {codec} to write back ({err})") from None


# --- PO --------------------------------------------------------------------------------------------

_PO_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PO_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _po_entries(lines: list[str]) -> dict[str, int]:
    """Message key (msgid, or msgctxt + EOT + msgid, as the reader keys units) -> the index of the
    entry's first line (its first comment, else its msgctxt or msgid)."""
    heads: dict[str, int] = {}
    stripped = [ln.strip() for ln in lines]
    for index, line in enumerate(stripped):
        if not line.startswith("msgid ") and line != "msgid":
            continue
        msgid = _po_string(stripped, index)
        head, msgctxt = index, None
        k = index - 1
        while k >= 0 and stripped[k].startswith('"'):
            k -= 1
        if k >= 0 and stripped[k].startswith("msgctxt"):
            head, msgctxt = k, _po_string(stripped, k)
        k = head - 1
        while k >= 0 and stripped[k].startswith("#") and not stripped[k].startswith("#~"):
            k -= 1
        key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
        heads.setdefault(key, k + 1)
    return heads


def _po_string(lines: list[str], index: int) -> str:
    """The unescaped string of the keyword at ``index`` and its continuation lines."""
    parts = [m.group(1) for m in _PO_STRING.finditer(lines[index])][:1]
    k = index + 1
    while k < len(lines) and lines[k].startswith('"'):
        parts += [m.group(1) for m in _PO_STRING.finditer(lines[k])][:1]
        k += 1
    return polib.unescape("".join(parts))


def _po_where(unit: Unit, form: int | None, finding: Finding) -> str:
    """Where in the entry a finding is, where the message alone may not say: the msgid (a finding
    on the source), the plural form, and the line of a message of several lines."""
    if finding.side == "source":
        name, flagged = "msgid", unit.source
    elif form is not None and unit.plurals:
        name, flagged = f"msgstr[{form}]", unit.plurals[min(form, len(unit.plurals) - 1)]
    else:
        name, flagged = "msgstr", unit.target or TaggedText("")
    if "\n" in flagged.text.rstrip("\n"):
        return f"{name} line {flagged.text.count(chr(10), 0, finding.start) + 1}: "
    return "" if name == "msgstr" else f"{name}: "


def _annotate_po(data: bytes, parsed: L10nFile, findings: Sequence[Finding]) -> Annotated:
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    found = _PO_CHARSET.search(data[:65536])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    if charset.upper() == "CHARSET":
        charset = "utf-8"
    raw_lines = data[len(bom) :].splitlines(keepends=True)
    lines = [ln.decode(charset) for ln in raw_lines]  # the reader decoded the whole file in this charset
    heads = _po_entries(lines)
    units = {u.key: u for u in parsed.units()}
    comments: dict[int, list[str]] = {}
    unplaced: list[Finding] = []
    for finding in findings:
        hit = _find_unit(units, finding.unit) if finding.unit is not None else None
        head = heads.get(hit[0].key) if hit is not None else None
        if hit is None or head is None:
            unplaced.append(finding)
            continue
        text = " ".join(f"{finding.code} {_po_where(*hit, finding)}{finding.message}".split())
        hint = " ".join(f" [suggestion: {finding.suggestion}]".split()) if finding.suggestion else ""
        comments.setdefault(head, []).append(f"{PO_COMMENT}{text} ({finding.severity}){' ' + hint if hint else ''}")
    out = [bom]
    for index, raw in enumerate(raw_lines):
        if index in comments:
            newline = raw[len(raw.rstrip(b"\r\n")) :] or b"\n"
            out += [c.encode(charset, errors="backslashreplace") + newline for c in comments[index]]
        out.append(raw)
    return Annotated(b"".join(out), len(findings) - len(unplaced), unplaced)
