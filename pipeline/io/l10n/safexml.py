"""Reading XLIFF and TMX safely: a size cap, a DTD-free parser, and the inline codes as typed spans.

Safety, in the order it applies:

* the file must be a regular file of at most ``max_bytes`` (``MAX_BYTES``, 32 MiB): over that it
  is one error, before anything is parsed.  A cap rather than a streaming read, because the model
  holds every unit anyway (a 50 MB TMX would be some 200k units and several hundred MB of
  objects); the cap bounds time and memory of the whole read, and a caller may raise it;
* the prolog is scanned with expat up to the root element: a DOCTYPE with an internal subset
  (where entity declarations live, so the "billion laughs" bomb and every external entity) is
  refused before any declaration is read.  A DOCTYPE without one (TMX's ``<!DOCTYPE tmx SYSTEM
  "tmx14.dtd">``) is accepted: the external DTD is never loaded;
* the document is then parsed with lxml's ``iterparse`` hardened as the brief asks
  (``resolve_entities=False``, ``load_dtd=False``, ``no_network=True``, ``huge_tree=False``: depth
  and text-node limits of libxml2 stay on); an entity reference left in the text (possible only
  under an external DTD that is not loaded) is an error, never expanded;
* units are processed at their end tag and freed at once, so the tree never holds more than a unit.

lxml rather than the standard library's ElementTree for the line numbers (``sourceline``) and the
prefixes as written, which the codes' XML and a later write-back need; defusedxml's lxml module is
deprecated, and its ElementTree module refuses TMX's DOCTYPE unless DTDs are allowed wholesale.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from lxml import etree

from ...errors import InputError
from .model import InlineCode, TaggedText, escape_text

MAX_BYTES = 32 * 1024 * 1024
XML_NS = "http://www.w3.org/XML/1998/namespace"
_PARSE_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,
    "remove_comments": True,  # comments and processing instructions are not content of a unit
    "remove_pis": True,
}


def load_bytes(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes: a regular file of at most ``max_bytes``, else one InputError."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    if not p.is_file():
        raise InputError(f"{p}: not a regular file (device, pipe or socket)")
    if st.st_size > max_bytes:
        raise InputError(f"{p}: {st.st_size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB limit for localization files (split the file)")
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    if len(data) > max_bytes:
        raise InputError(f"{p}: over the {max_bytes / 1e6:.1f} MB limit for localization files (split the file)")
    return data


@dataclass
class Prolog:
    """What precedes the content: the root element (namespace, local name, attributes) and DOCTYPE."""

    root_ns: str | None = None
    root: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    doctype: str | None = None
    error: str | None = None  # not XML, or refused (internal DTD subset), as a message


class _Stop(Exception):
    pass


_ENCODING_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
HEAD_SCAN = 1 << 20


def scan_prolog(data: bytes) -> Prolog:
    """Read up to the root element's start tag with expat, refusing an internal DTD subset there.

    pyexpat reads single-byte encodings through Python's codecs (windows-1252) but no multi-byte
    one besides UTF-8/16 (Shift_JIS, GB18030, which libxml2 reads): such a head is decoded by Python
    and scanned as UTF-8."""
    declared = _ENCODING_DECL.match(data[:1024])
    name = declared.group(1).decode("ascii") if declared else "?"
    try:
        return _scan(data, None)
    except LookupError:
        return Prolog(error=f"unknown encoding {name!r} in the XML declaration")
    except ValueError:  # "multi-byte encodings are not supported"
        try:
            head = data[:HEAD_SCAN].decode(name, errors="replace")
        except LookupError:
            return Prolog(error=f"unknown encoding {name!r} in the XML declaration")
        return _scan(head.encode("utf-8"), "UTF-8")


def _scan(data: bytes, encoding: str | None) -> Prolog:
    found = Prolog()
    scan = expat.ParserCreate(encoding, namespace_separator=" ")

    def doctype(name: str, _system_id: str | None, _public_id: str | None, has_internal_subset: int) -> None:
        found.doctype = name
        if has_internal_subset:
            found.error = "a DOCTYPE with an internal subset (entity declarations) is not accepted: entity expansion and external entities are unsafe"
            raise _Stop

    def start(name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        found.root_ns, found.root, found.attrs = ns or None, local, {k.rpartition(" ")[2]: v for k, v in attrs.items()}
        raise _Stop

    scan.StartDoctypeDeclHandler = doctype
    scan.StartElementHandler = start
    try:
        for at in range(0, len(data), 65536):
            scan.Parse(data[at : at + 65536], False)
        scan.Parse(b"", True)
    except _Stop:
        return found
    except expat.ExpatError as err:
        found.error = f"not well-formed XML at line {err.lineno}, column {err.offset + 1} ({expat.ErrorString(err.code)})"
        return found
    found.error = "no root element (empty or not XML)"
    return found


def xml_error(name: str, err: etree.XMLSyntaxError) -> InputError:
    """One line for a parse error: the first fatal error libxml2 logged (iterparse's own message
    is often a later, vaguer one such as "no element found")."""
    log: Any = err.error_log  # iterable at run time; lxml-stubs 0.5.1 does not say so
    entries = [e for e in log if e.level >= etree.ErrorLevels.ERROR]
    if entries:
        line, col, msg = entries[0].line, entries[0].column, entries[0].message
    else:
        (line, col), msg = err.position, err.msg or "parse error"
    msg = " ".join(str(msg).split())
    return InputError(f"{name}: not well-formed XML at line {line}, column {col} ({msg})")


def iterparse(data: bytes, name: str, tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """(event, element) for the start and end of the elements named by ``tags`` ({ns}local), parse
    errors as InputError.  The caller frees what it has read with :func:`release`."""
    etree.clear_error_log()  # the log the error reports from is per thread: without this, an earlier file's error can come first
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), tag=tags, **_PARSE_OPTIONS)
    try:
        yield from events
    except etree.XMLSyntaxError as err:
        raise xml_error(name, err) from None


def release(el: Any) -> None:
    """Free an element that has been read, and the siblings read before it."""
    el.clear(keep_tail=True)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def namespace(tag: str) -> str | None:
    return tag[1:].partition("}")[0] if tag.startswith("{") else None


def _qualified(key: str, nsmap: dict[str | None, str]) -> str:
    """An attribute name as written: ``{uri}local`` back to ``prefix:local``."""
    if not key.startswith("{"):
        return key
    uri, _, local = key[1:].partition("}")
    if uri == XML_NS:
        return f"xml:{local}"
    for prefix, value in nsmap.items():
        if value == uri and prefix:
            return f"{prefix}:{local}"
    return local


def attributes(el: Any) -> dict[str, str]:
    """The element's attributes by the names written in the file (``xml:lang``, ``its:severity``)."""
    if not el.attrib:
        return {}
    nsmap = el.nsmap
    return {_qualified(k, nsmap): v for k, v in el.attrib.items()}


def _escape_attr(value: str) -> str:
    return escape_text(value).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")


def start_tag(el: Any, attrs: dict[str, str], empty: bool = False) -> str:
    """The opening tag with its attributes and the namespaces it declares itself (``<x .../>``
    for an element written empty)."""
    name = f"{el.prefix}:{local_name(el.tag)}" if el.prefix else local_name(el.tag)
    parent = el.getparent()
    inherited = parent.nsmap if parent is not None else {}
    parts = [name]
    for prefix, uri in el.nsmap.items():
        if inherited.get(prefix) != uri:
            parts.append(f'xmlns:{prefix}="{_escape_attr(uri)}"' if prefix else f'xmlns="{_escape_attr(uri)}"')
    parts += [f'{k}="{_escape_attr(v)}"' for k, v in attrs.items()]
    return "<" + " ".join(parts) + ("/>" if empty else ">")


def end_tag(el: Any) -> str:
    return f"</{el.prefix}:{local_name(el.tag)}>" if el.prefix else f"</{local_name(el.tag)}>"


def serialize(el: Any, name: str) -> str:
    """An element as XML, without its tail; empty ones as ``<x/>``, as XLIFF tools write them."""
    if not el.text and len(el) == 0:
        return start_tag(el, attributes(el), empty=True)
    out = [start_tag(el, attributes(el)), escape_text(el.text or "")]
    for child in el:
        check_node(child, name)
        out.append(serialize(child, name))
        out.append(escape_text(child.tail or ""))
    out.append(end_tag(el))
    return "".join(out)


def check_node(node: Any, name: str) -> None:
    """Refuse an entity reference that the parser kept (never expanded: see the module doc)."""
    if node.tag is etree.Entity:
        raise InputError(f"{name}: line {node.sourceline}: entity reference {node.text} is not accepted (entities are never expanded)")


def code_id(attrs: dict[str, str]) -> str | None:
    """XLIFF ``id``; TMX ``i`` (bpt/ept pairing), else ``x``."""
    return attrs.get("id") or attrs.get("i") or attrs.get("x")


class _Builder:
    """Walks a source/target/seg element into plain text and codes."""

    def __init__(self, ns: str | None, standalone: frozenset[str], name: str) -> None:
        self.ns, self.standalone, self.name = ns, standalone, name
        self.parts: list[str] = []
        self.pos = 0
        self.order = 0
        self.codes: list[InlineCode | None] = []

    def text(self, value: str | None) -> None:
        if value:
            self.parts.append(value)
            self.pos += len(value)

    def walk(self, el: Any, depth: int) -> None:
        self.text(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                check_node(child, self.name)
            elif namespace(child.tag) == self.ns and local_name(child.tag) in self.standalone:
                self.standalone_code(child, depth)
            else:  # a container (g, pc, mrk, hi) or an element of another namespace: its text is content
                self.container(child, depth)
            self.text(child.tail)

    def standalone_code(self, child: Any, depth: int) -> None:
        attrs = attributes(child)
        content = "".join(child.itertext()) if len(child) or child.text else ""
        xml = serialize(child, self.name)
        self.codes.append(InlineCode(local_name(child.tag), code_id(attrs), self.pos, self.pos, xml, attrs=attrs, content=content, depth=depth, order=self.order))
        self.order += 1

    def container(self, child: Any, depth: int) -> None:
        attrs = attributes(child)
        slot, start, order = len(self.codes), self.pos, self.order
        self.codes.append(None)
        self.order += 1
        self.walk(child, depth + 1)
        self.codes[slot] = InlineCode(local_name(child.tag), code_id(attrs), start, self.pos, start_tag(child, attrs), end_tag(child), attrs, depth=depth, order=order, close_order=self.order)
        self.order += 1


def tagged_text(el: Any, ns: str | None, standalone: frozenset[str], name: str) -> TaggedText:
    """The content of a source/target/seg element as plain text and typed codes."""
    if len(el) == 0:  # the common case, no codes
        return TaggedText(el.text or "")
    builder = _Builder(ns, standalone, name)
    builder.walk(el, 0)
    return TaggedText("".join(builder.parts), tuple(c for c in builder.codes if c is not None))
