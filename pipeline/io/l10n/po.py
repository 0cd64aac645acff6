"""gettext PO reader: polib for the entries, after a strict pass of our own.

polib (pinned 1.2.0) parses the entry structure, unescapes the strings and splits comments,
flags, references and plural forms; but it is lenient where a QA tool must not be: it reads an
unterminated string ``"Hello`` as ``Hell``, skips header lines that are not ``Name: value``, and
falls back to UTF-8 under an unknown charset.  So before polib sees the text:

* the file is capped like the XML files (``MAX_BYTES``), decoded strictly in the charset its
  header names (an unknown charset or an undecodable byte is one error with its offset);
* every line must be blank, a comment, or a keyword and/or one complete string (``msgid "..."``,
  ``msgstr[1] "..."``, ``"..."``): the first line that is not, e.g. an unterminated string, is one
  error with its line number;
* the header (the first entry, ``msgid ""``) must be ``Name: value`` lines, its Content-Type must
  name a known charset, and its Plural-Forms must read ``nplurals=N; plural=EXPR;`` with an
  expression of ``n`` only.

Units: one per entry (obsolete ``#~`` entries and the header are not units), id = msgid, or
``msgctxt + "\\x04" + msgid`` as gettext keys a message with a context.  ``#.`` and ``#``
comments become notes (origin ``extracted``/``translator``), ``msgctxt`` and ``#:`` references the
context, ``#,`` the flags; ``fuzzy`` gives State.FUZZY, an empty msgstr (any empty plural form)
State.UNTRANSLATED.  The target language is the header's ``Language``; the source language is
``X-Source-Language`` where a tool wrote it, else None (PO does not name it).
"""

from __future__ import annotations

import codecs
import re

import polib

from ...errors import InputError
from .model import L10nDocument, L10nFile, Note, State, TaggedText, Unit, normalize_lang

_STRING = r'"(?:[^"\\]|\\.)*"'
# matched against stripped lines: a pattern with blanks at both ends of an optional middle backtracks quadratically on a long blank run
_LINE = re.compile(rf"(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s*{_STRING}|{_STRING})?")
_KEYWORD_OR_STRING = re.compile(r'(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_HEADER = re.compile(rf'^msgid ""[ \t]*\n((?:[ \t]*{_STRING}[ \t]*\n)*)msgstr[ \t]*((?:{_STRING}[ \t]*\n?)+)', re.MULTILINE)
_HEADER_LINE = re.compile(r"[A-Za-z][\w.-]*:.*")
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_PLURAL = re.compile(r"plural\s*=(.*)", re.DOTALL)
_PLURAL_EXPRESSION = re.compile(r"[n0-9\s<>=!&|?:%+*/()-]+")  # C expressions of n only; one quantifier, so linear


def _decode(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    found = _CHARSET.search(data[:65536])
    charset = found.group(1).decode("ascii") if found else "utf-8"
    if charset.upper() == "CHARSET":  # an uninitialised template (.pot): gettext reads it as ASCII, UTF-8 is its superset
        charset = "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise InputError(f"{name}: unknown charset {charset!r} in the PO header's Content-Type") from None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: not valid {charset} at byte offset {err.start}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_lines(text: str, name: str) -> None:
    """Every line is blank, a comment, or a keyword and/or one complete string."""
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if _LINE.fullmatch(line):
            continue
        if _KEYWORD_OR_STRING.match(line):
            raise InputError(f"{name}: line {number}: unterminated or malformed string: {line[:60]!r}")
        raise InputError(f"{name}: line {number}: not PO syntax: {line[:60]!r}")


def _header(text: str, name: str) -> tuple[dict[str, str], int | None]:
    """The header's fields and nplurals, checked; ({}, None) for a file without a header."""
    first = re.search(r"^(msgctxt|msgid)\s", text, re.MULTILINE)
    found = _HEADER.match(text, first.start()) if first else None
    if found is None or found.group(1).strip():  # no header entry, or a message with an empty first line
        return {}, None
    first_line = text.count("\n", 0, found.start(2)) + 1
    value, starts = "", []  # the header's text, and (offset in it, file line) where each string begins
    for string in re.finditer(_STRING, found.group(2)):
        starts.append((len(value), first_line + found.group(2).count("\n", 0, string.start())))
        value += polib.unescape(string.group()[1:-1])
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    offset = 0
    for entry in value.split("\n"):
        line = max(ln for at, ln in starts if at <= offset) if starts else first_line
        offset += len(entry) + 1
        if not entry.strip():
            continue
        if not _HEADER_LINE.fullmatch(entry):
            raise InputError(f"{name}: line {line}: broken PO header: {entry[:60]!r} is not a 'Name: value' field")
        key, _, val = entry.partition(":")
        fields[key.strip()] = val.strip()
        lines[key.strip()] = line
    nplurals = _nplurals(fields["Plural-Forms"]) if "Plural-Forms" in fields else None
    if nplurals == 0:
        raise InputError(f"{name}: line {lines['Plural-Forms']}: broken PO header: Plural-Forms {fields['Plural-Forms'][:60]!r} is not 'nplurals=N; plural=EXPR;'")
    return fields, nplurals


def _nplurals(value: str) -> int:
    """N of a well-formed ``nplurals=N; plural=EXPR;`` (1 <= N <= 10), else 0.  Split at ';' rather
    than matched whole: one pattern for the whole value backtracks badly on long blank runs."""
    parts = value.strip().removesuffix(";").split(";")
    if len(parts) != 2:
        return 0
    count, plural = _NPLURALS.fullmatch(parts[0].strip()), _PLURAL.fullmatch(parts[1].strip())
    if count is None or plural is None or not _PLURAL_EXPRESSION.fullmatch(plural.group(1)):
        return 0
    return int(count.group(1)) if 1 <= int(count.group(1)) <= 10 else 0


def _unit(entry: polib.POEntry) -> Unit:
    source = TaggedText(entry.msgid)
    if entry.msgid_plural:
        plurals = tuple(TaggedText(entry.msgstr_plural[k]) for k in sorted(entry.msgstr_plural))
        target = plurals[0] if plurals else TaggedText("")
        empty = not plurals or any(p.is_empty for p in plurals)
    else:
        plurals, target = (), TaggedText(entry.msgstr)
        empty = target.is_empty
    fuzzy = "fuzzy" in entry.flags
    if empty and not source.is_empty:
        state = State.UNTRANSLATED
    else:
        state = State.FUZZY if fuzzy else State.TRANSLATED
    notes = tuple(Note(text, origin) for text, origin in ((entry.comment, "extracted"), (entry.tcomment, "translator")) if text)
    context: list[tuple[str, str]] = [("msgctxt", entry.msgctxt)] if entry.msgctxt is not None else []
    context += [("reference", f"{path}:{line}" if line else path) for path, line in entry.occurrences]
    if entry.previous_msgid:
        context.append(("previous-msgid", entry.previous_msgid))
    key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
    return Unit(
        id=key, source=source, target=target, state=state, state_raw="fuzzy" if fuzzy else None, notes=notes, context=tuple(context),
        source_plural=TaggedText(entry.msgid_plural) if entry.msgid_plural else None, plurals=plurals, flags=tuple(entry.flags), line=entry.linenum,
    )  # fmt: skip


def read_po(data: bytes, name: str) -> L10nFile:
    text = _decode(data, name)
    _check_lines(text, name)
    fields, nplurals = _header(text, name)
    try:
        po = polib.pofile(text + "\n", wrapwidth=0)  # a string with a newline is content for polib, never a path
    except (OSError, ValueError) as err:
        raise InputError(f"{name}: {' '.join(str(err).split())}") from None
    units = [_unit(e) for e in po if not e.obsolete]
    if not units and not fields:
        raise InputError(f"{name}: no PO entries (msgid/msgstr) found")
    src, tgt = normalize_lang(fields.get("X-Source-Language")), normalize_lang(fields.get("Language"))
    return L10nFile(name, "po", None, src, tgt, [L10nDocument(name, units, src, tgt)], header=fields, nplurals=nplurals)
