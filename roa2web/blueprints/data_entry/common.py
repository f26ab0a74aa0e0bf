"""What the data-entry doors share: the module's services and reading an uploaded file."""

from __future__ import annotations

import asyncio

from quart.datastructures import FileStorage

from roa2web.blueprints.common import runtime
from roa2web.data_entry.errors import UploadTooLarge
from roa2web.data_entry.module import DataEntry


def data_entry() -> DataEntry:
    """The data-entry services of this app."""
    return runtime().data_entry


async def read_upload(upload: FileStorage) -> bytes:
    """The uploaded bytes, refusing more than DATA_ENTRY_MAX_UPLOAD_MB (413) without reading further."""
    limit = data_entry().files.max_bytes
    data: bytes = await asyncio.to_thread(upload.stream.read, limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(f"Fișierul depășește limita de {limit // (1024 * 1024)} MB.")
    return data
