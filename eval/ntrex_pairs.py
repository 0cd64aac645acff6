"""NTREX-128 X->English pairs for 21 languages, split by document into a calibration and a test half.

The source is the professional translation, the target the English original (a fluent and faithful
rendering of it).  Documents alternate between the splits in the order they appear (the first
document is "calib", the second "test", ...), so both halves hold every kind of news story.
Thresholds are tuned on "calib"; figures are reported on "test".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fluency_data import lines

# mtqa language code -> NTREX file code and folder
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("arb", "ntrex128_multi"),
    "cs": ("ces", "ntrex128_multi"),
    "de": ("deu", "ntrex128_en_de_ru_uk"),
    "el": ("ell", "ntrex128_multi"),
    "es": ("spa", "ntrex128_multi"),
    "fi": ("fin", "ntrex128_multi"),
    "fr": ("fra", "ntrex128_multi"),
    "he": ("heb", "ntrex128_multi"),
    "hi": ("hin", "ntrex128_multi"),
    "it": ("ita", "ntrex128_multi"),
    "ja": ("jpn", "ntrex128_multi"),
    "kk": ("kaz", "ntrex128_multi"),
    "ko": ("kor", "ntrex128_multi"),
    "nl": ("nld", "ntrex128_multi"),
    "pl": ("pol", "ntrex128_multi"),
    "pt": ("por", "ntrex128_multi"),
    "ru": ("rus", "ntrex128_en_de_ru_uk"),
    "tr": ("tur", "ntrex128_multi"),
    "uk": ("ukr", "ntrex128_en_de_ru_uk"),
    "vi": ("vie", "ntrex128_multi"),
    "zh": ("zho-CN", "ntrex128_multi"),
}
SPLITS = ("calib", "test")


@dataclass(frozen=True)
class Pair:
    line: int  # 0-based line in the NTREX files
    document: str
    source: str  # the translation (language X)
    target: str  # the English original


def document_ids() -> list[str]:
    return lines("ntrex128_multi/DOCUMENT_IDS.tsv")


def split_of_documents() -> dict[str, str]:
    order: list[str] = []
    for doc in document_ids():
        if doc not in order:
            order.append(doc)
    return {doc: SPLITS[i % 2] for i, doc in enumerate(order)}


def pairs(lang: str, split: str | None = None) -> list[Pair]:
    """The X->en pairs of ``lang`` (all, or one split); empty lines on either side are skipped."""
    code, folder = LANGUAGES[lang]
    english = lines(f"{folder}/newstest2019-src.eng.txt")
    foreign = lines(f"{folder}/newstest2019-ref.{code}.txt")
    docs = document_ids()
    if not (len(english) == len(foreign) == len(docs)):
        raise SystemExit(f"NTREX {code}: {len(foreign)} lines, English {len(english)}, document ids {len(docs)}")
    which = split_of_documents()
    out = []
    for i, (doc, src, tgt) in enumerate(zip(docs, foreign, english)):
        if split is not None and which[doc] != split:
            continue
        if src.strip() and tgt.strip():
            out.append(Pair(i, doc, src, tgt))
    return out


def write_tsv(rows: list[Pair], path: Path, targets: list[str] | None = None) -> None:
    """A tabular mtqa input: doc, src, tgt columns (``targets`` replaces the English side)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        # mtqa reads tab-separated input without CSV quoting (as WMT's TSV files are written), so the
        # table is written without it too: with csv's QUOTE_MINIMAL a line holding '"' reached mtqa
        # wrapped in doubled quote marks (found in the sixth session's hand check).
        f.write("doc\tsrc\ttgt\n")
        for k, p in enumerate(rows):
            fields = [p.document, p.source, targets[k] if targets is not None else p.target]
            if any(c in field for field in fields for c in "\t\n\r"):
                raise SystemExit(f"{p.document}: a tab or line break inside a field of line {p.line}")
            f.write("\t".join(fields) + "\n")


def segment_index(rows: list[Pair]) -> dict[tuple[str, int], Pair]:
    """(document, segment) as mtqa reports it for a tabular input (0-based within the document) -> pair."""
    seen: dict[str, int] = {}
    out = {}
    for p in rows:
        k = seen.get(p.document, 0)
        seen[p.document] = k + 1
        out[(p.document, k)] = p
    return out


def english_words(text: str) -> int:
    return len(text.split())
