"""Localization files (XLIFF 1.2, XLIFF 2.x, TMX 1.4, gettext PO) read into one neutral model.

``read_l10n(path)`` detects the format by content (:func:`detect_l10n_format`: the root element and
its namespace for XML, the msgid/msgstr structure for PO; the extension is never needed) and
returns an :class:`L10nFile`: documents (one per XLIFF ``<file>``; the whole file for TMX and PO)
of units, each with its source and target as :class:`TaggedText` (plain text plus typed inline
codes), state, notes, context and plural forms.  Every problem with the file is one
:class:`~pipeline.errors.InputError` line (the CLI's exit 2); a unit without a translation is not
a problem of the file but a unit in State.UNTRANSLATED.

Choices (see each module): lxml with a hardened parser and an expat prolog scan that refuses any
internal DTD subset (safexml); polib behind a strict line and header check (po); a 32 MiB cap on
every file instead of a streaming model (safexml.MAX_BYTES, ``max_bytes`` to change it).
translate-toolkit was not taken: its storage classes flatten inline codes into its own placeable
model, parse XLIFF without the entity hardening asked for here, and bring a large dependency for
what lxml and polib already do.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from ...errors import InputError
from .model import FORMATS, InlineCode, L10nDocument, L10nFile, L10nFormat, Note, State, TaggedText, Unit, normalize_lang
from .po import read_po
from .safexml import MAX_BYTES, Prolog, load_bytes, scan_prolog
from .tmx import read_tmx
from .xliff import XLIFF1_NS, XLIFF2_NS, read_xliff1, read_xliff2

__all__ = [
    "FORMATS", "MAX_BYTES", "InlineCode", "L10nDocument", "L10nFile", "L10nFormat", "Note", "State", "TaggedText", "Unit",
    "detect_l10n_format", "normalize_lang", "read_l10n",
]  # fmt: skip

HEAD_BYTES = 1 << 20  # detection reads at most this much
# [ \t], not \s: \s* would run over the following blank lines from every line start (quadratic on a file of newlines)
_PO_MSGID = re.compile(r'^[ \t]*msgid[ \t]+"', re.MULTILINE)
_PO_MSGSTR = re.compile(r'^[ \t]*msgstr(?:\[\d+\])?[ \t]+"', re.MULTILINE)


def _looks_like_xml(head: bytes) -> bool:
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return True
    return head.lstrip()[:1] == b"<"


def _xml_format(prolog: Prolog) -> L10nFormat | None:
    version = prolog.attrs.get("version", "")
    if prolog.root == "xliff":
        if prolog.root_ns in XLIFF1_NS or (prolog.root_ns is None and version.startswith("1.")):
            return "xliff1"
        if prolog.root_ns == XLIFF2_NS:
            return "xliff2"
    if prolog.root == "tmx" and prolog.root_ns is None:
        return "tmx"
    return None


def _sniff(head: bytes) -> tuple[L10nFormat | None, Prolog | None]:
    if _looks_like_xml(head):
        prolog = scan_prolog(head)
        return _xml_format(prolog), prolog
    text = head.decode("latin-1")  # enough to see ASCII keywords in any ASCII-compatible charset
    if _PO_MSGID.search(text) and _PO_MSGSTR.search(text):
        return "po", None
    return None, None


def detect_l10n_format(path: str | os.PathLike[str]) -> L10nFormat | None:
    """The format by the file's content: "xliff1", "xliff2", "tmx" or "po"; None for anything else
    (and for a file that cannot be read: reading it will say why)."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    return _sniff(head)[0]


def _not_l10n(name: str, prolog: Prolog | None) -> InputError:
    if prolog is None:
        return InputError(f"{name}: not an XLIFF, TMX or PO file (no XML root element, no msgid/msgstr entries)")
    if prolog.error:
        return InputError(f"{name}: {prolog.error}")
    ns = f" in namespace {prolog.root_ns!r}" if prolog.root_ns else " without a namespace"
    if prolog.root == "xliff":
        return InputError(f"{name}: <xliff>{ns} (version {prolog.attrs.get('version', '?')!r}) is neither XLIFF 1.2 ({XLIFF1_NS[0]}) nor XLIFF 2 ({XLIFF2_NS})")
    return InputError(f"{name}: root element <{prolog.root}>{ns} is not XLIFF (<xliff>) or TMX (<tmx>)")


def read_l10n(path: str | os.PathLike[str], fmt: str | None = None, *, max_bytes: int = MAX_BYTES, target_lang: str | None = None) -> L10nFile:
    """Read a localization file; ``fmt`` ("xliff", "xliff1", "xliff2", "tmx", "po") forces the
    format (the content must still be of that format), ``target_lang`` picks a TMX's target
    language.  Every problem with the file raises one InputError."""
    name = str(path)
    if fmt not in (None, "auto", "xliff", *FORMATS):
        raise InputError(f"{name}: unknown localization format {fmt!r} (xliff, xliff1, xliff2, tmx, po)")
    data = load_bytes(path, max_bytes)
    found, prolog = _sniff(data[:HEAD_BYTES])
    if prolog is not None and prolog.error:  # refused DOCTYPE or malformed prolog: whatever format was asked for
        raise InputError(f"{name}: {prolog.error}")
    if fmt == "po" and found is None and prolog is None:
        found = "po"  # forced: let the PO checks say what is wrong with it
    if found is None or (fmt not in (None, "auto") and not found.startswith(fmt)):
        if fmt not in (None, "auto") and found is not None:
            raise InputError(f"{name}: --format {fmt} given, but the content is {found}")
        raise _not_l10n(name, prolog)
    if found == "po":
        return read_po(data, name)
    assert prolog is not None
    if found == "tmx":
        return read_tmx(data, name, prolog.attrs, target_lang)
    if found == "xliff2":
        return read_xliff2(data, name, XLIFF2_NS, prolog.attrs)
    return read_xliff1(data, name, prolog.root_ns, prolog.attrs)
