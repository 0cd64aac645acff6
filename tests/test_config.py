
import pytest
import yaml

from pipeline.config import CONFIG_DIR, Config, load_config
from pipeline.errors import ConfigError


def test_default_yaml_spells_out_the_defaults():
    assert yaml.safe_load((CONFIG_DIR / "default.yaml").read_text()) == Config().to_dict()


# Files in configs/ that are not pipeline configs; they have their own schemas and tests.
NOT_PIPELINE_CONFIGS = {"ci-gate.yaml", "names-lexicon.example.yaml"}


def test_every_bundled_config_validates():
    names = {p.name for p in CONFIG_DIR.glob("*.yaml")}
    assert names >= NOT_PIPELINE_CONFIGS
    for name in sorted(names - NOT_PIPELINE_CONFIGS):
        load_config([str(CONFIG_DIR / name)])


def test_profile_by_name_and_overrides_win():
    c = load_config(["de-en"], {"scoring": {"metrics": ["bleu"]}})
    assert (c.src_lang, c.tgt_lang) == ("de", "en")
    assert c.scoring.metrics == ["bleu"]
    assert c.scoring.bleu.tokenize == "13a"


def test_unknown_key_names_file_and_key(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("scoring:\n  metrcs: [bleu]\n")
    with pytest.raises(ConfigError, match=r"c\.yaml: unknown key 'scoring\.metrcs'"):
        load_config([str(p)])


def test_bad_value_is_reported(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("scoring:\n  metrics: [bleu, meteor]\n")
    with pytest.raises(ConfigError, match=r"bad value for 'scoring\.metrics\.1'"):
        load_config([str(p)])
    p.write_text("scoring:\n  bootstrap_samples: 1\n")
    with pytest.raises(ConfigError, match="bootstrap_samples"):
        load_config([str(p)])


def test_invalid_yaml_and_missing_file(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("scoring: [unclosed\n")
    with pytest.raises(ConfigError, match="invalid YAML at line"):
        load_config([str(p)])
    p.write_text("scoring:\n  bootstrap_samples: 100\nscoring:\n  metrics: [bleu]\n")
    with pytest.raises(ConfigError, match=r"invalid YAML at line 3 \(found duplicate key 'scoring'\)"):
        load_config([str(p)])
    with pytest.raises(ConfigError, match="no such config file"):
        load_config([str(tmp_path / "missing.yaml")])
    with pytest.raises(ConfigError, match="no config file or profile named 'xx-yy'"):
        load_config(["xx-yy"])


def test_extends_and_later_files_win(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("src_lang: fr\nscoring:\n  seed: 7\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\ntgt_lang: en\n")
    last = tmp_path / "last.yaml"
    last.write_text("scoring:\n  seed: 9\n")
    c = load_config([str(child), str(last)])
    assert (c.src_lang, c.tgt_lang, c.scoring.seed) == ("fr", "en", 9)
    loop = tmp_path / "loop.yaml"
    loop.write_text("extends: loop.yaml\n")
    with pytest.raises(ConfigError, match="loops back"):
        load_config([str(loop)])


def test_bad_command_line_override_is_a_config_error():
    with pytest.raises(ConfigError, match=r"command-line option: bad value for 'scoring\.significance\.tests\.0'"):
        load_config(None, {"scoring": {"significance": {"tests": ["wilcoxon"]}}})


def test_checks_section_is_validated_against_the_registered_rules(tmp_path):
    cases = [
        ("checks:\n  enable: [N1, Q]\n", r"c\.yaml: checks\.enable: 'Q' selects no rule"),
        ("checks:\n  disable: [lm-disfluenc]\n", r"checks\.disable: 'lm-disfluenc' selects no rule"),
        ("checks:\n  severity: {N1: major}\n", r"checks\.severity: 'N1' is not a rule code or name"),
        ("checks:\n  options: {spelling: {min_zipf: 3}}\n", r"checks\.options: 'spelling' is not a rule code or name"),
        ("checks:\n  options: {misspelling: {min_zip: 3}}\n", r"unknown option 'min_zip' for F201 misspelling \(its options: capitalised, min_zipf, foreign_min_zipf, foreign_languages\)"),
        ("checks:\n  options: {too-long: {max_z: -1}}\n", r"checks\.options\.too-long\.max_z: Input should be greater than 0"),
    ]
    for text, message in cases:
        (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config([str(tmp_path / "c.yaml")])
    with pytest.raises(ConfigError, match=r"command-line option: checks\.enable: 'F9' selects no rule"):
        load_config([], {"checks": {"enable": ["F9"]}})
    (tmp_path / "ok.yaml").write_text("checks:\n  disable: [F4, T201]\n  severity: {doubled-word: major}\n  options: {F201: {min_zipf: 4}}\n", encoding="utf-8")
    config = load_config([str(tmp_path / "ok.yaml")])
    assert config.checks.options == {"misspelling": {"min_zipf": 4}}
