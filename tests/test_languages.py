"""Every language of the NTREX data runs through `mtqa run`, in both directions, and language tags.

The language runs use a few lines of NTREX-128 (professional translations of the same English news
lines into 21 languages, ../shared/data or $MTQA_DATA_DIR), line-aligned, with the translation as
its own reference: each run must exit 0, write a results.json that validates against the schema,
and sign BLEU with sacrebleu's tokenizer for the target language (zh, ja-mecab, ko-mecab, else 13a).
A default subset covers the scripts that broke before (CJK, Arabic, Devanagari, Hebrew, Cyrillic);
`-m slow` runs all 21 languages.  They run in-process (pipeline.cli.main): a CLI start costs ~3 s.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.scoring import metrics

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data")
NTREX = [DATA / "ntrex128_multi", DATA / "ntrex128_en_de_ru_uk"]
N_LINES = 4

# NTREX file code -> the language tag the run is given
LANGUAGES = {
    "zho-CN": "zh", "jpn": "ja", "kor": "ko", "arb": "ar", "hin": "hi", "heb": "he", "rus": "ru", "deu": "de",
    "ukr": "uk", "fra": "fr", "spa": "es", "ita": "it", "por": "pt", "nld": "nl", "pol": "pl", "ces": "cs",
    "tur": "tr", "kaz": "kk", "vie": "vi", "ell": "el", "fin": "fi",
}  # fmt: skip
DEFAULT_TARGETS = {"zh", "ja", "ko", "ar", "hi", "he", "ru", "de"}
DEFAULT_SOURCES = {"zh", "ja", "ar", "hi", "ru"}
SACREBLEU_TOKENIZERS = {"zh": "zh", "ja": "ja-mecab", "ko": "ko-mecab"}


def _reference_file(code: str) -> Path | None:
    return next((d / f"newstest2019-ref.{code}.txt" for d in NTREX if (d / f"newstest2019-ref.{code}.txt").exists()), None)


@pytest.fixture(scope="module")
def ntrex(tmp_path_factory) -> dict[str, Path]:
    """language tag ("en" included) -> a file with the first N_LINES lines of NTREX."""
    source = NTREX[0] / "newstest2019-src.eng.txt"
    if not source.exists():
        pytest.skip(f"NTREX-128 data not found in {DATA} (set MTQA_DATA_DIR to the shared data folder)")
    folder = tmp_path_factory.mktemp("ntrex")
    files = {}
    for code, tag in [("eng", "en"), *LANGUAGES.items()]:
        path = source if tag == "en" else _reference_file(code)
        if path is None:
            continue
        with path.open(encoding="utf-8") as fh:
            lines = [next(fh) for _ in range(N_LINES)]
        files[tag] = folder / f"{tag}.txt"
        files[tag].write_text("".join(lines), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def schema_validator():
    import jsonschema

    schema = json.loads((ROOT / "pipeline" / "schema" / "results.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _params(default: set[str]) -> list:
    return [pytest.param(tag, marks=() if tag in default else pytest.mark.slow, id=tag) for tag in LANGUAGES.values()]


def expected_tokenizer(tgt: str) -> str:
    """sacrebleu's tokenizer for the language, or the char fallback when its package is missing."""
    name = SACREBLEU_TOKENIZERS.get(tgt, "13a")
    return name if metrics.tokenizer_problem(name) is None else metrics.FALLBACK_TOKENIZER


def run_pair(files: dict[str, Path], src: str, tgt: str, out: Path, capsys, *extra: str) -> tuple[int, dict | None, str]:
    """One `mtqa run` in-process: exit status, results.json (or None) and standard error."""
    rc = main(["run", str(files[src]), str(files[tgt]), "--ref", str(files[tgt]), "-s", src, "-t", tgt, "-l", "-q", "-o", str(out), *extra])
    err = capsys.readouterr().err
    results = out / "results.json"
    return rc, json.loads(results.read_text(encoding="utf-8")) if results.exists() else None, err


def assert_good_run(rc: int, results: dict | None, err: str, tgt: str, validator) -> None:
    assert rc == 0, err
    assert results is not None
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(results)]
    assert not problems, problems
    (system,) = results["systems"].values()
    signature = system["scores"]["bleu"]["signature"]
    tok = re.search(r"\|tok:([^|]+)\|", signature).group(1)
    name = expected_tokenizer(tgt)
    assert tok == name or tok.startswith(f"{name}-"), (tgt, signature)  # ja-mecab-0.996-IPA, ko-mecab-0.996/ko-0.9.2-KO
    if name == metrics.FALLBACK_TOKENIZER:
        assert any("tok:char" in n for n in results["notes"]), results["notes"]


@pytest.mark.parametrize("tgt", _params(DEFAULT_TARGETS))
def test_every_target_language_runs(tgt, ntrex, schema_validator, tmp_path, capsys):
    if tgt not in ntrex:
        pytest.skip(f"no NTREX file for {tgt}")
    assert_good_run(*run_pair(ntrex, "en", tgt, tmp_path / "out", capsys), tgt, schema_validator)


@pytest.mark.parametrize("src", _params(DEFAULT_SOURCES))
def test_every_source_language_runs(src, ntrex, schema_validator, tmp_path, capsys):
    if src not in ntrex:
        pytest.skip(f"no NTREX file for {src}")
    assert_good_run(*run_pair(ntrex, src, "en", tmp_path / "out", capsys), "en", schema_validator)


def test_cjk_tokenizers_are_installed():
    """requirements.txt pins sacrebleu's ja/ko extras: the set-up gives every CJK tokenizer."""
    for name in SACREBLEU_TOKENIZERS.values():
        assert metrics.tokenizer_problem(name) is None, (name, metrics.tokenizer_problem(name))


def test_missing_tokenizer_falls_back_to_char(ntrex, schema_validator, tmp_path, capsys, monkeypatch):
    missing = "Japanese tokenization requires extra dependencies, but you do not have them installed."
    real = metrics.tokenizer_problem
    monkeypatch.setattr(metrics, "tokenizer_problem", lambda name: missing if name == "ja-mecab" else real(name))
    rc, results, err = run_pair(ntrex, "en", "ja", tmp_path / "out", capsys, "--no-cache")
    assert_good_run(rc, results, err, "ja", schema_validator)
    (system,) = results["systems"].values()
    assert "|tok:char|" in system["scores"]["bleu"]["signature"]
    (note,) = [n for n in results["notes"] if n.startswith("BLEU:")]
    assert "ja-mecab" in note and "tok:char" in note and "sacrebleu[ja]" in note
    # a configured tokenizer is not replaced: its missing package is a configuration error
    config = tmp_path / "c.yaml"
    config.write_text("scoring:\n  bleu:\n    tokenize: ja-mecab\n", encoding="utf-8")
    from sacrebleu.tokenizers import tokenizer_ja_mecab

    monkeypatch.setattr(tokenizer_ja_mecab, "MeCab", None)
    rc, _, err = run_pair(ntrex, "en", "ja", tmp_path / "out2", capsys, "--no-cache", "-c", str(config))
    assert rc == 2 and err.count("\n") == 1 and "scoring.bleu.tokenize" in err, err


def test_word_splitter_missing_switches_rule_off():
    """wordfreq splits zh with jieba and ja/ko with MeCab: without them the rule asking is switched
    off with a note instead of the run crashing."""
    from pipeline.checks import CheckContext
    from pipeline.checks.dictionaries import zipf
    from pipeline.errors import ResourceMissing

    def zipf_frequency(word, lang):
        raise ModuleNotFoundError("No module named 'jieba'", name="jieba")

    ctx = CheckContext(src_lang="en", tgt_lang="zh", options={}, resources={"wordfreq": zipf_frequency})
    with pytest.raises(ResourceMissing, match="wordfreq needs jieba"):
        zipf(ctx, "中文", "zh")


@pytest.mark.parametrize(("option", "value"), [("-s", "de;rm"), ("-t", "e n"), ("-t", ""), ("-s", "english"), ("-t", "de-")])
def test_malformed_language_tag_is_a_usage_error(option, value, write, capsys):
    src, tgt = write("s.txt", "Hallo Welt.\n"), write("t.txt", "Hello world.\n")
    langs = {"-s": "de", "-t": "en", option: value}
    rc = main(["run", src, tgt, "-s", langs["-s"], "-t", langs["-t"], "-l", "-q", "-o", str(Path(src).parent / "out")])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.count("\n") == 1 and "language tag" in err and repr(value) in err, err


def test_malformed_language_tag_in_config_and_manifest(write, capsys):
    src, tgt = write("s.txt", "Hallo Welt.\n"), write("t.txt", "Hello world.\n")
    config = write("c.yaml", "src_lang: 'de;rm'\ntgt_lang: en\n")
    rc = main(["run", src, tgt, "-c", config, "-l", "-q", "-o", str(Path(src).parent / "out")])
    err = capsys.readouterr().err
    assert rc == 2 and "c.yaml" in err and "src_lang" in err and err.count("\n") == 1, err
    manifest = write("job.yaml", "source: s.txt\nsystems: {a: t.txt}\nsrc_lang: de\ntgt_lang: 'e n'\nline_aligned: true\n")
    rc = main(["run", manifest, "-q", "-o", str(Path(src).parent / "out2")])
    err = capsys.readouterr().err
    assert rc == 2 and "tgt_lang" in err and err.count("\n") == 1, err


def test_unknown_language_runs_and_says_what_is_not_checked(ntrex, schema_validator, tmp_path, capsys):
    rc = main(["run", str(ntrex["de"]), str(ntrex["en"]), "--ref", str(ntrex["en"]), "-s", "xx", "-t", "en", "-l", "-q", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert_good_run(rc, results, err, "en", schema_validator)
    (line,) = [n for n in results["notes"] if n.startswith("xx->en:")]
    assert "'xx' is not a known language" in line
    assert "F101 (language ID does not know xx)" in line and "F102 (no hunspell dictionary for xx)" in line
    assert "N102 (no CLDR locale data for xx)" in line
    assert not [n for n in results["notes"] if re.match(r"F10[12] \S+ switched off", n)], results["notes"]


def test_coverage_of_language_pairs():
    from pipeline.checks import load_rules
    from pipeline.languages import coverage_line, coverage_notes, is_known_language, uncovered

    rules = list(load_rules())
    assert is_known_language("zh-Hant") and is_known_language("pt_BR") and not is_known_language("xx")
    en_de = uncovered("en", "de", rules)
    assert en_de["F301"] == "en targets only" and en_de["F302"] == "no calque list for en-de"
    assert not {"F101", "F102", "F302"} & set(uncovered("en-GB", "en-US", rules))  # one language: nothing to compare
    assert "N101" not in uncovered("ru", "en", rules)  # Cyrillic sources are N103's, by design
    assert coverage_line("en", "xx", [r for r in rules if r.code.startswith("T")]) == "en->xx: 'xx' is not a known language"
    only = [r for r in rules if r.code in ("F201", "L201", "L202")]
    notes = coverage_notes("en", "xx", only, ["L201 decimal-separator switched off: no CLDR locale data for 'xx'", "other"])
    assert notes == ["en->xx: 'xx' is not a known language; not checked for this language pair: F201 (no hunspell dictionary for xx); L201, L202 (no CLDR locale data for xx)", "other"]


def test_rules_for_a_language_pair_say_what_runs_and_why_not(capsys):
    assert main(["rules", "--lang", "zh-fr"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("zh->fr: ")
    line = next(x for x in out.splitlines() if x.startswith("A301"))
    assert " off " in line and "dense script" in line  # no honest length prior for an uncalibrated zh pair
    assert main(["rules", "--lang", "zh-en", "--json"]) == 0
    found = {r["code"]: r for r in json.loads(capsys.readouterr().out)["rules"]}
    assert found["A301"]["runs"] and found["N103"]["reason"].endswith("sources only")
    assert main(["rules", "--lang", "fr"]) == 2
    assert "expected SRC-TGT" in capsys.readouterr().err


def test_rules_for_a_measured_pair_show_the_measured_false_alarm_rates(capsys):
    assert main(["rules", "--lang", "fr-en", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measured"]["words"] > 10_000 and data["measured"]["total"] >= 0
    rates = {r["code"]: r["false_alarms"] for r in data["rules"]}
    assert rates["A201"] is not None and rates["F302"] is None  # F302 does not run for fr-en: no rate
    assert main(["rules", "--support-table"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| pair |") and "| fr->en |" in table and "| zh->en |" in table


def test_known_languages_are_answered_from_the_cache_after_the_first_run(tmp_path, monkeypatch):
    import subprocess
    import sys

    code = (
        "import sys; from pipeline.languages import is_known_language as k; "
        "print(k('de'), k('pt_BR'), k('xx'), 'langcodes' in sys.modules)"
    )
    env = {"MTQA_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.split() == ["True", "True", "False", "True"]  # langcodes answered and the answers were kept
    assert again.stdout.split() == ["True", "True", "False", "False"]  # the same answers, without importing langcodes
    # a damaged file is asked again
    for f in (tmp_path / "languages").iterdir():
        f.write_text("[not json")
    damaged = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert damaged.stdout.split() == ["True", "True", "False", "True"]
