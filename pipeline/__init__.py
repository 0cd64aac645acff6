"""mtqa: translation quality assurance (the ``pipeline`` package)."""

__version__ = "0.1.0"
