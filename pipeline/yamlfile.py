"""YAML parsing of mtqa's data files with libyaml's C parser where PyYAML has it.

The shipped data (romanization conventions, lexicon, word lists) is parsed in every run before the
first segment is checked; the C parser does that ten times faster than PyYAML's pure-Python one
and builds the same objects (both use the safe constructor).
"""

from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream: str | bytes | IO[str]) -> Any:
    return yaml.load(stream, Loader=_LOADER)  # a safe loader, C or Python
