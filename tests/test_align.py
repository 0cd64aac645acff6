"""Sentence alignment: beads on the seed article, search, scorer, scoring units, checks, `mtqa align`."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from pipeline.align import Resources, SentenceAligner, align_job, pairs_for, positional_beads
from pipeline.align.aligner import CENTRE_PRIOR, centred
from pipeline.align.core import NO_EMBEDDING_WEIGHTS, SIMILARITY_WEIGHTS, CostModel, band_around, band_dp, full_band
from pipeline.align.evaluate import format_bead, parse_beads, score_alignments
from pipeline.checks import CheckContext, load_rules, run_checks
from pipeline.cli import main
from pipeline.config import AlignConfig
from pipeline.errors import InputError
from pipeline.model import AlignedPair, Bead, Document, Job, Segment, Severity
from pipeline.scoring.units import scoring_input
from pipeline.segment import segment_document

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed"
NO_EMB = AlignConfig(embeddings=False)

# Hand-made gold for the seed article (sentence ids as `mtqa run` segments it).  The MT follows
# the source sentence by sentence and ends with two junk lines ("." and "source site-34"); the
# human reference joins "Die Entwicklungen wecken ... 2014." and "Damals hatte Russland ..." into
# one sentence.
SEED_MT_GOLD = [((i,), (i,)) for i in range(34)] + [((), (34,)), ((), (35,))]
SEED_REF_GOLD = [((i,), (i,)) for i in range(28)] + [((28, 29), (28,))] + [((i,), (i - 1,)) for i in range(30, 34)]


def seed_segments(name: str, lang: str) -> list[Segment]:
    return segment_document((SEED / name).read_text(encoding="utf-8"), lang)


@pytest.fixture(scope="module")
def resources() -> Resources:
    """One run's resources (the dictionary index) shared by the tests of this module."""
    return Resources()


def align_seed(target: str, config: AlignConfig, resources: Resources) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    src = seed_segments("article.de.txt", "de")
    tgt = seed_segments(target, "en")
    beads = SentenceAligner(config, "de", "en", resources).align(
        [s.text for s in src], [s.text for s in tgt], [s.paragraph for s in src], [s.paragraph for s in tgt]
    )
    return [(b.source, b.target) for b in beads]


def test_seed_article_against_mt_and_reference_without_embeddings(resources):
    assert align_seed("article.en.mt.txt", NO_EMB, resources) == SEED_MT_GOLD
    assert align_seed("article.en.ref.txt", NO_EMB, resources) == SEED_REF_GOLD


@pytest.mark.slow
def test_seed_article_against_mt_and_reference_with_embeddings(resources):
    config = AlignConfig(embeddings=True)
    assert align_seed("article.en.mt.txt", config, resources) == SEED_MT_GOLD
    assert align_seed("article.en.ref.txt", config, resources) == SEED_REF_GOLD


# --- synthetic documents: known beads, banded search ------------------------------------------

_WORDS = "alpha beta gamma delta omega sigma kappa lambda theta zeta iota".split()
_MOTS = "le la les un une des et ou mais donc car ni pour avec sans sous sur dans".split()


def synthetic(n: int, seed: int = 7) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """Source and target documents of ``n`` source sentences with deletions, insertions and
    2-1/1-2 beads at random places; numbers are the only shared words (lexical anchors)."""
    rng = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    for _ in range(n):
        nums = [str(rng.randint(100, 99999)) for _ in range(2)]
        words = rng.randint(6, 30)
        sentence = " ".join(rng.choice(_WORDS) for _ in range(words)) + " " + " ".join(nums) + "."
        translation = " ".join(rng.choice(_MOTS) for _ in range(words)) + " " + " ".join(nums) + "."
        roll = rng.random()
        if roll < 0.03:  # dropped in translation
            gold.append(((len(src),), ()))
            src.append(sentence)
        elif roll < 0.06:  # an added sentence
            gold.append(((len(src),), (len(tgt),)))
            src.append(sentence)
            tgt.append(translation)
            gold.append(((), (len(tgt),)))
            filler = " ".join(rng.choice(_MOTS) for _ in range(rng.randint(8, 20)))
            tgt.append(f"{filler} {rng.randint(100000, 999999)} {rng.randint(100000, 999999)}!")
        elif roll < 0.12:  # translated in two sentences
            half = translation.split()
            cut = len(half) // 2
            gold.append(((len(src),), (len(tgt), len(tgt) + 1)))
            src.append(sentence)
            tgt += [" ".join(half[:cut]) + ".", " ".join(half[cut:])]
        else:
            gold.append(((len(src),), (len(tgt),)))
            src.append(sentence)
            tgt.append(translation)
    return src, tgt, gold


def test_banded_search_finds_the_full_search_path_on_a_synthetic_document():
    src, tgt, gold = synthetic(400)
    full = SentenceAligner(AlignConfig(embeddings=False, full_dp_cells=10**7), "xx", "yy")
    banded = SentenceAligner(AlignConfig(embeddings=False, full_dp_cells=2000, window=4), "xx", "yy")
    full_beads = [(b.source, b.target) for b in full.align(src, tgt)]
    banded_beads = [(b.source, b.target) for b in banded.align(src, tgt)]
    assert banded_beads == full_beads  # the band lost nothing
    assert score_alignments([gold], [full_beads]).f1_strict > 0.97
    # the band searched a small fraction of the full table
    assert banded.stats.cells < 0.25 * full.stats.cells


def test_band_around_a_path_covers_it_and_stays_narrow():
    path = [(0, 1, 0, 1), (1, 2, 1, 3), (2, 3, 3, 3), (3, 5, 3, 4)]
    lo, hi = band_around(path, 10, 8, window=1)
    for i in range(11):
        assert lo[i] <= hi[i] - 1
    assert lo[0] == 0 and hi[10] == 9
    assert (hi - lo).max() <= 8
    assert all(lo[i] <= lo[i + 1] and hi[i] <= hi[i + 1] for i in range(10))


def test_band_dp_full_band_prefers_one_to_one_for_matching_lengths():
    aligner = SentenceAligner(NO_EMB, "de", "fr")
    texts = ["Am 12. Mai 1921 stiegen sie auf.", "Der Gipfel lag bei 4478 m."]
    s, t = aligner._sides(texts, ["Le 12 mai 1921 ils montèrent.", "Le sommet était à 4478 m."], None, None, NO_EMBEDDING_WEIGHTS, False)
    model = CostModel(s, t, NO_EMBEDDING_WEIGHTS, 1.0, False)
    beads, costs = band_dp(model, aligner.types, *full_band(2, 2))
    assert beads == [(0, 1, 0, 1), (1, 2, 1, 2)]
    assert len(costs) == 2 and all(c >= 0 for c in costs)


def test_similarity_objective_on_centred_vectors_merges_where_the_concatenation_matches():
    """Bertalign's objective on made-up e5-like vectors: every vector shares one large component
    (as e5's do), the target's second sentence translates the source's second and third.  Centring
    removes part of the shared component; the length-weighted mean of the two source vectors matches the
    target sentence, and the 2-1 bead beats a 1-1 bead plus a deletion."""
    rng = np.random.default_rng(1)
    common = rng.normal(size=384)
    common *= 2.0 / np.linalg.norm(common)
    own = rng.normal(size=(3, 384))
    own /= np.linalg.norm(own, axis=1, keepdims=True)
    unit = lambda x: (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)  # noqa: E731
    src_vecs = unit(common + own)
    tgt_vecs = unit(np.stack([common + own[0], common + (own[1] + own[2]) / np.sqrt(2)]))
    assert float(src_vecs[0] @ src_vecs[1]) > 0.6  # unrelated, yet similar before centring
    src = ["Erster Satz mit dreissig Zeichen.", "Zweiter Satz, auch recht lang.", "Dritter Satz, auch recht lang."]
    tgt = ["Première phrase de trente signes.", "Deuxième et troisième phrases, réunies ici en une."]
    aligner = SentenceAligner(AlignConfig(), "de", "fr")
    s, t = aligner._sides(src, tgt, None, None, SIMILARITY_WEIGHTS, False)
    for side, vecs in ((s, src_vecs), (t, tgt_vecs)):
        side.centre = vecs.sum(axis=0) / (len(vecs) + CENTRE_PRIOR)
        side.vectors = centred(vecs, side.centre)
    assert float(s.vectors[0] @ s.vectors[1]) < float(src_vecs[0] @ src_vecs[1])  # a short side is centred only a little
    beads, costs = band_dp(CostModel(s, t, SIMILARITY_WEIGHTS, 1.0, False), aligner.types, *full_band(3, 2))
    assert beads == [(0, 1, 0, 1), (1, 3, 1, 2)]
    assert all(c < 0 for c in costs)  # beads earn their similarity
    # a deletion costs more than an insertion: translators seldom drop a source sentence
    assert s.skip_costs[1] > t.skip_costs[1] > 0


# --- edge cases -----------------------------------------------------------------------------


def test_empty_side_gives_only_deletions_or_insertions():
    al = SentenceAligner(NO_EMB, "de", "fr")
    assert [(b.source, b.target) for b in al.align(["Ein Satz.", "Noch einer."], [])] == [((0,), ()), ((1,), ())]
    assert [(b.source, b.target) for b in al.align([], ["Une phrase."])] == [((), (0,))]


def test_one_side_ten_times_longer_and_huge_sentence_do_not_break_the_search():
    src, tgt, _ = synthetic(300, seed=3)
    al = SentenceAligner(AlignConfig(embeddings=False, full_dp_cells=5000), "xx", "yy")
    beads = al.align(src[:30], tgt)
    assert sorted(i for b in beads for i in b.source) == list(range(30))
    assert sorted(j for b in beads for j in b.target) == list(range(len(tgt)))
    huge = "wort " * 20000 + "."
    beads = al.align(["Kurz.", huge, "Ende 42."], ["Court.", "mot " * 20000 + ".", "Fin 42."])
    assert [(b.source, b.target) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_identical_documents_align_one_to_one():
    src, _, _ = synthetic(50, seed=5)
    beads = SentenceAligner(NO_EMB, "de", "de").align(src, src)
    assert [(b.source, b.target) for b in beads] == [((i,), (i,)) for i in range(50)]
    assert min(b.confidence for b in beads) > 0.5


# --- scorer and gold format -----------------------------------------------------------------


def test_scorer_gold_against_itself_and_a_hand_computed_case():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3,))]
    assert set(score_alignments([gold], [gold]).as_dict().values()) == {1.0}
    hyp = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((), (2,)), ((3,), (3,))]
    s = score_alignments([gold], [hyp])
    # precision: 5 beads, 3 exact ([0]:[0], []:[2], [3]:[3]); [1]:[1] is a lax hit, [2]:[] is not
    assert s.precision_strict == pytest.approx(3 / 5)
    assert s.precision_lax == pytest.approx(4 / 5)
    # recall over gold beads with both sides: [0]:[0] and [3]:[3] exact, [1,2]:[1] lax
    assert s.recall_strict == pytest.approx(2 / 3)
    assert s.recall_lax == pytest.approx(1.0)


def test_gold_format_round_trip_and_errors():
    text = "[0, 1]:[2]\n[]:[3]\n[2]:[]\n"
    beads = parse_beads(text)
    assert beads == [((0, 1), (2,)), ((), (3,)), ((2,), ())]
    assert "".join(format_bead(s, t) + "\n" for s, t in beads) == text
    with pytest.raises(InputError, match=r"line 1|:1:"):
        parse_beads("0,1 -> 2")


# --- job, references, scoring units, checks --------------------------------------------------


def seed_job(systems: dict[str, str]) -> Job:
    doc = Document(
        id="article",
        source=seed_segments("article.de.txt", "de"),
        targets={name: seed_segments(f, "en") for name, f in systems.items()},
        references={"ref": seed_segments("article.en.ref.txt", "en")},
    )
    return Job("de", "en", [doc], list(systems), ["ref"])


def test_align_job_attaches_references_and_units_are_sentence_level():
    job = seed_job({"mt": "article.en.mt.txt"})
    beads = align_job(job, NO_EMB)
    mt = beads["mt"]["article"]
    assert [(b.source, b.target) for b in mt] == SEED_MT_GOLD
    assert mt[28].references == {"ref": (28,)} and mt[29].references == {"ref": (28,)}
    assert mt[30].references == {"ref": (29,)}
    assert mt[34].references == {"ref": ()}  # the inserted "." has no reference
    data = scoring_input(job, beads)
    # 34 source sentences; the reference's 2-1 bead joins sentences 28 and 29 into one unit
    assert data.n_units == 33
    assert data.references[0][28] == job.documents[0].references["ref"][28].text
    # the junk lines go with the last unit
    assert data.hypotheses["mt"][-1].endswith("NATO members. . source site-34")


def test_units_are_identical_for_two_systems_with_different_beads():
    seg = lambda texts: [Segment(t, i) for i, t in enumerate(texts)]  # noqa: E731
    doc = Document(
        id="d",
        source=seg(["S0.", "S1.", "S2.", "S3.", "S4."]),
        targets={"A": seg(["A0.", "A1 A2.", "A3.", "A4."]), "B": seg(["B0.", "B1.", "B2.", "B3 B4.", "Extra."])},
        references={"ref": seg(["R0.", "R1.", "R2.", "R3.", "R4."])},
    )
    job = Job("xx", "yy", [doc], ["A", "B"], ["ref"])
    r = {"ref": None}
    ref = lambda *ix: {"ref": tuple(ix)}  # noqa: E731
    beads = {
        "A": {"d": [Bead((0,), (0,), references=ref(0)), Bead((1, 2), (1,), references=ref(1, 2)), Bead((3,), (2,), references=ref(3)), Bead((4,), (3,), references=ref(4))]},
        "B": {"d": [Bead((0,), (0,), references=ref(0)), Bead((1,), (1,), references=ref(1)), Bead((2,), (2,), references=ref(2)), Bead((3, 4), (3,), references=ref(3, 4)), Bead((), (4,), references=ref())]},
    }
    del r
    data = scoring_input(job, beads)
    # cuts allowed by both systems: before 1 and before 3 -> units {0}, {1, 2}, {3, 4}
    assert data.n_units == 3
    assert data.hypotheses["A"] == ["A0.", "A1 A2.", "A3. A4."]
    assert data.hypotheses["B"] == ["B0.", "B1. B2.", "B3 B4. Extra."]
    assert data.references[0] == ["R0.", "R1. R2.", "R3. R4."]
    assert data.documents == {"d": (0, 3)}


def test_line_aligned_documents_keep_positional_beads():
    seg = lambda texts: [Segment(t, i) for i, t in enumerate(texts)]  # noqa: E731
    doc = Document("d", seg(["a", "b"]), {"s": seg(["x", "y"])}, {"ref": seg(["p", "q"])}, line_aligned=True)
    job = Job("de", "en", [doc], ["s"], ["ref"])
    assert align_job(job, AlignConfig())["s"]["d"] == positional_beads(doc, "s")
    assert scoring_input(job, align_job(job, AlignConfig())).hypotheses["s"] == ["x", "y"]


def _pair(source: list[str], target: list[str], confidence: float = 1.0) -> AlignedPair:
    bead = Bead(tuple(range(len(source))), tuple(range(len(target))), confidence)
    return AlignedPair("d", "mt", 0, bead, tuple(Segment(t, i) for i, t in enumerate(source)), tuple(Segment(t, i) for i, t in enumerate(target)))


def test_alignment_checks_severities():
    rules = [r for r in load_rules() if r.code in ("A101", "A102", "A103")]
    ctx = CheckContext("de", "en")
    pairs = [
        _pair([], ["."]),
        _pair([], ["source site-34"]),
        _pair([], ["The minister resigned on Friday after a long debate."]),
        _pair(["Der Kreml in Moskau bestätigte das Telefonat."], []),
        _pair(["Literatur :"], []),
        _pair(["Die Entwicklungen wecken böse Erinnerungen an 2014."], ["The weather was mild."], confidence=0.1),
        _pair(["Der Kreml bestätigte."], ["The Kremlin confirmed."], confidence=0.9),
    ]
    issues = run_checks([pairs], rules, ctx)
    found = {(i.code, i.text): i for i in issues}
    assert found[("A102", ".")].severity == Severity.NEUTRAL
    assert found[("A102", "source site-34")].severity == Severity.MINOR
    assert found[("A102", "The minister resigned on Friday after a long debate.")].severity == Severity.MAJOR
    omission = found[("A101", "Der Kreml in Moskau bestätigte das Telefonat.")]
    assert omission.severity == Severity.MAJOR and omission.side == "source" and omission.category == "accuracy/omission"
    assert found[("A101", "Literatur :")].severity == Severity.MINOR
    assert found[("A103", "The weather was mild.")].category == "accuracy/mistranslation"
    assert len(issues) == 6  # the confident 1-1 bead raises nothing


def test_seed_junk_lines_become_addition_issues(resources):
    job = seed_job({"mt": "article.en.mt.txt"})
    beads = align_job(job, NO_EMB)
    doc = job.documents[0]
    pairs = pairs_for(doc, "mt", beads["mt"]["article"])
    rules = [r for r in load_rules() if r.code.startswith("A1")]
    issues = run_checks([pairs], rules, CheckContext("de", "en"))
    additions = [(i.text, i.severity) for i in issues if i.code == "A102"]
    assert additions == [(".", Severity.NEUTRAL), ("source site-34", Severity.MINOR)]
    assert not [i for i in issues if i.code == "A101"]


# --- mtqa align -----------------------------------------------------------------------------


def test_cli_align_segmented_writes_gold_format(write, tmp_path, capsys):
    src, tgt, gold = synthetic(40, seed=11)
    s = write("doc.de", "\n".join(src) + "\n")
    t = write("doc.fr", "\n".join(tgt) + "\n")
    out = tmp_path / "beads.txt"
    rc = main(["align", s, t, "--src-lang", "de", "--tgt-lang", "fr", "--segmented", "--no-embeddings", "--beads-out", str(out)])
    assert rc == 0
    assert parse_beads(out.read_text()) == gold
    err = capsys.readouterr().err
    assert "40 source and" in err and "wrote" in err


def test_cli_align_documents_and_bad_input(write, tmp_path, capsys):
    out = tmp_path / "b.txt"
    rc = main(["align", str(SEED / "article.de.txt"), str(SEED / "article.en.mt.txt"), "-s", "de", "-t", "en", "--no-embeddings", "--beads-out", str(out)])
    assert rc == 0
    assert parse_beads(out.read_text()) == SEED_MT_GOLD
    empty = write("empty.fr", "")
    rc = main(["align", str(SEED / "article.de.txt"), empty, "-s", "de", "-t", "fr", "--no-embeddings", "--beads-out", str(out)])
    assert rc == 0
    assert parse_beads(out.read_text()) == [((i,), ()) for i in range(34)]
    assert "target document is empty" in capsys.readouterr().err
    assert main(["align", "/no/such/file.de", empty, "-s", "de", "-t", "fr"]) == 2
    assert main(["align", str(SEED / "article.de.txt"), empty]) == 2  # no languages
    err = capsys.readouterr().err
    assert "no such file" in err and "--src-lang" in err and "Traceback" not in err
