"""Run one registered rule over hand-made source/target texts through the real check machinery."""

from __future__ import annotations

from pipeline.checks import CheckContext, load_rules, run_checks
from pipeline.model import AlignedPair, Bead, Issue, Segment


def make_pair(source: str | list[str], target: str | list[str], references: list[str] | None = None, index: int = 0) -> AlignedPair:
    src = [source] if isinstance(source, str) else source
    tgt = [target] if isinstance(target, str) else target
    src_segs = tuple(Segment(text=t, index=i) for i, t in enumerate(src))
    tgt_segs = tuple(Segment(text=t, index=i) for i, t in enumerate(tgt))
    refs = {f"ref{k}": (Segment(text=r, index=0),) for k, r in enumerate(references or [])}
    bead = Bead(source=tuple(range(len(src))), target=tuple(range(len(tgt))), references=dict.fromkeys(refs, (0,)))
    return AlignedPair(document="doc", system="mt", bead_index=index, bead=bead, source=src_segs, target=tgt_segs, references=refs)


# Dictionaries, Harper and language ID load once for the whole test session when no options are given
# (resources are keyed by language, so sharing them across contexts is what a run does too).
_SHARED_RESOURCES: dict = {}


def context(src_lang: str = "de", tgt_lang: str = "en", **options) -> CheckContext:
    resources = {} if options else _SHARED_RESOURCES
    return CheckContext(src_lang=src_lang, tgt_lang=tgt_lang, options=options, resources=resources)


def issues(code: str, source, target, src_lang: str = "de", tgt_lang: str = "en", ctx: CheckContext | None = None, **kw) -> list[Issue]:
    registry = load_rules()
    rules = registry.select([code], [])
    assert rules, f"no rule {code}"
    ctx = ctx or context(src_lang, tgt_lang)
    pairs = source if isinstance(source, list) and source and isinstance(source[0], AlignedPair) else [make_pair(source, target, **kw)]
    found = run_checks([pairs], rules, ctx)
    assert not ctx.notes, ctx.notes
    return found


def flagged(code: str, source, target, **kw) -> list[str]:
    """The flagged texts (segment-local) of one rule."""
    return [i.text for i in issues(code, source, target, **kw)]
