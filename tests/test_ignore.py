"""Ignore lists: stable fingerprints, ignored issues counted apart and never failing a gate, `mtqa ignore`."""

import json
from pathlib import Path

import pytest
import yaml
from report_data import SOURCE, SYSTEM_A, flag_rules, make_result

import pipeline.run as run_module
from pipeline.align import align_job, pairs_for
from pipeline.checks import CheckContext, run_checks
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.ignore import IgnoreList, ignore_list_for, read_ignore_file
from pipeline.io import read_job
from pipeline.io.writers import write_outputs
from pipeline.report import build_view


def _fingerprints(tmp_path, name, source_text, target_text):
    src = tmp_path / f"{name}.de"
    tgt = tmp_path / f"{name}.en"
    src.write_text(source_text, encoding="utf-8")
    tgt.write_text(target_text, encoding="utf-8")
    config = load_config(None, {"align": {"embeddings": False, "dictionary": "off"}})
    job = read_job([str(src), str(tgt)], [], None, config, "de", "en")
    beads = align_job(job, config.align)
    docs = [pairs_for(doc, s, beads[s][doc.id]) for s in job.systems for doc in job.documents]
    return {(i.code, i.text): i.fingerprint for i in run_checks(docs, list(flag_rules()), CheckContext("de", "en"))}


def test_fingerprints_survive_unrelated_edits_elsewhere(tmp_path):
    source = "Selenskyj sprach mit Biden.\n\nDas Haus ist alt.\n\nPeskow sagte nichts dazu.\n"
    target = "Selenskyj spoke with Biden.\n\nThe house is old.\n\nPeskow said nothing about it.\n"
    before = _fingerprints(tmp_path, "v1", source, target)
    # A new first paragraph, another sentence rewritten, the flagged sentences untouched.
    edited_source = "Neuer Absatz am Anfang.\n\n" + source.replace("Das Haus ist alt.", "Das Haus ist sehr alt.")
    edited_target = "A new paragraph at the start.\n\n" + target.replace("The house is old.", "The house is very old.")
    after = _fingerprints(tmp_path, "v2", edited_source, edited_target)
    assert before[("N901", "Selenskyj")] == after[("N901", "Selenskyj")]
    assert before[("N901", "Peskow")] == after[("N901", "Peskow")]
    # Editing the flagged sentence itself gives a new identity.
    changed = _fingerprints(tmp_path, "v3", source, target.replace("Selenskyj spoke with Biden.", "Selenskyj talked to Biden."))
    assert changed[("N901", "Selenskyj")] != before[("N901", "Selenskyj")]


def test_ignored_issues_count_apart_in_mqm_reports_and_gate(tmp_path):
    result = make_result(tmp_path / "in")
    critical = next(i for i in result.issues if i.severity.value == "critical")
    ignore = tmp_path / ".mtqa-ignore"
    ignore.write_text(f"ignore:\n  - fingerprint: {critical.fingerprint}\n    reason: markup is expected here\n", encoding="utf-8")
    write_outputs(result, tmp_path / "out")
    results = str(tmp_path / "out" / "results.json")
    policy = tmp_path / "p.yaml"
    policy.write_text("rules:\n  - {issues: {severity: critical}, max: 0}\n", encoding="utf-8")

    assert main(["gate", results, "-p", str(policy), "-q"]) == 1
    assert main(["gate", results, "-p", str(policy), "-q", "--ignore-file", str(ignore)]) == 0

    data = json.loads(Path(results).read_text())
    listed = read_ignore_file(ignore)
    assert listed.apply_dicts(data["issues"]) == 1
    view = build_view(data, rules={})
    assert view.system("A").n_issues == 4 and view.system("A").n_ignored == 1
    assert view.system("A").by_severity["critical"] == 0
    flagged = next(i for i in view.issues if i.ignored)
    assert flagged.ignore_reason == "markup is expected here"


def test_run_applies_the_ignore_list_before_scoring(tmp_path):
    src = tmp_path / "s.de"
    hyp = tmp_path / "h.en"
    src.write_text("\n".join(SOURCE) + "\n", encoding="utf-8")
    hyp.write_text("\n".join(SYSTEM_A) + "\n", encoding="utf-8")
    config = load_config(None, {"input": {"line_aligned": True}})
    job = read_job([str(src), str(hyp)], [], None, config, "de", "en")
    plain = run_module.run_job(job, config, ("align", "check"), registry=flag_rules())
    fingerprint = next(i.fingerprint for i in plain.issues if i.text == "Selenskyj")
    config = load_config(None, {"input": {"line_aligned": True}, "ignore": {"entries": [{"fingerprint": fingerprint, "reason": "style"}]}})
    again = run_module.run_job(job, config, ("align", "check"), registry=flag_rules())
    ignored = [i for i in again.issues if i.ignored]
    assert [i.text for i in ignored] == ["Selenskyj"] and ignored[0].data["ignore_reason"] == "style"
    before, after = plain.systems["h"].mqm, again.systems["h"].mqm
    assert after["issues"] == before["issues"] - 1 and after["penalty"] == before["penalty"] - 5.0
    assert any("1 issue(s) ignored" in n for n in again.notes)
    assert len(ignore_list_for(load_config(None, {}))) == 0  # no default file here: nothing ignored


def test_mtqa_ignore_adds_entries_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_outputs(make_result(tmp_path / "in"), tmp_path / "out")
    results = str(tmp_path / "out" / "results.json")
    data = json.loads(Path(results).read_text())
    fp = next(i["fingerprint"] for i in data["issues"] if i["text"] == "Selenskyj")

    assert main(["ignore", results, "--fingerprint", fp, "--reason", "house style"]) == 0
    content = yaml.safe_load(Path(".mtqa-ignore").read_text())
    assert content == {"ignore": [{"fingerprint": fp, "reason": "house style", "code": "N901", "text": "Selenskyj"}]}
    assert main(["ignore", results, "--fingerprint", fp]) == 0
    assert "added 0 entries (1 already listed)" in capsys.readouterr().out
    assert main(["ignore", results, "--code", "T9", "--file", "other.yaml"]) == 0
    assert len(read_ignore_file("other.yaml")) == 2
    assert main(["ignore", results, "--all", "--system", "B", "--file", "b.yaml"]) == 0
    assert [e.code for e in read_ignore_file("b.yaml").entries.values()] == ["A901"]
    # The default file in the working directory is picked up by the gate and the report.
    policy = tmp_path / "p.yaml"
    policy.write_text("rules:\n  - {issues: {code: N}, max: 1, systems: A}\n", encoding="utf-8")
    assert main(["gate", results, "-p", str(policy), "-q"]) == 0
    Path(".mtqa-ignore").unlink()
    assert main(["gate", results, "-p", str(policy), "-q"]) == 1

    capsys.readouterr()
    assert main(["ignore", results]) == 2
    assert "choose the issues" in capsys.readouterr().err
    assert main(["ignore", results, "--fingerprint", "0000000000000000"]) == 2
    assert "no issue with fingerprint" in capsys.readouterr().err


@pytest.mark.parametrize(
    "text, message",
    [
        ("ignore:\n  - fingerprint: xyz\n", "is not a fingerprint"),
        ("ignore:\n  - reason: no fingerprint\n", "needs a 'fingerprint'"),
        ("ignore:\n  - {fingerprint: 0123456789abcdef, colour: red}\n", "unknown key 'colour'"),
        ("ignored: []\n", "expected one key"),
        ("ignore: [\n", "invalid YAML"),
    ],
)
def test_bad_ignore_files_are_config_errors(tmp_path, text, message):
    p = tmp_path / "bad-ignore.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        read_ignore_file(p)


def test_bad_ignore_file_on_the_command_line_exits_2(tmp_path, capsys):
    write_outputs(make_result(tmp_path / "in"), tmp_path / "out")
    policy = tmp_path / "p.yaml"
    policy.write_text("rules:\n  - {metric: chrf, min: 1}\n", encoding="utf-8")
    assert main(["gate", str(tmp_path / "out"), "-p", str(policy), "--ignore-file", str(tmp_path / "missing")]) == 2
    assert "no such ignore file" in capsys.readouterr().err
    src = tmp_path / "in" / "test.src.de"
    hyp = tmp_path / "in" / "test.hyp.A.en"
    assert main(["run", str(src), str(hyp), "-s", "de", "-t", "en", "-l", "-o", str(tmp_path / "o"), "--ignore-file", str(tmp_path / "missing"), "-q"]) == 2


def test_ignore_list_merges_and_reapplies():
    a = IgnoreList([])
    assert len(a.merged(IgnoreList([]))) == 0
    issues = [{"fingerprint": "0123456789abcdef", "ignored": True, "data": {}}, {"fingerprint": "fedcba9876543210", "ignored": False, "data": {}}]
    from pipeline.ignore import parse_entries

    listed = IgnoreList(parse_entries(["FEDCBA9876543210"], "test"))
    assert listed.apply_dicts(issues) == 1
    assert [i["ignored"] for i in issues] == [False, True]  # the list is the truth
