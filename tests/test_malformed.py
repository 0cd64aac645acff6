"""The malformed-input corpus: every bad input, config, policy, ignore list, results file and
environment fault is one line on stderr and exit status 2, never a traceback, and leaves nothing
behind (no output, no temporary file, no lock file).

Each case is a row of ``CASES``: an id, the files to write into the test folder (``{d}`` in names,
contents and arguments is that folder; a callable content is called with the folder), the
arguments of ``mtqa`` and a fragment the error line must contain.  The cases run in-process through
``pipeline.cli.main`` (a second each at most); the process-level behaviour (full disk, read-only
folder, a second run on a locked folder, SIGTERM and SIGKILL) runs through real subprocesses below.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli

from pipeline.cli import main

SRC = "Hallo Welt.\nZwei Sätze hier.\n"
TGT = "Hello world.\nTwo sentences here.\n"
LANGS = ["-s", "de", "-t", "en"]
HUGE = "x" * (5 * 1024 * 1024)  # a 5 MB line without a break


def RUN(*args: str) -> list[str]:
    return ["run", *args, *LANGS, "-o", "{d}/out", "-q"]


def SCORE(*args: str) -> list[str]:
    return ["score", *args, *LANGS, "-o", "{d}/out", "-q"]


def TEXT(*extra: str) -> list[str]:
    return RUN("{d}/s.de", "{d}/t.en", *extra)


def LINES(*extra: str) -> list[str]:
    return SCORE("{d}/s.de", "{d}/t.en", "--ref", "{d}/r.en", "-l", *extra)


PAIR = {"s.de": SRC, "t.en": TGT}
TRIPLE = {"s.de": SRC, "t.en": TGT, "r.en": TGT}


@dataclass
class Case:
    id: str
    files: dict[str, Any]
    argv: list[str]
    expect: str  # a fragment of the error line
    setup: Callable[[Path], Any] | None = None  # more preparation; may return a context to hold
    marks: list[Any] = field(default_factory=list)


# --- file builders -------------------------------------------------------------------------------


def _table(path: Path, columns: dict[str, list[Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)


def parquet(columns: dict[str, list[Any]]) -> Callable[[Path], bytes]:
    def build(d: Path) -> bytes:
        tmp = d / ".build.parquet"
        _table(tmp, columns)
        data = tmp.read_bytes()
        tmp.unlink()
        return data

    return build


def saved_dataset(name: str, splits: dict[str, dict[str, list[Any]]] | None = None, plain: dict[str, list[Any]] | None = None) -> Callable[[Path], None]:
    def build(d: Path) -> None:
        import datasets

        datasets.disable_progress_bars()
        if plain is not None:
            datasets.Dataset.from_dict(plain).save_to_disk(str(d / name))
        else:
            datasets.DatasetDict({k: datasets.Dataset.from_dict(v) for k, v in (splits or {}).items()}).save_to_disk(str(d / name))

    return build


GOOD_COLUMNS = {"source": ["Eins.", "Zwei."], "target": ["One.", "Two."], "reference": ["One.", "Two."]}

WMT_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
XML_DOC = (
    '<dataset id="t"><collection id="general"><doc id="d1">'
    '<src lang="de"><p><seg id="1">Guten Morgen.</seg><seg id="2">Wie geht es?</seg></p></src>'
    '<ref lang="en" translator="A"><p><seg id="1">Good morning.</seg><seg id="2">How are you?</seg></p></ref>'
    "{hyp}</doc>{more}</collection></dataset>\n"
)
HYP_FULL = '<hyp system="sysX" language="en"><p><seg id="1">Good morning.</seg><seg id="2">How goes it?</seg></p></hyp>'
BILLION_LAUGHS = (
    WMT_HEAD
    + "<!DOCTYPE dataset [\n"
    + '<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
    + XML_DOC.format(hyp=HYP_FULL.replace("How goes it?", "&lol9;"), more="")
)
XXE = (
    WMT_HEAD
    + '<!DOCTYPE dataset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + XML_DOC.format(hyp=HYP_FULL.replace("How goes it?", "&xxe;"), more="")
)

ALIAS_BOMB = "".join(
    f"  {chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}" if i else '"lol"'] * 9) + "]\n" for i in range(9)
)  # YAML "billion laughs": 9**9 strings once expanded
PYTHON_TAG = "!!python/object/apply:os.system ['touch {d}/pwned']\n"
POLICY = "rules:\n  - metric: bleu\n    min: 0\n"
FP = "0123456789abcdef"


def _results(d: Path) -> str:
    return RESULTS_TEXT[0]


def _truncated_results(d: Path) -> str:
    text = RESULTS_TEXT[0]
    return text[: len(text) // 2]


def _old_version_results(d: Path) -> str:
    data = json.loads(RESULTS_TEXT[0])
    data["schema_version"] = "9.0"
    return json.dumps(data)


def _bad_documents_results(d: Path) -> str:
    data = json.loads(RESULTS_TEXT[0])
    data["documents"] = 5
    return json.dumps(data)


RESULTS_TEXT: list[str] = []  # filled by the module fixture: a valid results.json


def _dangling_link(d: Path) -> None:
    os.symlink(d / "gone", d / "link")


@contextlib.contextmanager
def _held_lock(d: Path) -> Iterator[None]:
    """Another run holds OUTDIR's lock (flock locks of two open() calls exclude each other, even in
    one process)."""
    import fcntl

    (d / "out").mkdir()
    fd = os.open(d / "out" / ".mtqa.lock", os.O_RDWR | os.O_CREAT)
    os.write(fd, b"4242\n")
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        yield
    finally:
        os.close(fd)


def _vanishing_outdir(d: Path) -> Any:
    """The output folder is deleted while the run analyses (a cleanup job, a user's rm -rf)."""
    import shutil

    import pipeline.run as run_module

    real = run_module.aggregate

    def aggregate(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        shutil.rmtree(d / "out")
        return result

    mp = pytest.MonkeyPatch()
    mp.setattr(run_module, "aggregate", aggregate)

    @contextlib.contextmanager
    def undo() -> Iterator[None]:
        try:
            yield
        finally:
            mp.undo()

    return undo()


# --- the corpus ----------------------------------------------------------------------------------

CASES = [
    # plain text documents
    Case("text-missing-target", {"s.de": SRC}, TEXT(), "t.en: no such file"),
    Case("text-missing-source", {"t.en": TGT}, TEXT(), "s.de: no such file"),
    Case("text-empty-target", {"s.de": SRC, "t.en": ""}, TEXT(), "t.en: file is empty"),
    Case("text-blank-source", {"s.de": " \n\n\t\n", "t.en": TGT}, TEXT(), "s.de: file is empty"),
    Case("text-binary-target", {"s.de": SRC, "t.en": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, TEXT(), "t.en: binary data"),
    Case("text-utf16-without-bom", {"s.de": SRC, "t.en": TGT.encode("utf-16-le")}, TEXT(), "UTF-16LE text without a byte-order mark"),
    Case("text-utf16be-without-bom", {"s.de": SRC, "t.en": TGT.encode("utf-16-be")}, TEXT(), "UTF-16BE text without a byte-order mark"),
    Case("text-utf16-with-bom", {"s.de": SRC, "t.en": TGT.encode("utf-16")}, TEXT(), "UTF-16 text (byte-order mark"),
    Case("text-utf32-with-bom", {"s.de": SRC, "t.en": TGT.encode("utf-32")}, TEXT(), "UTF-32 text"),
    Case("text-latin1-source", {"s.de": SRC.encode("latin-1"), "t.en": TGT}, TEXT(), "s.de: not valid UTF-8 at byte offset 18"),
    Case("text-huge-line", {"s.de": SRC, "t.en": HUGE}, TEXT(), "line 1 has 5242880 characters, over the limit"),
    Case("text-target-is-directory", {"s.de": SRC, "t.en/x.txt": TGT}, TEXT(), "t.en: is a directory"),
    Case("text-target-is-device", {"s.de": SRC}, RUN("{d}/s.de", "/dev/zero"), "/dev/zero: a device or socket"),
    Case("text-source-without-target", {"s.de": SRC}, RUN("{d}/s.de"), "needs at least one TARGET"),
    Case("text-names-count", PAIR, TEXT("--names", "a,b"), "--names gives 2 names for 1 targets"),
    Case("text-names-duplicate", {**PAIR, "u.en": TGT}, RUN("{d}/s.de", "{d}/t.en", "{d}/u.en", "--names", "a,a"), "system names must be distinct"),
    Case("text-src-col", PAIR, TEXT("--src-col", "src"), "--src-col applies to tabular inputs"),
    Case("text-tgt-col", PAIR, TEXT("--tgt-col", "mt"), "--tgt-col applies to tabular inputs"),
    Case("text-ref-col", PAIR, TEXT("--ref-col", "ref"), "--ref-col applies to tabular inputs"),
    Case("text-doc-col", PAIR, TEXT("--doc-col", "doc"), "--doc-col applies to tabular inputs"),
    Case("text-split", PAIR, TEXT("--split", "test"), "--split applies to datasets"),
    Case("text-binary-reference", {**PAIR, "r.en": b"\x00\x01\x02\xff"}, TEXT("--ref", "{d}/r.en"), "r.en: binary data"),
    Case("score-without-reference", PAIR, SCORE("{d}/s.de", "{d}/t.en"), "mtqa score: no reference given"),
    Case("score-save-dataset-without-outdir", TRIPLE, ["score", "{d}/s.de", "{d}/t.en", "--ref", "{d}/r.en", *LANGS, "--save-dataset", "{d}/ds"], "--save-dataset saves the per-segment table"),
    Case("cache-dir-and-no-cache", PAIR, TEXT("--cache-dir", "{d}/cache", "--no-cache"), "--cache-dir and --no-cache contradict"),
    Case("gate-baseline-without-gate", {**PAIR, "base.json": _results}, TEXT("--gate-baseline", "{d}/base.json"), "--gate-baseline applies with --gate"),
    # line-aligned text (streamed)
    Case("lines-target-short", {"s.de": SRC, "t.en": "Hello world.\n", "r.en": TGT}, LINES(), "t.en: 1 lines, but the source"),
    Case("lines-reference-long", {**PAIR, "r.en": TGT + "Three.\n"}, LINES(), "r.en: 3 lines, but the source"),
    Case("lines-huge-line", {"s.de": "a\n" + HUGE + "\n", "t.en": "a\nb\n", "r.en": "a\nb\n"}, LINES(), "s.de: line 2 has more than 20000 characters"),
    Case("lines-utf16-without-bom", {**TRIPLE, "t.en": TGT.encode("utf-16-le")}, LINES(), "UTF-16LE text without a byte-order mark"),
    Case("lines-latin1", {**TRIPLE, "r.en": "Grüße\nzwei\n".encode("latin-1")}, LINES(), "r.en: not valid UTF-8 at byte offset 2"),
    Case("lines-truncated-utf8", {**TRIPLE, "t.en": "Hello\nGr\xfc".encode()[:-1]}, LINES(), "truncated character at the end"),
    Case("lines-binary", {**TRIPLE, "t.en": b"\x7fELF\x02\x01\x01\x00\x00"}, LINES(), "t.en: binary data"),
    Case("lines-empty", {**TRIPLE, "r.en": ""}, LINES(), "r.en: file is empty"),
    Case("lines-names-count", TRIPLE, LINES("--names", "a,b,c"), "--names gives 3 names for 1 targets"),
    # folders of documents
    Case("folder-target-is-file", {"src/a.txt": SRC, "mt": TGT}, RUN("{d}/src", "{d}/mt"), "must be a directory too"),
    Case("folder-missing-document", {"src/a.txt": SRC, "src/b.txt": SRC, "mt/a.txt": TGT}, RUN("{d}/src", "{d}/mt"), "no document 'b.txt'"),
    Case("folder-empty", {"src/.hidden": SRC, "mt/a.txt": TGT}, RUN("{d}/src", "{d}/mt"), "directory holds no files"),
    Case("folder-empty-document", {"src/a.txt": SRC, "mt/a.txt": "\n"}, RUN("{d}/src", "{d}/mt"), "a.txt: file is empty"),
    Case("folder-latin1-document", {"src/a.txt": "Grüße\n".encode("latin-1"), "mt/a.txt": TGT}, RUN("{d}/src", "{d}/mt"), "not valid UTF-8"),
    Case("folder-layout-empty-system", {"set/source/a.txt": SRC, "set/systems/A/.keep": ""}, RUN("{d}/set"), "directory holds no files"),
    # TSV
    Case("tsv-row-without-target", {"t.tsv": "source\ttarget\nEins.\tOne.\nZwei.\n"}, RUN("{d}/t.tsv"), "line 3 has 1 fields, the header has 2 (no value for 'target')"),
    Case("tsv-no-target-column", {"t.tsv": "source\tfoo\nEins.\tOne.\n"}, RUN("{d}/t.tsv"), "no target column"),
    Case("tsv-header-only", {"t.tsv": "source\ttarget\n"}, RUN("{d}/t.tsv"), "no data rows after the header"),
    Case("tsv-duplicate-column", {"t.tsv": "source\ttarget\ttarget\na\tb\tc\n"}, RUN("{d}/t.tsv"), "duplicate column names"),
    Case("tsv-line-aligned-option", {"t.tsv": "source\ttarget\na\tb\n"}, RUN("{d}/t.tsv", "-l"), "--line-aligned applies to text files"),
    Case("tsv-with-ref-file", {"t.tsv": "source\ttarget\na\tb\n", "r.en": TGT}, RUN("{d}/t.tsv", "--ref", "{d}/r.en"), "give it alone"),
    Case("tsv-unknown-tgt-col", {"t.tsv": "source\ttarget\na\tb\n"}, RUN("{d}/t.tsv", "--tgt-col", "mt"), "no column 'mt' for the targets"),
    Case("tsv-names-count", {"t.tsv": "source\ttarget\na\tb\n"}, RUN("{d}/t.tsv", "--names", "a,b"), "--names gives 2 names for 1 systems"),
    Case("tsv-split", {"t.tsv": "source\ttarget\na\tb\n"}, RUN("{d}/t.tsv", "--split", "test"), "--split applies to datasets"),
    Case("tsv-every-target-empty", {"t.tsv": "source\ttarget\nEins.\t\nZwei.\t \n"}, RUN("{d}/t.tsv"), "every target is empty"),
    Case("tsv-huge-line", {"t.tsv": "source\ttarget\n" + HUGE + "\tx\n"}, RUN("{d}/t.tsv"), "over the limit"),
    # CSV
    Case("csv-unterminated-quote", {"t.csv": 'source,target\n"Eins,One\n'}, RUN("{d}/t.csv"), "malformed CSV"),
    Case("csv-row-without-reference", {"t.csv": "source,target,reference\na,b,c\nd,e\n"}, RUN("{d}/t.csv"), "(no value for 'reference')"),
    Case("csv-latin1", {"t.csv": "source,target\nGrüße,Greetings\n".encode("latin-1")}, RUN("{d}/t.csv"), "not valid UTF-8"),
    Case("csv-empty", {"t.csv": ""}, RUN("{d}/t.csv"), "t.csv: file is empty"),
    # JSONL
    Case("jsonl-row-without-target", {"t.jsonl": '{"source": "Eins.", "target": "One."}\n{"source": "Zwei."}\n'}, RUN("{d}/t.jsonl"), "t.jsonl: line 2 has no 'target'"),
    Case("jsonl-null-target", {"t.jsonl": '{"source": "Eins.", "target": null}\n'}, RUN("{d}/t.jsonl"), "line 1, column 'target' is null"),
    Case("jsonl-row-without-reference", {"t.jsonl": '{"source": "a", "target": "b", "ref": "b"}\n{"source": "a", "target": "b"}\n'}, RUN("{d}/t.jsonl"), "line 2 has no 'ref'"),
    Case("jsonl-not-an-object", {"t.jsonl": '["Eins.", "One."]\n'}, RUN("{d}/t.jsonl"), "line 1 is not a JSON object"),
    Case("jsonl-broken-line", {"t.jsonl": '{"source": "a", "target": "b"}\n{"source": "a", \n'}, RUN("{d}/t.jsonl"), "line 2 is not valid JSON"),
    Case("jsonl-number-target", {"t.jsonl": '{"source": "a", "target": 5}\n'}, RUN("{d}/t.jsonl"), "column 'target' holds int, expected text"),
    Case("jsonl-reference-list-width", {"t.jsonl": '{"source": "a", "target": "b", "references": ["b", "c"]}\n{"source": "a", "target": "b", "references": ["b"]}\n'}, RUN("{d}/t.jsonl"), "must hold 2 references in every row"),
    Case("jsonl-via-datasets-missing-target", {"t.jsonl": '{"source": "Eins.", "target": "One."}\n{"source": "Zwei."}\n'}, RUN("{d}/t.jsonl", "--format", "hf"), "row 2, column 'target' is null"),
    # parquet, arrow, datasets folders
    Case("parquet-garbage", {"t.parquet": b"PAR1 this is not parquet at all"}, RUN("{d}/t.parquet"), "cannot read as a dataset"),
    Case("parquet-empty-file", {"t.parquet": b""}, RUN("{d}/t.parquet"), "t.parquet"),
    Case("parquet-null-target", {"t.parquet": parquet({"source": ["a", "b"], "target": ["x", None]})}, RUN("{d}/t.parquet"), "row 2, column 'target' is null"),
    Case("parquet-no-target-column", {"t.parquet": parquet({"source": ["a"], "other": ["x"]})}, RUN("{d}/t.parquet"), "no target column"),
    Case("parquet-no-rows", {"t.parquet": parquet({"source": [], "target": []})}, RUN("{d}/t.parquet"), "the dataset has no rows"),
    Case("arrow-garbage", {"t.arrow": b"ARROW1\x00\x00garbage"}, RUN("{d}/t.arrow"), "cannot read as a dataset"),
    Case("dataset-folder-broken", {"ds/dataset_info.json": "{}", "ds/state.json": "{not json"}, RUN("{d}/ds"), "cannot read as a dataset"),
    Case("datasetdict-unknown-split", {}, RUN("{d}/dd", "--split", "nope"), "no split 'nope' (have: train, validation)", setup=saved_dataset("dd", {"train": GOOD_COLUMNS, "validation": GOOD_COLUMNS})),
    Case("datasetdict-no-default-split", {}, RUN("{d}/dd"), "choose a split with --split", setup=saved_dataset("dd", {"train": GOOD_COLUMNS, "validation": GOOD_COLUMNS})),
    Case("dataset-split-without-splits", {}, RUN("{d}/ds", "--split", "test"), "the dataset has no splits", setup=saved_dataset("ds", plain=GOOD_COLUMNS)),
    # WMT XML
    Case("xml-broken", {"t.xml": "<dataset>\n<doc id='1'>\n<src><seg id='1'>x</src>\n"}, RUN("{d}/t.xml"), "not well-formed XML at line 3"),
    Case("xml-billion-laughs", {"t.xml": BILLION_LAUGHS}, RUN("{d}/t.xml"), "XML with a DOCTYPE is not accepted"),
    Case("xml-external-entity", {"t.xml": XXE}, RUN("{d}/t.xml"), "XML with a DOCTYPE is not accepted"),
    Case("xml-empty", {"t.xml": ""}, RUN("{d}/t.xml"), "not well-formed XML"),
    Case("xml-no-documents", {"t.xml": WMT_HEAD + "<dataset/>\n"}, RUN("{d}/t.xml"), "no <doc> elements"),
    Case("xml-no-system-output", {"t.xml": WMT_HEAD + XML_DOC.format(hyp="", more="")}, RUN("{d}/t.xml"), "no <hyp> system output"),
    Case("xml-hyp-missing-segment", {"t.xml": WMT_HEAD + XML_DOC.format(hyp=HYP_FULL.replace('<seg id="2">How goes it?</seg>', ""), more="")}, RUN("{d}/t.xml"), "has no <seg id='2'>"),
    Case("xml-system-missing-document", {"t.xml": WMT_HEAD + XML_DOC.format(hyp=HYP_FULL, more='<doc id="d2"><src lang="de"><seg id="1">Ja.</seg></src></doc>')}, RUN("{d}/t.xml"), "system 'sysX' has output for some documents"),
    Case("xml-document-without-source", {"t.xml": WMT_HEAD + '<dataset><doc id="d1"><hyp system="a"><seg id="1">x</seg></hyp></doc></dataset>'}, RUN("{d}/t.xml"), "document 'd1' has no <src>"),
    Case("xml-latin1", {"t.xml": ('<?xml version="1.0" encoding="iso-8859-1"?>\n' + XML_DOC.format(hyp=HYP_FULL, more="").replace("Guten", "Grüße")).encode("latin-1")}, RUN("{d}/t.xml"), "not valid UTF-8"),
    # manifests (YAML, JSON)
    Case("manifest-python-tag", {"m.yaml": "source: " + PYTHON_TAG + "systems: [t.en]\n", **PAIR}, RUN("{d}/m.yaml"), "not a valid manifest (invalid YAML at line 1"),
    Case("manifest-python-object-new", {"m.yaml": "!!python/object/new:os.system [echo pwned]\n"}, RUN("{d}/m.yaml"), "not a valid manifest"),
    Case("manifest-yaml-alias-bomb", {"m.yaml": "source: s.de\nsystems: [t.en]\nreferences:\n" + ALIAS_BOMB, **PAIR}, RUN("{d}/m.yaml"), "'references.a' must be a file path"),
    Case("manifest-not-a-mapping", {"m.yaml": "- s.de\n- t.en\n"}, RUN("{d}/m.yaml"), "a manifest is a mapping"),
    Case("manifest-unknown-key", {"m.yaml": "source: s.de\nsystems: [t.en]\nsytems: [t.en]\n", **PAIR}, RUN("{d}/m.yaml"), "unknown manifest key 'sytems'"),
    Case("manifest-without-systems", {"m.yaml": "source: s.de\n", **PAIR}, RUN("{d}/m.yaml"), "needs 'source' and 'systems'"),
    Case("manifest-source-not-a-path", {"m.yaml": "source: [s.de]\nsystems: [t.en]\n", **PAIR}, RUN("{d}/m.yaml"), "'source' must be a file or folder path"),
    Case("manifest-system-not-a-path", {"m.yaml": "source: s.de\nsystems: {A: [t.en]}\n", **PAIR}, RUN("{d}/m.yaml"), "'systems.A' must be a file path"),
    Case("manifest-glob-matches-nothing", {"m.yaml": "source: s.de\nsystems: 'hyp.*.en'\n", **PAIR}, RUN("{d}/m.yaml"), "matches no file"),
    Case("manifest-invalid-yaml", {"m.yaml": "source: s.de\nsystems: [t.en\n", **PAIR}, RUN("{d}/m.yaml"), "invalid YAML"),
    Case("manifest-invalid-json", {"m.json": '{"source": "s.de", "systems": ["t.en"]', **PAIR}, RUN("{d}/m.json"), "invalid JSON at line 1"),
    Case("manifest-missing-source-file", {"m.yaml": "source: nope.de\nsystems: [t.en]\n", **PAIR}, RUN("{d}/m.yaml"), "nope.de: no such file"),
    Case("manifest-line-aligned-not-bool", {"m.yaml": "source: s.de\nsystems: [t.en]\nline_aligned: sometimes\n", **PAIR}, RUN("{d}/m.yaml"), "'line_aligned' must be true or false"),
    Case("manifest-latin1", {"m.yaml": "source: s.de\nsystems: [Grüße.en]\n".encode("latin-1"), **PAIR}, RUN("{d}/m.yaml"), "not valid UTF-8"),
    # configs
    Case("config-unknown-key", {**PAIR, "c.yaml": "scoring:\n  colour: blue\n"}, TEXT("-c", "{d}/c.yaml"), "unknown key 'scoring.colour'"),
    Case("config-bad-value", {**PAIR, "c.yaml": "execution:\n  jobs: many\n"}, TEXT("-c", "{d}/c.yaml"), "bad value for 'execution.jobs'"),
    Case("config-python-tag", {**PAIR, "c.yaml": "checks: " + PYTHON_TAG}, TEXT("-c", "{d}/c.yaml"), "invalid YAML"),
    Case("config-yaml-alias-bomb", {**PAIR, "c.yaml": "checks:\n  options:\n    grammar:\n" + textwrap.indent(ALIAS_BOMB, "    ")}, TEXT("-c", "{d}/c.yaml"), "c.yaml"),
    Case("config-not-a-mapping", {**PAIR, "c.yaml": "- bleu\n- chrf\n"}, TEXT("-c", "{d}/c.yaml"), "expected a mapping"),
    Case("config-extends-missing", {**PAIR, "c.yaml": "extends: nowhere.yaml\n"}, TEXT("-c", "{d}/c.yaml"), "nowhere.yaml"),
    Case("config-extends-cycle", {**PAIR, "a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"}, TEXT("-c", "{d}/a.yaml"), "loops back"),
    Case("config-invalid-yaml", {**PAIR, "c.yaml": "scoring: [\n"}, TEXT("-c", "{d}/c.yaml"), "invalid YAML"),
    Case("config-missing-file", PAIR, TEXT("-c", "{d}/nope.yaml"), "nope.yaml: no such config file"),
    Case("config-latin1", {**PAIR, "c.yaml": "src_lang: d\xe9\n".encode("latin-1")}, TEXT("-c", "{d}/c.yaml"), "not UTF-8"),
    Case("config-is-a-directory", {**PAIR, "c.yaml/x": ""}, TEXT("-c", "{d}/c.yaml"), "c.yaml: is a directory"),
    Case("policy-is-a-directory", {**PAIR, "p.yaml/x": ""}, TEXT("--gate", "{d}/p.yaml"), "p.yaml: is a directory"),
    Case("config-bad-option-value", PAIR, TEXT("--metrics", "bleu,meteor"), "bad value for 'scoring.metrics.1'"),
    # gate policies
    Case("policy-unknown-key", {"r.json": _results, "p.yaml": POLICY + "treshold: 3\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "unknown key 'treshold'"),
    Case("policy-bad-value", {"r.json": _results, "p.yaml": POLICY + "alpha: 2\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "bad value at 'alpha'"),
    Case("policy-python-tag", {"r.json": _results, "p.yaml": "rules: " + PYTHON_TAG}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "invalid YAML"),
    Case("policy-not-a-mapping", {"r.json": _results, "p.yaml": "- metric: bleu\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "expected a mapping"),
    Case("policy-missing", {"r.json": _results}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "no such gate policy file"),
    Case("policy-without-rules", {"r.json": _results, "p.yaml": "rules: []\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "bad value at 'rules'"),
    Case("policy-rule-two-kinds", {"r.json": _results, "p.yaml": "rules:\n  - metric: bleu\n    regression: chrf\n    min: 1\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "exactly one of"),
    Case("policy-broken-in-run", {**PAIR, "p.yaml": "rules: [\n"}, TEXT("--gate", "{d}/p.yaml"), "invalid YAML"),
    Case("policy-baseline-broken-in-run", {**PAIR, "p.yaml": POLICY, "b.json": "{"}, TEXT("--gate", "{d}/p.yaml", "--gate-baseline", "{d}/b.json"), "not valid JSON"),
    # ignore files
    Case("ignore-invalid-yaml", {"r.json": _results, ".mtqa-ignore": "ignore: [\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "invalid YAML", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("ignore-bad-fingerprint", {"r.json": _results, "i.yaml": "ignore:\n  - fingerprint: xyz\n"}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "is not a fingerprint"),
    Case("ignore-unknown-top-key", {"r.json": _results, "i.yaml": "ignored: []\n"}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "expected one key at the top level"),
    Case("ignore-entries-not-a-list", {"r.json": _results, "i.yaml": "ignore: " + FP + "\n"}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "must be a list"),
    Case("ignore-python-tag", {"r.json": _results, "i.yaml": "ignore: " + PYTHON_TAG}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "invalid YAML"),
    Case("ignore-yaml-alias-bomb", {**PAIR, "i.yaml": "ignore:\n  - fingerprint: " + FP + "\n    reason:\n" + textwrap.indent(ALIAS_BOMB, "    ")}, TEXT("--ignore-file", "{d}/i.yaml"), "'reason' must be text"),
    Case("ignore-file-is-directory", {"r.json": _results, "i.yaml/x": ""}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "is a directory"),
    Case("ignore-missing-file", {"r.json": _results}, ["report", "{d}/r.json", "--ignore-file", "{d}/i.yaml", "-o", "{d}/out/r.html"], "no such ignore file"),
    Case("ignore-malformed-in-run", {**PAIR, ".mtqa-ignore": "ignore:\n  - reason: no fingerprint\n"}, TEXT(), "needs a 'fingerprint'"),
    Case("ignore-command-on-malformed-list", {"r.json": _results, "i.yaml": "ignore: [\n"}, ["ignore", "{d}/r.json", "--all", "--file", "{d}/i.yaml"], "invalid YAML"),
    # results files for gate, report and ignore
    Case("gate-results-not-json", {"r.json": "not json\n"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "not valid JSON", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-results-wrong-schema", {"r.json": '{"systems": {}}'}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "not an mtqa results file", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-results-truncated", {"r.json": _truncated_results}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "not valid JSON (truncated?)", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-results-empty", {"r.json": ""}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "file is empty", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-results-binary", {"r.json": b"\xff\xfe\x00\x01"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "not UTF-8 text", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-results-deeply-nested", {"r.json": "[" * 100000 + "]" * 100000}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml"], "r.json", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-baseline-truncated", {"r.json": _results, "b.json": _truncated_results}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml", "--baseline", "{d}/b.json"], "b.json: not valid JSON", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("gate-output-is-a-file", {"r.json": _results, "out": "x"}, ["gate", "{d}/r.json", "--policy", "{d}/p.yaml", "-o", "{d}/out"], "exists and is not a directory", setup=lambda d: (d / "p.yaml").write_text(POLICY)),
    Case("report-results-not-json", {"r.json": "<html></html>"}, ["report", "{d}/r.json", "-o", "{d}/out/r.html"], "not valid JSON"),
    Case("report-results-future-version", {"r.json": _old_version_results}, ["report", "{d}/r.json", "-o", "{d}/out/r.html"], "schema version 9.0 is not supported"),
    Case("report-results-invalid", {"r.json": _bad_documents_results}, ["report", "{d}/r.json", "-o", "{d}/out/r.html"], "invalid results at documents"),
    Case("report-folder-without-results", {"res/other.txt": ""}, ["report", "{d}/res"], "without results.json"),
    Case("ignore-results-truncated", {"r.json": _truncated_results}, ["ignore", "{d}/r.json", "--all", "--file", "{d}/out/i.yaml"], "truncated"),
    Case("ignore-results-empty", {"r.json": ""}, ["ignore", "{d}/r.json", "--all", "--file", "{d}/out/i.yaml"], "file is empty"),
    # environment faults that need no privileges (full disk, read-only: the subprocess tests below)
    Case("env-output-is-a-file", {**PAIR, "out": "not a folder"}, TEXT(), "out: exists and is not a directory"),
    Case("env-output-parent-is-a-file", {**PAIR, "f": "x"}, ["run", "{d}/s.de", "{d}/t.en", *LANGS, "-o", "{d}/f/out"], "is not a directory"),
    Case("env-output-parent-vanished", PAIR, ["run", "{d}/s.de", "{d}/t.en", *LANGS, "-o", "{d}/link/out"], "dangling link", setup=_dangling_link),
    Case("env-output-locked-by-another-run", TRIPLE, LINES(), "another mtqa run (process 4242) is writing into this output folder", setup=_held_lock),
    Case("env-output-vanishes-during-run", TRIPLE, LINES("--no-ci"), "removed or replaced during the run", setup=_vanishing_outdir),
]


def _ids() -> list[str]:
    return [c.id for c in CASES]


def test_the_corpus_is_large_and_ids_are_unique():
    assert len(CASES) >= 60
    assert len(set(_ids())) == len(CASES)


@pytest.fixture(scope="module")
def results_text(tmp_path_factory) -> str:
    """A valid results.json (of a small line-aligned scoring run)."""
    d = tmp_path_factory.mktemp("results")
    (d / "s.de").write_text(SRC, encoding="utf-8")
    (d / "t.en").write_text(TGT, encoding="utf-8")
    assert main(["score", str(d / "s.de"), str(d / "t.en"), "--ref", str(d / "t.en"), *LANGS, "-l", "-q", "--no-ci", "--no-cache", "-o", str(d / "o")]) == 0
    text = (d / "o" / "results.json").read_text(encoding="utf-8")
    RESULTS_TEXT[:] = [text]
    return text


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under root: (size, mtime) - what a failed command must not change."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size if name in filenames else 0, st.st_mtime_ns if name in filenames else 0)
    return out


def assert_clean_failure(rc: int, out: str, err: str, expect: str, root: Path, before: dict) -> None:
    lines = err.splitlines()
    assert rc == 2, (rc, out[-2000:], err[-2000:])
    assert "Traceback" not in err, err
    assert len(lines) == 1 and lines[0].strip(), f"expected one line on stderr, got {err!r}"
    assert lines[0].startswith("mtqa"), lines[0]
    assert expect in lines[0], lines[0]
    after = snapshot(root)
    assert not [p for p in after if p.endswith(".tmp")], [p for p in after if p.endswith(".tmp")]
    assert after == before, {"new": sorted(set(after) - set(before)), "gone": sorted(set(before) - set(after)), "changed": sorted(k for k in before if k in after and before[k] != after[k])}


def _materialise(case: Case, d: Path) -> list[str]:
    for name, content in case.files.items():
        p = d / name.replace("{d}", str(d))
        p.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content = content(d)
        if isinstance(content, str):
            content = content.replace("{d}", str(d)).encode("utf-8")
        p.write_bytes(content)
    return [a.replace("{d}", str(d)) for a in case.argv]


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_malformed_input_is_one_line_and_exit_2(case: Case, tmp_path, monkeypatch, capfd, results_text):
    monkeypatch.chdir(tmp_path)  # the default .mtqa-ignore is looked up in the working folder
    argv = _materialise(case, tmp_path)
    with contextlib.ExitStack() as stack:
        held = case.setup(tmp_path) if case.setup else None
        if held is not None and hasattr(held, "__enter__"):
            stack.enter_context(held)
        before = snapshot(tmp_path)
        capfd.readouterr()
        t0 = time.perf_counter()
        rc = main(argv)
        elapsed = time.perf_counter() - t0
        out, err = capfd.readouterr()
        assert_clean_failure(rc, out, err, case.expect, tmp_path, before)
    assert out == "", out[-2000:]
    assert elapsed < 10, f"{case.id} took {elapsed:.1f} s"  # a 5 MB line is rejected in well under a second


# --- process-level behaviour ---------------------------------------------------------------------


def _lines_files(d: Path, n: int) -> list[str]:
    rng = random.Random(n)
    words = ["alpha", "beta", "gamma", "delta", "Haus", "Welt", "the", "and"]
    for name in ("s.de", "t.en"):
        (d / name).write_text("".join(" ".join(rng.choice(words) for _ in range(12)) + ".\n" for _ in range(n)), encoding="utf-8")
    return [str(d / "s.de"), str(d / "t.en"), "--ref", str(d / "t.en"), *LANGS, "-l", "-q"]


@contextlib.contextmanager
def _mount_tmpfs(path: Path, options: str) -> Iterator[bool]:
    """A small tmpfs at ``path`` (root only); yields False where mounting is not allowed."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        yield False
        return
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
    if r.returncode != 0:
        yield False
        return
    try:
        yield True
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _limit_file_size() -> None:  # preexec_fn: writes past 64 KiB fail with EFBIG instead of SIGXFSZ
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))


def test_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    """Scoring 3,000 segments into a 64 KiB tmpfs (results.json alone is 2 MB); where mounting is
    not allowed, the same run under RLIMIT_FSIZE (EFBIG instead of ENOSPC)."""
    args = _lines_files(tmp_path, 3000)
    disk = tmp_path / "disk"
    with _mount_tmpfs(disk, "size=64k") as mounted:
        before = snapshot(tmp_path)
        argv = [sys.executable, "-m", "pipeline", "score", *args, "--no-ci", "--no-cache", "-o", str(disk / "out")]
        r = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=None if mounted else _limit_file_size)
        expect = "No space left on device" if mounted else "File too large"
        assert_clean_failure(r.returncode, r.stdout, r.stderr, expect, tmp_path, before)
        # with the shard cache on, the failed run keeps only complete cache entries to resume from
        r = subprocess.run(argv[:-3] + ["-o", str(disk / "out")], cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=None if mounted else _limit_file_size)
        assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
        left = snapshot(tmp_path)
        assert not [p for p in left if p.endswith(".tmp") or p.endswith(".lock")], left
        assert set(left) - set(before) <= {"disk/out"} | {p for p in left if p.startswith("disk/out/.mtqa-cache")}


def test_read_only_output_folder(tmp_path, results_text, capfd):
    args = _lines_files(tmp_path, 3)
    (tmp_path / "r.json").write_text(results_text, encoding="utf-8")
    ro = tmp_path / "ro"
    with _mount_tmpfs(ro, "size=64k,ro") as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("root without mount: a read-only folder cannot be made")
            ro.chmod(0o555)
        before = snapshot(tmp_path)
        r = run_cli("score", *args, "-o", str(ro))
        assert_clean_failure(r.returncode, r.stdout, r.stderr, "output directory is not writable", tmp_path, before)
        r = run_cli("score", *args, "-o", str(ro / "sub" / "out"))
        assert_clean_failure(r.returncode, r.stdout, r.stderr, "cannot create output directory in", tmp_path, before)
        if mounted:  # root writes into a chmod-ed folder anyway: only a read-only mount refuses it
            reason = "Read-only file system"
            for argv in (["report", str(tmp_path / "r.json"), "-o", str(ro / "r.html")], ["ignore", str(tmp_path / "r.json"), "--all", "--file", str(ro / "i.yaml")]):
                code = main(argv)
                out, err = capfd.readouterr()
                assert_clean_failure(code, out, err, reason, tmp_path, before)


@contextlib.contextmanager
def _observed_run(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, list[str], Path]]:
    """A scoring run of 3,000 segments in a subprocess, caught while it works: its segment table's
    temporary file exists.  Yields (process, its input arguments, OUTDIR); kills it at the end."""
    args = _lines_files(tmp_path, 3000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "score", *args, "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 120
        while not (out.is_dir() and any(out.glob(".segments.parquet.*.tmp"))):
            if proc.poll() is not None or time.monotonic() > end:
                pytest.skip("the run ended before it could be observed")
            time.sleep(0.01)
        yield proc, args, out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_second_run_on_the_same_folder_is_refused_and_sigkill_leaves_no_lock(tmp_path, capfd):
    with _observed_run(tmp_path) as (first, args, out):
        assert (out / ".mtqa.lock").exists()
        # a second run, in this process, while the first holds the folder
        assert main(["score", *args, "-o", str(out)]) == 2
        err = capfd.readouterr().err
        assert err.count("\n") == 1 and err.startswith("mtqa: error: ") and str(out) in err and "another mtqa run" in err, err
        first.send_signal(signal.SIGKILL)  # no cleanup can run; the kernel drops the lock
        first.wait(60)
    assert list(out.glob(".*.tmp"))  # what a SIGKILL leaves ...
    rerun = run_cli("score", *args, "--no-ci", "-o", str(out))
    assert rerun.returncode == 0, rerun.stderr
    assert not list(out.glob(".*.tmp")) and not (out / ".mtqa.lock").exists()  # ... the next run removes
    assert (out / "results.json").exists() and (out / "segments.parquet").exists()


def test_sigterm_cleans_up_temporary_files_and_the_lock(tmp_path):
    with _observed_run(tmp_path) as (proc, _, out):
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert err.strip() == "mtqa: interrupted", err
    left = snapshot(out) if out.exists() else {}
    assert not [p for p in left if p.endswith(".tmp") or p.endswith(".lock") or p in ("results.json", "segments.parquet")], left


@pytest.mark.parametrize("where", ["after the constructor", "while the writer opens"])
def test_an_interruption_around_opening_the_segment_table_leaves_nothing(tmp_path, monkeypatch, capfd, where):
    """SIGTERM raises KeyboardInterrupt between any two steps of the main thread: right after the
    segment table's constructor returned (before the run could hold on to it) or inside it."""
    from pipeline.io import dataset

    original_init = dataset.SegmentTableWriter.__init__
    original_writer = dataset.pq.ParquetWriter

    def init_then_interrupt(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        raise KeyboardInterrupt

    def writer_then_interrupt(path, *args, **kwargs):
        original_writer(path, *args, **kwargs)  # the file exists now
        raise KeyboardInterrupt

    if where == "after the constructor":
        monkeypatch.setattr(dataset.SegmentTableWriter, "__init__", init_then_interrupt)
    else:
        monkeypatch.setattr(dataset.pq, "ParquetWriter", writer_then_interrupt)
    args = _lines_files(tmp_path, 5)
    out = tmp_path / "out"
    assert main(["score", *args, "-o", str(out)]) == 130
    assert capfd.readouterr().err.strip() == "mtqa: interrupted"
    left = snapshot(out) if out.exists() else {}
    assert not [p for p in left if p.endswith(".tmp") or p.endswith(".lock")], left


def test_stale_temporary_files_of_a_killed_run_are_removed(tmp_path, capfd):
    args = _lines_files(tmp_path, 5)
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".segments.parquet.k1ll3d_x.tmp", out / ".results.json.abcd1234.tmp", out / ".report.html.zz_9zz_9.tmp"]
    for p in stale:
        p.write_text("half a file")
    keep = out / "notes.tmp.txt"
    keep.write_text("the user's")
    assert main(["score", *args, "--no-ci", "-o", str(out)]) == 0
    assert not any(p.exists() for p in stale) and keep.exists()
    assert not (out / ".mtqa.lock").exists()
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["schema"] == "mtqa-results"


def test_empty_translation_is_allowed_but_a_missing_one_is_not(write, tmp_path, capfd):
    """A present-but-empty target is an empty translation (scored); a missing key or null is an error."""
    ok = write("ok.jsonl", '{"source": "Eins.", "target": "One.", "ref": "One."}\n{"source": "Zwei.", "target": "", "ref": "Two."}\n')
    assert main(["score", ok, *LANGS, "--no-ci", "-q"]) == 0
    missing = write("missing.jsonl", '{"source": "Eins.", "target": "One.", "ref": "One."}\n{"source": "Zwei.", "ref": "Two."}\n')
    assert main(["score", missing, *LANGS, "--no-ci", "-q"]) == 2
    assert "missing.jsonl: line 2 has no 'target'" in capfd.readouterr().err


def test_python_tag_in_a_manifest_runs_nothing(tmp_path):
    (tmp_path / "m.yaml").write_text(f"source: !!python/object/apply:os.system ['touch {tmp_path}/pwned']\nsystems: [t.en]\n")
    r = run_cli("run", str(tmp_path / "m.yaml"), *LANGS, "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "out").exists()
