"""Findings written back into XLIFF and PO files (pipeline.io.l10n.writeback).

Every real XLIFF and PO file of ../shared/data/l10n_files (or $MTQA_DATA_DIR/l10n_files) gets a
realistic set of findings on 20 units drawn at random with a fixed seed (spans of the target,
findings on the whole target or the source, two findings on one span, overlapping spans, plural
forms, untranslated units), and the written file must be:

* well-formed, and read back by our reader into the same units with the same texts and codes;
* the original and nothing else once the annotations are taken out again: the annotations are
  removed by regular expressions written here (not by the writer's code), and the bytes compared;
* valid against the OASIS XLIFF 1.2 strict / 2.0 schemas plus the ITS 2.0 Localization Quality
  Issue schema of tests/data/l10n_write (no validation error that the original does not have);
  the OASIS schemas come from Debian's php-symfony-translation package (or $MTQA_XLIFF_XSD_DIR),
  and those tests skip without them;
* with every finding present once, in its own unit, referenced from a marker around exactly its
  span where one can go, with the ITS type and severity of its category and severity.

PO: the same findings as ``# mtqa:`` translator comments at the head of their entries; removing
those lines gives the original bytes, msgfmt -c still accepts the file.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pipeline.categories import CATEGORIES
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.io.l10n import L10nFile, Unit, read_l10n
from pipeline.io.l10n.writeback import ITS_NS, ITS_TYPES, annotate, annotate_file, issues_for, its_severity, its_type, write_annotated

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "l10n_files"
HERE = ROOT / "tests" / "data" / "l10n_write"
ITS_XSD = HERE / "its20-lqi.xsd"
XSD_DIR = Path(os.environ.get("MTQA_XLIFF_XSD_DIR") or "/usr/share/php/Symfony/Component/Translation/Resources/schemas")
XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
SEVERITIES = ("critical", "major", "minor", "neutral")

XLIFF_FILES = [
    "xliff12_firefoxios_2015_de.xliff",
    "xliff12_mozillavpn_de.xliff",
    "xliff12_mozillavpn_fr.xliff",
    "xliff12_mozillavpn_ru.xliff",
    "xliff12_mozillavpn_uk.xliff",
    "xliff12_ndbcore_angular_de.xlf",
    "xliff20_bolt_messages_en.xlf",
    "xliff20_bolt_messages_de.xlf",
    "xliff20_bolt_messages_fr.xlf",
]
PO_FILES = ["po_git_de_first3165entries.po", "po_git_fr_first3131entries.po"]


def real(name: str) -> Path:
    path = DATA / name
    if not path.exists():
        pytest.skip(f"real localization file {name} not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")
    return path


# --- findings ----------------------------------------------------------------------------------------


def finding(document: str, unit: str, n: int, rng: random.Random, side: str = "target", start: int = 0, end: int = 0, text: str = "") -> dict[str, Any]:
    """An issue as results.json writes it, with a message unique to it (n)."""
    code = rng.choice(["M101", "A201", "F201", "T201", "L101", "A104", "N202", "X999"])
    return {
        "code": code, "category": rng.choice(sorted(CATEGORIES)), "severity": rng.choice(SEVERITIES),
        "message": f"synthetic finding {n} <&\"'> on {unit}", "document": document, "system": "target", "segment": 0,
        "start": start, "end": end, "text": text, "suggestion": rng.choice([None, "better & <safer>"]), "side": side,
        "bead": 0, "fingerprint": f"f{n}", "ignored": False, "data": {"unit": unit},
    }  # fmt: skip


def words(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\w+", text)]


def synthetic(f: L10nFile, name: str, seed: int = 15, n_units: int = 20) -> list[dict[str, Any]]:
    """Findings on n_units units drawn at random: per target (each plural form), a word, the
    whole target, the source, two findings on one word, and a span overlapping the first."""
    rng = random.Random(seed)
    several = len(f.documents) > 1
    candidates = [(d, u) for d in f.documents for u in d.units if u.translate]
    chosen = rng.sample(candidates, min(n_units, len(candidates)))
    chosen += [c for c in candidates if c[1].untranslated and c not in chosen][:2]  # a unit without a target, where a file has one
    out: list[dict[str, Any]] = []
    for doc, unit in chosen:
        document = f"{name}#{doc.id}" if several else name
        forms = [(f"{unit.key}[{k}]", form.text) for k, form in enumerate(unit.plurals)] if unit.plurals else [(unit.key, unit.target.text if unit.target else "")]
        for key, target in forms:
            spans = words(target)
            kinds = rng.sample(["word", "whole", "source", "twice", "overlap"], 3)
            if not spans:
                kinds = ["whole", "source"]
            for kind in kinds:
                n = len(out)
                if kind in ("word", "twice", "overlap"):
                    a, b = spans[0] if kind == "overlap" else rng.choice(spans)
                    if kind == "overlap":
                        out.append(finding(document, key, n, rng, start=a, end=b, text=target[a:b]))
                        a, b = a + (1 if b - a > 1 else 0), min(len(target), b + 2)
                        n += 1
                    out.append(finding(document, key, n, rng, start=a, end=b, text=target[a:b]))
                    if kind == "twice":
                        out.append(finding(document, key, n + 1, rng, start=a, end=b, text=target[a:b]))
                elif kind == "whole":
                    out.append(finding(document, key, n, rng))
                else:
                    source_spans = words(unit.source.text) or [(0, 0)]
                    a, b = rng.choice(source_spans)
                    out.append(finding(document, key, n, rng, side="source", start=a, end=b, text=unit.source.text[a:b]))
    return out


# --- taking the annotations out again (independently of the writer) ------------------------------

_BLOCK = re.compile(r"(?:\r?\n[ \t]*)?<(\w+):locQualityIssues\b[^>]*>.*?</\1:locQualityIssues>", re.DOTALL)
_DECLARATION = re.compile(r' xmlns:(\w+)="http://www\.w3\.org/2005/11/its" \1:version="2\.0"')
_REF = re.compile(r' \w+:locQualityIssuesRef="[^"]*"')
_MARKER = re.compile(r"<!\[CDATA\[.*?\]\]>|<(/?)((?:\w+:)?(?:mrk|sm|em))\b([^>]*)>", re.DOTALL)


def strip_annotations(text: str) -> str:
    out, at, ours, sm_ids = [], 0, [], set()
    for m in _MARKER.finditer(text):
        if m.group(2) is None:  # a CDATA section: text, whatever it looks like
            continue
        closing, name, attrs = m.group(1), m.group(2).rpartition(":")[2], m.group(3)
        mine = "locQualityIssuesRef" in attrs and ('mtype="x-its"' in attrs or 'type="its:any"' in attrs)
        if name == "sm" and mine:
            sm_ids.add(re.search(r'id="([^"]*)"', attrs).group(1))  # type: ignore[union-attr]
        elif name == "em":
            mine = re.search(r'startRef="([^"]*)"', attrs).group(1) in sm_ids  # type: ignore[union-attr]
        elif name == "mrk" and not attrs.endswith("/"):
            if closing:
                mine = ours.pop()
            else:
                ours.append(mine)
        if mine:
            out.append(text[at : m.start()])
            at = m.end()
    out.append(text[at:])
    text = "".join(out)
    return _DECLARATION.sub("", _REF.sub("", _BLOCK.sub("", text)))


# --- checks ---------------------------------------------------------------------------------------


def unit_fields(u: Unit) -> tuple[Any, ...]:
    return (u.key, u.source.text, None if u.target is None else u.target.text, tuple(p.text for p in u.plurals), u.state, u.notes, u.context)


def own_codes(u: Unit) -> list[tuple[Any, ...]]:
    """The codes of a unit's targets less the markers the writer added."""
    out = []
    for text in [u.target, *u.plurals]:
        if text is None:
            continue
        sm_ids = {c.id for c in text.codes if c.kind == "sm" and "mtqa" in (c.id or "")}
        for c in text.codes:
            if any(k.endswith("locQualityIssuesRef") for k in c.attrs) or (c.kind == "em" and c.attrs.get("startRef") in sm_ids):
                continue
            out.append((c.kind, c.id, c.start, c.end, c.xml, c.close_xml))
    return out


def xliff_schema(version: str) -> etree.XMLSchema:
    if not (XSD_DIR / "xliff-core-1.2-strict.xsd").exists():
        pytest.skip(f"XLIFF schemas not found in {XSD_DIR} (apt-get install php-symfony-translation, or set MTQA_XLIFF_XSD_DIR)")
    xml_xsd = str(XSD_DIR / "xml.xsd")

    class Local(etree.Resolver):
        def resolve(self, url: str, pubid: str, context: Any) -> Any:
            return self.resolve_filename(xml_xsd, context) if url.endswith("xml.xsd") else None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(Local())
    ns, main_xsd = (XLIFF1_NS, "xliff-core-1.2-strict.xsd") if version == "1.2" else (XLIFF2_NS, "xliff-core-2.0.xsd")
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="{ns}" schemaLocation="{(XSD_DIR / main_xsd).as_uri()}"/>'
        f'<xs:import namespace="{ITS_NS}" schemaLocation="{ITS_XSD.as_uri()}"/></xs:schema>'
    )
    return etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(HERE) + "/"))


def schema_errors(schema: etree.XMLSchema, data: bytes) -> Counter[str]:
    schema.validate(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)))
    return Counter(e.message for e in schema.error_log)


def marked_text(el: Any) -> str:
    """The plain text of a marker's content as the reader counts it (codes' content is no text)."""
    codes = {"x", "bx", "ex", "ph", "bpt", "ept", "it", "sc", "ec", "sm", "em", "cp"}
    out = [el.text or ""]
    for child in el:
        local = etree.QName(child).localname
        if local not in codes:
            out.append(marked_text(child))
        out.append(child.tail or "")
    return "".join(out)


def sm_text(sm: Any) -> str:
    """The plain text between an <sm/> and its <em/>, in document order."""
    out, inside = [], False
    root = sm.getroottree().getroot()
    for event, node in etree.iterwalk(root, events=("start", "end")):
        local = etree.QName(node).localname
        if event == "start" and node is sm:
            inside = True
        elif inside and event == "start" and local == "em" and node.get("startRef") == sm.get("id"):
            return "".join(out)
        elif inside and event == "start" and node is not sm:
            out.append(node.text or "") if local not in {"ph", "sc", "ec", "sm", "em", "cp"} else None
        if inside and event == "end" and node is not sm:
            out.append(node.tail or "")
    raise AssertionError("no <em/> for the marker")


def unit_element(el: Any) -> Any:
    """The trans-unit (or its x-gettext-plurals group) / unit an element is in."""
    while el is not None:
        local = etree.QName(el).localname
        if local == "unit" or (local == "trans-unit" and el.getparent().get("restype") != "x-gettext-plurals"):
            return el
        if local == "group" and el.get("restype") == "x-gettext-plurals":
            return el
        el = el.getparent()
    raise AssertionError("not inside a unit")


def check_findings_present(data: bytes, issues: list[dict[str, Any]], f: L10nFile) -> Counter[str]:
    """Every finding once, in its unit, referenced once, typed and weighed as mapped; returns how
    each finding is referenced (marker, sm, element)."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.get(f"{{{ITS_NS}}}version") == "2.0"
    blocks = {b.get("{http://www.w3.org/XML/1998/namespace}id"): b for b in root.iter(f"{{{ITS_NS}}}locQualityIssues")}
    refs: dict[str, list[Any]] = {}
    for el in root.iter():
        ref = el.get(f"{{{ITS_NS}}}locQualityIssuesRef")
        if ref is not None:
            refs.setdefault(ref.removeprefix("#").removeprefix("its="), []).append(el)
    assert sorted(refs) == sorted(blocks) and all(len(v) == 1 for v in refs.values())  # each standoff referenced exactly once
    by_message: dict[str, Any] = {}
    for b in blocks.values():
        for issue_el in b:
            comment = issue_el.get("locQualityIssueComment")
            key = re.search(r"synthetic finding \d+ ", comment).group()  # type: ignore[union-attr]
            assert key not in by_message
            by_message[key] = issue_el
    assert len(by_message) == len(issues)
    how: Counter[str] = Counter()
    for issue in issues:
        issue_el = by_message[f"synthetic finding {issue['fingerprint'][1:]} "]
        assert issue_el.get("locQualityIssueType") == its_type(issue["category"], issue["code"])
        assert issue_el.get("locQualityIssueSeverity") == str(its_severity(issue["severity"]))
        assert issue_el.get("locQualityIssueComment").startswith(f"{issue['code']}: {issue['message']}")
        block = issue_el.getparent()
        (ref_el,) = refs[block.get("{http://www.w3.org/XML/1998/namespace}id")]
        assert unit_element(block) is unit_element(ref_el)  # the standoff and its reference in one unit
        unit_el = unit_element(ref_el)
        unit_id = re.sub(r"\[\d+\]$", "", issue["data"]["unit"]).split("#")[0]
        assert (unit_el.get("id") or unit_el[0].get("id")) == unit_id
        local = etree.QName(ref_el).localname
        parent = ref_el.getparent()
        whole = local == "mrk" and etree.QName(parent).localname == "target" and not (parent.text or ref_el.tail) and len(parent) == 1
        if local in ("mrk", "sm") and not whole:
            assert issue["side"] == "target" and issue["end"] > issue["start"]
            assert (marked_text(ref_el) if local == "mrk" else sm_text(ref_el)) == issue["text"]
            how[local] += 1
        else:
            how["element"] += 1
    return how


def roundtrip(tmp_path: Path, name: str, data: bytes) -> L10nFile:
    out = tmp_path / name
    out.write_bytes(data)
    return read_l10n(out)


# --- real XLIFF files ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", XLIFF_FILES)
def test_real_xliff_write_back(name: str, tmp_path: Path) -> None:
    path = real(name)
    original = path.read_bytes()
    assert b"locQualityIssue" not in original
    f = read_l10n(path)
    issues = synthetic(f, name)
    assert len(issues) >= 40
    result = annotate_file(path, issues)
    assert result.placed == len(issues) and not result.unplaced
    data = result.data
    # well-formed, and the same units, texts and codes for our reader
    again = roundtrip(tmp_path, name, data)
    assert [unit_fields(u) for u in again.units()] == [unit_fields(u) for u in f.units()]
    assert [own_codes(u) for u in again.units()] == [own_codes(u) for u in f.units()]
    # the annotations are all that changed
    assert strip_annotations(data.decode("utf-8")).encode("utf-8") == original
    # every finding once, where it belongs; spans of the target in units without codes are marked exactly
    how = check_findings_present(data, issues, f)
    assert how["mrk"] > 0 and how["element"] > 0


@pytest.mark.parametrize("name", XLIFF_FILES)
def test_real_xliff_write_back_validates(name: str) -> None:
    path = real(name)
    schema = xliff_schema("2.0" if name.startswith("xliff20") else "1.2")
    original = path.read_bytes()
    data = annotate(path, synthetic(read_l10n(path), name))
    before, after = schema_errors(schema, original), schema_errors(schema, data)
    assert after == before  # no error the original does not have (Firefox iOS: Xcode's build-num on <tool>, not in the strict schema)
    if "firefoxios" not in name:
        assert not after


def test_real_uk_units_without_a_target_are_annotated_on_the_trans_unit() -> None:
    path = real("xliff12_mozillavpn_uk.xliff")
    f = read_l10n(path)
    missing = [u for u in f.units() if u.target is None][:3]
    several = len(f.documents) > 1
    doc_of = {u.key: d.id for d in f.documents for u in d.units}
    name = path.name
    issues = [
        {"code": "A104", "category": "accuracy/omission", "severity": "major", "message": "the target is empty", "side": "source",
         "document": f"{name}#{doc_of[u.key]}" if several else name, "start": 0, "end": len(u.source.text), "text": u.source.text,
         "data": {"unit": u.key}}
        for u in missing
    ]  # fmt: skip
    root = etree.fromstring(annotate(path, issues))
    for u in missing:
        (tu,) = root.xpath("//x:trans-unit[@id=$id]", namespaces={"x": XLIFF1_NS}, id=u.key)
        ref = tu.get(f"{{{ITS_NS}}}locQualityIssuesRef")
        (block,) = tu.findall(f"{{{ITS_NS}}}locQualityIssues")
        assert ref == "#" + block.get("{http://www.w3.org/XML/1998/namespace}id")
        assert block[0].get("locQualityIssueType") == "untranslated" and block[0].get("locQualityIssueSeverity") == "50"
        assert tu.find(f"{{{XLIFF1_NS}}}target") is None  # no target is invented


def test_real_run_of_bolt_de_writes_the_four_placeholder_errors_back(tmp_path: Path) -> None:
    en, de = real("xliff20_bolt_messages_en.xlf"), real("xliff20_bolt_messages_de.xlf")
    out = tmp_path / "out"
    assert main(["run", str(en), str(de), "--disable", "F4,A5", "-o", str(out), "-q"]) == 0
    issues = [json.loads(line) for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = issues_for(issues, de.name)
    assert len(mine) == len(issues) > 0
    dest = tmp_path / de.name
    result = write_annotated(de, mine, dest)
    assert result.placed == len(issues)
    data = dest.read_bytes()
    assert strip_annotations(data.decode()).encode() == de.read_bytes()
    root = etree.fromstring(data)
    ns = {"x": XLIFF2_NS, "its": ITS_NS}
    placeholders = root.xpath("//its:locQualityIssue[starts-with(@locQualityIssueComment, 'M1')]", namespaces=ns)
    assert sorted(p.get("locQualityIssueComment")[:4] for p in placeholders) == ["M101", "M101", "M101", "M103"]
    assert {p.get("locQualityIssueType") for p in placeholders} == {"markup"}
    (renamed,) = root.xpath("//x:unit[@id='SxW1D3L']//x:mrk", namespaces=ns)
    assert renamed.text == "%Stunden%" and renamed.get("type") == "its:any"  # the span itself is marked
    assert not list(tmp_path.glob(".*.tmp"))


# --- real PO files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PO_FILES)
def test_real_po_write_back(name: str, tmp_path: Path) -> None:
    path = real(name)
    original = path.read_bytes()
    f = read_l10n(path)
    issues = synthetic(f, name)
    plural = [u for u in f.units() if u.plurals][:2]
    rng = random.Random(3)
    issues += [finding(name, f"{u.key}[1]", len(issues) + k, rng, start=0, end=3, text=u.plurals[1].text[:3]) for k, u in enumerate(plural)]
    result = annotate_file(path, issues)
    assert result.placed == len(issues) and not result.unplaced
    data = result.data
    lines = data.split(b"\n")
    assert b"\n".join(ln for ln in lines if not ln.startswith(b"# mtqa: ")) == original
    assert sum(ln.startswith(b"# mtqa: ") for ln in lines) == len(issues)
    again = roundtrip(tmp_path, name, data)
    assert [unit_fields(u)[:5] for u in again.units()] == [unit_fields(u)[:5] for u in f.units()]
    comments = {u.key: "\n".join(n.text for n in u.notes if n.origin == "translator") for u in again.units()}
    for issue in issues:
        key = re.sub(r"\[\d+\]$", "", issue["data"]["unit"]) if issue["data"]["unit"] not in comments else issue["data"]["unit"]
        mine = [c for c in comments[key].split("\n") if f"synthetic finding {issue['fingerprint'][1:]} " in c]
        assert len(mine) == 1 and mine[0].startswith(f"mtqa: {issue['code']} ") and mine[0].endswith(tuple(f"({s})" for s in SEVERITIES) + ("<safer>]",))
        if issue in issues[-len(plural) :]:
            assert f"mtqa: {issue['code']} msgstr[1]" in mine[0]  # the plural form is named
    if shutil.which("msgfmt"):
        (tmp_path / "out.po").write_bytes(data)
        check = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(tmp_path / "out.po")], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr


# --- small files: what the real ones do not have ---------------------------------------------------


def issue(unit: str, start: int = 0, end: int = 0, text: str = "", side: str = "target", code: str = "M101", document: str = "f.xlf") -> dict[str, Any]:
    return {"code": code, "category": "design-and-markup/markup", "severity": "major", "message": f"{code} at {unit} {start}", "document": document,
            "start": start, "end": end, "text": text, "side": side, "data": {"unit": unit}}  # fmt: skip


XLIFF12_CODES = (
    "\ufeff<?xml version='1.0' encoding='UTF-8'?>\r\n"
    "<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2' xmlns:its='urn:example:not-its'>\r\n"
    "\t<file original='a' source-language='en' target-language='de' datatype='plaintext'><body>\r\n"
    "\t\t<trans-unit id='g'>\r\n"
    "\t\t\t<source>Click <g id='1'>here</g> now</source>\r\n"
    "\t\t\t<target>Klicken Sie <g id='1'>hier &amp; da</g> jetzt<!-- c --></target>\r\n"
    "\t\t</trans-unit>\r\n"
    "\t\t<trans-unit id='one'><source>A &lt;b&gt;</source><target>B &#233;t&#xE9; &lt;b&gt;</target></trans-unit>\r\n"
    "\t</body></file>\r\n"
    "</xliff>\r\n"
)


def test_xliff12_markers_inside_and_across_codes_crlf_bom_tabs_and_a_taken_prefix(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_bytes(XLIFF12_CODES.encode("utf-8"))
    target = read_l10n(path).documents[0].units[0].target
    assert target is not None and target.text == "Klicken Sie hier & da jetzt"
    issues = [
        issue("g", 12, 21, "hier & da"),  # inside <g>: a marker there
        issue("g", 8, 16, "Sie hier"),  # crosses <g>'s start: the whole target
        issue("one", 2, 5, "été"),  # character references
        issue("one", 6, 9, "<b>"),  # entity references
        issue("one", 0, 1, "X"),  # text that is not the target's: the whole target
    ]
    data = annotate(path, issues)
    text = data.decode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") and "\r\n" in text and "\n" not in text.replace("\r\n", "")  # BOM and CRLF kept
    assert "xmlns:its1='" not in text and 'xmlns:its1="http://www.w3.org/2005/11/its" its1:version="2.0"' in text  # 'its' is taken
    assert '<g id=\'1\'><mrk mtype="x-its" its1:locQualityIssuesRef="#mtqa-lqi-' in text and "hier &amp; da</mrk></g>" in text
    assert '<target its1:locQualityIssuesRef="#mtqa-lqi-' in text  # the span crossing <g>
    assert re.search(r'<mrk mtype="x-its" its1:locQualityIssuesRef="#mtqa-lqi-\d">&#233;t&#xE9;</mrk>', text)
    assert "&lt;b&gt;</mrk>" in text
    assert "\r\n\t\t\t<its1:locQualityIssues xml:id=" in text and "\r\n\t\t\t\t<its1:locQualityIssue " in text  # the unit's own indentation
    assert "</target><its1:locQualityIssues xml:id=" in text  # a one-line unit stays on its line
    assert strip_annotations(text).encode("utf-8") == XLIFF12_CODES.encode("utf-8")
    again = roundtrip(tmp_path, "again.xlf", data)
    assert [u.target.text for u in again.units() if u.target] == ["Klicken Sie hier & da jetzt", "B été <b>"]


XLIFF2_CODES = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="fr">
  <file id="f1">
    <unit id="u1">
      <segment id="s1">
        <source>Press <pc id="1">Save</pc> now.</source>
        <target>Appuyez sur <pc id="1">Enregistrer</pc> maintenant.</target>
      </segment>
      <segment id="s2">
        <source>Done.</source>
        <target></target>
      </segment>
    </unit>
    <unit id="u2">
      <segment>
        <source>Hello <ph id="mtqa1"/>world</source>
        <target>Bonjour <ph id="mtqa1"/>le monde</target>
      </segment>
    </unit>
  </file>
  <file id="f2">
    <unit id="u1"><segment><source>Other</source><target>Autre</target></segment></unit>
  </file>
</xliff>
"""


def test_xliff2_sm_em_across_codes_segments_empty_targets_and_documents(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_text(XLIFF2_CODES, encoding="utf-8")
    issues = [
        issue("u1#s1", 8, 23, "sur Enregistrer", document="f.xlf#f1"),  # starts outside <pc>, ends inside: sm/em
        issue("u1#s1", 12, 23, "Enregistrer", document="f.xlf#f1"),  # overlaps the first: the whole target (a wrapping mrk)
        issue("u1#s2", document="f.xlf#f1"),  # empty target: the unit
        issue("u2", 8, 16, "le monde", document="f.xlf#f1"),  # a marker id that is not the code's
        issue("u1", 0, 5, "Autre", document="f.xlf#f2"),  # the other <file>'s u1
        issue("u9", document="f.xlf#f1"),  # no such unit
    ]
    result = annotate_file(path, issues)
    assert result.placed == 5 and [f.unit for f in result.unplaced] == ["u9"]
    text = result.data.decode("utf-8")
    # the whole target (the overlapping finding) wraps the sm/em pair of the span that crosses <pc>
    assert re.search(
        r'<target><mrk id="mtqa1" type="its:any" its:locQualityIssuesRef="#its=mtqa-lqi-\d">Appuyez '
        r'<sm id="mtqa2" type="its:any" its:locQualityIssuesRef="#its=mtqa-lqi-\d"/>sur <pc id="1">Enregistrer<em startRef="mtqa2"/></pc> maintenant.</mrk></target>',
        text,
    )
    assert re.search(r'<unit id="u1" its:locQualityIssuesRef="#its=mtqa-lqi-\d+">', text)  # the empty target's finding
    assert 'Bonjour <ph id="mtqa1"/><mrk id="mtqa2" type="its:any"' in text  # mtqa1 is a code's id in u2
    assert '<target><mrk id="mtqa1" type="its:any" its:locQualityIssuesRef="#its=mtqa-lqi-' in text.split('<file id="f2">')[1]
    # standoff at the start of the unit, before <segment>, indented like the unit's children
    assert re.search(r'<unit id="u2">\n      <its:locQualityIssues xml:id="mtqa-lqi-\d+">\n        <its:locQualityIssue ', text)
    assert strip_annotations(text) == XLIFF2_CODES
    again = roundtrip(tmp_path, "again.xlf", result.data)
    assert [u.target.text if u.target else None for u in again.units()] == [u.target.text if u.target else None for u in read_l10n(path).units()]
    if (XSD_DIR / "xliff-core-2.0.xsd").exists():
        assert not schema_errors(xliff_schema("2.0"), result.data)


def test_a_target_with_a_reference_of_its_own_gets_a_wrapping_marker_and_legacy_encodings_get_character_references(tmp_path: Path) -> None:
    original = (
        '<?xml version="1.0" encoding="windows-1252"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0" version="1.2">\n'
        ' <file original="a" source-language="en" target-language="fr" datatype="plaintext"><body>\n'
        '  <trans-unit id="t">\n   <source>Caf\xe9</source>\n   <target its:locQualityIssuesRef="http://example.com/lqi#1">Caf\xe9</target>\n  </trans-unit>\n'
        " </body></file>\n</xliff>\n"
    ).encode("windows-1252")
    path = tmp_path / "f.xlf"
    path.write_bytes(original)
    found = {**issue("t", document="f.xlf"), "message": "Кириллица and café"}
    data = annotate(path, [found])
    text = data.decode("windows-1252")
    assert "xmlns:its=" in text and text.count("its:version") == 1  # the file's own declaration is used
    assert '<target its:locQualityIssuesRef="http://example.com/lqi#1"><mrk mtype="x-its" its:locQualityIssuesRef="#mtqa-lqi-1">Caf\xe9</mrk></target>' in text
    assert "&#1050;&#1080;" in text and "caf\xe9" in text  # what windows-1252 cannot write, as character references
    assert etree.fromstring(data) is not None


def test_po_contexts_plurals_crlf_and_entries_without_blank_lines(tmp_path: Path) -> None:
    original = (
        'msgid ""\r\nmsgstr ""\r\n"Content-Type: text/plain; charset=UTF-8\\n"\r\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\r\n\r\n'
        '#. extracted\r\n#: a.c:1\r\n#, c-format\r\nmsgctxt "menu"\r\nmsgid "Open %s"\r\nmsgstr "Öffnen"\r\n'
        'msgid "%d file"\r\nmsgid_plural "%d files"\r\nmsgstr[0] "%d Datei"\r\nmsgstr[1] "Dateien"\r\n\r\n'
        '#~ msgid "old"\r\n#~ msgstr "alt"\r\n# translator\r\nmsgid ""\r\n"Line one\\n"\r\n"line two"\r\nmsgstr ""\r\n"Zeile eins\\n"\r\n"Zeile zwo"\r\n'
    )
    path = tmp_path / "f.po"
    path.write_bytes(original.encode("utf-8"))
    issues = [
        issue("menu\x04Open %s", 0, 2, "%s", side="source", document="f.po"),
        issue("%d file[1]", 0, 7, "Dateien", document="f.po"),
        issue("Line one\nline two", 11, 15, "Zeile", document="f.po"),
    ]
    issues[2]["start"], issues[2]["end"], issues[2]["text"] = 11, 15, "Zeil"
    data = annotate(path, issues).decode("utf-8")
    assert "\r\n# mtqa: M101 msgid: M101 at menu\x04Open %s 0 (major)\r\n#. extracted\r\n" in data  # above the entry's comments
    assert 'msgstr "Öffnen"\r\n# mtqa: M101 msgstr[1]: M101 at %d file[1] 0 (major)\r\nmsgid "%d file"' in data  # no blank line between entries
    assert '#~ msgstr "alt"\r\n# mtqa: M101 msgstr line 2: M101 at Line one\nline two 11 (major)\r\n# translator\r\n' not in data  # one line per comment
    assert '#~ msgstr "alt"\r\n# mtqa: M101 msgstr line 2: M101 at Line one line two 11 (major)\r\n# translator\r\n' in data
    assert "".join(ln for ln in data.splitlines(keepends=True) if not ln.startswith("# mtqa: ")) == original
    assert [u.key for u in roundtrip(tmp_path, "again.po", data.encode("utf-8")).units()] == [u.key for u in read_l10n(path).units()]


def test_tmx_is_read_only_and_nothing_is_written(tmp_path: Path) -> None:
    src = real("tmx14_omegat_instant_start_en_fr.tmx")
    dest = tmp_path / "out.tmx"
    with pytest.raises(InputError, match="TMX is read-only"):
        write_annotated(src, [], dest)
    assert list(tmp_path.iterdir()) == []


def test_write_annotated_replaces_the_destination_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "f.xlf"
    path.write_text(XLIFF2_CODES, encoding="utf-8")
    dest = tmp_path / "out.xlf"
    dest.write_text("old", encoding="utf-8")
    result = write_annotated(path, [issue("u2", 8, 16, "le monde", document="f.xlf#f1")], dest)
    assert result.placed == 1 and dest.read_bytes() == annotate(path, [issue("u2", 8, 16, "le monde", document="f.xlf#f1")])
    assert oct(dest.stat().st_mode & 0o777) != oct(0o600)
    (tmp_path / "bad.xlf").write_text(XLIFF2_CODES[:-20], encoding="utf-8")  # truncated: the reader refuses it
    with pytest.raises(InputError):
        write_annotated(tmp_path / "bad.xlf", [], dest)
    assert dest.read_bytes() == result.data and sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlf", "f.xlf", "out.xlf"]


def test_every_category_has_an_its_type_and_rules_refine_it() -> None:
    assert {its_type(c) for c in CATEGORIES} <= ITS_TYPES
    assert its_type("design-and-markup/markup", "M101") == "markup"
    assert its_type("accuracy/mistranslation", "A201") == "numbers"
    assert its_type("accuracy/omission", "A104") == "untranslated"
    assert its_type("fluency/spelling", "F201") == "misspelling"
    assert its_type("locale-convention/date-format", "L301") == "locale-violation"
    assert its_type("fluency/grammar", "T101") == "duplication"
    assert its_type("no/such", "Z1") == "other"
    assert [its_severity(s) for s in SEVERITIES] == [100, 50, 10, 0]
