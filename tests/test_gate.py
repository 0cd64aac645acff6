"""The CI gate: policies, exit codes 0/1/2, JUnit XML (junitparser), SARIF 2.1.0 (official schema),
GitHub Actions annotations, paired-bootstrap regression against a baseline results file."""

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import run_cli
from junitparser import JUnitXml
from report_data import SYSTEM_A, SYSTEM_B, make_result

from pipeline.cli import main
from pipeline.errors import ConfigError, InputError
from pipeline.gate import evaluate, load_policy, render_sarif
from pipeline.gate.github_actions import command
from pipeline.io.writers import write_outputs

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


class Ran:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def mtqa(capsys, monkeypatch):
    """The CLI in-process (fast); the subprocess path is covered by the run --gate test."""

    def call(*args, env=None):
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        capsys.readouterr()
        rc = main(list(args))
        out, err = capsys.readouterr()
        return Ran(rc, out, err)

    return call


def policy(tmp_path, text, name="policy.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Results files: both systems together, A alone, B alone, and B with one word changed."""
    root = tmp_path_factory.mktemp("gate")
    out = {}
    almost_b = list(SYSTEM_B)
    almost_b[1] = "The house is very old."
    for name, systems in [("both", None), ("a", {"A": SYSTEM_A}), ("b", {"B": SYSTEM_B}), ("b2", {"B2": almost_b})]:
        kwargs = {} if systems is None else {"systems": systems}
        result = make_result(root / f"in_{name}", **kwargs)
        write_outputs(result, root / name)
        out[name] = str(root / name / "results.json")
    return out


def test_thresholds_issue_limits_and_advisory_rules(runs, tmp_path):
    data = json.loads(Path(runs["both"]).read_text())
    p = load_policy(policy(tmp_path, """
rules:
  - {name: chrF floor, metric: chrf, min: 50}
  - {metric: bleu, min: 50, required: false}
  - {name: no critical, issues: {severity: critical}, max: 0}
  - {issues: {category: terminology, severity: [major, critical]}, max: 1, required: false}
  - {metric: mqm, min: 0, systems: B}
"""))
    result = evaluate(p, data)
    by = {(o.rule, o.system): o for o in result.outcomes}
    assert by[("chrF floor", "A")].status == "pass" and by[("chrF floor", "B")].status == "pass"
    assert by[("bleu >= 50", "A")].status == "warn"  # A's BLEU is ~23, but the rule is advisory
    assert by[("no critical", "A")].status == "fail" and "T901" in by[("no critical", "A")].message
    assert by[("no critical", "B")].status == "pass"
    assert by[("at most 1 major|critical terminology issues", "A")].status == "warn"
    assert ("mqm >= 0", "A") not in by and by[("mqm >= 0", "B")].status == "pass"
    assert not result.passed and len(result.failures) == 1


def test_gate_exit_codes_and_verdict(runs, tmp_path, mtqa):
    ok = policy(tmp_path, "rules:\n  - {metric: chrf, min: 50}\n  - {issues: {severity: critical}, max: 0, systems: [B]}\n", "ok.yaml")
    fail = policy(tmp_path, "rules:\n  - {issues: {severity: critical}, max: 0}\n", "fail.yaml")
    r = mtqa("gate", runs["both"], "--policy", ok)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("mtqa gate: PASSED")
    r = mtqa("gate", runs["both"], "--policy", fail)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.startswith("mtqa gate: FAILED") and "FAIL  at most 0 critical issues [A]" in r.stdout
    assert mtqa("gate", runs["both"], "--policy", fail, "-q").stdout == ""

    cases = [
        (["--policy", str(tmp_path / "missing.yaml")], "no such gate policy file"),
        (["--policy", policy(tmp_path, "rules:\n  - {metric: chrf, minimum: 3}\n", "k.yaml")], "unknown key 'rules.0.minimum'"),
        (["--policy", policy(tmp_path, "rules:\n  - {metric: meteor, min: 3}\n", "m.yaml")], "unknown metric 'meteor'"),
        (["--policy", policy(tmp_path, "rules:\n  - {metric: chrf}\n", "n.yaml")], "needs 'min' or 'max'"),
        (["--policy", policy(tmp_path, "rules:\n  - {metric: ter, max: 80}\n", "t.yaml")], "metric 'ter' was not computed"),
        (["--policy", policy(tmp_path, "rules:\n  - {regression: chrf}\n", "r.yaml")], "give a baseline results file"),
        (["--policy", ok, "--baseline", str(tmp_path / "none.json")], "no such results file"),
        # A filter that can match nothing would pass the gate silently: it is a policy error.
        (["--policy", policy(tmp_path, "rules:\n  - {issues: {category: acuracy}, max: 0}\n", "c.yaml")], "'rules.0.issues.category': unknown issue category 'acuracy'"),
        (["--policy", policy(tmp_path, "rules:\n  - {issues: {category: locale/currency}, max: 0}\n", "c2.yaml")], "unknown issue category 'locale/currency'"),
        (["--policy", policy(tmp_path, "rules:\n  - {issues: {code: X1}, max: 0}\n", "x.yaml")], "'rules.0.issues.code': unknown rule code 'X1'"),
        (["--policy", policy(tmp_path, "rules:\n  - {issues: {code: [N1, A9]}, max: 0}\n", "x2.yaml")], "unknown rule code 'A9'"),
        (["--policy", policy(tmp_path, "rules:\n  - {issues: {code: doubled-word}, max: 0}\n", "x3.yaml")], "unknown rule code 'doubled-word'"),
        ([], "the following arguments are required: --policy"),
    ]
    for extra, message in cases:
        r = mtqa("gate", runs["both"], *extra)
        assert r.returncode == 2, (extra, r.stdout, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr, (extra, r.stderr)
    r = mtqa("gate", str(tmp_path / "nothing.json"), "--policy", ok)
    assert r.returncode == 2 and "no such results file" in r.stderr


def test_regression_against_a_baseline_file_uses_the_paired_bootstrap(runs, tmp_path, mtqa):
    not_worse = policy(tmp_path, "bootstrap_samples: 300\nrules:\n  - {name: chrF not significantly worse, regression: chrf}\n", "reg.yaml")
    r = mtqa("gate", runs["a"], "--policy", not_worse, "--baseline", runs["b"])
    assert r.returncode == 1, r.stdout + r.stderr
    assert "significantly worse" in r.stdout and "paired bootstrap p = " in r.stdout
    r = mtqa("gate", runs["b2"], "--policy", not_worse, "--baseline", runs["b"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "drop not significant" in r.stdout

    # The same p-value as a two-system run computes (same segments, same seed and samples).
    cand = json.loads(Path(runs["a"]).read_text())
    base = json.loads(Path(runs["b"]).read_text())
    outcome = evaluate(load_policy(not_worse), cand, base).outcomes[0]
    both = make_result(tmp_path / "pair", systems={"B": SYSTEM_B, "A": SYSTEM_A}, scoring={"metrics": ["chrf"], "bootstrap_samples": 300, "significance": {"tests": ["bs"]}})
    stored = next(c for c in both.comparisons if c.metric == "chrF2")
    assert outcome.p_value == pytest.approx(stored.p_value) and outcome.value == pytest.approx(stored.score)

    strict = policy(tmp_path, "rules:\n  - {regression: chrf, significant_only: false}\n", "strict.yaml")
    assert mtqa("gate", runs["b2"], "--policy", strict, "--baseline", runs["b"]).returncode == 1
    relative = policy(tmp_path, "rules:\n  - {regression: chrf, max_relative_drop: 5, significant_only: false}\n", "rel.yaml")
    assert mtqa("gate", runs["b2"], "--policy", relative, "--baseline", runs["b"]).returncode == 0
    # A baseline system inside the same results file.
    inside = policy(tmp_path, "baseline_system: B\nbootstrap_samples: 300\nrules:\n  - {regression: chrf}\n", "inside.yaml")
    r = mtqa("gate", runs["both"], "--policy", inside)
    assert r.returncode == 1 and "[A]" in r.stdout and "[B]" not in r.stdout


def test_regression_refuses_a_different_test_set(runs, tmp_path, mtqa):
    other = make_result(tmp_path / "other", systems={"B": SYSTEM_B}, reference=["x"] * 5)
    write_outputs(other, tmp_path / "other_out")
    p = policy(tmp_path, "rules:\n  - {regression: chrf}\n")
    r = mtqa("gate", runs["b2"], "--policy", p, "--baseline", str(tmp_path / "other_out" / "results.json"))
    assert r.returncode == 2 and "reference 'ref' differs" in r.stderr


def test_junit_xml_parses_with_junitparser(runs, tmp_path, mtqa):
    p = policy(tmp_path, "rules:\n  - {metric: chrf, min: 50}\n  - {issues: {severity: critical}, max: 0}\n  - {metric: bleu, min: 50, required: false}\n")
    r = mtqa("gate", runs["both"], "--policy", p, "--junit", str(tmp_path / "junit.xml"), "--sarif", str(tmp_path / "gate.sarif"))
    assert r.returncode == 1
    xml = JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    suites = list(xml)
    cases = [c for s in suites for c in s]
    assert len(cases) == 6  # 3 rules x 2 systems
    failed = [c for c in cases if any(type(res).__name__ == "Failure" for res in c.result)]
    skipped = [c for c in cases if any(type(res).__name__ == "Skipped" for res in c.result)]
    assert [c.name for c in failed] == ["at most 0 critical issues [A]"]
    assert "T901" in failed[0].result[0].message
    assert {c.name for c in skipped} == {"bleu >= 50 [A]"}
    assert suites[0].failures == 1 and suites[0].skipped == 1 and suites[0].tests == 6


def test_sarif_validates_against_the_official_schema_and_locates_spans(runs, tmp_path, monkeypatch):
    data = json.loads(Path(runs["both"]).read_text())
    data["issues"][0]["ignored"] = True
    data["issues"][0]["data"]["ignore_reason"] = "house style"
    hyp_dir = Path(runs["both"]).parent.parent / "in_both"
    monkeypatch.chdir(hyp_dir)
    sarif = render_sarif(data, {"N901": {"name": "names", "summary": "Name spellings", "category": "terminology/inconsistent"}})
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(sarif)
    run = sarif["runs"][0]
    assert len(run["results"]) == len(data["issues"]) == 6
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"N901", "T901", "F901", "A901"}
    by_text = {r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]: r for r in run["results"]}
    selenskyj = by_text["Selenskyj"]
    loc = selenskyj["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "test.hyp.A.en", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 1 and loc["region"]["startColumn"] == 1 and loc["region"]["endColumn"] == 10
    assert selenskyj["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "house style"}]
    script = by_text["<script>"]["locations"][0]["physicalLocation"]["region"]
    line = SYSTEM_A[2]
    assert script["startLine"] == 3 and script["startColumn"] == line.index("<script>") + 1
    assert by_text["dazu"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "test.src.de"
    assert by_text["<script>"]["level"] == "error" and by_text["comes"]["level"] == "note"


def test_github_actions_annotations_and_step_summary(runs, tmp_path, mtqa):
    summary = tmp_path / "step_summary.md"
    p = policy(tmp_path, "rules:\n  - {issues: {severity: critical}, max: 0}\n")
    r = mtqa("gate", runs["both"], "--policy", p, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert r.returncode == 1
    lines = [line for line in r.stdout.splitlines() if line.startswith("::")]
    assert lines[0].startswith("::error title=mtqa gate%3A at most 0 critical issues [A]::")
    issue_lines = [line for line in lines if "title=mtqa T901" in line]
    assert issue_lines and "::error line=3,endLine=3,col=33," in issue_lines[0]
    assert "### Quality gate: ❌ failed" in summary.read_text()
    r = mtqa("gate", runs["both"], "--policy", p)
    assert not [line for line in r.stdout.splitlines() if line.startswith("::")]
    assert command("error", "50% done\nnext", title="a: b, c") == "::error title=a%3A b%2C c::50%25 done%0Anext"


def test_run_with_gate_writes_junit_and_sarif_and_exits_1(tmp_path, write):
    src = write("s.de", "Das ist gut.\nDas Haus ist alt.\n")
    hyp = write("h.en", "That is good.\nThe house is old.\n")
    ref = write("r.en", "It is good.\nThe home is old.\n")
    p = policy(tmp_path, "rules:\n  - {metric: bleu, min: 99}\n")
    out = tmp_path / "o"
    r = run_cli("run", src, hyp, "--ref", ref, "-s", "de", "-t", "en", "-l", "-o", str(out), "--metrics", "bleu", "--gate", p)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "mtqa gate: FAILED" in r.stdout
    assert {"junit.xml", "results.sarif", "report.html", "summary.md"} <= {x.name for x in out.iterdir()}
    assert "Quality gate: FAILED" in (out / "report.html").read_text()
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads((out / "results.sarif").read_text()))


def test_policy_errors_are_config_errors(tmp_path, runs):
    with pytest.raises(ConfigError, match="exactly one of"):
        load_policy(policy(tmp_path, "rules:\n  - {metric: chrf, min: 1, issues: {severity: major}}\n"))
    with pytest.raises(ConfigError, match="rules"):
        load_policy(policy(tmp_path, "rules: []\n"))
    data = json.loads(Path(runs["both"]).read_text())
    with pytest.raises(InputError, match="not in the results"):
        evaluate(load_policy(policy(tmp_path, "systems: [C]\nrules:\n  - {metric: chrf, min: 1}\n")), data)


def test_bundled_example_policy_loads_and_uses_every_kind_of_rule():
    from pipeline.config import CONFIG_DIR

    p = load_policy(CONFIG_DIR / "ci-gate.yaml")
    assert {r.kind for r in p.rules} == {"metric", "issues", "regression"}
    assert any(not r.required for r in p.rules) and any(r.required for r in p.rules)
    assert p.alpha == 0.05 and p.seed == 12345


def test_policy_filters_take_known_categories_codes_and_families_and_old_spellings(tmp_path):
    p = load_policy(policy(tmp_path, """
rules:
  - {issues: {category: [Locale convention/Currency format, locale/name-format, accuracy]}, max: 0}
  - {issues: {code: [N, L2, A101, T]}, max: 0}
"""))
    assert p.rules[0].issues.category == ["locale-convention/currency-format", "locale-convention/name-format", "accuracy"]
    assert p.rules[1].issues.code == ["N", "L2", "A101", "T"]


def test_results_of_older_versions_with_old_category_spellings_still_gate(runs, tmp_path, mtqa):
    data = json.loads(Path(runs["both"]).read_text())
    # As mtqa wrote them before the category vocabulary: spaces, and names on the "locale" branch.
    old = {"terminology/inconsistent": "locale/name-format", "design-and-markup/markup": "locale convention/currency format"}
    for issue in data["issues"]:
        issue["category"] = old.get(issue["category"], issue["category"])
    for row in data["comparison_table"]:
        row["issues_by_category"] = {old.get(k, k): v for k, v in row["issues_by_category"].items()}
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    gate = policy(tmp_path, "rules:\n  - {issues: {category: locale-convention/currency-format}, max: 0}\n", "cur.yaml")
    r = mtqa("gate", str(path), "--policy", gate)
    assert r.returncode == 1, r.stdout + r.stderr  # read, mapped, and the currency issues counted
    assert "FAIL" in r.stdout and "Traceback" not in r.stderr
    r = mtqa("report", str(path), "-o", str(tmp_path / "old.html"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "locale-convention/currency-format" in (tmp_path / "old.html").read_text(encoding="utf-8")


def test_ignore_refuses_a_code_that_names_no_rule(runs, tmp_path, mtqa):
    r = mtqa("ignore", runs["both"], "--code", "Q9", "--file", str(tmp_path / "ig"))
    assert r.returncode == 2 and "--code 'Q9' is not a rule code or family" in r.stderr
    assert not (tmp_path / "ig").exists()
