"""Reports: HTML (escaping, self-contained), Markdown, XLSX, and the `mtqa report` / `mtqa run` paths."""

import io
import json
import re

import pytest
from conftest import load_json, run_cli
from openpyxl import load_workbook
from report_data import make_result, make_results_dict

from pipeline.cli import main
from pipeline.io import result_to_dict
from pipeline.io.writers import write_outputs
from pipeline.report import build_view, render_html, render_markdown, render_xlsx, report_files

HOSTILE = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>']


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return make_results_dict(tmp_path_factory.mktemp("report"))


def test_html_is_self_contained_and_escapes_every_text(results):
    page = render_html(results)
    # Nothing from the data can open a tag: the only tags are the template's own.
    assert "<img" not in page
    assert page.count("<script") == 2  # the JSON data block and the page script
    assert 'alert("x")</script>' not in page
    assert "onerror=alert(1)" in page  # the text is there, inside JSON, harmless
    assert "\\u003cscript\\u003e" in page
    # No network: no external references, and a CSP that forbids them.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "default-src 'none'" in page
    # The summary is rendered with the numbers of the results.
    chrf_a = results["systems"]["A"]["scores"]["chrf"]["score"]
    assert f"{chrf_a:.2f}" in page
    assert "terminology/inconsistent" in page
    assert "▲** <small>better, p" in page  # B against the baseline A: direction and p-value, not a bare star


def test_mqm_per_1k_and_review_decisions_are_shown_when_present(results):
    data = json.loads(json.dumps(results))
    data["systems"]["A"]["mqm"].update({"mqm_per_1k": 123.4, "mqm_per_1k_ci": [98.7, 150.2]})
    data["systems"]["B"]["mqm"].update({"mqm_per_1k": 7.5, "mqm_per_1k_ci": [0.0, 21.3]})
    data["issues"][0]["review"] = {"status": "confirmed", "comment": "really wrong"}
    data["issues"][1]["ignored"] = True
    view = build_view(data, rules={})
    assert view.issues[0].status == "confirmed" and view.issues[0].comment == "really wrong"
    assert view.issues[1].status == "false_positive"
    assert view.system("A").reviewed == {"confirmed": 1, "false_positive": 1}
    page = render_html(data, view=view)
    assert "MQM penalty per 1,000 words" in page and "123.4" in page and "95% CI 98.7 – 150.2" in page
    assert "<th>MQM per 1k words</th>" in page and "7.5 <small>[0.0, 21.3]</small>" in page
    assert '"status":"confirmed","comment":"really wrong"' in page  # the page's data: the chip and the list show it
    assert "1 confirmed · 1 false positive" in page
    # without the new field, the old MQM-style score
    old = render_html(results)
    assert "MQM-style score" in old and "MQM penalty per 1,000 words" not in old


def test_hostile_system_and_document_names_are_escaped(tmp_path):
    data = make_results_dict(tmp_path, systems={'<b onmouseover="x">': ["A."] * 5, "B": ["B."] * 5})
    page = render_html(data)
    assert "<b onmouseover" not in page
    assert "&lt;b onmouseover=&#34;x&#34;&gt;" in page or "&lt;b onmouseover=&quot;x&quot;&gt;" in page


def test_view_counts_and_comparisons(results):
    view = build_view(results, rules={})
    a, b = view.system("A"), view.system("B")
    assert a.n_issues == 5 and b.n_issues == 1
    assert a.by_severity == {"critical": 1, "major": 2, "minor": 1, "neutral": 1}
    assert {c: t for c, _, t in a.by_category} == {"design-and-markup/markup": 2, "terminology/inconsistent": 2, "fluency/grammar": 1}
    # Line-aligned: every line is a scoring unit and a bead, so each segment score has its row.
    assert a.unit_beads == [(0, k) for k in range(5)]
    assert view.baseline == "A" and view.comparisons["B"]["chrF2"].mark == "**"
    # B is significantly better than A: the mark says which way, with the p-value it follows
    cell = view.comparisons["B"]["chrF2"]
    assert cell.direction == "better" and cell.p == cell.p_values["bs"] < 0.01
    # the lowest-scoring list skips segments under 5 source words (three of the five have 4)
    assert {low["bead"] for low in a.lowest} == {0, 2}
    omission = next(i for i in view.issues if i.code == "A901")
    assert omission.side == "source" and omission.source.startswith("Peskow") and omission.target == "Peskov said nothing."


def test_the_least_adequate_segments_are_listed_with_links(results):
    """Beads with an adequacy (results.json 1.4): the ten lowest, of 5+ source words where any is that
    long, linked to their segments; none listed where no bead has one."""
    data = json.loads(json.dumps(results))
    assert build_view(data, rules={}).system("A").lowest_adequacy == []
    [beads] = data["systems"]["A"]["beads"].values()
    for k, z in enumerate([0.4, -6.8, -1.2, -0.3, 1.0]):
        beads[k]["adequacy"] = z
    low = build_view(data, rules={}).system("A").lowest_adequacy
    # beads 0 and 2 have 5 source words, the others 4 (the lowest-scoring list's rule)
    assert [(x["bead"], x["score"]) for x in low] == [(2, -1.2), (0, 0.4)]
    html = render_html(data)
    assert "Least adequate segments" in html and 'aria-label="segment 0-2, adequacy -1.2"' in html


def test_markdown_summary_escapes_and_lists_the_most_severe_first(results):
    md = render_markdown(results)
    assert "| A (baseline) |" in md
    assert "\\*\\*" in md  # B is significantly better
    issue_lines = [line for line in md.splitlines() if line.startswith("| critical") or line.startswith("| major") or line.startswith("| minor") or line.startswith("| neutral")]
    assert issue_lines[0].startswith("| critical | `T901`")
    assert "<script>" not in md and "<img" not in md
    assert "\\<script\\>" in md
    # A pipe in a translation cannot break the table.
    results2 = json.loads(json.dumps(results))
    results2["issues"][0]["message"] = "a | b\nc"
    md2 = render_markdown(results2)
    assert "a \\| b c" in md2
    short = render_markdown(results, max_issues=2)
    assert "### Issues (the 2 most severe of 6)" in short
    assert len([line for line in short.split("### Issues (")[1].splitlines() if line.startswith("| ") and "`" in line]) == 2


def test_xlsx_issue_list_round_trips_and_neutralises_formulas(results):
    data = json.loads(json.dumps(results))
    data["issues"][0]["message"] = "=HYPERLINK(\"http://x\")"
    data["issues"][1]["message"] = "bell\x07 inside"
    wb = load_workbook(io.BytesIO(render_xlsx(data)))
    ws = wb["Issues"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert len(rows) == len(data["issues"]) == 6
    first = rows[0]
    assert first["Message"] == '=HYPERLINK("http://x")' and ws.cell(row=2, column=header.index("Message") + 1).data_type == "s"
    assert rows[1]["Message"] == "bell\ufffd inside"
    assert {r["Flagged text"] for r in rows} >= {"Selenskyj", "<script>", "dazu"}
    assert next(r for r in rows if r["Flagged text"] == "Selenskyj")["Source"].startswith("Selenskyj sprach")
    assert ws.auto_filter.ref.startswith("A1:")
    scores = list(wb["Scores"].iter_rows(min_row=2, values_only=True))
    assert ("B", "chrF2") in {(r[0], r[1]) for r in scores}


def test_report_from_file_equals_report_from_run(tmp_path):
    result = make_result(tmp_path / "in")
    data = result_to_dict(result)
    files = report_files(data)
    write_outputs(result, tmp_path / "out", True, files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["issues.jsonl", "issues.xlsx", "report.html", "results.json", "summary.md"]
    r = run_cli("report", str(tmp_path / "out" / "results.json"), "-o", str(tmp_path / "again.html"), "--md", str(tmp_path / "again.md"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "again.html").read_text() == (tmp_path / "out" / "report.html").read_text()
    assert (tmp_path / "again.md").read_text() == (tmp_path / "out" / "summary.md").read_text()


def test_mtqa_run_writes_the_reports_and_report_errors_exit_2(write, tmp_path):
    src = write("s.de", "Das ist gut.\nDas Haus ist alt.\n")
    hyp = write("h.en", "That is good.\nThe house is old.\n")
    ref = write("r.en", "That is good.\nThe house is old.\n")
    out = tmp_path / "o"
    assert main(["run", src, hyp, "--ref", ref, "-s", "de", "-t", "en", "-l", "-o", str(out), "--metrics", "bleu,chrf", "-q"]) == 0
    assert {"report.html", "summary.md", "issues.xlsx"} <= {p.name for p in out.iterdir()}
    assert "mtqa report de→en" in (out / "report.html").read_text()
    assert load_json(out / "results.json")["schema"] == "mtqa-results"

    bad = write("bad.json", '{"schema": "something-else"}')
    for args, message in [
        (["report", str(tmp_path / "nope.json")], "no such results file"),
        (["report", bad], "not an mtqa results file"),
        (["report", write("broken.json", "{")], "not valid JSON"),
    ]:
        r = run_cli(*args)
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


def test_results_with_a_broken_item_deep_inside_exit_2(results, tmp_path, capsys):
    data = json.loads(json.dumps(results))
    del data["issues"][-1]["severity"]  # a short list: the schema check names the place
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    assert main(["report", str(path), "-o", str(tmp_path / "r.html")]) == 2
    assert "invalid results at issues/5" in capsys.readouterr().err
    data = json.loads(json.dumps(results))
    data["documents"][0]["targets"]["A"] = [{"index": i, "text": "x", "paragraph": 0, "line": 1, "start": 0, "end": 1} for i in range(300)]
    del data["documents"][0]["targets"]["A"][150]["text"]  # outside the validated sample
    path.write_text(json.dumps(data))
    assert main(["report", str(path), "-o", str(tmp_path / "r.html")]) == 2
    assert "malformed results" in capsys.readouterr().err
