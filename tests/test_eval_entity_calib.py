"""eval/entity_calib.py, the quick N2 loop on eval/planted_errors.py's entity plants: it counts each
plant once, as removed or replaced, and finds what N2 finds (a name replaced by one from another
document in a Spanish source that keeps names as they are)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
NTREX = Path(os.environ.get("MTQA_DATA_DIR") or ROOT.parent / "shared" / "data") / "ntrex128_multi"

pytestmark = pytest.mark.skipif(not NTREX.is_dir(), reason=f"NTREX-128 not found in {NTREX} (set MTQA_DATA_DIR)")


def test_spanish_calib_plants_are_counted_once_and_mostly_found():
    from entity_calib import one_language
    from ntrex_pairs import pairs
    from planted_errors import entity_pool_of, plant

    result = one_language("es", "calib")
    rows = pairs("es", "calib")
    plants = plant("es", rows, ("entity_replaced", "entity_removed"), {}, entity_pool_of(pairs("es", None)))
    assert sum(result["total"].values()) == len(plants) > 100
    # each plant counts under the kind it was planted as
    assert result["total"]["replaced"] == sum(p.kind == "entity_replaced" for p in plants) > 40
    assert result["total"]["removed"] == sum(p.kind == "entity_removed" for p in plants) > 40
    assert all(result["hits"][k] <= result["total"][k] for k in ("removed", "replaced"))
    # N202's absent-name test in a language that keeps foreign names: most replacements are found
    assert result["hits"]["replaced"] / result["total"]["replaced"] > 0.5
    assert len(result["misses"]) == sum(result["total"].values()) - sum(result["hits"].values())
