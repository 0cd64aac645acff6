"""Glossary (A4): required translations of terms, from a user's term list.

The glossary is a TSV or CSV file named by ``checks.options.glossary-term.file``: one term a row,
source term in the first column, the allowed target renderings in the second (several separated
by ``|``), an optional note in the third; a first row naming the columns ("source", "target") is
skipped.  Matching is case-insensitive on whole words; a term also matches its inflected forms:
each word is cut to a stem (less its last two letters when it has more than five) that may take
an ending of up to ``max_ending`` letters more than it lost (default 3), so "Nationaler
Sicherheitsrat" matches "Nationale Sicherheitsrat" and "security guarantee" "security guarantees".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from ..errors import ConfigError
from ..model import AlignedPair
from .registry import CheckContext, Finding, RuleOptions, rule


@dataclass(frozen=True, slots=True)
class Term:
    source: str
    targets: tuple[str, ...]
    note: str
    source_re: re.Pattern[str]
    target_res: tuple[re.Pattern[str], ...]


def _term_pattern(term: str, max_ending: int) -> re.Pattern[str]:
    """Each word of the term as a stem (the word less its last two letters, if it is long
    enough) followed by an ending of at most ``max_ending`` + 2 letters."""
    parts = []
    for word in term.split():
        stem = word[:-2] if len(word) > 5 else word
        extra = max_ending + (len(word) - len(stem))
        parts.append(re.escape(stem) + rf"[^\W\d_]{{0,{extra}}}")
    return re.compile(r"(?<![^\W_])" + r"\s+".join(parts) + r"(?![^\W_])", re.IGNORECASE)


def load_glossary(path: str, max_ending: int = 3) -> list[Term]:
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"checks.options.glossary-term.file: no such file {path}")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the glossary as UTF-8 text ({err})") from None
    dialect = "excel-tab" if "\t" in text.split("\n", 1)[0] else "excel"
    terms: list[Term] = []
    for n, row in enumerate(csv.reader(text.splitlines(), dialect=dialect), start=1):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if n == 1 and row[0].strip().casefold() in ("source", "term", "source term"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise ConfigError(f"{path}:{n}: a glossary row needs a source term and at least one target term")
        targets = tuple(t.strip() for t in row[1].split("|") if t.strip())
        terms.append(
            Term(
                source=row[0].strip(),
                targets=targets,
                note=row[2].strip() if len(row) > 2 else "",
                source_re=_term_pattern(row[0].strip(), max_ending),
                target_res=tuple(_term_pattern(t, max_ending) for t in targets),
            )
        )
    return terms


class GlossaryOptions(RuleOptions):
    file: str | None = None  # the glossary (TSV/CSV: source term, target terms separated by "|", note)
    max_ending: int = Field(3, ge=0)  # longest inflectional ending a term may take


@rule("A401", "glossary-term", category="terminology/inappropriate-for-context", severity="major", options=GlossaryOptions)
def glossary_term(pair: AlignedPair, ctx: CheckContext) -> Iterator[Finding]:
    """A glossary term of the source whose required translation is not in the target.

    Why: agreed terminology (product names, legal and technical terms, a client's preferred
    wording) must be used consistently; MT picks synonyms. Runs only when a glossary is given:
    ``checks.options.glossary-term.file`` (TSV/CSV: source term, target terms separated by "|",
    optional note); option ``max_ending`` (default 3) sets how long an inflectional ending may be.
    The finding sits on the source term, with the required rendering as suggestion.

    Example (glossary row "Sicherheitsgarantie → security guarantee"): source "Sicherheitsgarantien
    der NATO", target "NATO's safety assurances" -> "Sicherheitsgarantien" (suggestion "security
    guarantee").
    Switch off: ``checks.disable: [A401]`` (or give no glossary).
    """
    settings = ctx.settings("glossary-term", GlossaryOptions)
    path = settings.file
    if not path or not pair.source or not pair.target:
        return
    max_ending = settings.max_ending
    terms: list[Term] = ctx.resource(f"glossary:{path}:{max_ending}", lambda: load_glossary(str(path), max_ending))
    target = pair.target_text
    for term in terms:
        if any(t.search(target) for t in term.target_res):
            continue
        for m in term.source_re.finditer(pair.source_text):
            wanted = " | ".join(term.targets)
            note = f" ({term.note})" if term.note else ""
            yield Finding(m.start(), m.end(), f"glossary term '{term.source}' is not rendered as '{wanted}'{note}", suggestion=term.targets[0], side="source")
            break
