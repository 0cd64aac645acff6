"""Localization readers (pipeline.io.l10n): XLIFF 1.2, XLIFF 2.x, TMX 1.4 and PO into one model.

The real files are those of ../shared/data/l10n_files (or $MTQA_DATA_DIR/l10n_files; see its
SOURCE.md for what each holds): every one must read with the unit counts, languages, notes,
untranslated units and plural forms SOURCE.md gives, and the inline codes must be kept so exactly
that text + codes put back together equal the file's own XML (compared in canonical XML against
the inner XML cut from the raw file with a regular expression, not through the reader's parser).
Small files written for these tests (tests/data/l10n) cover what the real ones lack (``<g>``,
``<mrk>``, ``<pc>``, ``<sc>/<ec>``, ``<hi>``, states, plural groups, PO contexts) and the hostile
and malformed cases: each must end in one InputError line, quickly.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.io.l10n import State, TaggedText, detect_l10n_format, read_l10n
from pipeline.io.l10n.xliff import XLIFF1_NS, read_xliff1

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "l10n_files"
HERE = ROOT / "tests" / "data" / "l10n"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"


def real(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"real localization file {name} not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")
    return path


# file, format, version, src, tgt, <file> elements, units, untranslated, units with inline codes, units with notes
REAL = [
    ("xliff12_firefoxios_2015_de.xliff", "xliff1", "1.2", "en", "de", 14, 113, 0, 0, 89),
    ("xliff12_mozillavpn_de.xliff", "xliff1", "1.2", "en", "de", 17, 556, 0, 0, 287),
    ("xliff12_mozillavpn_fr.xliff", "xliff1", "1.2", "en", "fr", 17, 556, 0, 0, 287),
    ("xliff12_mozillavpn_ru.xliff", "xliff1", "1.2", "en", "ru", 17, 556, 0, 0, 287),
    ("xliff12_mozillavpn_uk.xliff", "xliff1", "1.2", "en", "uk", 17, 556, 74, 0, 287),
    ("xliff12_ndbcore_angular_de.xlf", "xliff1", "1.2", "en-US", None, 1, 529, 1, 51, 453),  # the file names no target-language
    ("xliff20_bolt_messages_en.xlf", "xliff2", "2.0", "en", "en", 1, 428, 0, 0, 55),
    ("xliff20_bolt_messages_de.xlf", "xliff2", "2.0", "en", "de", 1, 357, 0, 0, 357),
    ("xliff20_bolt_messages_fr.xlf", "xliff2", "2.0", "en", "fr", 1, 429, 0, 0, 55),
    ("tmx14_omegat_instant_start_en_fr.tmx", "tmx", "1.4", "en", "fr", 1, 46, 0, 18, 0),
    ("tmx14_omegat_website_en_fr.tmx", "tmx", "1.4", "en-US", "fr-FR", 1, 815, 0, 63, 0),
    ("po_git_de_first3165entries.po", "po", None, None, "de", 1, 3165, 0, 0, 16),
    ("po_git_fr_first3131entries.po", "po", None, None, "fr", 1, 3131, 0, 0, 17),
]


@pytest.mark.parametrize(("name", "fmt", "version", "src", "tgt", "n_docs", "n_units", "n_untranslated", "n_coded", "n_noted"), REAL, ids=[r[0] for r in REAL])
def test_real_file_reads_with_its_counts_and_languages(name, fmt, version, src, tgt, n_docs, n_units, n_untranslated, n_coded, n_noted):
    path = real(name)
    assert detect_l10n_format(path) == fmt
    lf = read_l10n(path)
    units = list(lf.units())
    assert (lf.format, lf.version, lf.src_lang, lf.tgt_lang) == (fmt, version, src, tgt)
    assert (len(lf.documents), len(units), lf.n_units) == (n_docs, n_units, n_units)
    assert sum(u.untranslated for u in units) == n_untranslated
    assert sum(1 for u in units if u.source.codes or (u.target is not None and u.target.codes)) == n_coded
    assert sum(1 for u in units if u.notes) == n_noted
    assert all(u.line and u.line > 1 for u in units)
    # every unit that is not untranslated has a non-empty target; every untranslated one has none or an empty one
    assert all((u.target is not None and not u.target.is_empty) != u.untranslated for u in units)


def test_detection_reads_the_content_not_the_extension(tmp_path):
    for name, fmt in [("xliff12_mozillavpn_de.xliff", "xliff1"), ("xliff20_bolt_messages_de.xlf", "xliff2"), ("tmx14_omegat_instant_start_en_fr.tmx", "tmx"), ("po_git_fr_first3131entries.po", "po")]:
        renamed = tmp_path / f"{name}.txt"
        shutil.copyfile(real(name), renamed)
        assert detect_l10n_format(renamed) == fmt
        assert read_l10n(renamed).format == fmt
    plain = tmp_path / "notes.xlf"
    plain.write_text("Just some text that mentions msgid but has no entries.\n", encoding="utf-8")
    assert detect_l10n_format(plain) is None
    with pytest.raises(InputError, match="not an XLIFF, TMX or PO file"):
        read_l10n(plain)
    html = tmp_path / "page.xliff"
    html.write_text("<html><body>hi</body></html>", encoding="utf-8")
    assert detect_l10n_format(html) is None
    with pytest.raises(InputError, match=r"root element <html> without a namespace is not XLIFF"):
        read_l10n(html)


def test_forced_format_must_match_the_content():
    assert read_l10n(real("xliff20_bolt_messages_fr.xlf"), "xliff").format == "xliff2"
    with pytest.raises(InputError, match="--format po given, but the content is tmx"):
        read_l10n(real("tmx14_omegat_instant_start_en_fr.tmx"), "po")
    with pytest.raises(InputError, match="--format xliff1 given, but the content is xliff2"):
        read_l10n(real("xliff20_bolt_messages_fr.xlf"), "xliff1")
    with pytest.raises(InputError, match="unknown localization format 'sdlxliff'"):
        read_l10n(real("xliff20_bolt_messages_fr.xlf"), "sdlxliff")


# --- inline codes: text + codes == the file's own XML ----------------------------------------


def _canonical(inner: str, ns: str | None) -> str:
    wrapped = f'<w xmlns="{ns}">{inner}</w>' if ns else f"<w>{inner}</w>"
    return ET.canonicalize(xml_data=wrapped)


def _raw_inner(block: str, element: str) -> str | None:
    """The inner XML of the first ``element`` of a raw block: None if absent, "" if empty."""
    found = re.search(rf"<{element}(?:\s[^>]*)?(?:/>|>(.*?)</{element}>)", block, re.S)
    return None if found is None else found.group(1) or ""


def _assert_same_xml(raw: str | None, text: TaggedText | None, ns: str | None, where: str) -> None:
    assert (raw is None) == (text is None), where
    if raw is not None and text is not None:
        assert _canonical(text.to_xml(), ns) == _canonical(raw, ns), where


@pytest.mark.parametrize(
    ("name", "block", "ns"),
    [
        ("xliff12_ndbcore_angular_de.xlf", "trans-unit", XLIFF1_NS[0]),
        ("xliff12_firefoxios_2015_de.xliff", "trans-unit", XLIFF1_NS[0]),
        ("xliff12_mozillavpn_ru.xliff", "trans-unit", XLIFF1_NS[0]),
        ("xliff20_bolt_messages_de.xlf", "segment", XLIFF2_NS),
    ],
)
def test_xliff_text_and_codes_reassemble_to_the_original_xml(name, block, ns):
    path = real(name)
    blocks = re.findall(rf"<{block}[\s>].*?</{block}>", path.read_text(encoding="utf-8"), re.S)
    units = list(read_l10n(path).units())
    assert len(blocks) == len(units)
    for raw, unit in zip(blocks, units):
        _assert_same_xml(_raw_inner(raw, "source"), unit.source, ns, f"{unit.id} source")
        _assert_same_xml(_raw_inner(raw, "target"), unit.target, ns, f"{unit.id} target")


@pytest.mark.parametrize("name", ["tmx14_omegat_instant_start_en_fr.tmx", "tmx14_omegat_website_en_fr.tmx"])
def test_tmx_text_and_codes_reassemble_to_the_original_xml(name):
    path = real(name)
    lf = read_l10n(path)
    blocks = re.findall(r"<tu[\s>].*?</tu>", path.read_text(encoding="utf-8"), re.S)
    units = list(lf.units())
    assert len(blocks) == len(units)
    for raw, unit in zip(blocks, units):
        segs = {lang.lower(): seg for lang, seg in re.findall(r'<tuv xml:lang="([^"]+)"[^>]*>\s*<seg>(.*?)</seg>', raw, re.S)}
        _assert_same_xml(segs[lf.src_lang.lower()], unit.source, None, f"{unit.id} source")
        _assert_same_xml(segs[lf.tgt_lang.lower()], unit.target, None, f"{unit.id} target")


def test_tmx_paired_codes_keep_their_native_code_and_pairing():
    lf = read_l10n(real("tmx14_omegat_instant_start_en_fr.tmx"))
    first = next(lf.units())
    assert first.source.text == "Menu Project New..."
    assert [(c.kind, c.id, c.start, c.content) for c in first.source.codes] == [
        ("bpt", "0", 0, "<p0>"), ("ept", "0", 12, "</p0>"), ("bpt", "1", 13, "<s1>"), ("ept", "1", 19, "</s1>"),
    ]  # fmt: skip
    assert first.source.codes[0].xml == '<bpt i="0" x="0">&lt;p0&gt;</bpt>'
    assert first.target.text == "Menu Projet Nouveau..."
    assert first.context == (("target-changeid", "briglegrand"), ("target-changedate", "20110926T161240Z"))
    kinds = Counter(c.kind for u in read_l10n(real("tmx14_omegat_website_en_fr.tmx")).units() for t in (u.source, u.target) for c in t.codes)
    assert set(kinds) == {"bpt", "ept", "ph", "it"}
    assert kinds["bpt"] == kinds["ept"]


def test_angular_interpolations_and_icu_are_x_codes_with_their_equiv_text():
    units = {u.id: u for u in read_l10n(real("xliff12_ndbcore_angular_de.xlf")).units()}
    unit = units["828a009e2c01bece732333b25efb6b62ed46f6ec"]
    assert unit.source.text == " attended  events "
    (code,) = unit.source.codes
    assert (code.kind, code.id, code.start, code.is_container) == ("x", "INTERPOLATION", 10, False)
    assert code.xml == '<x id="INTERPOLATION" equiv-text="{{ attendanceDescription }}"/>'
    assert unit.target.codes[0].attrs["equiv-text"] == "{{attendanceDescription}}"  # differs from the source's, as SOURCE.md says
    icu = [u for u in units.values() if any(c.id == "ICU" for c in u.source.codes)]
    assert icu and all(any(c.id == "ICU" for c in u.target.codes) for u in icu)
    assert unit.notes[1].text == "Attended Tooltip" and unit.notes[1].origin == "meaning"
    assert unit.context[0][0] == "sourcefile" and unit.context[1] == ("linenumber", "32,34")


def test_angular_empty_target_marked_translated_is_untranslated():
    path = real("xliff12_ndbcore_angular_de.xlf")
    (unit,) = [u for u in read_l10n(path).units() if u.untranslated]
    assert unit.source.text == " at the bottom "
    assert (unit.target, unit.state_raw, unit.line) == (TaggedText(""), "translated", 5198)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert f'<trans-unit id="{unit.id}"' in lines[unit.line - 1] and lines[5200 - 1].strip() == '<target state="translated"/>'  # SOURCE.md: line 5200


def test_mozilla_vpn_uk_untranslated_units_are_those_without_target():
    path = real("xliff12_mozillavpn_uk.xliff")
    raw = path.read_text(encoding="utf-8")
    no_target = {m.group(1) for m in re.finditer(r'<trans-unit id="([^"]+)">(?:(?!</trans-unit>).)*</trans-unit>', raw, re.S) if "<target" not in m.group(0)}
    lf = read_l10n(path)
    untranslated = [u for u in lf.units() if u.untranslated]
    assert len(no_target) == len(untranslated) == 74
    assert {u.id for u in untranslated} == no_target
    assert all(u.target is None and u.state is State.UNTRANSLATED for u in untranslated)
    notes = [n for u in lf.units() for n in u.notes]
    assert {(n.origin, n.annotates) for n in notes} == {("developer", "source")}


def test_firefox_ios_target_before_source_and_escaped_ampersand():
    units = list(read_l10n(real("xliff12_firefoxios_2015_de.xliff")).units())
    assert [(u.source.text, u.target.text) for u in units if u.source.text == "Not now"] == [("Not now", "Nicht jetzt")]
    assert ("Paste & Go", "Einfügen & Los") in {(u.source.text, u.target.text) for u in units}


def test_bolt_units_keep_the_message_key_and_the_real_placeholder_errors():
    de = {u.name: u for u in read_l10n(real("xliff20_bolt_messages_de.xlf")).units()}
    en = {u.name: u for u in read_l10n(real("xliff20_bolt_messages_en.xlf")).units()}
    assert len(de) == 357 and len(en) == 428
    key = "reset_password.check_email_sent_text_1"
    assert de[key].source.text == key and "%hours%" in en[key].target.text
    assert "%Stunden%" in de[key].target.text and "%hours%" not in de[key].target.text
    assert "%contenttypes%" in en["contenttypes.generic.recent"].target.text and "%" not in de["contenttypes.generic.recent"].target.text
    assert {n.origin for u in de.values() for n in u.notes} == {"file-source", "state"}


def _unescape_po(strings: str) -> str:
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', strings)
    return "".join(re.sub(r"\\(.)", lambda m: escapes[m.group(1)], p) for p in parts)


@pytest.mark.parametrize(("name", "nplurals", "n_plural", "n_c_format"), [("po_git_de_first3165entries.po", 2, 37, 984), ("po_git_fr_first3131entries.po", 2, 33, 1093)])
def test_po_entries_plurals_and_flags(name, nplurals, n_plural, n_c_format):
    path = real(name)
    lf = read_l10n(path)
    units = list(lf.units())
    assert lf.nplurals == nplurals and lf.header["Plural-Forms"].startswith(f"nplurals={nplurals};")
    plural = [u for u in units if u.source_plural is not None]
    assert len(plural) == n_plural
    assert all(len(u.plurals) == nplurals and u.target == u.plurals[0] and not any(p.is_empty for p in u.plurals) for u in plural)
    assert sum(1 for u in units if "c-format" in u.flags) == n_c_format
    # the msgids, read here with a regular expression, are the units' sources in order
    raw = path.read_text(encoding="utf-8")
    msgids = [_unescape_po(m) for m in re.findall(r'^msgid ((?:".*"\n)+)', raw, re.M)][1:]  # [0] is the header
    assert [u.source.text for u in units] == msgids
    lines = raw.splitlines()
    assert all(lines[u.line - 1].startswith(("#", "msgctxt", "msgid")) for u in units)


# --- the small files written for these tests --------------------------------------------------


def test_xliff12_codes_states_groups_and_plurals():
    lf = read_l10n(HERE / "inline_codes_12.xlf")
    assert (lf.src_lang, lf.tgt_lang, [d.id for d in lf.documents]) == ("en-US", "de-DE", ["ui.html", "second.strings"])
    units = {u.id: u for u in lf.units()}
    codes = units["codes"]
    assert codes.source.text == "Click here &  now or there."
    g, x, bpt, ept, ph = codes.source.codes
    assert (g.kind, g.id, g.start, g.end, g.is_container, g.depth, g.attrs["ctype"]) == ("g", "1", 6, 17, True, 0, "bold")
    assert codes.source.text[g.start : g.end] == "here &  now"
    assert (x.kind, x.start, x.depth, x.xml) == ("x", 13, 1, '<x id="2" ctype="image"/>')
    assert (bpt.kind, bpt.content, ept.kind, ept.content, ph.content) == ("bpt", '<a href="x">', "ept", "</a>", "<br/>")
    assert (
        codes.source.to_xml()
        == 'Click <g id="1" ctype="bold">here &amp; <x id="2" ctype="image"/> now</g> or <bpt id="3">&lt;a href="x"&gt;</bpt>there<ept id="3">&lt;/a&gt;</ept>.<ph id="4">&lt;br/&gt;</ph>'
    )
    assert (codes.state, codes.name, codes.flags) == (State.FINAL, "welcome", ("approved",))
    assert codes.notes[0].text == "Keep the link." and codes.notes[0].annotates == "source"
    assert codes.context == (("sourcefile", "ui.html"), ("linenumber", "7"))
    split = units["split"]
    assert [c.kind for c in split.source.codes] == ["bx", "ex", "it", "mrk", "g"]
    mrk, empty_g = split.source.codes[3:]
    assert mrk.attrs == {"mtype": "term", "its:term": "yes"} and split.source.text[mrk.start : mrk.end] == "term"
    assert empty_g.start == empty_g.end == len(split.source.text) and split.source.to_xml().endswith('<g id="4"></g>')
    assert (split.state, split.state_raw) == (State.FUZZY, "needs-review-translation")
    assert (units["reversed"].source.text, units["reversed"].target.text, units["reversed"].state) == ("Not now", "Nicht jetzt", State.REVIEWED)
    assert (units["cdata"].source.text, units["cdata"].target.text) == ('a < b & "c"', "a < b & „c“")
    assert units["review"].state is State.NEEDS_REVIEW
    assert (units["new-empty"].state, units["new-empty"].state_raw) == (State.UNTRANSLATED, "new")
    assert units["new-mt"].state is State.NEW
    assert (units["locked"].translate, units["locked"].flags, units["locked"].target) == (False, ("no-translate",), None)
    p1, p2 = units["plural-1"], units["plural-2"]
    assert (p1.source.text, p1.source_plural.text, [t.text for t in p1.plurals], p1.state) == ("%d file", "%d files", ["%d Datei", "%d Dateien"], State.TRANSLATED)
    assert ([t.text for t in p2.plurals], p2.state) == (["%d Tab", ""], State.UNTRANSLATED)
    assert units["deep"].target.text == "Tief"
    assert len(units) == 11  # alt-trans matches are not units


def test_xliff2_segments_original_data_and_states():
    lf = read_l10n(HERE / "inline_codes_20.xlf")
    assert (lf.format, lf.version, lf.src_lang, lf.tgt_lang) == ("xliff2", "2.1", "en-US", "fr-FR")
    units = list(lf.units())
    assert [(u.id, u.segment, u.state) for u in units] == [
        ("u1", "s1", State.REVIEWED), ("u1", "s2", State.NEW), ("u2", None, State.UNTRANSLATED), ("u3", None, State.TRANSLATED), ("u4", None, State.UNTRANSLATED),
    ]  # fmt: skip
    s1, s2 = units[0], units[1]
    assert [u.key for u in units] == ["u1#s1", "u1#s2", "u2", "u3", "u4"]
    assert s1.name == "greeting" and s1.notes[0].annotates == "source"
    pc, ph = s1.source.codes
    assert (pc.kind, pc.is_container, pc.content, s1.source.text[pc.start : pc.end]) == ("pc", True, "<b>", "dear friend")
    assert (ph.kind, ph.content, ph.depth) == ("ph", "<br/>", 1)
    assert [(c.kind, c.id, c.content) for c in s2.source.codes] == [("sc", "3", "<b>"), ("ec", None, "</b>"), ("mrk", "m1", ""), ("sm", "m2", ""), ("em", None, "")]
    assert s2.source.text == "Bold and term end."
    assert units[3].translate is False and units[3].flags == ("no-translate",)
    raw = (HERE / "inline_codes_20.xlf").read_text(encoding="utf-8")
    for block, unit in zip(re.findall(r"<segment[\s>].*?</segment>", raw, re.S), units):
        _assert_same_xml(_raw_inner(block, "source"), unit.source, XLIFF2_NS, f"{unit.id} source")
        _assert_same_xml(_raw_inner(block, "target"), unit.target, XLIFF2_NS, f"{unit.id} target")


def test_tmx_languages_variants_and_hi():
    lf = read_l10n(HERE / "sample.tmx")
    assert (lf.src_lang, lf.tgt_lang) == ("en-GB", "de-DE")  # srclang="*all*": the first variant's; target: the language most units have
    units = {u.id: u for u in lf.units()}
    t1 = units["t1"]
    hi, ph = t1.source.codes
    assert (hi.kind, hi.is_container, t1.source.text[hi.start : hi.end]) == ("hi", True, "Ctrl")
    assert (ph.kind, ph.content, ph.depth) == ("ph", "<sup>footnote</sup>", 1)
    assert t1.target.text == "Drücken Sie zweimal Strg"
    assert t1.notes[0].text == "From the user guide" and ("x-domain", "help") in t1.context and ("source-creationid", "anna") in t1.context
    assert units["t2"].state is State.UNTRANSLATED and units["t2"].target is None
    assert [c.kind for c in units["3"].source.codes] == ["ut", "ut"]
    assert units["t4"].flags == ("no-source",) and units["t4"].source.text == ""
    french = {u.id: u for u in read_l10n(HERE / "sample.tmx", target_lang="fr-FR").units()}
    assert french["t1"].target.text == "Appuyez deux fois sur Ctrl" and french["t2"].target.text == "Seulement français"
    assert french["3"].untranslated


def test_po_contexts_fuzzy_untranslated_plurals_and_comments():
    lf = read_l10n(HERE / "sample.po")
    assert (lf.src_lang, lf.tgt_lang, lf.nplurals) == ("en", "de-AT", 2)
    units = list(lf.units())
    assert [u.id for u in units] == ["Open %s", "menu\x04File", "verb\x04File", "Close the window", "%d file", "%d tab", 'Line one\nLine "two"\ttab']
    first = units[0]
    assert [(n.origin, n.text) for n in first.notes] == [("extracted", "TRANSLATORS: shown on the button"), ("translator", "Translator: keep it short.")]
    assert first.context == (("reference", "src/main.c:12"), ("reference", "src/main.c:40"))
    assert first.flags == ("c-format",) and first.line == 10
    assert units[1].context == (("msgctxt", "menu"), ("reference", "src/menu.c:3"))
    assert units[2].state is State.UNTRANSLATED
    assert (units[3].state, units[3].state_raw, units[3].context) == (State.FUZZY, "fuzzy", (("previous-msgid", "Close window"),))
    assert units[4].state is State.TRANSLATED and [p.text for p in units[4].plurals] == ["%d Datei", "%d Dateien"]
    assert units[5].state is State.UNTRANSLATED  # one plural form empty
    assert units[6].target.text == "Zeile eins\nZeile „zwei“\tTab"


def test_utf16_xliff_reads(tmp_path):
    text = (HERE / "inline_codes_20.xlf").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "utf16.xlf"
    path.write_bytes(text.encode("utf-16"))
    assert detect_l10n_format(path) == "xliff2"
    assert [u.source.text for u in read_l10n(path).units()] == [u.source.text for u in read_l10n(HERE / "inline_codes_20.xlf").units()]


def test_declared_single_and_multi_byte_encodings_read(tmp_path):
    """expat scans the prolog: single-byte encodings through Python's codecs, multi-byte ones
    (Shift_JIS) from a head Python decodes; libxml2 reads the rest. An unknown one is an error."""
    xliff = '<?xml version="1.0" encoding="windows-1252"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file original="a" source-language="en" target-language="fr"><body><trans-unit id="1"><source>Café “quoted”</source><target>Café « cité »</target></trans-unit></body></file></xliff>\n'
    (tmp_path / "cp1252.xlf").write_bytes(xliff.encode("cp1252"))
    tmx = '<?xml version="1.0" encoding="Shift_JIS"?>\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="ja"><seg>こんにちは</seg></tuv></tu></body></tmx>\n'
    (tmp_path / "sjis.tmx").write_bytes(tmx.encode("shift_jis"))
    (tmp_path / "nonsense.xlf").write_bytes(xliff.replace("windows-1252", "x-nonsense").encode("cp1252"))
    assert [(u.source.text, u.target.text) for u in read_l10n(tmp_path / "cp1252.xlf").units()] == [("Café “quoted”", "Café « cité »")]
    assert [(u.source.text, u.target.text) for u in read_l10n(tmp_path / "sjis.tmx").units()] == [("Hello", "こんにちは")]
    assert detect_l10n_format(tmp_path / "nonsense.xlf") is None
    with pytest.raises(InputError, match="unknown encoding 'x-nonsense' in the XML declaration"):
        read_l10n(tmp_path / "nonsense.xlf")


# --- malformed and hostile files ----------------------------------------------------------------


HOSTILE = [
    ("bomb.xlf", "DOCTYPE with an internal subset"),
    ("xxe_file.xlf", "DOCTYPE with an internal subset"),
    ("xxe_parameter.tmx", "DOCTYPE with an internal subset"),
    ("undeclared_entity.tmx", r"line 6: entity reference &secret; is not accepted"),
    ("truncated.xlf", r"not well-formed XML at line 12, column 1 \(Premature end of data"),
    ("wrong_namespace.xlf", "in namespace 'urn:example:not-xliff'.*is neither XLIFF 1.2"),
    ("broken_header.po", r"line 5: broken PO header: 'Language de' is not a 'Name: value' field"),
    ("bad_plural_forms.po", r"line 5: broken PO header: Plural-Forms"),
    ("unterminated.po", r"line 9: unterminated or malformed string: 'msgid \"Good bye'"),
    ("unknown_charset.po", "unknown charset 'KLINGON-8'"),
    ("invalid_utf8.po", "not valid UTF-8 at byte offset 106"),
    ("orphan_msgstr.po", r"Syntax error in po file \(line 5\)"),
]


@pytest.mark.parametrize(("name", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_and_malformed_files_are_one_line_errors(name, message):
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_l10n(HERE / name)
    assert time.perf_counter() - started < 2.0
    text = str(caught.value)
    assert "\n" not in text and text.startswith(str(HERE / name) + ": ")
    assert re.search(message, text), text
    assert caught.value.exit_code == 2


def test_entities_are_not_expanded_even_past_the_prolog_scan():
    """Defence in depth: the lxml parse alone (the prolog scan skipped) neither expands the bomb
    (libxml2 stops at its amplification limit) nor reads the external entity (the reference left
    in the tree is refused)."""
    for name, message in (("bomb.xlf", "Maximum entity amplification factor exceeded"), ("xxe_file.xlf", r"line 8: entity reference &secret; is not accepted")):
        started = time.perf_counter()
        with pytest.raises(InputError, match=message):
            read_xliff1((HERE / name).read_bytes(), name, XLIFF1_NS[0], {})
        assert time.perf_counter() - started < 2.0


def test_a_50_mb_tmx_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "big.tmx"
    tu = '<tu><tuv xml:lang="en"><seg>Hello world, this is a long enough sentence.</seg></tuv><tuv xml:lang="fr"><seg>Bonjour le monde.</seg></tuv></tu>\n'
    with path.open("w", encoding="utf-8") as fh:
        fh.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>\n'
        )
        fh.write(tu * (50_000_000 // len(tu) + 1))
        fh.write("</body></tmx>\n")
    assert path.stat().st_size > 50_000_000
    assert detect_l10n_format(path) == "tmx"
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"big.tmx: 50\.\d MB is over the 33\.6 MB limit for localization files"):
        read_l10n(path)
    assert time.perf_counter() - started < 1.0


def test_deep_nesting_is_refused_and_moderate_nesting_read(tmp_path):
    def xliff(depth: int) -> str:
        inner = '<g id="1">' * depth + "x" + "</g>" * depth
        return f'<xliff xmlns="{XLIFF1_NS[0]}" version="1.2"><file original="a"><body><trans-unit id="1"><source>{inner}</source></trans-unit></body></file></xliff>'

    (tmp_path / "deep.xlf").write_text(xliff(100_000), encoding="utf-8")
    (tmp_path / "nested.xlf").write_text(xliff(240), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match="Excessive depth in document: 256"):
        read_l10n(tmp_path / "deep.xlf")
    assert time.perf_counter() - started < 2.0
    unit = next(read_l10n(tmp_path / "nested.xlf").units())
    assert (unit.source.text, len(unit.source.codes), unit.source.codes[-1].depth) == ("x", 240, 239)


def test_a_huge_plural_forms_value_is_an_error_not_a_hang(tmp_path):
    path = tmp_path / "huge.po"
    path.write_text('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=' + " " * 200_000 + 'x\\n"\n', encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match="broken PO header: Plural-Forms"):
        read_l10n(path)
    assert time.perf_counter() - started < 2.0


def test_long_blank_runs_cost_linear_time(tmp_path):
    """Patterns that backtrack on blanks would take minutes on these (measured before the fix)."""
    blank_line = tmp_path / "blank_line.po"
    blank_line.write_text('msgid "a"\nmsgstr "b"\n' + " " * 200_000 + "x\n", encoding="utf-8")
    newlines = tmp_path / "newlines.po"
    newlines.write_text("\n" * 1_000_000 + "x", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"blank_line.po: line 3: not PO syntax: 'x'"):
        read_l10n(blank_line)
    assert detect_l10n_format(newlines) is None
    assert time.perf_counter() - started < 2.0


def test_size_cap_can_be_set_and_odd_paths_are_errors(tmp_path):
    with pytest.raises(InputError, match=r"over the 0\.0 MB limit"):
        read_l10n(HERE / "sample.po", max_bytes=100)
    assert read_l10n(HERE / "sample.po", max_bytes=10_000).n_units == 7
    with pytest.raises(InputError, match="no such file"):
        read_l10n(tmp_path / "missing.xlf")
    with pytest.raises(InputError, match="is a directory"):
        read_l10n(tmp_path)
    empty = tmp_path / "empty.po"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="not an XLIFF, TMX or PO file"):
        read_l10n(empty)
    with pytest.raises(InputError, match="no PO entries"):
        read_l10n(empty, "po")
