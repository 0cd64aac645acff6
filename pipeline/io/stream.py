"""Job sources that hand out a job in shards, so that large test sets never sit in memory whole.

A shard is a list of documents holding at most about ``size`` source segments; a line-aligned
document longer than that is cut into consecutive pieces that keep the document id and the global
segment indices and line numbers (aggregation sums them back per document).

* :class:`MemorySource` shards a :class:`Job` that is already read (documents, small jobs).
* :class:`LineFilesSource` streams line-aligned text files: a first pass counts lines and checks
  UTF-8 (so a mismatch fails before any work), the second reads the files in step.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Document, InputFile, Job, Segment
from .text import binary_error

_BLOCK = 1 << 20


@dataclass
class JobSource:
    """What the engine needs to know before reading: names, languages and the shards to come."""

    src_lang: str
    tgt_lang: str
    systems: list[str]
    references: list[str]
    inputs: list[InputFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading found worth saying (units left out, ...)

    def shards(self, size: int) -> Iterator[list[Document]]:
        raise NotImplementedError

    @property
    def n_source_segments(self) -> int:
        raise NotImplementedError

    def n_shards(self, size: int) -> int | None:
        """How many shards ``shards(size)`` yields (the progress total); None: not known."""
        return -(-self.n_source_segments // size) if self.n_source_segments else None

    def describe(self) -> Job:
        """A Job without documents, for the results' header."""
        return Job(self.src_lang, self.tgt_lang, [], list(self.systems), list(self.references), list(self.inputs))


def count_shards(lengths: list[tuple[int, bool]], size: int) -> int:
    """The shards :func:`pack` makes of documents of these lengths, each (segments, line-aligned)
    and so cut by :func:`cut_document` or not."""
    pieces = (b - a for n, line_aligned in lengths for a, b in cut_ranges(n, line_aligned, size))
    return sum(1 for _ in _packed(pieces, size, int))


def cut_ranges(n: int, line_aligned: bool, size: int) -> list[tuple[int, int]]:
    """The segment ranges [a, b) that :func:`cut_document` cuts a document of ``n`` segments into."""
    if not line_aligned or n <= size:
        return [(0, n)]
    return [(a, min(n, a + size)) for a in range(0, n, size)]


def cut_document(doc: Document, size: int) -> Iterator[Document]:
    """Consecutive pieces of a line-aligned document, each with at most ``size`` segments."""
    n = len(doc.source)
    if not doc.line_aligned or n <= size:
        yield doc
        return
    for a, b in cut_ranges(n, True, size):
        yield replace(
            doc,
            source=doc.source[a:b],
            targets={k: v[a:b] for k, v in doc.targets.items()},
            references={k: v[a:b] for k, v in doc.references.items()},
        )


@dataclass
class MemorySource(JobSource):
    job: Job | None = None

    @classmethod
    def of(cls, job: Job) -> MemorySource:
        return cls(job.src_lang, job.tgt_lang, list(job.systems), list(job.references), list(job.inputs), list(job.notes), job=job)

    @property
    def n_source_segments(self) -> int:
        return self.job.n_source_segments if self.job else 0

    def n_shards(self, size: int) -> int | None:
        return count_shards([(len(d.source), d.line_aligned) for d in self.job.documents], size) if self.job else 0

    def shards(self, size: int) -> Iterator[list[Document]]:
        return pack((piece for doc in (self.job.documents if self.job else []) for piece in cut_document(doc, size)), size)


def _regular_file(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    if p.is_char_device() or p.is_block_device() or p.is_socket():
        raise InputError(f"{p}: a device or socket, not a file")
    return p


def count_lines(path: str, max_line_chars: int = 0) -> int:
    """Lines of a UTF-8 text file (a final line without newline counts), checking the encoding and,
    with ``max_line_chars``, the length of every line, so that a bad file fails before any work."""
    p = _regular_file(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    offset = 0
    last = ""  # the last character read
    current = 0  # characters of the line being read so far
    try:
        fh = p.open("rb")
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    with fh:
        while True:
            try:
                block = fh.read(_BLOCK)
            except OSError as err:
                raise InputError(f"{p}: cannot read ({err.strerror})") from None
            if not block:
                break
            if offset == 0:
                if block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not block.startswith(codecs.BOM_UTF32_LE):
                    raise InputError(f"{path}: UTF-16 text (byte-order mark at offset 0); convert it to UTF-8")
                if block.startswith(codecs.BOM_UTF8):
                    block = block[len(codecs.BOM_UTF8) :]
                    offset = len(codecs.BOM_UTF8)
            nul = block.find(b"\x00")
            if nul >= 0:
                raise binary_error(path, block if offset <= len(codecs.BOM_UTF8) else b"", offset + nul)
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as err:
                raise InputError(f"{path}: not valid UTF-8 at byte offset {offset + err.start}; convert the file to UTF-8") from None
            if max_line_chars:
                parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                lengths = [current + len(parts[0]), *map(len, parts[1:])]
                if max(lengths) > max_line_chars:
                    k = next(k for k, n in enumerate(lengths) if n > max_line_chars)
                    raise InputError(
                        f"{path}: line {lines + k + 1} has more than {max_line_chars} characters "
                        "(raise input.max_line_chars if this is intended)"
                    )
                current = lengths[-1]
            lines += _line_ends(text, after_cr=last == "\r")
            offset += len(block)
            last = text[-1:] or last
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8 at byte offset {offset - 1} (truncated character at the end)") from None
    if not last:  # nothing but perhaps a byte-order mark, as the whole-file reader sees it
        raise InputError(f"{path}: file is empty")
    return lines + (1 if last not in ("\n", "\r", "") else 0)


def _line_ends(text: str, after_cr: bool) -> int:
    """Line ends in ``text`` as Python's universal newlines see them (\\n, \\r\\n and a lone \\r),
    as the readers split lines; ``after_cr``: the text before it ended in \\r (a \\r\\n cut in two)."""
    n = text.count("\n") + text.count("\r") - text.count("\r\n")
    return n - 1 if after_cr and text.startswith("\n") else n


@dataclass
class LineFilesSource(JobSource):
    """Line-aligned text files read in step, ``size`` lines at a time."""

    source: str = ""
    targets: dict[str, str] = field(default_factory=dict)
    reference_paths: dict[str, str] = field(default_factory=dict)
    max_line_chars: int = 0
    _n: int = 0

    def validate(self) -> None:
        n = count_lines(self.source, self.max_line_chars)
        for path in list(self.targets.values()) + list(self.reference_paths.values()):
            m = count_lines(path, self.max_line_chars)
            if m != n:
                raise InputError(f"{path}: {m} lines, but the source {self.source} has {n} (line-aligned inputs must have the same number of lines)")
        self._n = n

    @property
    def n_source_segments(self) -> int:
        return self._n

    def _lines(self, path: str) -> Iterator[str]:
        with open(path, encoding="utf-8-sig", newline=None) as fh:
            for line_no, line in enumerate(fh, start=1):
                line = line.rstrip("\n")
                if self.max_line_chars and len(line) > self.max_line_chars:
                    raise InputError(
                        f"{path}: line {line_no} has {len(line)} characters, over the limit of {self.max_line_chars} "
                        "(raise input.max_line_chars if this is intended)"
                    )
                yield line

    def shards(self, size: int) -> Iterator[list[Document]]:
        if not self._n:
            self.validate()
        streams = {("source", "source"): self._lines(self.source)}
        streams.update({("target", k): self._lines(p) for k, p in self.targets.items()})
        streams.update({("reference", k): self._lines(p) for k, p in self.reference_paths.items()})
        doc_id = Path(self.source).name
        for a in range(0, self._n, size):
            b = min(self._n, a + size)
            segs: dict[tuple[str, str], list[Segment]] = {}
            for key, stream in streams.items():
                segs[key] = [Segment(text=next(stream).strip(), index=i, paragraph=i, line=i + 1) for i in range(a, b)]
            yield [
                Document(
                    id=doc_id,
                    source=segs[("source", "source")],
                    targets={k: segs[("target", k)] for k in self.targets},
                    references={k: segs[("reference", k)] for k in self.reference_paths},
                    line_aligned=True,
                )
            ]



def pack(pieces: Iterator[Document], size: int) -> Iterator[list[Document]]:
    """Documents (or pieces of them) packed in order into shards of at most ``size`` source
    segments; a piece alone may fill a shard."""
    return _packed(pieces, size, lambda piece: len(piece.source))


def _packed(items: Iterator[Any], size: int, length: Callable[[Any], int]) -> Iterator[list[Any]]:
    """Items packed in order into lists whose lengths add up to at most ``size`` (an item alone may
    pass it): :func:`pack` over documents, :func:`count_shards` over their lengths."""
    shard: list[Any] = []
    count = 0
    for item in items:
        k = length(item)
        if shard and count + k > size:
            yield shard
            shard, count = [], 0
        shard.append(item)
        count += k
    if shard:
        yield shard


@dataclass
class TableSource(JobSource):
    """A Parquet file, an Arrow file or a ``datasets`` folder read in record batches (pyarrow), not
    whole: documents are made piece by piece as their rows pass, cut and packed into shards exactly
    as :class:`MemorySource` cuts and packs the job :func:`pipeline.io.readers.job_from_table` reads
    from the same table, so every output is the same.  A first pass over the table (only the columns
    used, batch by batch) checks what the whole-table reader checks before any work starts: types,
    nulls, line lengths, and that each document's rows are adjacent (``documents``: id -> rows, in
    order), which streaming needs.

    ``batches()`` yields pyarrow RecordBatches of the columns used; ``columns``: (source, targets by
    system name, references by name as (column, position in a list column or None), document column
    or None)."""

    batches: Any = None  # () -> Iterator[pyarrow.RecordBatch]
    source_column: str = ""
    target_columns: dict[str, str] = field(default_factory=dict)
    reference_columns: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    documents: list[tuple[str, int]] = field(default_factory=list)  # (document id, rows), in order
    document_column: str | None = None
    _n: int = 0

    @property
    def n_source_segments(self) -> int:
        return self._n

    def _rows(self) -> Iterator[tuple[str, str, dict[str, str], dict[str, str]]]:
        """(document id, source, targets, references) per row, the texts stripped."""
        for batch in self.batches():
            cols = {name: batch.column(name).to_pylist() for name in batch.schema.names}
            docs = cols.get(self.document_column) if self.document_column else None
            for r in range(batch.num_rows):
                yield (
                    str(docs[r]) if docs is not None else "doc1",
                    cols[self.source_column][r].strip(),
                    {name: cols[c][r].strip() for name, c in self.target_columns.items()},
                    {name: (cols[c][r] if k is None else cols[c][r][k]).strip() for name, (c, k) in self.reference_columns.items()},
                )

    def _pieces(self, size: int) -> Iterator[Document]:
        rows = self._rows()
        line = 0
        for doc_id, n in self.documents:
            for a, b in cut_ranges(n, True, size):
                src: list[Segment] = []
                tgts: dict[str, list[Segment]] = {k: [] for k in self.target_columns}
                refs: dict[str, list[Segment]] = {k: [] for k in self.reference_columns}
                for k in range(a, b):
                    got_id, s, t, rr = next(rows)
                    assert got_id == doc_id, "the table changed while it was read"
                    line += 1
                    src.append(Segment(text=s, index=k, paragraph=k, line=line))
                    for name, text in t.items():
                        tgts[name].append(Segment(text=text, index=k, paragraph=k, line=line))
                    for name, text in rr.items():
                        refs[name].append(Segment(text=text, index=k, paragraph=k, line=line))
                yield Document(id=doc_id, source=src, targets=tgts, references=refs, line_aligned=True)

    def n_shards(self, size: int) -> int | None:
        return count_shards([(n, True) for _, n in self.documents], size)

    def shards(self, size: int) -> Iterator[list[Document]]:
        return pack(self._pieces(size), size)
