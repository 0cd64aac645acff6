"""Readers: turn input files into a :class:`Job`.

Text inputs are documents (paragraphs, segmented into sentences) or line-aligned (one segment a
line, WMT style); a directory of text files is a set of documents matched by file name.  Tabular
inputs (TSV, CSV, JSONL, and through HF ``datasets`` parquet, arrow, ``save_to_disk`` folders) hold
source, target(s) and reference(s) as columns, optionally grouped into documents by a column.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.parsers import expat

from ..config import Config
from ..errors import InputError
from ..model import Document, InputFile, Job, Segment
from ..segment import lines_to_segments, segment_document
from .l10n_input import L10N_FORMATS, is_l10n_input, job_from_l10n, l10n_languages
from .manifest import is_manifest, read_folder_layout, read_manifest, system_names
from .stream import LineFilesSource, MemorySource, TableSource
from .text import check_line_lengths, decode_utf8, read_bytes, read_text, split_lines, visible_files

TABULAR_SUFFIXES = {".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "hf", ".arrow": "hf", ".xml": "xml"}
TEXT_SUFFIXES = {".txt", ""}

SOURCE_COLUMNS = ("source", "src", "source_text")
TARGET_COLUMNS = ("target", "tgt", "mt", "hyp", "hypothesis", "translation", "system_output")
REFERENCE_COLUMNS = ("reference", "ref", "references", "refs")
DOCUMENT_COLUMNS = ("doc_id", "document", "doc", "docid")


class _Missing:
    """A JSONL row without a key that other rows have (not the same as an empty string)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


@dataclass
class Table:
    """Columns of a tabular input, every column a list of the same length."""

    name: str
    columns: dict[str, list[Any]]
    n_rows: int
    format: str
    lines: list[int] = field(default_factory=list)  # 1-based file line of each row (text formats)
    roles: dict[str, list[str]] = field(default_factory=dict)  # columns the format itself assigns


def detect_format(path: str, configured: str = "auto") -> str:
    if configured != "auto":
        return configured
    p = Path(path)
    if p.is_dir():
        if (p / "dataset_info.json").exists() or (p / "state.json").exists() or (p / "dataset_dict.json").exists():
            return "hf"
        return "l10n" if is_l10n_input([path]) else "text"
    fmt = TABULAR_SUFFIXES.get(p.suffix.lower(), "text")
    # XLIFF, TMX and PO by content: ".xlf", ".po", but also ".xml" or no extension at all
    return "l10n" if fmt in ("text", "xml") and is_l10n_input([path]) else fmt


# --- tabular ---------------------------------------------------------------------------------


def read_table(path: str, fmt: str, config: Config) -> Table:
    if fmt == "hf":
        return _read_hf(path, config)
    if fmt == "xml":
        return _read_wmt_xml(path)
    data = read_bytes(path)
    text = decode_utf8(data, path)
    if not text.strip():
        raise InputError(f"{path}: file is empty")
    if config.input.max_line_chars:
        check_line_lengths(text, path, config.input.max_line_chars * 4)
    if fmt == "jsonl":
        return _read_jsonl(path, text)
    return _read_delimited(path, text, "\t" if fmt == "tsv" else ",", fmt)


def _read_delimited(path: str, text: str, delimiter: str, fmt: str) -> Table:
    # TSV is read without quote handling: MT segments are full of quotation marks.
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: file is empty") from None
    except csv.Error as err:
        raise InputError(f"{path}: malformed {fmt.upper()} header ({err})") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise InputError(f"{path}: duplicate column names in the header: {header}")
    columns: dict[str, list[Any]] = {h: [] for h in header}
    lines = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != len(header):
                detail = f"no value for {', '.join(repr(h) for h in header[len(row):])}" if len(row) < len(header) else "more fields than columns"
                raise InputError(
                    f"{path}: line {reader.line_num} has {len(row)} fields, the header has {len(header)} ({detail})"
                )
            for h, value in zip(header, row):
                columns[h].append(value)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise InputError(f"{path}: malformed {fmt.upper()} at line {reader.line_num} ({err})") from None
    if not lines:
        raise InputError(f"{path}: no data rows after the header")
    return Table(path, columns, len(lines), fmt, lines)


def _read_jsonl(path: str, text: str) -> Table:
    rows: list[dict[str, Any]] = []
    lines = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}: line {line_no} is not valid JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(row, dict):
            raise InputError(f"{path}: line {line_no} is not a JSON object")
        rows.append(row)
        lines.append(line_no)
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    if not rows:
        raise InputError(f"{path}: no JSON rows")
    columns = {k: [row.get(k, MISSING) for row in rows] for k in keys}
    return Table(path, columns, len(rows), "jsonl", lines)


def _read_wmt_xml(path: str) -> Table:
    """The WMT21+ XML test-set format: documents with <src>, <ref translator=..> and <hyp system=..>
    blocks of <seg id=..>; every reference and system becomes a column (ref:NAME, system names)."""
    text = decode_utf8(read_bytes(path), path)
    root = _parse_xml(text, path)
    docs = root.findall(".//doc")
    if not docs:
        raise InputError(f"{path}: no <doc> elements (expected the WMT XML test-set format)")
    rows: list[dict[str, Any]] = []
    ref_names: list[str] = []
    sys_names: list[str] = []
    for doc in docs:
        if "testsuite" in doc.attrib:
            continue
        doc_id = doc.get("id") or f"doc{len(rows)}"
        src, refs, hyps = _wmt_blocks(doc, doc_id, path)
        _check_wmt_systems(path, doc_id, src, hyps, sys_names if rows else None)
        ref_names += [r for r in refs if r not in ref_names]
        sys_names += [h for h in hyps if h not in sys_names]
        for seg_id, text in src.items():
            row = {"doc_id": doc_id, "source": text}
            row.update({name: block.get(seg_id, "") for name, block in refs.items()})
            row.update({name: block.get(seg_id, "") for name, block in hyps.items()})
            rows.append(row)
    if not rows:
        raise InputError(f"{path}: the XML holds no source segments")
    if not sys_names:
        raise InputError(f"{path}: the XML holds no <hyp> system output to check")
    columns = {k: [row.get(k, "") for row in rows] for k in ["doc_id", "source", *ref_names, *sys_names]}
    table = Table(path, columns, len(rows), "xml")
    table.roles = {"targets": sys_names, "references": ref_names}
    return table


def _wmt_blocks(doc: Any, doc_id: str, path: str) -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """One <doc>'s segments by id: the source, each reference (ref:NAME) and each system's output."""

    def segs(block: Any) -> dict[str, str]:
        return {seg.get("id", str(k)): (seg.text or "") for k, seg in enumerate(block.iter("seg"))}

    src_block = doc.find("src")
    if src_block is None:
        raise InputError(f"{path}: document {doc_id!r} has no <src>")
    src = segs(src_block)
    refs = {f"ref:{r.get('translator') or 'A'}": segs(r) for r in doc.findall("ref")}
    hyps = {h.get("system") or f"system{k}": segs(h) for k, h in enumerate(doc.findall("hyp"))}
    return src, refs, hyps


def _check_wmt_systems(path: str, doc_id: str, src: dict[str, str], hyps: dict[str, dict[str, str]], sys_names: list[str] | None) -> None:
    """Every system of the earlier documents (``sys_names``; None for the first document) and only
    those translates every source segment of this one."""
    if sys_names is not None and set(hyps) != set(sys_names):
        missing = sorted(set(sys_names) - set(hyps)) or sorted(set(hyps) - set(sys_names))
        raise InputError(f"{path}: document {doc_id!r}: system {missing[0]!r} has output for some documents but not for others")
    for name, block in hyps.items():
        absent = [seg_id for seg_id in src if seg_id not in block]
        if absent:
            raise InputError(f"{path}: document {doc_id!r}: <hyp system={name!r}> has no <seg id={absent[0]!r}> (every source segment needs a translation)")


class _Prolog(Exception):
    """Raised by the prolog scan: a DOCTYPE (value True) or the root element (False)."""


def _parse_xml(text: str, path: str):
    """Parse, refusing any DTD: entity declarations (entity expansion, "billion laughs") and
    external entities (XXE) can only come with a DOCTYPE, which WMT test sets do not have.
    A DOCTYPE must precede the root element, so the scan stops at the first element."""
    def found(doctype: bool):
        def handler(*_args: Any) -> None:
            raise _Prolog(doctype)

        return handler

    scan = expat.ParserCreate()
    scan.StartDoctypeDeclHandler = found(True)
    scan.StartElementHandler = found(False)
    try:
        scan.Parse(text, True)
    except _Prolog as stop:
        if stop.args[0]:
            raise InputError(f"{path}: XML with a DOCTYPE is not accepted (entity expansion and external entities are unsafe)") from None
    except expat.ExpatError:
        pass  # reported with its position below
    try:
        return ET.fromstring(text)
    except ET.ParseError as err:
        line, col = err.position
        raise InputError(f"{path}: not well-formed XML at line {line}, column {col + 1}") from None


def _read_hf(path: str, config: Config) -> Table:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import datasets  # deferred: heavy (about 0.7 s to import), needed only for dataset inputs
    except ImportError:
        raise InputError(f"{path}: reading datasets needs the 'datasets' package (pip install datasets)") from None
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    with quiet_datasets(datasets):
        ds = _load_hf(datasets, p, path)
    if isinstance(ds, datasets.DatasetDict):
        split = config.input.split or ("test" if "test" in ds else None)
        if split is None and len(ds) == 1:
            split = next(iter(ds))
        if split is None:
            raise InputError(f"{path}: choose a split with --split (have: {', '.join(ds)})")
        if split not in ds:
            raise InputError(f"{path}: no split {split!r} (have: {', '.join(ds)})")
        ds = ds[split]
    elif config.input.split:
        raise InputError(f"{path}: --split {config.input.split}: the dataset has no splits")
    if len(ds) == 0:
        raise InputError(f"{path}: the dataset has no rows")
    return Table(path, {name: ds[name] for name in ds.column_names}, len(ds), "hf")


@contextmanager
def quiet_datasets(datasets: Any) -> Iterator[None]:
    """No progress bars and no log lines from ``datasets`` while reading: an unreadable file is
    one error line of mtqa's, not a logged error plus the error."""
    # deferred: part of datasets (see _read_hf)
    from datasets.utils import logging as ds_logging

    verbosity = ds_logging.get_verbosity()
    bars = datasets.is_progress_bar_enabled()
    ds_logging.set_verbosity(ds_logging.CRITICAL + 10)
    datasets.disable_progress_bars()
    try:
        yield
    finally:
        ds_logging.set_verbosity(verbosity)
        if bars:
            datasets.enable_progress_bars()


def _load_hf(datasets: Any, p: Path, path: str) -> Any:
    try:
        if p.is_dir():
            return datasets.load_from_disk(str(p))
        if p.suffix == ".parquet":
            import pyarrow.parquet as pq  # deferred: heavy (about 80 ms), needed only for parquet inputs

            if pq.ParquetFile(str(p)).metadata.num_rows == 0:  # datasets fails on it obscurely
                raise InputError(f"{path}: the dataset has no rows")
            return datasets.Dataset.from_parquet(str(p))
        if p.suffix == ".arrow":
            return datasets.Dataset.from_file(str(p))
        builder = {".jsonl": "json", ".json": "json", ".ndjson": "json", ".csv": "csv", ".tsv": "csv"}.get(p.suffix)
        if builder is None:
            raise InputError(f"{path}: no datasets reader for '{p.suffix}' files")
        kwargs = {"delimiter": "\t"} if p.suffix == ".tsv" else {}
        return datasets.load_dataset(builder, data_files=str(p), split="train", **kwargs)
    except InputError:
        raise
    except Exception as err:  # datasets and pyarrow raise many types for unreadable data
        cause: BaseException = err
        while (inner := cause.__cause__ or cause.__context__) is not None:
            cause = inner
        detail = f"{type(err).__name__}: {err}"
        if cause is not err:
            detail += f"; {type(cause).__name__}: {cause}"
        raise InputError(f"{path}: cannot read as a dataset ({' '.join(detail.split())[:300]})") from None


def _pick(columns: dict[str, list[Any]], wanted: Sequence[str] | None, candidates: Sequence[str], role: str, table: Table, many: bool) -> list[str]:
    if wanted:
        missing = [c for c in wanted if c not in columns]
        if missing:
            raise InputError(f"{table.name}: no column {missing[0]!r} for the {role} (columns: {', '.join(columns)})")
        return list(wanted)
    found = [c for c in candidates if c in columns]
    if role == "references":
        found += [c for c in columns if c not in found and c.lower().startswith(("ref_", "ref.", "ref-", "reference_"))]
    if not found:
        return []
    return found if many else found[:1]


def _where(table: Table, row: int) -> str:
    return f"line {table.lines[row]}" if table.lines else f"row {row + 1}"


def _cell_text(value: Any, table: Table, row: int, column: str, limit: int = 0) -> str:
    """The text of a cell.  A missing key or a null is an error (a missing translation is not an
    empty one); an empty string is a legitimate empty segment."""
    if value is MISSING:
        raise InputError(f"{table.name}: {_where(table, row)} has no {column!r} (an empty segment is written as \"\")")
    if value is None:
        raise InputError(f"{table.name}: {_where(table, row)}, column {column!r} is null (an empty segment is written as \"\")")
    if not isinstance(value, str):
        raise InputError(f"{table.name}: {_where(table, row)}, column {column!r} holds {type(value).__name__}, expected text")
    if limit and len(value) > limit:
        raise InputError(
            f"{table.name}: {_where(table, row)}, column {column!r} has {len(value)} characters, over the limit of {limit} "
            "(raise input.max_line_chars if this is intended)"
        )
    return value


def _doc_id(value: Any, table: Table, row: int, column: str) -> str:
    if value is MISSING or value is None:
        raise InputError(f"{table.name}: {_where(table, row)} has no document id in {column!r}")
    return str(value)


def _reference_columns(table: Table, col: str, limit: int) -> dict[str, list[str]]:
    """A reference column's texts: itself, or ``col.0``, ``col.1``, ... when it holds a list of
    references per row (HF style "references": [...]); every row must hold as many."""
    values = table.columns[col]
    first = next((v for v in values if v is not None and v is not MISSING), "")
    if not isinstance(first, (list, tuple)):
        return {col: [_cell_text(v, table, i, col, limit) for i, v in enumerate(values)]}
    width = len(first)
    out: dict[str, list[str]] = {}
    for k in range(width):
        texts = out[f"{col}.{k}" if width > 1 else col] = []
        for i, value in enumerate(values):
            if value is None or value is MISSING:
                _cell_text(value, table, i, col)  # names the missing or null cell
            if not isinstance(value, (list, tuple)) or len(value) != width:
                raise InputError(f"{table.name}: {_where(table, i)}: column {col!r} must hold {width} references in every row")
            texts.append(_cell_text(value[k], table, i, col, limit))
    return out


def _table_columns(table: Table, config: Config) -> tuple[list[str], list[str], list[str], list[str]]:
    """The source, target, reference and document-id columns: as configured (--src-col ...), else
    by their usual names; a source and a target column are required."""
    cols = table.columns
    src_col = _pick(cols, [config.input.source_column] if config.input.source_column else None, SOURCE_COLUMNS, "source", table, False)
    if not src_col:
        raise InputError(f"{table.name}: no source column (name one with --src-col; columns: {', '.join(cols)})")
    tgt_cols = _pick(cols, config.input.target_columns or table.roles.get("targets"), TARGET_COLUMNS, "targets", table, False)
    if not tgt_cols:
        raise InputError(f"{table.name}: no target column (name it with --tgt-col; columns: {', '.join(cols)})")
    ref_cols = _pick(cols, config.input.reference_columns or table.roles.get("references"), REFERENCE_COLUMNS, "references", table, True)
    doc_col = _pick(cols, [config.input.document_column] if config.input.document_column else None, DOCUMENT_COLUMNS, "document ids", table, False)
    return src_col, tgt_cols, ref_cols, doc_col


def job_from_table(table: Table, config: Config, src_lang: str, tgt_lang: str) -> Job:
    cols = table.columns
    src_col, tgt_cols, ref_cols, doc_col = _table_columns(table, config)
    limit = config.input.max_line_chars
    ref_names: list[str] = []
    ref_values: dict[str, list[str]] = {}
    for col in ref_cols:
        found = _reference_columns(table, col, limit)
        ref_names += found
        ref_values.update(found)

    sources = [_cell_text(v, table, i, src_col[0], limit) for i, v in enumerate(cols[src_col[0]])]
    targets = {c: [_cell_text(v, table, i, c, limit) for i, v in enumerate(cols[c])] for c in tgt_cols}
    doc_ids = [_doc_id(v, table, i, doc_col[0]) for i, v in enumerate(cols[doc_col[0]])] if doc_col else ["doc1"] * table.n_rows
    line_of = table.lines or list(range(1, table.n_rows + 1))
    # documents in order of first appearance, each with its rows (a document's rows need not be adjacent)
    rows_by_doc: dict[str, list[int]] = {}
    for i, doc_id in enumerate(doc_ids):
        rows_by_doc.setdefault(doc_id, []).append(i)

    def segs(values: list[str], rows: list[int]) -> list[Segment]:
        return [Segment(text=values[r].strip(), index=k, paragraph=k, line=line_of[r]) for k, r in enumerate(rows)]

    documents = [
        Document(
            id=doc_id,
            source=segs(sources, rows),
            targets={c: segs(targets[c], rows) for c in tgt_cols},
            references={name: segs(ref_values[name], rows) for name in ref_names},
            line_aligned=True,
        )
        for doc_id, rows in rows_by_doc.items()
    ]
    inputs = [InputFile("source", "source", table.name, table.format, src_col[0])]
    inputs += [InputFile("target", c, table.name, table.format, c) for c in tgt_cols]
    inputs += [InputFile("reference", n, table.name, table.format, n.split(".")[0]) for n in ref_names]
    return Job(src_lang, tgt_lang, documents, list(tgt_cols), ref_names, inputs)


# --- text ------------------------------------------------------------------------------------


def _text_document(doc_id: str, side_texts: dict[tuple[str, str], tuple[str, str]], src_lang: str, tgt_lang: str, config: Config) -> Document:
    """side_texts maps (role, name) -> (path, text)."""
    engine = config.segmentation.engine
    breaks = config.segmentation.line_breaks

    if config.input.line_aligned:
        lines = {key: split_lines(text) for key, (_, text) in side_texts.items()}
        src_key = ("source", "source")
        n = len(lines[src_key])
        for key, ls in lines.items():
            if len(ls) != n:
                raise InputError(
                    f"{side_texts[key][0]}: {len(ls)} lines, but the source {side_texts[src_key][0]} has {n} "
                    "(line-aligned inputs must have the same number of lines)"
                )
        seg = {key: lines_to_segments(ls) for key, ls in lines.items()}
    else:
        seg = {
            key: segment_document(text, src_lang if key[0] == "source" else tgt_lang, engine, breaks)
            for key, (_, text) in side_texts.items()
        }
    return Document(
        id=doc_id,
        source=seg[("source", "source")],
        targets={name: s for (role, name), s in seg.items() if role == "target"},
        references={name: s for (role, name), s in seg.items() if role == "reference"},
        line_aligned=config.input.line_aligned,
    )


def _document_files(directory: Path) -> dict[str, Path]:
    files = {str(p.relative_to(directory)): p for p in visible_files(directory)}
    if not files:
        raise InputError(f"{directory}: directory holds no files")
    return files


def reference_names(references: Sequence[str]) -> list[str]:
    return ["ref"] if len(references) == 1 else [f"ref{chr(ord('A') + i)}" if i < 26 else f"ref{i}" for i in range(len(references))]


def job_from_text(
    source: str, targets: Sequence[str], references: Sequence[str], names: Sequence[str] | None, config: Config, src_lang: str, tgt_lang: str, ref_names: Sequence[str] | None = None
) -> Job:
    sys_names = list(names) if names else system_names(targets)
    ref_names = list(ref_names) if ref_names else reference_names(references)
    if len(set(sys_names)) != len(sys_names):
        raise InputError(f"system names must be distinct (got {', '.join(sys_names)})")
    limit = config.input.max_line_chars
    fmt = "lines" if config.input.line_aligned else "text"
    roles: list[tuple[str, str, str]] = [("source", "source", source)]
    roles += [("target", n, p) for n, p in zip(sys_names, targets)]
    roles += [("reference", n, p) for n, p in zip(ref_names, references)]
    inputs = [InputFile(role, name, path, fmt) for role, name, path in roles]

    src_path = Path(source)
    if src_path.is_dir():
        doc_files = _document_files(src_path)
        per_role: dict[tuple[str, str], dict[str, Path]] = {}
        for role, name, path in roles:
            p = Path(path)
            if not p.is_dir():
                raise InputError(f"{path}: the source is a directory of documents, so this must be a directory too")
            files = _document_files(p)
            missing = sorted(set(doc_files) - set(files))
            if missing:
                raise InputError(f"{path}: no document {missing[0]!r} (every document of the source needs a counterpart)")
            per_role[(role, name)] = files
        documents = []
        for doc_id in doc_files:
            texts = {key: (str(files[doc_id]), read_text(files[doc_id], limit)) for key, files in per_role.items()}
            documents.append(_text_document(doc_id, texts, src_lang, tgt_lang, config))
    else:
        texts = {(role, name): (path, read_text(path, limit)) for role, name, path in roles}
        documents = [_text_document(src_path.name, texts, src_lang, tgt_lang, config)]
    return Job(src_lang, tgt_lang, documents, sys_names, ref_names, inputs)


def read_job(paths: Sequence[str], references: Sequence[str], names: Sequence[str] | None, config: Config, src_lang: str, tgt_lang: str, ref_names: Sequence[str] | None = None) -> Job:
    """Build the job from the CLI's positional inputs: SOURCE TARGET... or one tabular file."""
    if not paths:
        raise InputError("no input given")
    for path in list(paths) + list(references):
        if not Path(path).exists():
            raise InputError(f"{path}: no such file")
    fmt = detect_format(paths[0], config.input.format)
    if fmt == "l10n" or fmt in L10N_FORMATS:
        if references:
            raise InputError(f"{paths[0]}: a localization file holds its own source and target; references (--ref) are not read with it")
        job = job_from_l10n(paths, config.input.format, src_lang, tgt_lang)
    elif fmt != "text":
        if len(paths) > 1 or references:
            raise InputError(f"{paths[0]}: a {fmt} input holds source, targets and references as columns; give it alone")
        job = job_from_table(read_table(paths[0], fmt, config), config, src_lang, tgt_lang)
        if names:
            if len(names) != len(job.systems):
                raise InputError(f"--names gives {len(names)} names for {len(job.systems)} systems")
            _rename_systems(job, list(names))
    else:
        if len(paths) < 2:
            raise InputError(f"{paths[0]}: a text source needs at least one TARGET file")
        if names and len(names) != len(paths) - 1:
            raise InputError(f"--names gives {len(names)} names for {len(paths) - 1} targets")
        job = job_from_text(paths[0], paths[1:], references, names, config, src_lang, tgt_lang, ref_names)
    _validate(job)
    return job


def _rename_systems(job: Job, names: list[str]) -> None:
    mapping = dict(zip(job.systems, names))
    for doc in job.documents:
        doc.targets = {mapping[k]: v for k, v in doc.targets.items()}
    for inp in job.inputs:
        if inp.role == "target":
            inp.name = mapping[inp.name]
    job.systems = names


def _validate(job: Job) -> None:
    if not job.documents:
        raise InputError("the input holds no documents")
    for doc in job.documents:
        if not doc.source or not any(s.text for s in doc.source):
            raise InputError(f"document {doc.id!r}: the source is empty")
        if all(not any(s.text for s in segs) for segs in doc.targets.values()):
            raise InputError(f"document {doc.id!r}: every target is empty")


@dataclass(frozen=True)
class ResolvedInputs:
    """The explicit inputs of a run, and the settings a manifest or test-set folder states."""

    paths: list[str]
    references: list[str]
    names: list[str] | None
    reference_names: list[str] | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # config updates: src_lang, tgt_lang, input


def resolve_layout(paths: Sequence[str], references: Sequence[str], names: Sequence[str] | None, config: Config) -> ResolvedInputs:
    """A single manifest or test-set folder becomes explicit inputs; languages and line alignment
    it states fill in what the config leaves open (returned as ``settings``, the config is not changed)."""
    given = ResolvedInputs(list(paths), list(references), list(names) if names else None)
    if len(paths) > 2 or references or not paths:
        return given
    if detect_format(paths[0], config.input.format) in ("l10n", *L10N_FORMATS):
        src, tgt = l10n_languages(paths, config.input.format)
        stated = {key: lang for key, lang in (("src_lang", src), ("tgt_lang", tgt)) if lang and not getattr(config, key)}
        return ResolvedInputs(list(paths), [], None, settings=stated)
    if len(paths) != 1:
        return given
    layout = None
    if is_manifest(paths[0]):
        layout = read_manifest(paths[0])
    elif Path(paths[0]).is_dir() and detect_format(paths[0], config.input.format) == "text":
        layout = read_folder_layout(paths[0])
    if layout is None:
        return given
    settings: dict[str, Any] = {}
    if not config.src_lang and layout.src_lang:
        settings["src_lang"] = layout.src_lang
    if not config.tgt_lang and layout.tgt_lang:
        settings["tgt_lang"] = layout.tgt_lang
    if layout.line_aligned:
        settings["input"] = config.input.model_copy(update={"line_aligned": True})
    system_list = list(names) if names else list(layout.systems)
    return ResolvedInputs([layout.source, *layout.systems.values()], list(layout.references.values()), system_list, list(layout.references), settings)


def open_source(paths: Sequence[str], references: Sequence[str], names: Sequence[str] | None, config: Config, ref_names: Sequence[str] | None = None):
    """A JobSource for the engine: line-aligned text files are streamed, everything else is read."""
    src_lang, tgt_lang = config.src_lang, config.tgt_lang
    if src_lang is None or tgt_lang is None:
        raise InputError("give the source and target languages (--src-lang, --tgt-lang)")
    streamable = (
        config.input.line_aligned
        and len(paths) >= 2
        and all(detect_format(p, config.input.format) == "text" and Path(p).is_file() for p in list(paths) + list(references))
    )
    if not streamable:
        if len(paths) == 1 and not references and detect_format(paths[0], config.input.format) == "hf" and Path(paths[0]).exists():
            table = table_source(paths[0], config, src_lang, tgt_lang, names)
            if table is not None:
                return table
        return MemorySource.of(read_job(paths, references, names, config, src_lang, tgt_lang, ref_names))
    for path in list(paths) + list(references):
        if not Path(path).exists():
            raise InputError(f"{path}: no such file")
    sys_names = list(names) if names else system_names(paths[1:])
    if len(sys_names) != len(paths) - 1:
        raise InputError(f"--names gives {len(sys_names)} names for {len(paths) - 1} targets")
    if len(set(sys_names)) != len(sys_names):
        raise InputError(f"system names must be distinct (got {', '.join(sys_names)})")
    refs = list(ref_names) if ref_names else reference_names(references)
    inputs = [InputFile("source", "source", paths[0], "lines")]
    inputs += [InputFile("target", n, p, "lines") for n, p in zip(sys_names, paths[1:])]
    inputs += [InputFile("reference", n, p, "lines") for n, p in zip(refs, references)]
    source = LineFilesSource(
        src_lang, tgt_lang, sys_names, refs, inputs,
        source=paths[0],
        targets=dict(zip(sys_names, paths[1:])),
        reference_paths=dict(zip(refs, references)),
        max_line_chars=config.input.max_line_chars,
    )
    source.validate()
    return source


# --- large tables, streamed ------------------------------------------------------------------

_BATCH_ROWS = 8192


def _arrow_batches(path: Path, split: str | None) -> tuple[Any, Any] | None:
    """(schema, () -> batches) of a Parquet file, an Arrow file or a ``datasets`` folder, read in
    record batches; None for what only the ``datasets`` reader reads (it reads those whole)."""
    import pyarrow as pa  # deferred: heavy (about 80 ms), needed only for table inputs
    import pyarrow.parquet as pq  # deferred: as above

    # A file or folder these first reads cannot make sense of goes to the whole-table reader, which
    # names what is wrong in one line (exit 2): an empty or broken Parquet file, broken JSON.
    if path.is_file() and path.suffix == ".parquet":
        try:
            pf = pq.ParquetFile(str(path))
        except (OSError, pa.ArrowException):
            return None
        return pf.schema_arrow, lambda columns: pq.ParquetFile(str(path)).iter_batches(batch_size=_BATCH_ROWS, columns=columns)
    try:
        return _dataset_batches(path, split)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, pa.ArrowException):
        return None


def _dataset_batches(path: Path, split: str | None) -> tuple[Any, Any] | None:
    """The schema and batches of a ``datasets`` folder (one split of a DatasetDict) or an Arrow file."""
    import pyarrow as pa  # deferred: as above

    if path.is_dir() and (path / "dataset_dict.json").exists():
        splits = json.loads((path / "dataset_dict.json").read_text(encoding="utf-8")).get("splits", [])
        chosen = split or ("test" if "test" in splits else splits[0] if len(splits) == 1 else None)
        if chosen is None or chosen not in splits:
            return None  # the whole-table reader says what is wrong
        path = path / chosen
    elif split:
        return None
    if path.is_dir() and (path / "state.json").exists():
        state = json.loads((path / "state.json").read_text(encoding="utf-8"))
        if state.get("_indices_data_files"):
            return None
        files = [path / f["filename"] for f in state.get("_data_files", [])]
    elif path.is_file() and path.suffix == ".arrow":
        files = [path]
    else:
        return None

    def batches(columns: list[str]) -> Iterator[Any]:
        for f in files:
            with pa.OSFile(str(f)) as fh:  # read, not memory-mapped: the pages read do not stay resident
                for batch in pa.ipc.open_stream(fh):
                    yield batch.select(columns)

    with pa.OSFile(str(files[0])) as fh:  # no file, or not Arrow: _arrow_batches returns None
        schema = pa.ipc.open_stream(fh).schema
    return schema, batches


class _TableScan:
    """The first pass over a streamed table: what the whole-table reader checks, batch by batch
    (nulls, line lengths, documents with no source or no target text), and the documents' rows;
    ``add`` is False for what only the whole-table reader reads (it names the row in its error)."""

    def __init__(self, path: str, doc_col: str | None, src_col: str, tgt_cols: list[str], limit: int) -> None:
        self.path, self.doc_col, self.src_col, self.tgt_cols, self.limit = path, doc_col, src_col, tgt_cols, limit
        self.documents: list[tuple[str, int]] = []
        self.seen: set[str] = set()
        self.widths: dict[str, int] = {}
        self.texts: dict[str, list[bool]] = {}  # document -> [has source text, has target text]
        self.n = 0

    def _column_ok(self, col: Any, c: str) -> bool:
        import pyarrow as pa  # deferred: as above
        import pyarrow.compute as pc  # deferred: as above

        if col.null_count:
            row = self.n + pc.index(pc.is_null(col), True).as_py()
            raise InputError(f"{self.path}: row {row + 1}, column {c!r} is null (an empty segment is written as \"\")")
        values = col
        if pa.types.is_list(col.type):
            lengths = pc.list_value_length(col)
            width = self.widths.setdefault(c, pc.min(lengths).as_py())
            if pc.min(lengths).as_py() != width or pc.max(lengths).as_py() != width:
                return False
            values = pc.list_flatten(col)
            if values.null_count:
                return False
        return not (self.limit and c != self.doc_col and len(values) and pc.max(pc.utf8_length(values)).as_py() > self.limit)

    def add(self, batch: Any, columns: list[str]) -> bool:
        import pyarrow.compute as pc  # deferred: as above

        if not all(self._column_ok(batch.column(c), c) for c in columns):
            return False
        has_src = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(batch.column(self.src_col))), 0).to_pylist()
        has_tgt = [pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(batch.column(c))), 0).to_pylist() for c in self.tgt_cols]
        ids = [str(v) for v in batch.column(self.doc_col).to_pylist()] if self.doc_col else ["doc1"] * batch.num_rows
        for r, doc_id in enumerate(ids):
            if self.documents and self.documents[-1][0] == doc_id:
                self.documents[-1] = (doc_id, self.documents[-1][1] + 1)
            elif doc_id in self.seen:
                return False  # a document's rows apart: read whole, grouped
            else:
                self.seen.add(doc_id)
                self.documents.append((doc_id, 1))
                self.texts[doc_id] = [False, False]
            flags = self.texts[doc_id]
            flags[0] = flags[0] or has_src[r]
            flags[1] = flags[1] or any(t[r] for t in has_tgt)
        self.n += batch.num_rows
        return True

    def check_empty(self) -> None:
        """As the whole-table reader: a document without source text, or without any target text."""
        for doc_id, (src, tgt) in self.texts.items():
            if not src:
                raise InputError(f"document {doc_id!r}: the source is empty")
            if not tgt:
                raise InputError(f"document {doc_id!r}: every target is empty")


def table_source(path: str, config: Config, src_lang: str, tgt_lang: str, names: Sequence[str] | None) -> TableSource | None:
    """A Parquet file, an Arrow file or a ``datasets`` folder of more rows than results.json
    inlines (``output.max_inline_segments``) as a :class:`TableSource` (read in batches, never
    whole); None: read it whole (a smaller table, or one the streamed reader does not cover: text
    columns of another type, a document's rows apart, a dataset with an indices mapping)."""
    import pyarrow as pa  # deferred: as above

    p = Path(path)
    found = _arrow_batches(p, config.input.split)
    if found is None:
        return None
    schema, batches = found
    fake = Table(path, {name: [] for name in schema.names}, 0, "hf")
    src_col, tgt_cols, ref_cols, doc_col = _table_columns(fake, config)
    if names and len(names) != len(tgt_cols):
        return None
    text = (pa.string(), pa.large_string())
    if any(schema.field(c).type not in text for c in src_col + tgt_cols):
        return None
    if any(schema.field(c).type not in text and not (pa.types.is_list(schema.field(c).type) and schema.field(c).type.value_type in text) for c in ref_cols):
        return None
    if doc_col and not (schema.field(doc_col[0]).type in text or pa.types.is_integer(schema.field(doc_col[0]).type)):
        return None
    columns = list(dict.fromkeys(src_col + tgt_cols + ref_cols + doc_col))
    scan = _TableScan(path, doc_col[0] if doc_col else None, src_col[0], tgt_cols, config.input.max_line_chars)
    try:
        for batch in batches(columns):
            if not scan.add(batch, columns):
                return None
    except (OSError, pa.ArrowException):
        return None  # a table broken part way: the whole-table reader names it
    documents, widths, n = scan.documents, scan.widths, scan.n
    scan.check_empty()
    if n <= config.output.max_inline_segments:
        return None
    references: dict[str, tuple[str, int | None]] = {}
    for c in ref_cols:
        width = widths.get(c)
        if width is None:
            references[c] = (c, None)
        else:
            references.update({(f"{c}.{k}" if width > 1 else c): (c, k) for k in range(width)})
    systems = list(names) if names else list(tgt_cols)
    inputs = [InputFile("source", "source", path, "hf", src_col[0])]
    inputs += [InputFile("target", s, path, "hf", c) for s, c in zip(systems, tgt_cols)]
    inputs += [InputFile("reference", name, path, "hf", name.split(".")[0]) for name in references]
    return TableSource(
        src_lang, tgt_lang, systems, list(references), inputs,
        batches=functools.partial(batches, columns),
        source_column=src_col[0],
        target_columns=dict(zip(systems, tgt_cols)),
        reference_columns=references,
        documents=documents,
        document_column=doc_col[0] if doc_col else None,
        _n=n,
    )
