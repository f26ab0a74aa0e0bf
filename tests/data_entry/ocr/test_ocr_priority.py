"""OCR_NICE: the OCR thread, and on Linux the inference runtime's own threads, run at a lower OS priority."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import psutil
import pytest

from roa2web.data_entry.ocr.priority import lower_thread_priority
from roa2web.data_entry.setup import install_ocr
from roa2web.runtime import Runtime

pytestmark = pytest.mark.slow
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values: Linux")


def thread_nice(native_id: int) -> int:
    """A thread's nice value (Linux: a thread id is a process id for getpriority)."""
    return os.getpriority(os.PRIO_PROCESS, native_id)  # windows-safe: only called from Linux-only tests


def test_zero_leaves_the_priority_alone():
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(lower_thread_priority(0)))
    worker.start()
    worker.join()
    assert seen == [False]


@linux_only
async def test_the_setting_reaches_the_ocr_thread_and_the_runtime_threads(settings_factory):
    service = install_ocr(Runtime(settings_factory(ocr_enabled=True, ocr_threads=2, ocr_nice=7)))
    assert service.nice == 7
    before = {thread.id for thread in psutil.Process().threads()}
    base = thread_nice(threading.get_native_id())
    try:
        assert await service.wait_ready(), service.status()
        assert service.priority_lowered is True
        new = [thread.id for thread in psutil.Process().threads() if thread.id not in before]
        lowered = [tid for tid in new if thread_nice(tid) == min(19, base + 7)]
        # the OCR thread and onnxruntime's intra-op pool thread(s) it created; the event loop's is untouched
        assert len(lowered) >= 2, {tid: thread_nice(tid) for tid in new}
        assert thread_nice(threading.get_native_id()) == base
    finally:
        await asyncio.to_thread(service.close)
