"""Headless Chromium for looking at reports (browser tests, screenshots), through Playwright.

Uses the system's Chromium (Debian package ``chromium``) instead of a browser that Playwright would
download; the flags keep it from reaching for the network and let it run as root in containers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    configured = os.environ.get("MTQA_CHROMIUM")
    if configured:
        return configured if os.path.exists(configured) else None
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None) or shutil.which("chromium")


def browser_missing() -> str | None:
    """Why no browser can be started here (None when one can)."""
    try:
        import playwright.sync_api  # noqa: F401  # deferred: optional, and about 120 ms to import
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements.txt)"
    if find_chromium() is None:
        return "no Chromium found (apt-get install chromium, or set MTQA_CHROMIUM)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser context on a fresh profile; closed (and the profile removed) on exit."""
    from playwright.sync_api import sync_playwright  # deferred: optional, and about 120 ms to import

    executable = find_chromium()
    with tempfile.TemporaryDirectory(prefix="mtqa-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
