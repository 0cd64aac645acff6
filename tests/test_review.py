"""Reviewer decisions flowing back: `mtqa review import` of a decisions JSON and of an edited
issues.xlsx, into the ignore and review files (comments kept), then a new run and the gate see them."""

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from report_data import flag_rules, write_inputs

from pipeline.cli import main
from pipeline.config import load_config
from pipeline.ignore import _HEADER as IGNORE_HEADER
from pipeline.ignore import apply_ignore_file, edit_entry_file, read_ignore_file
from pipeline.results import load_results
from pipeline.review import apply_review_file, decisions_problem, one_per_finding, read_decisions, read_review_file
from pipeline.run import run

IGNORE_WITH_COMMENTS = """\
# Our team's ignore list. Keep this header.

ignore:
  # names: the client keeps the German spellings
  - fingerprint: 0123456789abcdef   # an old entry, kept
    reason: client style guide
  - fedcba9876543210
"""


def _run(inputs: Path, out: Path, ignore_file: Path) -> dict:
    """`mtqa run` (the real run, reports and results.json) with the test rules; the results as read back."""
    src, hyps, ref = (inputs / "test.src.de", sorted(inputs.glob("test.hyp.*.en")), inputs / "test.ref.en")
    if not src.exists():
        write_inputs(inputs)
        hyps = sorted(inputs.glob("test.hyp.*.en"))
    config = load_config(
        None,
        {
            "input": {"paths": [str(src), *map(str, hyps)], "references": [str(ref)], "line_aligned": True},
            "src_lang": "de",
            "tgt_lang": "en",
            "scoring": {"metrics": ["chrf"], "bootstrap_samples": 100, "significance": {"tests": []}},
            "output": {"dir": str(out)},
            "ignore": {"file": str(ignore_file)},
            "execution": {"cache": False},
        },
    )
    run(config, "run", registry=flag_rules())
    return load_results(out / "results.json")  # validated against the schema


def _issue(data: dict, text: str, system: str = "A") -> dict:
    return next(i for i in data["issues"] if i["text"] == text and i["system"] == system)


def _decisions(data: dict, *items: tuple[dict, str, str]) -> dict:
    return {
        "mtqa_decisions": 1,
        "results": {"created": None, "systems": data["job"]["systems"]},
        "decisions": [
            {"fingerprint": i["fingerprint"], "status": status, "comment": comment, "code": i["code"], "text": i["text"], "system": i["system"], "location": f"{i['document']}:{i['segment'] + 1}"}
            for i, status, comment in items
        ],
    }


def _policy(tmp_path: Path, text: str) -> str:
    p = tmp_path / "policy.yaml"
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_decisions_json_round_trip_keeps_comments_and_reaches_run_and_gate(tmp_path, capsys):
    ignore = tmp_path / "review" / ".mtqa-ignore"
    ignore.parent.mkdir()
    ignore.write_text(IGNORE_WITH_COMMENTS, encoding="utf-8")
    before = _run(tmp_path / "in", tmp_path / "out1", ignore)
    selenskyj, script, peskow = _issue(before, "Selenskyj"), _issue(before, "<script>"), _issue(before, "Peskow")
    assert not selenskyj["ignored"] and "review" not in script

    decisions = _decisions(before, (selenskyj, "false_positive", "house style keeps it"), (script, "confirmed", "real markup leak"), (peskow, "fixed", ""))
    assert decisions_problem(decisions) is None
    path = tmp_path / "mtqa-decisions.json"
    path.write_text(json.dumps(decisions), encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "import", str(path), "--ignore-file", str(ignore)]) == 0
    out = capsys.readouterr().out
    assert "3 findings decided (1 confirmed, 1 false positive, 1 fixed)" in out
    assert f"{ignore}: 1 added, 0 removed, 0 updated, 0 unchanged" in out
    assert f"{ignore.parent / '.mtqa-review.yaml'}: 2 added, 0 removed, 0 updated, 0 unchanged" in out

    text = ignore.read_text(encoding="utf-8")
    assert text.startswith(IGNORE_WITH_COMMENTS.rstrip("\n"))  # header, comments, old entries untouched
    assert yaml.safe_load(text)["ignore"][-1] == {"fingerprint": selenskyj["fingerprint"], "reason": "house style keeps it", "code": "N901", "text": "Selenskyj"}
    reviews = read_review_file(ignore.parent / ".mtqa-review.yaml").entries
    assert {fp: (e.status, e.comment) for fp, e in reviews.items()} == {script["fingerprint"]: ("confirmed", "real markup leak"), peskow["fingerprint"]: ("fixed", None)}

    after = _run(tmp_path / "in", tmp_path / "out2", ignore)
    assert _issue(after, "Selenskyj")["ignored"] and _issue(after, "Selenskyj")["data"]["ignore_reason"] == "house style keeps it"
    assert _issue(after, "<script>")["review"] == {"status": "confirmed", "comment": "real markup leak"}
    assert _issue(after, "Peskow")["review"] == {"status": "fixed", "comment": None}
    assert "review" not in _issue(after, "onerror") and not _issue(after, "onerror")["ignored"]
    assert any("2 issue(s) marked reviewed" in n for n in after["notes"])

    # The gate: the false positive no longer counts, the confirmed issue counts as before.
    names = _policy(tmp_path, "rules:\n  - {issues: {code: N}, max: 1, systems: A}\n  - {issues: {severity: critical}, max: 0, systems: A}\n")
    results = str(tmp_path / "out2" / "results.json")
    capsys.readouterr()
    assert main(["gate", results, "-p", names, "--ignore-file", str(ignore)]) == 1
    verdict = capsys.readouterr().out
    assert "1 N issue (max 1)" in verdict  # Selenskyj is ignored, Peskow (fixed) still counts
    assert "1 critical issue (max 0), first at " in verdict and '(T901 "<script>": markup "<script>" in the translation) [confirmed in review]' in verdict
    assert "confirmed issues: 2 (confirmed or fixed in review; counted)" in verdict
    assert "ignored issues: 1" in verdict

    # Setting a decision back to open withdraws it: the entries leave both files, comments stay.
    reopen = _decisions(after, (_issue(after, "Selenskyj"), "open", ""), (_issue(after, "<script>"), "open", ""))
    path.write_text(json.dumps(reopen), encoding="utf-8")
    capsys.readouterr()
    assert main(["review", "import", str(path), "--ignore-file", str(ignore)]) == 0
    out = capsys.readouterr().out
    assert f"{ignore}: 0 added, 1 removed, 0 updated, 0 unchanged" in out
    assert "0 added, 1 removed, 0 updated, 0 unchanged" in out.splitlines()[-1]
    assert ignore.read_text(encoding="utf-8") == IGNORE_WITH_COMMENTS
    assert list(read_review_file(ignore.parent / ".mtqa-review.yaml").entries) == [peskow["fingerprint"]]
    # the gate re-reads both files: nothing ignored now, one issue still reviewed
    assert main(["gate", results, "-p", names, "--ignore-file", str(ignore), "-q"]) == 1
    data = json.loads(Path(results).read_text())
    apply_ignore_file(data, str(ignore))
    apply_review_file(data, str(ignore))
    assert not _issue(data, "Selenskyj")["ignored"] and "review" not in _issue(data, "<script>") and _issue(data, "Peskow")["review"]["status"] == "fixed"


def test_edited_issues_xlsx_round_trip(tmp_path, capsys):
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text("", encoding="utf-8")  # a new, empty list
    before = _run(tmp_path / "in", tmp_path / "out1", ignore)
    xlsx = tmp_path / "out1" / "issues.xlsx"
    assert xlsx.exists()

    # What the reviewer gets: a Status list, a Comment column, the fingerprints, a frozen header.
    wb = load_workbook(xlsx)
    ws = wb["Issues"]
    header = [c.value for c in ws[1]]
    status_col, comment_col, fp_col = header.index("Status") + 1, header.index("Comment") + 1, header.index("Fingerprint") + 1
    assert ws.freeze_panes == "A2"
    assert {ws.cell(row=r, column=fp_col).value for r in range(2, ws.max_row + 1)} == {i["fingerprint"] for i in before["issues"]}
    assert ws.column_dimensions[ws.cell(row=1, column=status_col).column_letter].width >= 10
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"open,confirmed,false positive,fixed"'
    letter = ws.cell(row=1, column=status_col).column_letter
    assert str(validation.sqref) == f"{letter}2:{letter}{ws.max_row}"
    assert {ws.cell(row=r, column=status_col).value for r in range(2, ws.max_row + 1)} == {"open"}

    # The reviewer edits it (as in Excel or LibreOffice) and saves.
    rows = {ws.cell(row=r, column=header.index("Flagged text") + 1).value + "/" + ws.cell(row=r, column=header.index("System") + 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(row=rows["Selenskyj/A"], column=status_col).value = "false positive"
    ws.cell(row=rows["Selenskyj/A"], column=comment_col).value = "client spelling"
    ws.cell(row=rows["<script>/A"], column=status_col).value = "Confirmed"
    ws.cell(row=rows["dazu/B"], column=status_col).value = None  # no decision: the row is skipped
    wb.save(xlsx)

    capsys.readouterr()
    assert main(["review", "import", str(xlsx), "--ignore-file", str(ignore)]) == 0
    out = capsys.readouterr().out
    assert f"{ignore}: 1 added" in out and "review.yaml: 1 added" in out
    assert [(e.fingerprint, e.reason) for e in read_ignore_file(ignore).entries.values()] == [(_issue(before, "Selenskyj")["fingerprint"], "client spelling")]

    after = _run(tmp_path / "in", tmp_path / "out2", ignore)
    assert _issue(after, "Selenskyj")["ignored"] and _issue(after, "<script>")["review"] == {"status": "confirmed", "comment": None}
    policy = _policy(tmp_path, "rules:\n  - {issues: {code: N}, max: 1, systems: A}\n")
    assert main(["gate", str(tmp_path / "out2" / "results.json"), "-p", policy, "--ignore-file", str(ignore), "-q"]) == 0

    # The next workbook shows the decisions, so importing it again changes nothing.
    wb = load_workbook(tmp_path / "out2" / "issues.xlsx", read_only=True)
    ws = wb["Issues"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    shown = {(r[header.index("Flagged text")], r[header.index("System")]): (r[header.index("Status")], r[header.index("Comment")]) for r in ws.iter_rows(min_row=2, values_only=True)}
    wb.close()
    assert shown[("Selenskyj", "A")] == ("false positive", "client spelling") and shown[("<script>", "A")] == ("confirmed", None)
    assert shown[("Peskow", "A")] == ("open", None)
    capsys.readouterr()
    assert main(["review", "import", str(tmp_path / "out2" / "issues.xlsx"), "--ignore-file", str(ignore)]) == 0
    assert "0 added, 0 removed, 0 updated" in capsys.readouterr().out


def test_mtqa_ignore_keeps_comments_and_order(tmp_path, monkeypatch):
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text(IGNORE_WITH_COMMENTS, encoding="utf-8")
    data = _run(tmp_path / "in", tmp_path / "out", ignore)
    fp = _issue(data, "Peskow")["fingerprint"]
    assert main(["ignore", str(tmp_path / "out"), "--fingerprint", fp, "--reason", "style: Peskow", "--file", str(ignore)]) == 0
    text = ignore.read_text(encoding="utf-8")
    assert text.startswith(IGNORE_WITH_COMMENTS.rstrip("\n"))
    assert text[len(IGNORE_WITH_COMMENTS) - 1 :].strip().startswith(f"- fingerprint: {fp}")
    assert list(read_ignore_file(ignore).entries) == ["0123456789abcdef", "fedcba9876543210", fp]
    assert read_ignore_file(ignore).entries[fp].reason == "style: Peskow"
    # a file without list indentation keeps its own style
    flat = tmp_path / "flat.yaml"
    flat.write_text("ignore:\n- fingerprint: 0123456789abcdef  # old\n", encoding="utf-8")
    assert main(["ignore", str(tmp_path / "out"), "--fingerprint", fp, "--file", str(flat)]) == 0
    assert flat.read_text(encoding="utf-8") == f"ignore:\n- fingerprint: 0123456789abcdef  # old\n- fingerprint: {fp}\n  code: N901\n  text: Peskow\n"


def _xlsx_with(tmp_path: Path, name: str, extra: dict[str, bytes] | None = None, rows: list[list] | None = None) -> Path:
    """A small workbook with an Issues sheet (and extra archive members)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Issues"
    for row in rows or [["Fingerprint", "Status", "Comment"], ["0123456789abcdef", "confirmed", "yes"]]:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    if extra:
        with zipfile.ZipFile(path, "a") as z:
            for member, content in extra.items():
                z.writestr(member, content)
    return path


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "missing.json", "no such decisions file"),
        (lambda p: (p / "e.json").write_text("{", encoding="utf-8") and p / "e.json", "not valid JSON"),
        (lambda p: (p / "r.json").write_text('{"schema": "mtqa-results"}', encoding="utf-8") and p / "r.json", "not an mtqa decisions file"),
        (lambda p: (p / "s.json").write_text('{"mtqa_decisions": 1, "decisions": [{"fingerprint": "0123456789abcdef", "status": "maybe"}]}', encoding="utf-8") and p / "s.json", "decisions/0/status"),
        (lambda p: (p / "f.json").write_text('{"mtqa_decisions": 1, "decisions": [{"fingerprint": "xyz", "status": "open"}]}', encoding="utf-8") and p / "f.json", "decisions/0/fingerprint"),
        (lambda p: (p / "v.json").write_text('{"mtqa_decisions": 2, "decisions": []}', encoding="utf-8") and p / "v.json", "mtqa_decisions"),
        (lambda p: (p / "b.xlsx").write_bytes(b"PK\x03\x04 not really a zip") and p / "b.xlsx", "not a readable XLSX workbook"),
        (lambda p: (p / "o.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) and p / "o.xlsx", "encrypted or old-format"),
        (lambda p: _xlsx_with(p, "m.xlsx", {"xl/vbaProject.bin": b"macro"}), "contains macros"),
        (lambda p: _xlsx_with(p, "m.xlsm"), "macro-enabled workbook"),
        (lambda p: _xlsx_with(p, "n.xlsx", rows=[["Fingerprint", "Comment"], ["0123456789abcdef", "x"]]), "no 'Status' column"),
        (lambda p: _xlsx_with(p, "w.xlsx", rows=[["Fingerprint", "Status"], ["0123456789abcdef", "perhaps"]]), "row 2: status 'perhaps' is not one of open, confirmed, false positive, fixed"),
        (lambda p: _xlsx_with(p, "x.xlsx", rows=[["Fingerprint", "Status"], ["12", "open"]]), "row 2: '12' is not an issue fingerprint"),
    ],
)
def test_bad_decision_files_exit_2_with_one_line(tmp_path, capsys, make, message):
    path = make(tmp_path)
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text(IGNORE_WITH_COMMENTS, encoding="utf-8")
    assert main(["review", "import", str(path), "--ignore-file", str(ignore)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert ignore.read_text(encoding="utf-8") == IGNORE_WITH_COMMENTS  # nothing half-written
    assert not (tmp_path / ".mtqa-review.yaml").exists()


def test_a_broken_review_or_ignore_file_stops_the_import_before_any_change(tmp_path, capsys):
    decisions = tmp_path / "d.json"
    decisions.write_text(json.dumps({"mtqa_decisions": 1, "decisions": [{"fingerprint": "0123456789abcdef", "status": "false_positive", "comment": "x"}]}), encoding="utf-8")
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text(IGNORE_WITH_COMMENTS, encoding="utf-8")
    review = tmp_path / ".mtqa-review.yaml"
    review.write_text("review:\n  - {fingerprint: 0123456789abcdef, status: pending}\n", encoding="utf-8")
    assert main(["review", "import", str(decisions), "--ignore-file", str(ignore)]) == 2
    assert "status must be confirmed or fixed" in capsys.readouterr().err
    assert ignore.read_text(encoding="utf-8") == IGNORE_WITH_COMMENTS
    # and a run with that review file beside its ignore file stops before analysing anything
    write_inputs(tmp_path / "in")
    src, hyp = tmp_path / "in" / "test.src.de", tmp_path / "in" / "test.hyp.A.en"
    assert main(["run", str(src), str(hyp), "-s", "de", "-t", "en", "-l", "-o", str(tmp_path / "o"), "--ignore-file", str(ignore), "-q"]) == 2
    assert not (tmp_path / "o" / "results.json").exists()


def test_read_decisions_takes_the_last_decision_and_the_xlsx_spelling(tmp_path):
    path = _xlsx_with(
        tmp_path,
        "d.xlsx",
        rows=[
            ["Code", "Flagged text", "Fingerprint", "Status", "Reviewer comment"],
            ["N901", "Selenskyj", "0123456789ABCDEF", "False_Positive", "  style  "],
            ["N901", "Peskow", "fedcba9876543210", "fixed", None],
            [None, None, None, None, None],
        ],
    )
    decisions = read_decisions(path)
    assert [(d.fingerprint, d.status, d.comment, d.code, d.text) for d in decisions] == [
        ("0123456789abcdef", "false_positive", "style", "N901", "Selenskyj"),
        ("fedcba9876543210", "fixed", None, "N901", "Peskow"),
    ]


def test_entries_are_written_so_that_mtqa_reads_back_the_same_text(tmp_path):
    """The round-trip writer speaks YAML 1.2, mtqa's reader 1.1: 'yes', '0012' or an all-digit
    fingerprint must come back as the same strings, not as true or 12."""
    texts = ["yes", "No", "on", "null", "~", "1_000", "0012", "12:30", "2024-01-01", ".inf", "*star", "&amp", "a: b", "- dash", "#hash", "'q'", '"dq"', "line\nbreak", "Größe", "日本語", "{x}", "!tag"]
    upserts = {f"{k:016d}": {"fingerprint": f"{k:016d}", "reason": t, "text": t} for k, t in enumerate(texts)}  # all-digit fingerprints
    edit_entry_file(tmp_path / ".mtqa-ignore", "ignore", IGNORE_HEADER, read_ignore_file, upserts, set())
    entries = read_ignore_file(tmp_path / ".mtqa-ignore").entries
    assert [(fp, e.reason, e.text) for fp, e in entries.items()] == [(f"{k:016d}", t, t) for k, t in enumerate(texts)]


def test_a_finding_listed_once_per_system_takes_the_decision_made_in_any_of_its_rows(tmp_path, capsys):
    fp, other = "0123456789abcdef", "fedcba9876543210"
    path = _xlsx_with(
        tmp_path,
        "same.xlsx",
        rows=[
            ["System", "Fingerprint", "Status", "Comment"],
            ["A", fp, "false positive", "a name"],
            ["B", fp, "open", None],  # the same sentence and flag in system B: left open
            ["C", fp, "false positive", None],  # decided again without a comment: the comment stays
            ["A", other, "confirmed", None],
            ["B", other, "false positive", "no"],  # a conflict: the last row wins, and is reported
        ],
    )
    chosen, conflicts = one_per_finding(read_decisions(path))
    assert [(d.fingerprint, d.status, d.comment, d.system) for d in chosen.values()] == [(fp, "false_positive", "a name", "C"), (other, "false_positive", "no", "B")]
    assert conflicts == 1
    ignore = tmp_path / ".mtqa-ignore"
    assert main(["review", "import", str(path), "--ignore-file", str(ignore)]) == 0
    out = capsys.readouterr().out
    assert "2 findings decided (2 false positive)" in out and "note: 1 finding(s) had different decisions in different rows" in out
    assert {fp: e.reason for fp, e in read_ignore_file(ignore).entries.items()} == {fp: "a name", other: "no"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed (apt-get install libreoffice-calc-nogui)")
def test_a_workbook_saved_by_libreoffice_imports_the_same(tmp_path, capsys):
    """The reviewer's spreadsheet program writes the workbook anew: LibreOffice's own XLSX (shared
    strings, its styles) keeps the Status list and imports to the same decisions."""
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text("", encoding="utf-8")
    data = _run(tmp_path / "in", tmp_path / "out", ignore)
    wb = load_workbook(tmp_path / "out" / "issues.xlsx")
    ws = wb["Issues"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Status") + 1).value = "false positive"
    ws.cell(row=2, column=header.index("Comment") + 1).value = "Größe: fine"
    ws.cell(row=3, column=header.index("Status") + 1).value = "confirmed"
    wb.save(tmp_path / "edited.xlsx")
    converted = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(converted), str(tmp_path / "edited.xlsx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    saved = load_workbook(converted / "edited.xlsx")["Issues"]
    (validation,) = saved.data_validations.dataValidation
    assert validation.formula1 == '"open,confirmed,false positive,fixed"'
    assert [(d.fingerprint, d.status, d.comment) for d in read_decisions(converted / "edited.xlsx")] == [(d.fingerprint, d.status, d.comment) for d in read_decisions(tmp_path / "edited.xlsx")]
    assert main(["review", "import", str(converted / "edited.xlsx"), "--ignore-file", str(ignore)]) == 0
    first = data["issues"][0]  # the workbook lists the issues in the results' order
    assert read_ignore_file(ignore).entries[first["fingerprint"]].reason == "Größe: fine"


def test_an_exported_ignore_file_imports_as_false_positives(tmp_path, capsys):
    """The report's second download (mtqa-ignore.yaml, the ignore-file format) imports too: every
    entry a false positive with its reason, merged into the project's ignore file (comments kept)."""
    exported = tmp_path / "mtqa-ignore.yaml"
    exported.write_text("ignore:\n  - fingerprint: 0123456789abcdef\n    reason: house style\n    code: N101\n    text: Selenskyj\n", encoding="utf-8")
    decisions = read_decisions(exported)
    assert [(d.fingerprint, d.status, d.comment, d.code) for d in decisions] == [("0123456789abcdef", "false_positive", "house style", "N101")]
    project = tmp_path / ".mtqa-ignore"
    project.write_text(IGNORE_WITH_COMMENTS, encoding="utf-8")
    assert main(["review", "import", str(exported), "--ignore-file", str(project)]) == 0
    text = project.read_text(encoding="utf-8")
    assert "# names: the client keeps the German spellings" in text
    assert read_ignore_file(project).entries["0123456789abcdef"].reason == "house style"
    broken = tmp_path / "broken.yaml"
    broken.write_text("ignore: [{fingerprint: nothex}]\n", encoding="utf-8")
    assert main(["review", "import", str(broken), "--ignore-file", str(project)]) == 2
    assert "nothex" in capsys.readouterr().err
