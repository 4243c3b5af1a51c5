"""Reading one file: checks on the path, size limits, binary detection and UTF-8 decoding.

:func:`load_file` reads one text article and parses it; the helpers below are shared with
:mod:`~searchlib.documents.corpora`, which reads corpus files line by line. Every problem
becomes a :class:`~searchlib.errors.DocumentError` with a reason a user can act on.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from searchlib.documents.articles import parse_article
from searchlib.documents.model import Document
from searchlib.errors import DocumentError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "UTF8_BOM",
    "check_path",
    "check_text_head",
    "decode",
    "load_file",
    "open_binary",
]

#: Largest text article (or single corpus record) accepted, in bytes.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

#: The UTF-8 byte order mark some editors write; it is skipped, not read as text.
UTF8_BOM = b"\xef\xbb\xbf"

# Leading bytes of common binary formats, with a name for the error message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document; extract its text first"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx); extract its text first"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"BZh", "bzip2-compressed; decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed; decompress it first"),
    (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; extract its text first"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _binary_reason(head: bytes) -> str | None:
    if head.startswith(_UTF16_BOMS):
        return "file is UTF-16 encoded; re-save it as UTF-8"
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return f"binary file ({name}), not text"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    return None


def check_text_head(path: str, head: bytes) -> None:
    """Raise DocumentError for ``path`` if its first bytes ``head`` are empty or binary.

    >>> check_text_head("a.gif", b"GIF89a...")
    Traceback (most recent call last):
    searchlib.errors.DocumentError: a.gif: binary file (a GIF image), not text
    """
    if not head:
        raise DocumentError(path, "file is empty")
    reason = _binary_reason(head)
    if reason:
        raise DocumentError(path, reason)


def decode(data: bytes, *, line_offset: int = 0) -> str:
    """Decode UTF-8 or raise ValueError with a reason a user can act on.

    >>> decode("café".encode("latin-1"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: not valid UTF-8: byte 0xE9 at line 1, column 4 (it looks like Latin-1...
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 + line_offset
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = ""
        try:
            data.decode("cp1252")
            hint = " (it looks like Latin-1/Windows-1252 text)"
        except UnicodeDecodeError:
            pass
        raise ValueError(
            f"not valid UTF-8: byte 0x{data[exc.start]:02X} at line {line}, column {column}"
            f"{hint}; re-save the file as UTF-8"
        ) from None


def check_path(path: str) -> os.stat_result:
    """Stat a file to be read, raising DocumentError for missing/odd/unreadable paths.

    >>> check_path("/no/such/file.txt")
    Traceback (most recent call last):
    searchlib.errors.DocumentError: /no/such/file.txt: no such file or directory
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            raise DocumentError(
                path, f"broken symbolic link: its target {target!r} does not exist"
            ) from None
        raise DocumentError(path, "no such file or directory") from None
    except PermissionError:
        raise DocumentError(path, "permission denied: cannot access the file") from None
    except OSError as exc:
        raise DocumentError(path, f"cannot access the file: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(path, "is a directory; pass it to iter_documents to load a folder")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(path, "not a regular file (device, socket or pipe)")
    return info


def open_binary(path: str) -> BinaryIO:
    """Open ``path`` for reading bytes, raising DocumentError when that is not allowed."""
    try:
        return open(path, "rb")
    except PermissionError:
        raise DocumentError(
            path, "permission denied: this user may not read the file (check its permissions)"
        ) from None
    except OSError as exc:
        raise DocumentError(path, f"cannot read the file: {exc.strerror}") from None


def _too_big(size: int, max_bytes: int) -> str:
    return (
        f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes; split it into "
        "smaller articles or raise max_bytes"
    )


def _read_text(name: str, max_bytes: int) -> str:
    """The whole text of file ``name``, checked: size (before reading), binary, UTF-8."""
    info = check_path(name)
    if info.st_size > max_bytes:
        raise DocumentError(name, _too_big(info.st_size, max_bytes))
    with open_binary(name) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise DocumentError(name, f"cannot read the file: {exc.strerror}") from None
    # The size can change between stat and read (a growing file, or /proc-like files).
    if len(data) > max_bytes:
        raise DocumentError(name, _too_big(len(data), max_bytes))
    check_text_head(name, data)
    try:
        return decode(data.removeprefix(UTF8_BOM))
    except ValueError as exc:
        raise DocumentError(name, str(exc)) from None


def load_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one raw text article and parse it with :func:`~searchlib.documents.parse_article`.

    The id is the file name without its extension. Raises
    :class:`~searchlib.errors.DocumentError` for a missing file, a broken symlink, a
    directory, a file over ``max_bytes`` (checked before reading), an unreadable file,
    binary content, non-UTF-8 bytes, an empty or whitespace-only file, or a file holding
    nothing but site boilerplate.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "berita-1.txt"
    >>> _ = p.write_text("Judul Sebuah Berita Penting\\n\\nIsi beritanya di sini.", "utf-8")
    >>> load_file(p).id, load_file(p).title
    ('berita-1', 'Judul Sebuah Berita Penting')
    """
    name = os.fspath(path)
    text = _read_text(name, max_bytes)
    if not text.strip():
        raise DocumentError(name, "file contains only whitespace")
    document = parse_article(text, Path(name).stem)
    if not document.body:
        raise DocumentError(
            name, "no article text left after removing site boilerplate (navigation, footers)"
        )
    return document
