"""The report as a reviewer's workbench, in a real browser (headless Chromium): the j/k walk through
issues, search, sort, "only this" filters, the URL hash as the whole view, the two-system view, the
decisions and their export (validated against the decisions schema, imported by `mtqa review import`),
and axe-core finding no accessibility violations.

axe-core comes from npm (`npm install axe-core@4` in /opt/axe); $MTQA_AXE names its axe.min.js
elsewhere; the axe test is skipped, saying why, when it is missing.
"""

import json
import os
from pathlib import Path

import jsonschema
import pytest
from report_data import SYSTEM_A, flag_rules, make_results_dict

import pipeline.report.pages as report_pages
from pipeline.cli import main
from pipeline.ignore import read_ignore_file
from pipeline.report import build_view, render_html, render_html_pages
from pipeline.report.browser import browser_missing, chromium

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=f"no browser: {browser_missing()}")

ROOT = Path(__file__).resolve().parents[1]
DECISIONS_SCHEMA = ROOT / "pipeline" / "schema" / "decisions.schema.json"
AXE_CANDIDATES = [os.environ.get("MTQA_AXE", ""), "/opt/axe/node_modules/axe-core/axe.min.js", "/usr/lib/node_modules/axe-core/axe.min.js"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    data = make_results_dict(tmp_path_factory.mktemp("wb") / "in")
    data.setdefault("run", {})["created"] = "2026-11-29T12:00:00Z"
    return data


@pytest.fixture(scope="module")
def report(results, tmp_path_factory):
    path = tmp_path_factory.mktemp("wbpage") / "report.html"
    rules = {r.code: {"name": r.name, "summary": r.summary, "category": r.category} for r in flag_rules()}  # the test rules' names
    path.write_text(render_html(results, view=build_view(results, rules)), encoding="utf-8")
    return path


def open_page(browser, path, hash_=""):
    page = browser.new_page()
    problems = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: None if r.url.startswith(("file:", "blob:")) else problems.append(f"request: {r.url}"))
    page.goto(path.as_uri() + hash_)
    page.wait_for_function("document.documentElement.getAttribute('data-ready') === '1'")
    page.problems = problems
    return page


def rows(page):
    return page.locator("#document tbody tr[id]").evaluate_all("rs => rs.map(r => r.id)")


def focused_chip(page):
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-chip')")


def test_keyboard_walk_through_issues_enter_and_escape(browser, report, results):
    page = open_page(browser, report)
    a_issues = [i for i in results["issues"] if i["system"] == "A"]
    # document order: by segment, then source side first, then position
    order = sorted(range(len(a_issues)), key=lambda k: (a_issues[k]["segment"], a_issues[k]["side"] != "source", a_issues[k]["start"]))
    numbers = [str(results["issues"].index(a_issues[k]) + 1) for k in order]
    page.keyboard.press("j")
    assert focused_chip(page) == numbers[0]
    assert "i=" + numbers[0] in page.evaluate("location.hash")
    page.keyboard.press("j")
    page.keyboard.press("n")
    assert focused_chip(page) == numbers[2]
    page.keyboard.press("k")
    assert focused_chip(page) == numbers[1]
    # the issue walked to is marked in the text too
    assert page.locator("#document mark.active").count() >= 1
    page.keyboard.press("Enter")
    details = page.locator("#details")
    assert details.is_visible()
    issue = results["issues"][int(numbers[1]) - 1]
    assert issue["message"] in details.inner_text()
    page.keyboard.press("Escape")
    assert not details.is_visible()
    assert focused_chip(page) == numbers[1]  # focus goes back where it was
    # walking past the end stays on the last issue
    for _ in range(len(numbers) + 2):
        page.keyboard.press("j")
    assert focused_chip(page) == numbers[-1]
    assert page.problems == []


def test_chips_name_the_rule_and_say_what_is_wrong(browser, report):
    page = open_page(browser, report)
    chip = page.locator("#seg-0-0 button.chip").first
    text = chip.inner_text()
    assert "N901" in text and "test-german-name-spelling" in text and "German spelling of a Ukrainian name" in text
    assert page.problems == []


def test_search_text_regex_and_messages(browser, report):
    page = open_page(browser, report)
    search = page.locator("#search")
    search.fill("peskow")  # case-insensitive text: the source and the target of segment 5
    assert rows(page) == ["seg-0-4"]
    search.fill("zelensky")  # the reference of segment 1
    assert rows(page) == ["seg-0-0"]
    search.fill("markup attribute")  # an issue's message
    assert rows(page) == ["seg-0-3"]
    search.fill("/^He comes/")  # regex, case-sensitive as written
    assert rows(page) == ["seg-0-2"]
    search.fill("/^he comes/")
    assert rows(page) == []
    search.fill("/([a/")
    assert "not a regular expression" in page.locator("#status").inner_text()
    search.fill("")
    assert len(rows(page)) == 5
    assert page.problems == []


def test_sort_by_score_issue_count_and_severity(browser, report, results):
    page = open_page(browser, report)
    chrf = results["systems"]["A"]["scores"]["chrf"]["segments"]
    page.select_option("#sort", "score")
    expected = [f"seg-0-{k}" for k in sorted(range(5), key=lambda k: (chrf[k], k))]
    assert rows(page) == expected
    page.select_option("#sort", "issues")
    assert rows(page)[0] == "seg-0-2"  # "comes" and <script>: two issues
    page.select_option("#sort", "severity")
    assert rows(page)[0] == "seg-0-2"  # the critical <script>
    assert rows(page)[-1] == "seg-0-1"  # no issues
    page.select_option("#sort", "doc")
    assert rows(page) == [f"seg-0-{k}" for k in range(5)]
    assert page.problems == []


def test_filter_only_this_all_and_none(browser, report):
    page = open_page(browser, report)
    page.locator('#f-severity button.only[data-value="critical"]').click()
    assert rows(page) == ["seg-0-2"]  # "only this" shows the segments that have it
    assert page.locator("#document button.chip").count() == 1
    assert page.locator('#f-severity input[value="major"]').is_checked() is False
    page.locator('#f-severity button[data-all]').click()
    assert page.locator("#document button.chip").count() == 5
    page.locator('#f-code button[data-none]').click()
    assert page.locator("#document button.chip").count() == 0
    page.locator('#f-code button.only[data-value="N901"]').click()
    assert rows(page) == ["seg-0-0", "seg-0-4"]
    # the issue list: grouped by rule with counts, "only this" there too
    page.locator('#f-code button[data-all]').click()
    page.click("#view-issues")
    groups = page.locator("table.rules tbody tr").evaluate_all("rs => rs.map(r => [r.cells[0].textContent, r.cells[2].textContent])")
    assert dict(groups) == {"F901": "1", "N901": "2", "T901": "2"}
    assert "test-markup" in page.locator("table.issue-list").inner_text()
    page.locator('table.rules button.only[data-value="T901"]').click()
    assert page.locator("table.issue-list tr.issue-row").count() == 2
    assert page.problems == []


def test_url_hash_keeps_the_whole_view(browser, report):
    page = open_page(browser, report)
    page.click("#view-issues")
    page.locator('#f-severity input[value="neutral"]').uncheck()
    page.locator("#search").fill("/S|P/")
    page.select_option("#sort", "severity")
    page.locator("#show-ignored").check()
    listed = page.locator("table.issue-list tr.issue-row").evaluate_all("rs => rs.map(r => r.getAttribute('data-n'))")
    hash_ = page.evaluate("location.hash")
    assert "v=issues" in hash_ and "xsev=neutral" in hash_ and "sort=severity" in hash_ and "ig=1" in hash_
    # an issue's place links to its segment side by side, with the same filters and search
    href = page.locator("table.issue-list td.where a").first.get_attribute("href")
    assert not href.startswith("#v=") and "&v=" not in href and "seg=0-" in href and "xsev=neutral" in href and "q=" in href
    again = open_page(browser, report, hash_)
    assert again.locator("#view-issues").get_attribute("aria-pressed") == "true"
    assert again.locator("#search").input_value() == "/S|P/"
    assert again.locator("#sort").input_value() == "severity"
    assert not again.locator('#f-severity input[value="neutral"]').is_checked()
    assert again.locator("#show-ignored").is_checked()
    assert again.locator("table.issue-list tr.issue-row").evaluate_all("rs => rs.map(r => r.getAttribute('data-n'))") == listed
    # system, segment and view: a link to system B's segment 5 in the side-by-side view
    third = open_page(browser, report, "#s=1&seg=0-4")
    assert third.locator("#system-select").input_value() == "1"
    assert "targeted" in third.locator("#seg-0-4").get_attribute("class")
    third.select_option("#system-select", "0")
    assert third.evaluate("location.hash").startswith("#s=0")  # the selector writes the URL
    assert page.problems == [] and again.problems == [] and third.problems == []


def test_two_systems_side_by_side(browser, report):
    page = open_page(browser, report)
    page.click("#view-cmp")
    assert page.locator(".compare-with").is_visible()
    assert page.locator("#compare-select").input_value() == "1"
    head = page.locator("table.compare thead").inner_text()
    assert "A: A" in head and "B: B" in head
    # where the outputs differ, the differing words are marked on both sides
    first = page.locator("#seg-0-0")
    assert "Selenskyj" in first.locator("td.side-a span.diff").all_inner_texts()[0]
    assert "Zelensky" in first.locator("td.side-b span.diff").all_inner_texts()[0]
    assert first.locator("td.side-a button.chip.only-here").count() == 1  # N901 only in A
    assert page.locator("#seg-0-1 span.diff").count() == 0  # the same translation
    page.select_option("#compare-show", "differ")
    assert sorted(rows(page)) == ["seg-0-0", "seg-0-2", "seg-0-3", "seg-0-4"]
    page.select_option("#compare-show", "issues")
    assert sorted(rows(page)) == ["seg-0-0", "seg-0-2", "seg-0-3", "seg-0-4"]
    last = page.locator("#seg-0-4")
    assert last.locator("td.side-b button.chip.only-here").inner_text().startswith("A901")  # B's omission, not A's
    # sorted by the size of the score difference, with its sign
    page.select_option("#compare-show", "all")
    page.select_option("#sort", "score")
    deltas = page.locator("table.compare td.score b").all_inner_texts()
    values = [abs(float(d)) for d in deltas if d != "–"]
    # the segments of 5+ source words first (0 and 2), each group by the size of the difference
    assert sorted(rows(page)[:2]) == ["seg-0-0", "seg-0-2"]
    assert values[:2] == sorted(values[:2], reverse=True) and values[2:] == sorted(values[2:], reverse=True) and values[0] > 0
    assert "b=1" in page.evaluate("location.hash") and "v=cmp" in page.evaluate("location.hash")
    assert page.problems == []


def test_decisions_are_kept_exported_and_imported(browser, report, results, tmp_path):
    page = open_page(browser, report)
    page.evaluate("localStorage.clear()")
    page.reload()
    page.locator("#seg-0-0 button.chip").first.click()
    page.locator("#details input.comment").fill("house style keeps Selenskyj")
    page.locator('#details button[data-decide="false_positive"]').click()
    assert "false positive" in page.locator("#seg-0-0 button.chip").first.inner_text()
    page.locator("#seg-0-2 button.chip", has_text="T901").click()
    page.locator('#details button[data-decide="confirmed"]').click()
    page.keyboard.press("Escape")
    # kept across a reload (localStorage, keyed by the results' creation time)
    page.reload()
    page.wait_for_function("document.documentElement.getAttribute('data-ready') === '1'")
    assert "false positive" in page.locator("#seg-0-0 button.chip").first.inner_text()
    page.locator('#f-status button.only[data-value="confirmed"]').click()
    assert rows(page) == ["seg-0-2"]

    with page.expect_download() as info:
        page.click("#export-decisions")
    assert info.value.suggested_filename == "mtqa-decisions.json"
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    if DECISIONS_SCHEMA.exists():
        jsonschema.validate(exported, json.loads(DECISIONS_SCHEMA.read_text(encoding="utf-8")))
    assert exported["mtqa_decisions"] == 1
    assert exported["results"] == {"created": "2026-11-29T12:00:00Z", "systems": ["A", "B"]}
    by_fp = {d["fingerprint"]: d for d in exported["decisions"]}
    selenskyj = next(i for i in results["issues"] if i["text"] == "Selenskyj")
    script = next(i for i in results["issues"] if i["text"] == "<script>")
    assert set(by_fp) == {selenskyj["fingerprint"], script["fingerprint"]}
    assert by_fp[selenskyj["fingerprint"]] == {"fingerprint": selenskyj["fingerprint"], "status": "false_positive", "comment": "house style keeps Selenskyj", "code": "N901", "text": "Selenskyj", "system": "A", "location": by_fp[selenskyj["fingerprint"]]["location"]}
    assert by_fp[script["fingerprint"]]["status"] == "confirmed" and by_fp[script["fingerprint"]]["location"].endswith(f"test.hyp.A.en:3:{SYSTEM_A[2].index('<script>') + 1}")

    with page.expect_download() as info:
        page.click("#export-ignore")
    assert info.value.suggested_filename == "mtqa-ignore.yaml"
    ignore_path = tmp_path / "exported-ignore.yaml"
    info.value.save_as(ignore_path)
    entries = read_ignore_file(ignore_path).entries
    assert list(entries) == [selenskyj["fingerprint"]]
    assert entries[selenskyj["fingerprint"]].reason == "house style keeps Selenskyj" and entries[selenskyj["fingerprint"]].code == "N901"

    # `mtqa review import` takes the exported file
    decisions_path = tmp_path / "mtqa-decisions.json"
    decisions_path.write_text(json.dumps(exported), encoding="utf-8")
    ignore_file = tmp_path / ".mtqa-ignore"
    assert main(["review", "import", str(decisions_path), "--ignore-file", str(ignore_file)]) == 0
    assert selenskyj["fingerprint"] in read_ignore_file(ignore_file)
    assert script["fingerprint"] in (tmp_path / ".mtqa-review.yaml").read_text(encoding="utf-8")
    page.evaluate("localStorage.clear()")
    assert page.problems == []


def axe_path():
    return next((p for p in AXE_CANDIDATES if p and os.path.exists(p)), None)


@pytest.mark.skipif(axe_path() is None, reason="axe-core not installed (npm install axe-core@4 in /opt/axe, or set MTQA_AXE to its axe.min.js)")
def test_axe_core_finds_no_violations(browser, report):
    source = Path(axe_path()).read_text(encoding="utf-8")
    page = open_page(browser, report)
    page.evaluate(source + "\n;0")  # evaluated by the DevTools protocol: the page's CSP does not apply
    run = "async () => { const r = await axe.run(document, {resultTypes: ['violations']}); return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')); }"
    seen = {}
    seen["segments"] = page.evaluate(run)
    page.locator("#seg-0-0 button.chip").first.click()
    seen["details"] = page.evaluate(run)
    page.keyboard.press("Escape")
    page.click("#view-issues")
    seen["issues"] = page.evaluate(run)
    page.click("#view-cmp")
    seen["compare"] = page.evaluate(run)
    assert {k: v for k, v in seen.items() if v} == {}
    assert page.problems == []


def several_documents(data, copies):
    """The job ``copies`` times over as distinct documents (texts, beads, segment scores, issues)."""
    big = json.loads(json.dumps(data))
    doc = data["documents"][0]
    big["documents"] = [{**json.loads(json.dumps(doc)), "id": f"{doc['id']}#{k}"} for k in range(copies)]
    for name, sr in big["systems"].items():
        sr["beads"] = {f"{doc['id']}#{k}": data["systems"][name]["beads"][doc["id"]] for k in range(copies)}
        for score in sr["scores"].values():
            score["segments"] = score["segments"] * copies
    big["issues"] = [{**i, "document": f"{i['document']}#{k}", "fingerprint": f"{k:x}{i['fingerprint'][1:]}"} for k in range(copies) for i in data["issues"]]
    return big


def test_a_large_job_is_split_into_pages_of_whole_documents(browser, results, tmp_path, monkeypatch):
    data = several_documents(results, 3)
    texts_per_document = 5 * (1 + 2 + 1)  # 5 segments x (source, two systems, one reference)
    monkeypatch.setattr(report_pages, "PAGE_TEXTS", 2 * texts_per_document)
    assert [[sl.doc for sl in page] for page in report_pages.plan_pages(data)] == [[0, 1], [2]]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out" / "big.html"
    out.parent.mkdir()
    assert main(["report", str(path), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["big-2.html", "big.html"]
    page = open_page(browser, out)
    assert len(rows(page)) == 10 and page.locator("#document tr.doc-head").count() == 2
    assert "page 1 of 2" in page.locator("#status").inner_text()
    page.click("nav.parts a[href='big-2.html']")
    page.wait_for_function("document.documentElement.getAttribute('data-ready') === '1'")
    assert rows(page) == [f"seg-0-{k}" for k in range(5)]  # the third document, first on its page
    assert page.locator("#document tr.doc-head").inner_text().endswith("#2")
    assert page.locator("#document button.chip").count() == 5  # its own issues (system A's five)
    assert page.problems == []


def test_rendering_again_removes_the_last_pages_of_an_earlier_larger_report_and_nothing_else(results, tmp_path, monkeypatch):
    data = several_documents(results, 3)
    monkeypatch.setattr(report_pages, "PAGE_TEXTS", 2 * 5 * (1 + 2 + 1))  # two documents a page: two pages
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    head = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="mtqa 0.1">\n'
    (out / "big-3.html").write_text(head + "an earlier run's third page", encoding="utf-8")
    (out / "big-4.html").write_text("<html>someone else's page</html>", encoding="utf-8")
    (out / "big-notes.html").write_text(head, encoding="utf-8")
    assert main(["report", str(path), "-o", str(out / "big.html")]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["big-2.html", "big-4.html", "big-notes.html", "big.html"]


def test_a_long_document_is_cut_into_parts(browser, results, tmp_path):
    pages = render_html_pages(results, limit=2 * 4)  # two segments x (source, two systems, one reference) a page
    assert list(pages) == ["report.html", "report-2.html", "report-3.html"]
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    page = open_page(browser, tmp_path / "report-2.html")
    assert "(part 2 of 3)" in page.locator("#document tr.doc-head").inner_text()
    assert rows(page) == ["seg-0-0", "seg-0-1"]
    # segments 3 and 4 of the file: their lines, texts and issues
    assert page.locator("#document td.num a").all_inner_texts() == ["3", "4"]
    assert "Er kommt morgen" in page.locator("#seg-0-0 td.source").inner_text()
    assert page.locator("#seg-0-0 mark.sev-critical").inner_text() == "<script>"
    assert page.locator("#seg-0-1 mark.issue").inner_text() == "onerror"
    assert page.locator("#document button.chip").count() == 3
    page.select_option("#system-select", "1")
    assert "He is coming tomorrow" in page.locator("#seg-0-0 td.target").inner_text()
    # a decision on one page is exported from any page of the report
    page.evaluate("localStorage.clear()")
    page.select_option("#system-select", "0")
    page.locator("#seg-0-0 button.chip", has_text="T901").click()
    page.locator('#details button[data-decide="confirmed"]').click()
    # the first page's lowest-scoring links lead to the page and row of their segment
    first = open_page(browser, tmp_path / "report.html")
    hrefs = first.locator('section.summary[data-system="0"] a.seglink').evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert set(hrefs) <= {"#s=0&seg=0-0", "report-2.html#s=0&seg=0-0"} and len(hrefs) == 2
    with first.expect_download() as info:
        first.click("#export-decisions")
    exported = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["decisions"]
    script = next(i for i in results["issues"] if i["text"] == "<script>")
    assert [(d["fingerprint"], d["status"], d["code"], d["text"], d["system"]) for d in exported] == [(script["fingerprint"], "confirmed", "T901", "<script>", "A")]
    first.evaluate("localStorage.clear()")
    assert page.problems == [] and first.problems == []


def test_results_without_texts_still_list_and_walk_the_issues(browser, results, tmp_path):
    data = json.loads(json.dumps(results))  # as results.json of a job over output.max_inline_segments
    for doc in data["documents"]:
        doc["n_source_segments"] = len(doc.pop("source"))
        doc.pop("targets"), doc.pop("references")
    for sr in data["systems"].values():
        sr["beads"] = {}
    path = tmp_path / "report.html"
    path.write_text(render_html(data), encoding="utf-8")
    page = open_page(browser, path)
    assert "keeps no segment texts" in page.locator("#status").inner_text()
    assert page.locator("#document button.chip").count() == 5  # system A's issues, outside any segment
    page.keyboard.press("j")
    assert focused_chip(page) == "1"
    page.click("#view-issues")
    assert page.locator("table.issue-list tr.issue-row").count() == 5
    assert page.problems == []
