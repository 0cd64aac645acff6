"""Reading text files strictly: UTF-8 (BOM allowed), any newline convention, clear errors otherwise."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import InputError



def read_bytes(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    try:
        return p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None


def decode_utf8(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) and normalise CRLF/CR to LF.

    Raises InputError naming the file and the byte offset of the first problem.
    """
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        raise InputError(f"{name}: UTF-32 text (byte-order mark at offset 0); convert it to UTF-8")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        raise InputError(f"{name}: UTF-16 text (byte-order mark at offset 0); convert it to UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name}: binary data (NUL byte at byte offset {nul}), expected UTF-8 text")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = err.start + bom
        raise InputError(
            f"{name}: not valid UTF-8 at byte offset {offset} (byte 0x{data[offset]:02x}); "
            "convert the file to UTF-8"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: str | os.PathLike[str], max_line_chars: int = 0) -> str:
    """Read a whole UTF-8 text file; empty or whitespace-only files are an error."""
    name = str(path)
    text = decode_utf8(read_bytes(path), name)
    if not text.strip():
        raise InputError(f"{name}: file is empty")
    if max_line_chars:
        check_line_lengths(text, name, max_line_chars)
    return text


def check_line_lengths(text: str, name: str, limit: int) -> None:
    start = 0
    line_no = 1
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        if end - start > limit:
            raise InputError(
                f"{name}: line {line_no} has {end - start} characters, over the limit of {limit} "
                "(raise input.max_line_chars if this is intended)"
            )
        start = end + 1
        line_no += 1


def split_lines(text: str) -> list[str]:
    """Lines of a line-aligned file; a single trailing newline does not make an extra line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
