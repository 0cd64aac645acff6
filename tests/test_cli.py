import json

import jsonschema
import pytest
from conftest import SEED, load_json, run_cli

from pipeline.io.writers import SCHEMA_PATH

SCHEMA = json.loads(SCHEMA_PATH.read_text())


def test_run_on_the_seed_example_writes_valid_results(tmp_path):
    out = tmp_path / "out"
    r = run_cli("run", str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt"), "--ref", str(SEED / "article.en.ref.txt"), "-s", "de", "-t", "en", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "BLEU" in r.stdout and "signature: nrefs:1" in r.stdout
    results = load_json(out / "results.json")
    jsonschema.validate(results, SCHEMA)
    assert results["job"]["systems"] == ["article.en.mt"]
    scores = results["systems"]["article.en.mt"]["scores"]
    assert set(scores) == {"bleu", "chrf", "chrf++", "ter"}
    assert 20 < scores["bleu"]["score"] < 70
    assert results["documents"][0]["source"][0]["text"].startswith("Telefonat am Donnerstag")
    issues = (out / "issues.jsonl").read_text().splitlines()
    assert len(issues) == len(results["issues"])
    for line in issues:
        jsonschema.validate(json.loads(line), SCHEMA["$defs"]["issue"])
    assert not [p.name for p in out.rglob("*.tmp")], "temporary files left behind"
    assert {p.name for p in out.iterdir() if p.name.startswith(".")} == {".mtqa-cache"}


def test_line_aligned_systems_significance_and_json_output(write):
    src = write("t.src.de", "Das ist gut.\nDas Haus ist alt.\nEr kommt morgen.\nWir gehen nach Hause.\n")
    a = write("t.hyp.A.en", "That is good.\nThe house is old.\nHe comes tomorrow.\nWe go home.\n")
    b = write("t.hyp.B.en", "This good.\nHouse old.\nHe is coming.\nWe walk.\n")
    ref = write("t.ref.en", "That is good.\nThe house is old.\nHe is coming tomorrow.\nWe are going home.\n")
    r = run_cli("score", src, a, b, "--ref", ref, "-s", "de", "-t", "en", "--line-aligned", "--json", "--ar-trials", "200", "--bootstrap", "100")
    assert r.returncode == 0, r.stderr
    results = json.loads(r.stdout)
    jsonschema.validate(results, SCHEMA)
    assert results["job"]["systems"] == ["A", "B"]
    comps = results["comparisons"]
    assert {(c["metric"], c["test"]) for c in comps} == {(m, t) for m in ("BLEU", "chrF2", "chrF2++", "TER") for t in ("bs", "ar")}
    assert all(c["baseline"] == "A" and c["system"] == "B" for c in comps)
    table = {row["system"]: row for row in results["comparison_table"]}
    assert table["A"]["baseline"] and not table["B"]["baseline"]
    b_bleu = table["B"]["metrics"]["bleu"]
    assert b_bleu["delta"] == pytest.approx(results["systems"]["B"]["scores"]["bleu"]["score"] - results["systems"]["A"]["scores"]["bleu"]["score"], abs=1e-3)
    assert b_bleu["p_bs"] == next(c["p_value"] for c in comps if c["metric"] == "BLEU" and c["test"] == "bs")
    assert b_bleu["ci_low"] < b_bleu["score"] < b_bleu["ci_high"]
    bleu_a = results["systems"]["A"]["scores"]["bleu"]
    assert len(bleu_a["segments"]) == 4 and bleu_a["segments"][0] == 100.0
    assert results["systems"]["A"]["scores"]["bleu"]["ci"]["n_samples"] == 100


def test_tabular_input_and_module_entry_point(write):
    p = write("d.tsv", "source\ttarget\treference\nDas ist gut.\tThat is good.\tThat is good.\nJa.\tYes.\tYes.\n")
    r = run_cli("score", p, "-s", "de", "-t", "en", "--metrics", "bleu,chrf", "--quiet")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""


def _one_line_error(r, pattern):
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert pattern in lines[0], lines[0]


def test_bad_inputs_give_one_line_errors_and_exit_2(write, tmp_path):
    src = write("s.de", "a\nb\nc\n")
    short = write("h.en", "a\nb\n")
    good = write("g.en", "a\nb\nc\n")
    empty = write("empty.en", "")
    binary = write("bin.en", b"\x89PNG\r\n\x1a\n\x00\x00")
    latin1 = write("latin1.en", "Grüße\n".encode("latin-1"))
    cfg = write("bad.yaml", "scoring:\n  colour: blue\n")
    base = ["-s", "de", "-t", "en", "--line-aligned", "-o", str(tmp_path / "o")]
    _one_line_error(run_cli("run", src, short, *base), "h.en: 2 lines, but the source")
    _one_line_error(run_cli("run", src, good, "--ref", short, *base), "h.en: 2 lines")
    _one_line_error(run_cli("run", src, empty, *base), "empty.en: file is empty")
    _one_line_error(run_cli("run", src, str(tmp_path / "missing.en"), *base), "missing.en: no such file")
    _one_line_error(run_cli("run", src, binary, *base), "bin.en: binary data")
    _one_line_error(run_cli("run", src, latin1, *base), "latin1.en: not valid UTF-8 at byte offset 2")
    _one_line_error(run_cli("run", src, good, "-c", cfg, *base), "bad.yaml: unknown key 'scoring.colour'")
    _one_line_error(run_cli("run", src, good, "-s", "de", "-t", "en"), "give an output folder")
    _one_line_error(run_cli("run", src, good, "-o", str(tmp_path / "o")), "give --src-lang and --tgt-lang")
    _one_line_error(run_cli("score", src, good, "-s", "de", "-t", "en", "--metrics", "bleu,meteor"), "bad value for 'scoring.metrics.1'")
    _one_line_error(run_cli("frobnicate"), "invalid choice")
    assert not (tmp_path / "o" / "results.json").exists()


def test_failed_run_leaves_previous_results_untouched(write, tmp_path):
    src = write("s.de", "Hallo Welt.\n")
    good = write("g.en", "Hello world.\n")
    out = tmp_path / "o"
    assert run_cli("run", src, good, "--ref", good, "-s", "de", "-t", "en", "-l", "-o", str(out), "-q").returncode == 0
    before = (out / "results.json").read_bytes()
    r = run_cli("run", src, good, "--ref", write("bad.en", b"\xff\n"), "-s", "de", "-t", "en", "-l", "-o", str(out), "-q")
    assert r.returncode == 2
    assert (out / "results.json").read_bytes() == before


def test_no_references_still_runs_with_a_note(write, tmp_path):
    src = write("s.de", "Hallo Welt.\n")
    tgt = write("t.en", "Hello world.\n")
    r = run_cli("run", src, tgt, "-s", "de", "-t", "en", "-o", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    assert "no references given" in r.stdout
    assert load_json(tmp_path / "o" / "results.json")["systems"]["t"]["scores"] == {}


def test_rules_command_lists_registry():
    r = run_cli("rules", "--json")
    assert r.returncode == 0
    rules = json.loads(r.stdout)
    assert isinstance(rules, list)
    assert len({x["code"] for x in rules}) == len(rules)


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("mtqa ")
    r = run_cli("run", "--help")
    assert r.returncode == 0 and "--src-lang" in r.stdout


def test_a_native_panic_is_an_internal_error_not_a_gate_failure(monkeypatch, capsys):
    """pyo3 extensions (sentencex, harper) raise PanicException, a BaseException: it must reach CI
    as exit 3 with one line, never as exit 1 ("quality gate failed") with a traceback."""
    import pipeline.cli as cli

    class PanicException(BaseException):
        pass

    def panic(args):
        raise PanicException("called `Option::unwrap()` on a `None` value\nsecond line")

    monkeypatch.setattr(cli, "_cmd_rules", panic)
    assert cli.main(["rules"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mtqa: internal error: PanicException: called `Option::unwrap()`")
    assert "Traceback" not in err

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_rules", interrupted)
    assert cli.main(["rules"]) == 130


def test_results_that_break_the_schema_are_never_written(tmp_path, monkeypatch):
    """A bug that makes results invalid stops the run before any file is written (exit 3)."""
    import pipeline.io.writers as writers
    import pipeline.run as run_module
    from pipeline.cli import main

    real = writers.result_to_dict

    def broken(result, include_segments=True):
        data = real(result, include_segments)
        data["issues"].append({"code": "X1", "category": "locale convention/number format"})
        return data

    monkeypatch.setattr(writers, "result_to_dict", broken)
    monkeypatch.setattr(run_module, "result_to_dict", broken)  # publish builds the dict once, for the reports and results.json
    src, tgt = tmp_path / "s.de", tmp_path / "t.en"
    src.write_text("Das Haus ist alt.\n", encoding="utf-8")
    tgt.write_text("The house is old.\n", encoding="utf-8")
    assert main(["run", str(src), str(tgt), "-s", "de", "-t", "en", "-l", "-o", str(tmp_path / "out"), "-q", "--no-cache"]) == 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_repeated_disable_and_enable_options_add_up():
    """`--disable F4 --disable A5` switches both off: an eval passing extra arguments after its own
    `--disable F4` once got the LM back silently, because the last option won."""
    from pipeline.cli import _overrides, build_parser

    args = build_parser().parse_args(["run", "s.txt", "t.txt", "--disable", "F4", "--disable", "A5,T1", "--enable", "ALL"])
    overrides = _overrides(args)
    assert overrides["checks"]["disable"] == ["F4", "A5", "T1"]
    assert overrides["checks"]["enable"] == ["ALL"]
