"""Issue locations in every output (issue 12 item 9): SARIF regions with UTF-16 columns (validated
against the official schema), GitHub annotations, the gate verdict, the XLSX, Markdown and HTML all
name the same file line; ``segment`` stays the 0-based index of the machine outputs; documents get
per-bead segment scores in results.json, segments.parquet and the report."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
import sacrebleu
from conftest import SEED
from openpyxl import load_workbook
from report_data import flag_rules, make_result

from pipeline.align import pairs_for
from pipeline.checks import CheckContext, load_rules, run_checks
from pipeline.config import load_config
from pipeline.engine import aggregate, analyse, execute
from pipeline.gate import evaluate, load_policy, render_sarif, verdict, workflow_annotations
from pipeline.io import read_job, result_to_dict
from pipeline.io.dataset import SegmentTableWriter
from pipeline.io.readers import open_source
from pipeline.io.stream import MemorySource
from pipeline.io.writers import write_outputs
from pipeline.locations import IssueLocator, utf16_len
from pipeline.report import build_view, render_html, render_markdown, render_xlsx
from pipeline.scoring import build_metrics, score_systems, scoring_input
from pipeline.segment import segment_document

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

# Line 2 starts with spaces and an emoji (two UTF-16 code units), line 4 repeats line 1, and the
# source side of line 5 has the test omission ("dazu" with no "about it").
SYSTEM = [
    "Selenskyj spoke to Biden on Thursday.",
    "  \U0001F600 Selenskyj: the house is old.",
    "He comes tomorrow at 10 o'clock <script>.",
    "Selenskyj spoke to Biden on Thursday.",
    "Peskow said nothing.",
]
POLICY = "rules:\n  - {name: no major, issues: {severity: major}, max: 0}\n"


def expected(issue: dict, folder: Path) -> tuple[str, int, int, int]:
    """File, line, UTF-16 start and end column of an issue of a line-aligned run, from the files."""
    name = "test.src.de" if issue["side"] == "source" else "test.hyp.A.en"
    text = (folder / name).read_text(encoding="utf-8").split("\n")[issue["segment"]]
    lead = len(text) - len(text.lstrip())
    assert text.strip()[issue["start"] : issue["end"]] == issue["text"]
    col = utf16_len(text[: lead + issue["start"]]) + 1
    return name, issue["segment"] + 1, col, col + utf16_len(issue["text"])


@pytest.fixture(scope="module")
def run_a(tmp_path_factory):
    folder = tmp_path_factory.mktemp("loc")
    result = make_result(folder / "in", systems={"A": SYSTEM})
    write_outputs(result, folder / "out")
    return folder, json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))


def test_every_output_names_the_same_line_and_column(run_a, monkeypatch):
    folder, data = run_a
    inputs = folder / "in"
    monkeypatch.chdir(inputs)  # CI runs from the repository root: paths relative to it
    issues = [json.loads(line) for line in (folder / "out" / "issues.jsonl").read_text(encoding="utf-8").splitlines()]
    assert issues == data["issues"] and len(issues) == 7
    want = [expected(i, inputs) for i in issues]
    # the emoji counts two UTF-16 code units: "  😀 " is 5 units, so Selenskyj starts in column 6
    emoji = next(w for i, w in zip(issues, want) if i["segment"] == 1)
    assert emoji == ("test.hyp.A.en", 2, 6, 15)
    assert {w[1] for i, w in zip(issues, want) if i["text"] == "Selenskyj"} == {1, 2, 4}

    # SARIF: schema-valid, UTF-16 columns, one result per issue in issue order
    sarif = render_sarif(data)
    jsonschema.Draft4Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(sarif)
    run = sarif["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    for r, (name, line, col, end) in zip(run["results"], want):
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == name
        assert loc["region"] | {"snippet": None} == {"startLine": line, "startColumn": col, "endLine": line, "endColumn": end, "snippet": None}
        assert r["properties"]["segment"] == line - 1  # the 0-based index of issues.jsonl

    # GitHub annotations: the same numbers
    result = evaluate(load_policy(_policy(folder)), data)
    commands = [c for c in workflow_annotations(result, data) if "title=mtqa " in c and "gate" not in c.split("title=")[1][:10]]
    found = {tuple(int(x) for x in re.search(r"line=(\d+),endLine=(\d+),col=(\d+),endColumn=(\d+)", c).groups()) for c in commands}
    assert found == {(line, line, col, end) for _, line, col, end in want}

    # the gate verdict names file:line:column of the first failing issues
    text = verdict(result)
    majors = [w for i, w in zip(issues, want) if i["severity"] == "major"]
    assert f"first at {majors[0][0]}:{majors[0][1]}:{majors[0][2]} (N901 \"Selenskyj\"" in text
    for name, line, col, _ in majors[:3]:
        assert f"{name}:{line}:{col} (" in text

    # XLSX: Segment (0-based) as in issues.jsonl, Line and Column 1-based
    wb = load_workbook(io.BytesIO(render_xlsx(data)))
    rows = list(wb["Issues"].iter_rows(values_only=True))
    header = rows[0]
    seg_col, line_col, col_col = header.index("Segment (0-based)"), header.index("Line"), header.index("Column")
    for row, issue, (_, line, col, _) in zip(rows[1:], issues, want):
        assert (row[seg_col], row[line_col], row[col_col]) == (issue["segment"], line, col)

    # Markdown and HTML: the same file:line:col
    md = render_markdown(data)
    for name, line, col, _ in want:
        assert f"{name}:{line}:{col}" in md
    view = build_view(data)
    assert [i.where for i in view.issues] == [f"{n}:{line}:{col}" for n, line, col, _ in want]
    assert '"where":"test.hyp.A.en:2:6"' in render_html(data, view=view)


def _policy(folder: Path) -> str:
    p = folder / "policy.yaml"
    p.write_text(POLICY, encoding="utf-8")
    return str(p)


def test_streamed_line_aligned_run_without_stored_segments_keeps_columns(run_a, monkeypatch):
    """The CI path: line-aligned files are streamed (segments without offsets), and a large job
    leaves the segment texts out of results.json; the locations must not change."""
    folder, data = run_a
    inputs = folder / "in"
    monkeypatch.chdir(inputs)
    paths = ["test.src.de", "test.hyp.A.en"]
    # max_inline_segments 0: a large job, whose segment texts stay out of results.json
    config = load_config(None, {"src_lang": "de", "tgt_lang": "en", "input": {"line_aligned": True}, "scoring": {"metrics": ["chrf"], "confidence": False}, "output": {"max_inline_segments": 0}})
    source = open_source(paths, ["test.ref.en"], ["A"], config)
    assert type(source).__name__ == "LineFilesSource"
    result = execute(source, config, ("align", "score"))
    job = read_job(paths, ["test.ref.en"], ["A"], config, "de", "en")
    per_doc = [pairs_for(doc, "A", list(_line_beads(doc))) for doc in job.documents]
    result.issues = run_checks(per_doc, list(flag_rules()), CheckContext("de", "en"))
    streamed = result_to_dict(result)
    assert "targets" not in streamed["documents"][0]
    want = [r["locations"] for r in render_sarif(data)["runs"][0]["results"]]
    got = [r["locations"] for r in render_sarif(streamed)["runs"][0]["results"]]
    assert got == want
    # a file edited after the run: the line stays, the columns go (they could point elsewhere)
    hyp = inputs / "test.hyp.A.en"
    original = hyp.read_text(encoding="utf-8")
    try:
        hyp.write_text(original.replace("Selenskyj spoke", "Zelensky spoke"), encoding="utf-8")
        locs = IssueLocator(data)
        first = locs.locate(data["issues"][0])
        assert (first.line, first.column) == (1, None)
    finally:
        hyp.write_text(original, encoding="utf-8")


def _line_beads(doc):
    from pipeline.model import Bead

    return [Bead((i,), (i,), 1.0, {}) for i in range(len(doc.source))]


def test_document_input_offsets_map_to_file_line_and_column(tmp_path):
    """Sentences of a document: several on a line, and (line_breaks: join) one across two lines."""
    text = "Titel\n\nErster Satz. Zweiter \U0001F600 Satz mit Fehler\nund Ende. Dritter.\n"
    path = tmp_path / "doc.en"
    path.write_text(text, encoding="utf-8")
    segs = segment_document(text, "de", "sentencex", "join")
    assert [s.text for s in segs] == ["Titel", "Erster Satz.", "Zweiter \U0001F600 Satz mit Fehler und Ende.", "Dritter."]
    seg_dicts = [{"index": s.index, "text": s.text, "paragraph": s.paragraph, "line": s.line, "start": s.start, "end": s.end} for s in segs]
    second = segs[2].text

    def issue(segment: int, word: str) -> dict:
        start = segs[segment].text.index(word)
        return {"document": "doc.en", "system": "A", "side": "target", "segment": segment, "start": start, "end": start + len(word), "text": word}

    data = {
        "job": {"inputs": [{"role": "target", "name": "A", "path": str(path), "format": "text", "column": None}]},
        "documents": [{"id": "doc.en", "targets": {"A": seg_dicts}}],
        "issues": [issue(2, "Fehler"), issue(2, "Ende"), issue(3, "Dritter"), issue(2, "Fehler und")],
    }
    locator = IssueLocator(data)
    got = [locator.locate(i) for i in data["issues"]]
    assert second.index("Fehler") > second.index("\U0001F600")
    # "Erster Satz. Zweiter 😀 Satz mit Fehler": 32 code points before Fehler, 33 UTF-16 units
    assert (got[0].line, got[0].column, got[0].end_line, got[0].end_column) == (3, 34, 3, 40)
    assert (got[1].line, got[1].column, got[1].end_column) == (4, 5, 9)
    assert (got[2].line, got[2].column, got[2].end_column) == (4, 11, 18)
    assert (got[3].line, got[3].column, got[3].end_line, got[3].end_column) == (3, 34, 4, 4)  # across the line break
    # SARIF keeps a two-line region; an annotation drops the columns GitHub refuses on it
    data["job"].update(src_lang="de", tgt_lang="en", systems=["A"])
    for k, i in enumerate(data["issues"]):
        i.update(code="F901", category="fluency/grammar", severity="minor", message="m", suggestion=None, fingerprint=f"fp{k}", ignored=False, data={})
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in render_sarif(data)["runs"][0]["results"]]
    assert regions[3] | {"snippet": None} == {"startLine": 3, "startColumn": 34, "endLine": 4, "endColumn": 4, "snippet": None}
    commands = workflow_annotations(None, data)
    assert "line=3,endLine=3,col=34,endColumn=40," in commands[0]
    assert "line=3,endLine=4,title=" in commands[3]


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """The seed article as documents (lexical alignment: fast), scored, with the Parquet table."""
    out = tmp_path_factory.mktemp("seed")
    config = load_config(None, {"align": {"embeddings": False}, "scoring": {"metrics": ["bleu", "chrf"], "confidence": False}})
    job = read_job([str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt")], [str(SEED / "article.en.ref.txt")], ["mt"], config, "de", "en")
    table = SegmentTableWriter(out / "segments.parquet", config.scoring.metrics)
    source = MemorySource.of(job)
    shards = list(analyse(source, config, ("align", "score"), load_rules()))
    for shard in shards:
        table.add_shard(shard)
    result = aggregate(shards, source, config, ("align", "score"), load_rules())
    table.close()
    return job, result, pq.read_table(out / "segments.parquet").to_pylist()


def test_documents_get_a_segment_score_per_bead(seed_run):
    job, result, rows = seed_run
    doc = job.documents[0]
    beads = result.systems["mt"].beads[doc.id]
    chrf = result.systems["mt"].scores["chrf"]
    bleu = result.systems["mt"].scores["bleu"]
    assert len(chrf.segments) == len(beads) == len(rows)
    tgt, ref = doc.targets["mt"], doc.references["ref"]
    sentence_bleu = next(m for m in build_metrics(load_config(None, {}).scoring, "en") if m.key == "bleu").segment_metric()
    for bead, c, b, row in zip(beads, chrf.segments, bleu.segments, rows):
        refs = bead.references.get("ref", ())
        assert row["chrf"] == c and row["bleu"] == b
        if not refs:
            assert c is None and b is None  # an insertion: no reference sentence to score against
            continue
        hyp = " ".join(tgt[i].text for i in bead.target)
        reference = " ".join(ref[i].text for i in refs)
        assert c == pytest.approx(sacrebleu.sentence_chrf(hyp, [reference]).score)
        assert b == pytest.approx(sentence_bleu.sentence_score(hyp, [reference]).score)
    assert sum(s is not None for s in chrf.segments) >= len(beads) - 3
    # corpus scores still come from the scoring units, untouched
    data = scoring_input(job, {"mt": result.systems["mt"].beads})
    assert data.n_units < len(beads)  # the seed has units holding more than one bead
    config = load_config(None, {"scoring": {"metrics": ["bleu", "chrf"], "confidence": False}}).scoring
    corpus, _ = score_systems(data, config, "en")
    assert chrf.score == corpus["mt"]["chrf"].score and bleu.score == corpus["mt"]["bleu"].score


def test_report_shows_document_segment_scores(seed_run):
    _, result, _ = seed_run
    data = result_to_dict(result)
    view = build_view(data, rules={})
    s = view.system("mt")
    assert s.unit_beads is not None and len(s.segment_scores) > 0 and s.lowest
    page = render_html(data, view=view)
    assert '"unitScores":{"mt":' in page


def test_tabular_rows_and_inputs_without_lines(tmp_path):
    """TSV: the row's line, columns where the cell's text occurs once in it; a dataset: no line, the
    document and the 0-based segment (as in issues.jsonl)."""
    tsv = tmp_path / "data.tsv"
    tsv.write_text("source\ttarget\nDas Haus.\tThe Haus.\nHaus\tHaus\n", encoding="utf-8")

    def seg(i: int, text: str, line: int) -> dict:
        return {"index": i, "text": text, "paragraph": i, "line": line, "start": 0, "end": 0}

    def issue(segment: int, start: int, end: int, text: str) -> dict:
        return {"document": "doc1", "system": "target", "side": "target", "segment": segment, "start": start, "end": end, "text": text}

    data = {
        "job": {"inputs": [{"role": "target", "name": "target", "path": str(tsv), "format": "tsv", "column": "target"}]},
        "documents": [{"id": "doc1", "targets": {"target": [seg(0, "The Haus.", 2), seg(1, "Haus", 3)]}}],
        "issues": [issue(0, 4, 8, "Haus"), issue(1, 0, 4, "Haus")],
    }
    first, second = IssueLocator(data).locate(data["issues"][0]), IssueLocator(data).locate(data["issues"][1])
    assert (first.line, first.column, first.end_column) == (2, 15, 19)
    assert (second.line, second.column) == (3, None)  # "Haus" is in both cells of the row: no column
    data["job"]["inputs"][0].update(path=str(tmp_path / "data.parquet"), format="hf")
    loc = IssueLocator(data).locate(data["issues"][1])
    assert loc.line is None and loc.label(data["issues"][1]) == "doc1 segment 1"
