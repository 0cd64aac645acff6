"""The HTML report in a real browser (headless Chromium): renders without console errors, shows
hostile text as text, highlights flagged spans, and its filters, system selector and deep links work."""

import json

import pytest
from conftest import SEED
from report_data import make_results_dict

from pipeline.cli import main
from pipeline.report import render_html
from pipeline.report.browser import browser_missing, chromium

pytestmark = pytest.mark.skipif(browser_missing() is not None, reason=f"no browser: {browser_missing()}")


@pytest.fixture(scope="module")
def browser():
    with chromium() as context:
        yield context


class Page:
    """A page with everything that would mean a broken report recorded: console errors, script
    exceptions, dialogs (an injected alert) and network requests."""

    def __init__(self, context, path):
        self.problems = []
        self.page = context.new_page()
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith("file:") else self.problems.append(f"request: {r.url}"))
        self.page.goto(path.as_uri())

    def count(self, selector):
        return self.page.locator(selector).count()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "report.html"
    path.write_text(render_html(make_results_dict(folder / "in")), encoding="utf-8")
    return path


def test_hostile_text_is_shown_as_text_and_spans_are_highlighted(browser, report):
    p = Page(browser, report)
    page = p.page
    assert p.count("img") == 0  # '"><img src=x onerror=...>' did not become an element
    row3 = page.locator("#seg-0-2 td.target").inner_text()
    assert '<script>alert("x")</script>' in row3
    marks = page.locator("#document mark.issue")
    assert marks.count() == 5  # system A: Selenskyj, comes, <script>, onerror, Peskow
    selenskyj = page.locator("#seg-0-0 mark.issue")
    assert selenskyj.inner_text() == "Selenskyj" and "sev-major" in selenskyj.get_attribute("class")
    assert page.locator("#seg-0-2 mark.sev-critical").inner_text() == "<script>"
    # Click: the details name the rule, the message and the suggestion.
    selenskyj.click()
    details = page.locator("#details")
    assert details.is_visible()
    assert "German spelling of a Ukrainian name" in details.inner_text() and "suggestion: Zelensky" in details.inner_text()
    assert p.problems == []


def test_filters_system_selector_and_deep_links(browser, report):
    p = Page(browser, report)
    page = p.page
    assert p.count("#document tbody tr") == 5
    page.locator('#f-severity input[value="major"]').uncheck()
    assert p.count("#document mark.issue") == 3 and p.count("#document mark.sev-major") == 0
    page.locator('#f-category input[value="design-and-markup/markup"]').uncheck()
    assert p.count("#document mark.issue") == 1  # only the neutral "comes" is left
    page.locator("#only-issues").check()
    assert p.count("#document tbody tr") == 1
    assert "Showing 1 of 5 segments" in page.locator("#status").inner_text()
    page.locator('#f-severity input[value="major"]').check()
    assert p.count("#document tbody tr") == 3

    # System B: its summary, its target text, its one (source-side) issue.
    page.select_option("#system-select", "1")
    assert page.locator('section.summary[data-system="1"]').is_visible()
    assert not page.locator('section.summary[data-system="0"]').is_visible()
    assert "Zelensky spoke with Biden" in page.locator("#document").inner_text() or p.count("#document tbody tr") == 1
    assert page.locator("#document td.source mark.issue").inner_text() == "dazu"

    # A deep link selects the system and marks the row.
    page.goto(report.as_uri() + "#s=1&seg=0-4")
    page.reload()
    assert page.locator("#system-select").input_value() == "1"
    assert "targeted" in page.locator("#seg-0-4").get_attribute("class")
    assert p.problems == []


def test_seed_article_report_renders_and_highlights_its_issues(browser, tmp_path):
    out = tmp_path / "seed"
    # The light aligner (no embedding model, no dictionary) keeps this test fast; the report is the same kind.
    light = tmp_path / "light.yaml"
    light.write_text("align:\n  embeddings: false\n  dictionary: 'off'\n", encoding="utf-8")
    args = ["run", str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt"), "--ref", str(SEED / "article.en.ref.txt"), "-c", str(light)]
    assert main([*args, "-s", "de", "-t", "en", "-o", str(out), "--metrics", "bleu,chrf", "-q"]) == 0
    results = json.loads((out / "results.json").read_text())
    p = Page(browser, out / "report.html")
    page = p.page
    assert p.count("#document tbody tr") >= 1
    assert "Telefonat am Donnerstag" in page.locator("#document").inner_text()
    issues = [i for i in results["issues"] if not i["ignored"]]
    highlighted = page.locator("#document mark.issue, #document .pin")
    if issues:
        assert highlighted.count() >= 1
    else:
        assert highlighted.count() == 0
    for issue in issues:
        if issue["code"].startswith("N") and "Selenskyj" in issue["text"]:
            marks = page.locator("#document mark.issue", has_text="Selenskyj")
            assert marks.count() >= 1, "the Selenskyj finding is not highlighted"
            assert "sev-" in marks.first.get_attribute("class")
    assert p.problems == []


def test_segments_sort_by_adequacy_least_first(browser, tmp_path):
    # results.json 1.4: beads carry A5's adequacy; the page shows it and sorts by it, least first
    data = make_results_dict(tmp_path / "in")
    name = data["job"]["systems"][0]
    [beads] = data["systems"][name]["beads"].values()
    values = [0.4, -3.6, None, -0.8, 1.1][: len(beads)]
    for bead, value in zip(beads, values):
        if value is not None:
            bead["adequacy"] = value
    path = tmp_path / "report.html"
    path.write_text(render_html(data), encoding="utf-8")
    p = Page(browser, path)
    page = p.page
    assert page.locator("#document th", has_text="adequacy").count() == 1
    page.select_option("#sort", "adequacy")
    order = [row.get_attribute("id") for row in page.locator("#document tbody tr[id]").all()]
    least_first = sorted((v, k) for k, v in enumerate(values) if v is not None)
    assert order == [f"seg-0-{k}" for _, k in least_first] + [f"seg-0-{k}" for k, v in enumerate(values) if v is None]
    assert page.locator("#seg-0-1 td.adequacy").inner_text() == "-3.6"
    assert page.locator("#seg-0-2 td.adequacy").inner_text() == "–"
    assert p.problems == []
