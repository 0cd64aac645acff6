"""Reading text files strictly: UTF-8 (BOM allowed), any newline convention, clear errors otherwise."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ..errors import InputError


def visible_files(folder: Path) -> list[Path]:
    """The files below ``folder``, sorted, without hidden ones (a name starting with "." at any
    level: .git, .DS_Store): the documents of a folder input."""
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)]


def utf16_without_bom(data: bytes) -> str | None:
    """'UTF-16LE'/'UTF-16BE' when the bytes look like UTF-16 text without a byte-order mark
    (mostly Latin script: every other byte NUL), else None."""
    sample = data[:4096]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]

    def texty(half: bytes) -> bool:  # the low bytes of Latin-script UTF-16: letters, not control codes
        return sum(b >= 0x20 or b in (9, 10, 13) for b in half) >= 0.9 * len(half)

    zeros_even, zeros_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if zeros_odd > 0.4 and zeros_even < 0.05 and texty(even):
        return "UTF-16LE"
    if zeros_even > 0.4 and zeros_odd < 0.05 and texty(odd):
        return "UTF-16BE"
    return None


def binary_error(name: str, data: bytes, offset: int) -> InputError:
    """The error for a NUL byte at ``offset``: UTF-16 without a BOM, or binary data."""
    utf16 = utf16_without_bom(data)
    if utf16:
        return InputError(f"{name}: looks like {utf16} text without a byte-order mark (NUL bytes); convert it to UTF-8")
    return InputError(f"{name}: binary data (NUL byte at byte offset {offset}), expected UTF-8 text")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a file")
    if p.is_char_device() or p.is_block_device() or p.is_socket():
        raise InputError(f"{p}: a device or socket, not a file")
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
        raise binary_error(name, data, nul)
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
