"""The data model shared by every stage: job, documents, segments, beads, issues, scores, results.

Data flows one way (read -> segment -> align -> check -> score -> report/gate); every stage takes
these types and returns these types. All classes are plain dataclasses so that they serialise to the
results JSON (see ``pipeline/schema/results.schema.json``) with ``to_dict``.
"""

from __future__ import annotations

import enum
import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for the annotation: pipeline.io imports this module, so a run-time import would be circular
    from .io.l10n.model import InlineCode


class Severity(str, enum.Enum):
    """MQM severity levels, most severe first."""

    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    NEUTRAL = "neutral"

    @property
    def rank(self) -> int:
        return _SEVERITY_ORDER.index(self)

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        try:
            return cls(str(value.value if isinstance(value, Severity) else value).lower())
        except ValueError:
            choices = "|".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (choose {choices})") from None


_SEVERITY_ORDER = [Severity.CRITICAL, Severity.MAJOR, Severity.MINOR, Severity.NEUTRAL]


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence (document input) or one line (line-aligned input) of one side of a document.

    ``start``/``end`` are character offsets into the normalised text of the file it came from,
    ``line`` the 1-based line number there (for SARIF locations and reviewer navigation).
    ``unit`` is the id of the localization unit (XLIFF trans-unit/unit, TMX tu, PO entry) it came
    from, for reports and for writing findings back into the file; None for other inputs.
    ``codes`` are that unit's inline codes (XLIFF/TMX tags) at their offsets in ``text``, for the
    markup checks (M2); they stay in memory and are not written to the results.
    """

    text: str
    index: int
    paragraph: int = 0
    start: int = 0
    end: int = 0
    line: int = 0
    unit: str | None = None
    codes: tuple[InlineCode, ...] = ()


@dataclass(slots=True)
class Document:
    """One source document with its references and each system's translation.

    ``line_aligned`` documents have the same number of segments on every side, paired by position;
    otherwise the aligner decides which segments correspond.
    """

    id: str
    source: list[Segment]
    targets: dict[str, list[Segment]]
    references: dict[str, list[Segment]] = field(default_factory=dict)
    line_aligned: bool = False


@dataclass(slots=True)
class InputFile:
    """Where one side of the job came from (kept in the results for provenance)."""

    role: str  # "source" | "target" | "reference"
    name: str  # system or reference name; "source" for the source
    path: str
    format: str  # "text" | "lines" | "tsv" | "csv" | "jsonl" | "hf"
    column: str | None = None


@dataclass(slots=True)
class Job:
    """Everything the pipeline needs to know about its inputs."""

    src_lang: str
    tgt_lang: str
    documents: list[Document]
    systems: list[str]
    references: list[str]
    inputs: list[InputFile] = field(default_factory=list)
    # Set when documents were processed in shards and not kept (large jobs): segments per document.
    segment_counts: dict[str, int] | None = None
    notes: list[str] = field(default_factory=list)  # what reading the inputs found worth saying

    @property
    def n_source_segments(self) -> int:
        if self.segment_counts is not None:
            return sum(self.segment_counts.values())
        return sum(len(d.source) for d in self.documents)


@dataclass(frozen=True, slots=True)
class Bead:
    """A unit of correspondence: source segment indices <-> target segment indices.

    1-1, n-m, 1-0 (deletion: source content missing in the target) and 0-1 (insertion).
    ``references`` maps reference name to the reference segment indices of the same content.
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float = 1.0
    references: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # how well the target renders the source by meaning: A5's similarity of the two as a z-score against
    # faithful translations of the language pair (0: as faithful ones, -3: far below); None where A5 did not run
    adequacy: float | None = None

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"

    def to_dict(self, digits: int | None = 6) -> dict[str, Any]:
        """The bead as results.json has it; ``digits=None`` keeps the numbers exact."""
        out: dict[str, Any] = {
            "source": list(self.source),
            "target": list(self.target),
            "references": {k: list(v) for k, v in self.references.items()},
            "confidence": self.confidence if digits is None else round(self.confidence, digits),
        }
        if self.adequacy is not None:
            out["adequacy"] = self.adequacy if digits is None else round(self.adequacy, digits)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Bead:
        """The inverse of :meth:`to_dict`; TypeError or KeyError for anything else."""
        fields = ("source", "target", "references", "confidence")
        _check_fields(d, (*fields, "adequacy") if "adequacy" in d else fields, "bead")
        refs = d["references"]
        _check(isinstance(refs, dict), "bead references")
        adequacy = _number(d["adequacy"]) if "adequacy" in d else None
        return cls(_indices(d["source"]), _indices(d["target"]), _number(d["confidence"]), {str(k): _indices(v) for k, v in refs.items()}, adequacy)


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """What a check sees: one bead with its texts resolved, for one system."""

    document: str
    system: str
    bead_index: int
    bead: Bead
    source: tuple[Segment, ...]
    target: tuple[Segment, ...]
    references: dict[str, tuple[Segment, ...]] = field(default_factory=dict)

    @property
    def source_text(self) -> str:
        return self.source[0].text if len(self.source) == 1 else " ".join(s.text for s in self.source)

    @property
    def target_text(self) -> str:
        return self.target[0].text if len(self.target) == 1 else " ".join(s.text for s in self.target)

    def reference_texts(self) -> list[str]:
        return [" ".join(s.text for s in segs) for segs in self.references.values()]

    def locate(self, start: int, end: int, side: str = "target") -> tuple[int, int, int]:
        """Map a span of the joined target (or source) text to (segment index, start, end) in that segment."""
        return locate_span(self.source if side == "source" else self.target, start, end)


def locate_span(segments: tuple[Segment, ...], start: int, end: int) -> tuple[int, int, int]:
    """Map a span of ``" ".join(segment texts)`` to (segment index, local start, local end)."""
    offset = 0
    for i, seg in enumerate(segments):
        seg_end = offset + len(seg.text)
        if start < seg_end or i == len(segments) - 1:
            local_start = min(len(seg.text), max(0, start - offset))
            return seg.index, local_start, min(len(seg.text), max(local_start, end - offset))
        offset = seg_end + 1  # the joining space
    return -1, 0, 0


def normalize_for_fingerprint(text: str) -> str:
    """Case, width and whitespace differences must not change a fingerprint."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def make_fingerprint(code: str, flagged: str, context: str, occurrence: int = 0) -> str:
    """A finding's identity: the rule, the flagged text and the segment it sits in.

    It deliberately leaves out positions, document ids and system names so that the same finding
    keeps its fingerprint when unrelated text elsewhere changes.
    """
    key = "\x1f".join(
        [code, normalize_for_fingerprint(flagged), normalize_for_fingerprint(context), str(occurrence)]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Issue:
    """One finding, MQM-typed.

    ``segment`` is the target segment index within its document (source segment index when
    ``side == "source"``, e.g. for an omission); ``start``/``end`` are character offsets in that
    segment's text and ``text`` is the flagged substring.
    """

    code: str
    category: str
    severity: Severity
    message: str
    document: str
    system: str
    segment: int
    start: int
    end: int
    text: str
    suggestion: str | None = None
    side: str = "target"
    bead: int | None = None
    fingerprint: str = ""
    ignored: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    review: dict[str, Any] | None = None  # a reviewer's decision (pipeline/review.py): {"status", "comment"}; absent from the dict when None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity"] = self.severity.value
        if self.review is None:
            del out["review"]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Issue:
        """The inverse of :meth:`to_dict`; TypeError, KeyError or ValueError for anything else."""
        optional = {"review"} if isinstance(d, dict) and "review" in d else set()
        _check_fields(d, _ISSUE_TYPES.keys() | {"severity"} | optional, "issue")
        _check(d.get("review") is None or isinstance(d["review"], dict), "issue review")
        for name, types in _ISSUE_TYPES.items():
            _check(isinstance(d[name], types) and not (types is int and isinstance(d[name], bool)), f"issue {name}")
        return cls(**{**d, "severity": Severity(d["severity"])})


_ISSUE_TYPES: dict[str, Any] = {
    **dict.fromkeys(("code", "category", "message", "document", "system", "text", "side", "fingerprint"), str),
    **dict.fromkeys(("segment", "start", "end"), int),
    "suggestion": (str, type(None)),
    "bead": (int, type(None)),
    "ignored": bool,
    "data": dict,
}


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise TypeError(f"malformed {what}")


def _check_fields(d: Any, names: Any, what: str) -> None:
    _check(isinstance(d, dict) and set(d) == set(names), f"{what} fields")


def _indices(values: Any) -> tuple[int, ...]:
    _check(isinstance(values, list) and all(type(v) is int for v in values), "segment indices")
    return tuple(values)


def _number(value: Any) -> float:
    _check(isinstance(value, (int, float)) and not isinstance(value, bool), "number")
    return value


@dataclass(slots=True)
class ConfidenceInterval:
    """Bootstrap estimate as sacrebleu reports it: mean +- half_width at ``level``."""

    mean: float
    half_width: float
    n_samples: int
    seed: int | None
    level: float = 0.95

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width


@dataclass(slots=True)
class MetricScore:
    """One metric for one system: corpus score, signature, CI, per-segment and per-document scores."""

    metric: str  # sacrebleu's name: "BLEU", "chrF2", "chrF2++", "TER"
    score: float
    signature: str
    formatted: str
    higher_is_better: bool = True
    ci: ConfidenceInterval | None = None
    segments: list[float | None] | None = None  # None in the list: a unit without a segment score
    documents: dict[str, float] | None = None


@dataclass(slots=True)
class Comparison:
    """A paired significance test of one system against the baseline on one metric."""

    metric: str
    system: str
    baseline: str
    test: str  # "bs" (paired bootstrap resampling) | "ar" (approximate randomization)
    score: float
    baseline_score: float
    delta: float
    p_value: float
    n_samples: int
    seed: int | None

    def significant(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha


@dataclass(slots=True)
class SystemResult:
    """Per-system outcome: beads per document, scores by metric key, MQM-style score."""

    name: str
    beads: dict[str, list[Bead]]
    scores: dict[str, MetricScore] = field(default_factory=dict)
    mqm: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RunResult:
    """Everything a run produced; serialised to results.json."""

    job: Job
    systems: dict[str, SystemResult]
    issues: list[Issue]
    comparisons: list[Comparison]
    config: dict[str, Any]
    versions: dict[str, str]
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
