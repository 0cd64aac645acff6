"""`mtqa run` on real localization files (../shared/data/l10n_files): languages from the file, one
segment pair per unit, each finding naming its unit, and the results every reader of results accepts."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
L10N = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "l10n_files"

needs_data = pytest.mark.skipif(not L10N.is_dir(), reason=f"real localization files not found in {L10N} (set MTQA_DATA_DIR)")


def run(tmp_path: Path, *args: str) -> tuple[dict, list[dict]]:
    out = tmp_path / "out"
    assert main(["run", *args, "--disable", "F4,A5", "-o", str(out), "-q"]) == 0
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results, [json.loads(line) for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()]


@needs_data
def test_bolt_de_against_its_english_messages_finds_the_four_placeholder_errors(tmp_path):
    """The key-as-source layout: messages.en.xlf gives the English text of each key (joined by unit name)."""
    results, issues = run(tmp_path, str(L10N / "xliff20_bolt_messages_en.xlf"), str(L10N / "xliff20_bolt_messages_de.xlf"))
    assert (results["job"]["src_lang"], results["job"]["tgt_lang"]) == ("en", "de")  # from srcLang/trgLang
    found = {(i["code"], i["text"]) for i in issues if i["code"].startswith("M1")}
    assert found == {("M101", "%contenttypes%"), ("M101", "%tryagain%"), ("M103", "%Stunden%")}
    assert Counter(i["code"] for i in issues if i["code"].startswith("M1")) == {"M101": 3, "M103": 1}  # two units drop %contenttypes%
    by_unit = {i["data"]["unit"] for i in issues if i["code"] == "M103"}
    assert by_unit == {"SxW1D3L"}  # the German file's unit id, for the reviewer and the write-back
    assert any("have no counterpart" in n for n in results["notes"])  # 39 German units without an English key


@needs_data
def test_untranslated_units_are_findings_not_errors(tmp_path):
    results, issues = run(tmp_path, str(L10N / "xliff12_mozillavpn_uk.xliff"))
    assert (results["job"]["src_lang"], results["job"]["tgt_lang"]) == ("en", "uk")
    empty = [i for i in issues if i["code"] == "A104"]
    assert len(empty) == 74 and all(i["side"] == "source" and i["data"]["unit"] for i in empty)
    # nothing else fires on an empty target: one finding per untranslated unit
    flagged_units = Counter(i["data"]["unit"] for i in issues)
    assert all(flagged_units[i["data"]["unit"]] == 1 for i in empty)
    segments = results["documents"][0]["targets"]["target"]
    assert all("unit" in s for s in segments)


@needs_data
def test_a_file_without_a_target_language_needs_one_and_then_reads(tmp_path, capsys):
    """The Angular file names only its source language; its one empty-but-translated unit is found."""
    assert main(["run", str(L10N / "xliff12_ndbcore_angular_de.xlf"), "-o", str(tmp_path / "x"), "-q"]) == 2
    assert "--tgt-lang" in capsys.readouterr().err
    _, issues = run(tmp_path, str(L10N / "xliff12_ndbcore_angular_de.xlf"), "-t", "de")
    assert [i["code"] for i in issues].count("A104") == 1


@needs_data
def test_po_file_reads_msgids_as_english_and_finds_the_added_printf_argument(tmp_path):
    results, issues = run(tmp_path, str(L10N / "po_git_de_first3165entries.po"))
    assert (results["job"]["src_lang"], results["job"]["tgt_lang"]) == ("en", "de")
    assert any("does not name the language of its msgids" in n for n in results["notes"])
    added = {i["data"]["unit"] for i in issues if i["code"] == "M102"}
    assert added == {"cannot pread pack file", "could not open temporary file"}  # "Kann Paketdatei %s nicht lesen"
    assert not [i for i in issues if i["code"] == "T205"]  # "git apply --cached": options are not dashes


@needs_data
def test_a_folder_of_localization_files_is_a_folder_of_documents(tmp_path):
    folder = tmp_path / "tm"
    folder.mkdir()
    for name in ("tmx14_omegat_instant_start_en_fr.tmx", "tmx14_omegat_website_en_fr.tmx"):
        (folder / name).write_bytes((L10N / name).read_bytes())
    results, _ = run(tmp_path, str(folder))
    assert sorted(d["id"] for d in results["documents"]) == ["tmx14_omegat_instant_start_en_fr.tmx", "tmx14_omegat_website_en_fr.tmx"]
    assert [len(d["source"]) for d in sorted(results["documents"], key=lambda d: d["id"])] == [46, 815]
    assert (results["job"]["src_lang"], results["job"]["tgt_lang"]) == ("en-US", "fr-FR")  # EN/FR and EN-US/FR-FR agree


@needs_data
def test_gate_report_and_ignore_accept_what_a_localization_run_writes(tmp_path):
    run(tmp_path, str(L10N / "xliff20_bolt_messages_en.xlf"), str(L10N / "xliff20_bolt_messages_de.xlf"))
    out = tmp_path / "out"
    policy = tmp_path / "gate.yaml"
    policy.write_text("rules:\n  - name: no placeholder errors\n    issues: {code: M1}\n    max: 0\n", encoding="utf-8")
    assert main(["gate", str(out / "results.json"), "--policy", str(policy), "-o", str(tmp_path / "gate"), "-q"]) == 1
    sarif = json.loads((tmp_path / "gate" / "results.sarif").read_text(encoding="utf-8"))
    placeholder = [r for r in sarif["runs"][0]["results"] if r["ruleId"].startswith("M1")]
    assert len(placeholder) == 4
    # every finding names its file, the unit's line and the unit (a reviewer opens the file there)
    hours = next(r for r in placeholder if r["ruleId"] == "M103")["locations"][0]
    assert hours["physicalLocation"]["artifactLocation"]["uri"].endswith("xliff20_bolt_messages_de.xlf")
    line = hours["physicalLocation"]["region"]["startLine"]
    assert "%Stunden%" in "".join((L10N / "xliff20_bolt_messages_de.xlf").read_text(encoding="utf-8").splitlines()[line - 1 : line + 8])
    assert hours["logicalLocations"] == [{"name": "SxW1D3L", "kind": "element"}]
    assert main(["report", str(out / "results.json"), "--output", str(tmp_path / "report.html"), "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "r.xlsx")["Issues"]
    header = [c.value for c in sheet[1]]
    units = {row[header.index("Unit")] for row in sheet.iter_rows(min_row=2, values_only=True) if row[header.index("Code")] == "M103"}
    assert units == {"SxW1D3L"}
    ignore = tmp_path / "ignore.yaml"
    assert main(["ignore", str(out / "results.json"), "--code", "M1", "--reason", "known", "--file", str(ignore)]) == 0
    assert main(["gate", str(out / "results.json"), "--policy", str(policy), "--ignore-file", str(ignore), "-o", str(tmp_path / "gate2"), "-q"]) == 0


HOSTILE = ROOT / "tests" / "data" / "l10n"


@pytest.mark.parametrize(
    "name",
    ["bomb.xlf", "xxe_file.xlf", "xxe_parameter.tmx", "undeclared_entity.tmx", "truncated.xlf", "wrong_namespace.xlf",
     "broken_header.po", "unterminated.po", "bad_plural_forms.po", "invalid_utf8.po", "unknown_charset.po", "orphan_msgstr.po"],
)
def test_hostile_and_malformed_localization_files_end_the_run_with_one_line_and_exit_2(name, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(HOSTILE / name), "-s", "en", "-t", "de", "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mtqa: error:") and "\n" not in err and "Traceback" not in err
    assert not out.exists()  # nothing written, not even the folder


@needs_data
def test_write_back_puts_the_findings_into_the_translation_file(tmp_path):
    from pipeline.io.l10n import read_l10n

    out = tmp_path / "out"
    args = [str(L10N / "xliff20_bolt_messages_en.xlf"), str(L10N / "xliff20_bolt_messages_de.xlf"), "--write-back"]
    assert main(["run", *args, "--disable", "F4,A5", "-o", str(out), "-q"]) == 0
    annotated = out / "annotated" / "xliff20_bolt_messages_de.xlf"
    text = annotated.read_text(encoding="utf-8")
    assert text.count('locQualityIssueType="markup" locQualityIssueComment="M1') == 4  # the four placeholder errors
    assert 'its:locQualityIssuesRef="#its=' in text and 'xmlns:its="http://www.w3.org/2005/11/its"' in text
    original, again = read_l10n(L10N / "xliff20_bolt_messages_de.xlf"), read_l10n(annotated)
    assert [(u.key, u.source.text, u.target.text if u.target else None) for u in again.units()] == [
        (u.key, u.source.text, u.target.text if u.target else None) for u in original.units()
    ]


@needs_data
def test_write_back_leaves_tmx_alone_with_a_note(tmp_path):
    results, _ = run(tmp_path, str(L10N / "tmx14_omegat_instant_start_en_fr.tmx"), "--write-back")
    assert any("TMX is read-only" in n for n in results["notes"])
    assert not (tmp_path / "out" / "annotated").exists()


def test_a_rerun_sees_a_changed_tag_even_when_the_text_is_the_same(tmp_path):
    """The run cache keys on inline codes and units too, not only on the text (a tag is all that changed)."""
    xliff = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" target-language="de" datatype="plaintext" original="app">
    <body>
      <trans-unit id="greeting">
        <source>Click <x id="1"/> to continue</source>
        <target>Klicken Sie auf <x id="{tag}"/>, um fortzufahren</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""
    path = tmp_path / "app.xlf"
    out = tmp_path / "out"
    codes = []
    for tag in ("1", "2"):
        path.write_text(xliff.replace("{tag}", tag), encoding="utf-8")
        assert main(["run", str(path), "--disable", "F4,A5", "-o", str(out), "-q", "--cache-dir", str(tmp_path / "cache")]) == 0
        codes.append(sorted(json.loads(line)["code"] for line in (out / "issues.jsonl").read_text(encoding="utf-8").splitlines()))
    assert not any(c.startswith("M2") for c in codes[0])
    assert any(c.startswith("M2") for c in codes[1])
