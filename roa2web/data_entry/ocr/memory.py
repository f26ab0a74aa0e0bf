"""Give the heap the OCR freed back to the system, where the C library can (glibc's `malloc_trim`).

A reading allocates and frees hundreds of MB in many blocks on the OCR thread. glibc keeps freed
blocks of a thread's arena for reuse, so the process's RSS stays at its peak long after a large
photo; `malloc_trim(0)` returns the free pages of every arena. Other C libraries (musl, macOS,
Windows' CRT, whose heap decommits freed memory on its own) have no such call: there it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
from functools import cache

log = logging.getLogger("roa2web.data_entry.ocr")


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    """The C library's malloc_trim (glibc), or None on any other C library or system."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Return freed heap pages to the system; True when the C library could be asked to."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
