"""The neutral model every localization reader returns: file -> documents -> units -> tagged text.

A :class:`TaggedText` keeps what a translator reads (``text``, the plain text with the inline codes
taken out) and the codes themselves (``codes``), each at its offset in the plain text, with the XML
it was written as, so that a check can compare the codes of source and target, a finding can point
into the plain text, and a writer can put the text and codes back together (:meth:`TaggedText.to_xml`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

L10nFormat = Literal["xliff1", "xliff2", "tmx", "po"]
FORMATS: tuple[L10nFormat, ...] = ("xliff1", "xliff2", "tmx", "po")


class State(str, enum.Enum):
    """Where a unit stands in the translation workflow, mapped from each format's own states.

    ``state_raw`` on the unit keeps the file's own word (XLIFF 1.2 ``needs-review-translation``,
    XLIFF 2 ``reviewed``, PO ``fuzzy``) for a message that quotes it.
    """

    UNTRANSLATED = "untranslated"  # no target, or an empty one for a non-empty source (whatever the file's state says)
    NEW = "new"  # XLIFF 1.2 new/needs-translation, XLIFF 2 initial: a target that nobody has confirmed yet
    FUZZY = "fuzzy"  # PO #, fuzzy; XLIFF 1.2 needs-review-* with state-qualifier fuzzy-match
    NEEDS_REVIEW = "needs-review"  # XLIFF 1.2 needs-review-*, needs-adaptation, needs-l10n
    TRANSLATED = "translated"  # a target without a state, or state translated
    REVIEWED = "reviewed"  # XLIFF 2 reviewed, XLIFF 1.2 signed-off
    FINAL = "final"  # XLIFF 1.2 and 2 final


@dataclass(frozen=True, slots=True)
class InlineCode:
    """One inline code of a source or target: an XLIFF/TMX element inside the text.

    Standalone codes (XLIFF 1.2 ``x bx ex ph bpt ept it``, XLIFF 2 ``ph sc ec sm em``, TMX ``bpt ept
    it ph ut``) take no room in the plain text: ``start == end`` and ``xml`` is the whole element,
    its native code included (``<bpt i="0" x="0">&lt;p0&gt;</bpt>``; ``content`` is that native
    code as text, ``<p0>``).  Containers (XLIFF 1.2 ``g mrk``, XLIFF 2 ``pc mrk``, TMX ``hi``) wrap
    translatable text: ``xml`` is the opening tag, ``close_xml`` the closing one, and the wrapped
    text is ``text[start:end]``.  ``order``/``close_order`` number the tags of one text in document
    order (two tags at the same offset keep their order).  ``depth`` is the number of containers
    around the code.  ``attrs`` are its attributes by the name written in the file (``equiv-text``,
    ``xml:lang``, ``its:locQualityIssuesRef``).
    """

    kind: str
    id: str | None
    start: int
    end: int
    xml: str
    close_xml: str = ""
    attrs: Mapping[str, str] = field(default_factory=dict)
    content: str = ""
    depth: int = 0
    order: int = 0
    close_order: int = -1

    @property
    def is_container(self) -> bool:
        return self.close_order >= 0


@dataclass(frozen=True, slots=True)
class TaggedText:
    """Plain text plus the inline codes that sat in it."""

    text: str
    codes: tuple[InlineCode, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing a reader would see: no code and only whitespace."""
        return not self.codes and not self.text.strip()

    def to_xml(self) -> str:
        """The content as XML again: the text escaped, each code's tags put back at their offsets."""
        tags = sorted([(c.order, c.start, c.xml) for c in self.codes] + [(c.close_order, c.end, c.close_xml) for c in self.codes if c.is_container])
        out: list[str] = []
        at = 0
        for _order, offset, xml in tags:
            out.append(escape_text(self.text[at:offset]))
            out.append(xml)
            at = offset
        out.append(escape_text(self.text[at:]))
        return "".join(out)


def escape_text(text: str) -> str:
    # '>' is escaped too: "]]>" may not appear in character data, and canonical XML escapes it
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True, slots=True)
class Note:
    """A note for the translator: XLIFF ``<note>`` (``origin`` = from/category), TMX ``<note>``,
    PO comments (``origin`` = ``translator`` for ``#``, ``extracted`` for ``#.``)."""

    text: str
    origin: str | None = None
    annotates: str | None = None  # XLIFF 1.2 annotates / XLIFF 2 appliesTo: "source", "target", "general"


@dataclass(slots=True)
class Unit:
    """One translatable pair: an XLIFF 1.2 trans-unit, an XLIFF 2 segment, a TMX tu, a PO entry.

    ``target`` is None where the file has none.  A plural message (PO ``msgid_plural``, an XLIFF
    1.2 ``x-gettext-plurals`` group) has ``source`` = the singular, ``source_plural`` = the plural
    and ``plurals`` = every target form in order (``target`` is form 0).  ``context`` holds
    (kind, value) pairs: PO ``msgctxt`` and ``#:`` references, XLIFF 1.2 ``<context>``, TMX
    ``<prop>`` and tuv attributes.  ``line`` is the 1-based line of the unit in the file.
    """

    id: str
    source: TaggedText
    target: TaggedText | None
    state: State
    state_raw: str | None = None
    name: str | None = None  # XLIFF 1.2 resname, XLIFF 2 name (Symfony's message key)
    segment: str | None = None  # XLIFF 2: the segment's id (or 1-based index) where a unit has several
    notes: tuple[Note, ...] = ()
    context: tuple[tuple[str, str], ...] = ()
    source_plural: TaggedText | None = None
    plurals: tuple[TaggedText, ...] = ()
    flags: tuple[str, ...] = ()  # PO flags (c-format, fuzzy); XLIFF approved/translate="no" as "approved", "no-translate"
    translate: bool = True
    line: int | None = None

    @property
    def untranslated(self) -> bool:
        return self.state is State.UNTRANSLATED

    @property
    def key(self) -> str:
        """The unit's id, with the segment where an XLIFF 2 unit has several (``u1#s2``): unique
        within a document where ``id`` alone is not."""
        return self.id if self.segment is None else f"{self.id}#{self.segment}"


@dataclass(slots=True)
class L10nDocument:
    """An XLIFF ``<file>``; the whole file for TMX and PO."""

    id: str
    units: list[Unit]
    src_lang: str | None = None
    tgt_lang: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)  # the <file> element's attributes (datatype, original, ...)


@dataclass(slots=True)
class L10nFile:
    """A localization file read into the neutral model.

    ``src_lang``/``tgt_lang`` come from the file (None where it has none: PO names no source
    language), with the case of BCP 47 (``EN-US`` -> ``en-US``, ``pt_BR`` -> ``pt-BR``); ``header``
    keeps the file's own header fields (PO metadata, TMX header attributes, root attributes).
    """

    path: str
    format: L10nFormat
    version: str | None
    src_lang: str | None
    tgt_lang: str | None
    documents: list[L10nDocument]
    header: dict[str, str] = field(default_factory=dict)
    nplurals: int | None = None  # PO Plural-Forms

    def units(self) -> Iterator[Unit]:
        for doc in self.documents:
            yield from doc.units

    @property
    def n_units(self) -> int:
        return sum(len(d.units) for d in self.documents)


def normalize_lang(tag: str | None) -> str | None:
    """BCP 47 case for a language tag as files write it: ``EN-US`` -> ``en-US``, ``pt_BR`` ->
    ``pt-BR``, ``zh-hans-cn`` -> ``zh-Hans-CN``; None or blank -> None."""
    if tag is None or not tag.strip():
        return None
    parts = tag.strip().replace("_", "-").split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
