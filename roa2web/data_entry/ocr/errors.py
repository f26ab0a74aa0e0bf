"""What can go wrong while reading a receipt, importable without the `ocr` extra (the job doors catch them)."""

from __future__ import annotations


class ImageRejected(ValueError):
    """The upload is not an image we accept: unknown type, damaged, too large or a decompression bomb."""


class EngineUnavailable(RuntimeError):
    """The engine's packages or model files are missing on this machine."""


class ReaderUnavailable(RuntimeError):
    """The OCR service cannot read: its engine is not installed or failed to load, or the service was closed."""
