"""Localization files as a job: each XLIFF ``<file>`` (a whole TMX or PO file) is a document whose
segments are its units, paired line by line, and every segment remembers its unit's id.

Two shapes of input:

- one bilingual file, or a folder of them (``mtqa run app.de.xlf``, ``mtqa run po/``): source and
  target come from the units themselves;
- a source-language file and a translation keyed by the same messages (``mtqa run messages.en.xlf
  messages.de.xlf``): Symfony, Angular i18n and many frameworks keep one file per language whose
  ``<source>`` is the message key; the units are joined by name (or id, or key), and the source text
  is the source file's translation of the key.

Units that must not be translated (``translate="no"``) are left out.  A unit without a translation
keeps its place with an empty target, which the checks report (A104) instead of the reader failing.
Plural messages contribute one pair per target form: form 0 with the singular source, the others
with the plural source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Document, InputFile, Job, Segment
from .l10n import L10nFile, TaggedText, Unit, detect_l10n_format, read_l10n
from .text import visible_files

SYSTEM = "target"  # the translation in the file is the one system of the job
L10N_FORMATS = ("xliff", "tmx", "po")  # --format values that force a localization format
# gettext's msgids are English by convention (the programmer's C locale); a PO file never says so.
PO_SOURCE_LANGUAGE = "en"


def is_l10n_input(paths: Sequence[str], fmt: str = "auto") -> bool:
    """Whether the inputs are localization files: forced by ``--format``, else by content (a
    folder counts when its first file is one)."""
    if fmt in L10N_FORMATS:
        return True
    if fmt not in ("auto", None) or not paths:
        return False
    first = Path(paths[0])
    if first.is_dir():
        files = visible_files(first)
        return bool(files) and detect_l10n_format(files[0]) is not None
    return first.is_file() and detect_l10n_format(first) is not None


def read_files(path: str, fmt: str = "auto", target_lang: str | None = None) -> list[tuple[str, L10nFile]]:
    """(name, file) for a file or every file of a folder (names relative to the folder)."""
    p = Path(path)
    forced = None if fmt in ("auto", None) else fmt
    if not p.is_dir():
        return [(p.name, read_l10n(p, forced, target_lang=target_lang))]
    files = visible_files(p)
    if not files:
        raise InputError(f"{path}: directory holds no files")
    out = []
    for f in files:
        if forced is None and detect_l10n_format(f) is None:
            raise InputError(f"{f}: not an XLIFF, TMX or PO file (every file of a folder of localization files must be one)")
        out.append((str(f.relative_to(p)), read_l10n(f, forced, target_lang=target_lang)))
    return out


def languages(files: Sequence[L10nFile]) -> tuple[str | None, str | None]:
    """The source and target language the files state (None where they state none); files that
    disagree are an error, since one run has one language pair."""
    return _one_language([f.src_lang for f in files], "source"), _one_language([f.tgt_lang for f in files], "target")


def _one_language(tags: Sequence[str | None], what: str) -> str | None:
    """One language for all files: "en" and "en-US" agree (the regional one wins, unless two
    regions differ: then the language alone); "en" and "fr" do not."""
    found = {t for t in tags if t}
    bases = {t.split("-")[0] for t in found}
    if len(bases) > 1:
        raise InputError(f"the files state different {what} languages ({', '.join(sorted(found))}); run each language pair on its own")
    if not found:
        return None
    regional = found - bases
    return next(iter(regional)) if len(regional) == 1 else next(iter(bases))


def _pairs_of(unit: Unit, source: TaggedText | None = None) -> list[tuple[str, TaggedText, TaggedText]]:
    """(unit id, source, target) for a unit: one per plural form.  The texts keep their inline
    codes, which the segments carry for the markup checks."""
    source = unit.source if source is None else source
    target = unit.target if unit.target is not None else _EMPTY
    if not unit.plurals:
        return [(unit.key, source, target)]
    plural_source = unit.source_plural if unit.source_plural is not None else source
    return [(f"{unit.key}[{k}]", source if k == 0 else plural_source, form) for k, form in enumerate(unit.plurals)]


_EMPTY = TaggedText("")


def _document(doc_id: str, rows: list[tuple[str, TaggedText, TaggedText, int]]) -> Document:
    source = [Segment(text=s.text, index=k, paragraph=k, line=line, unit=uid, codes=s.codes) for k, (uid, s, _, line) in enumerate(rows)]
    target = [Segment(text=t.text, index=k, paragraph=k, line=line, unit=uid, codes=t.codes) for k, (uid, _, t, line) in enumerate(rows)]
    return Document(doc_id, source, {SYSTEM: target}, line_aligned=True)


def job_from_bilingual(path: str, fmt: str, src_lang: str, tgt_lang: str) -> Job:
    """Every file of ``path`` (a file or a folder): one document per XLIFF ``<file>``."""
    documents = []
    notes: list[str] = []
    for name, f in read_files(path, fmt, target_lang=tgt_lang if Path(path).is_file() else None):
        if f.src_lang is None and f.format == "po" and not notes:
            notes.append(f"{name}: a PO file does not name the language of its msgids; read as {src_lang}")
        last = f
        if _keyed(f):
            notes.append(f"{name}: most sources look like message keys ('{next(iter(f.units())).source.text}'), not text; "
                         "give the source-language file first to check the text (mtqa run messages.en.xlf messages.de.xlf)")
        several = len(f.documents) > 1
        for doc in f.documents:
            rows = [(uid, s, t, u.line or 0) for u in doc.units if u.translate for uid, s, t in _pairs_of(u)]
            if rows:
                documents.append(_document(f"{name}#{doc.id}" if several else name, rows))
    if not documents:
        raise InputError(f"{path}: no translatable units")
    # Source and target are the same file (or folder, whose files the documents name): reports
    # point every finding at the unit's line in it.
    kind = "l10n" if Path(path).is_dir() else last.format
    inputs = [InputFile("source", "source", path, kind), InputFile("target", SYSTEM, path, kind)]
    return Job(src_lang, tgt_lang, documents, [SYSTEM], [], inputs, notes=notes)


def _keyed(f: L10nFile) -> bool:
    """Most sources are identifiers ("contenttypes.generic.recent"): a key-as-source file."""
    sources = [u.source.text.strip() for u in f.units()]
    keys = sum(bool(_KEY_RE.fullmatch(s)) for s in sources)
    return bool(sources) and keys > 0.6 * len(sources)


_KEY_RE = re.compile(r"[A-Za-z][\w-]*(?:[.:/][\w-]+)+")


def _key(unit: Unit) -> str:
    return unit.name or unit.source.text or unit.id


def job_from_keyed_pair(source_path: str, target_path: str, fmt: str, src_lang: str, tgt_lang: str) -> Job:
    """A source-language file and its translation keyed by the same messages, joined by unit name
    (Symfony ``name``, XLIFF 1.2 ``resname``), else by the key in ``<source>``.  The source text of
    a pair is the source file's translation of the key (or the key where it has none)."""
    [(_, src_file)] = read_files(source_path, fmt)
    [(name, tgt_file)] = read_files(target_path, fmt)
    source_of: dict[str, TaggedText] = {}
    for unit in src_file.units():
        source_of.setdefault(_key(unit), unit.target if unit.target is not None and unit.target.text.strip() else unit.source)
    rows = []
    unmatched = 0
    for unit in tgt_file.units():
        if not unit.translate:
            continue
        found = source_of.get(_key(unit))
        if found is None:
            unmatched += 1
            continue
        rows += [(uid, s, t, unit.line or 0) for uid, s, t in _pairs_of(unit, found)]
    if not rows:
        raise InputError(f"{target_path}: no unit has a counterpart in {source_path} (joined by unit name or key)")
    inputs = [InputFile("source", "source", source_path, src_file.format), InputFile("target", SYSTEM, target_path, tgt_file.format)]
    notes = [f"{unmatched} unit(s) of {target_path} have no counterpart in {source_path} and were not checked"] if unmatched else []
    return Job(src_lang, tgt_lang, [_document(name, rows)], [SYSTEM], [], inputs, notes=notes)


def l10n_languages(paths: Sequence[str], fmt: str = "auto") -> tuple[str | None, str | None]:
    """The language pair the files state: of a bilingual file or folder, or, for a source-language
    file and its translation, the language of the first file's text and of the second's."""
    if len(paths) == 2:
        [(_, src_file)] = read_files(paths[0], fmt)
        [(_, tgt_file)] = read_files(paths[1], fmt)
        return src_file.tgt_lang or src_file.src_lang, tgt_file.tgt_lang
    files = [f for _, f in read_files(paths[0], fmt)]
    src, tgt = languages(files)
    if src is None and all(f.format == "po" for f in files):
        src = PO_SOURCE_LANGUAGE
    return src, tgt


def job_from_l10n(paths: Sequence[str], fmt: str, src_lang: str, tgt_lang: str) -> Job:
    """The job of one bilingual file or folder, or of a source-language file and its translation."""
    if len(paths) == 1:
        return job_from_bilingual(paths[0], fmt, src_lang, tgt_lang)
    if len(paths) == 2 and all(Path(p).is_file() for p in paths):
        return job_from_keyed_pair(paths[0], paths[1], fmt, src_lang, tgt_lang)
    raise InputError("localization files: give one file or folder, or a source-language file and its translation (two files)")


def write_back_files(paths: Sequence[str], issues: Sequence[Any]) -> tuple[dict[str, bytes], list[str]]:
    """The localization inputs with the run's findings written in, as ``annotated/<name>`` -> bytes
    (``name`` as the job named the file's documents), and notes on what could not be written back
    (TMX is read-only; findings without a place).  Only the translation is annotated: the second
    file of a source-language file and its translation."""
    from .l10n.writeback import annotate_file, issues_for  # deferred: the writer is needed only with --write-back

    inputs = [Path(paths[-1])] if len(paths) == 2 else [Path(paths[0])]
    files: dict[str, bytes] = {}
    notes: list[str] = []
    for given in inputs:
        named = [(str(f.relative_to(given)), f) for f in visible_files(given)] if given.is_dir() else [(given.name, given)]
        for name, path in named:
            if detect_l10n_format(path) == "tmx":
                notes.append(f"{name}: TMX is read-only; its findings are in the results only")
                continue
            done = annotate_file(path, issues_for(issues, name))
            files[f"annotated/{name}"] = done.data
            if done.unplaced:
                notes.append(f"{name}: {len(done.unplaced)} finding(s) have no unit to be written into")
    return files, notes
