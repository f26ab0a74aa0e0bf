"""OCR_NICE and OCR_HELPER_NICE: the OCR thread and (Linux) the inference runtime's own threads at a lower priority."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import psutil
import pytest

from roa2web.data_entry.ocr.priority import lower_thread_priority
from roa2web.data_entry.ocr.service import OcrService
from roa2web.data_entry.setup import install_ocr
from roa2web.runtime import Runtime
from tests.support.receipt_images import receipt_sample

pytestmark = pytest.mark.slow
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values: Linux")


def thread_nice(native_id: int) -> int:
    """A thread's nice value (Linux: a thread id is a process id for getpriority)."""
    return os.getpriority(os.PRIO_PROCESS, native_id)  # windows-safe: only called from Linux-only tests


def ocr_and_runtime_threads(before: set[int]) -> tuple[threading.Thread, list[int]]:
    """The OCR service's Python thread, and the native threads started since `before` that are not Python's
    (onnxruntime's intra-op pools)."""
    ocr_thread = next(thread for thread in threading.enumerate() if thread.name.startswith("ocr_"))
    python_threads = {thread.native_id for thread in threading.enumerate()}
    runtime = [thread.id for thread in psutil.Process().threads()
               if thread.id not in before and thread.id not in python_threads]
    return ocr_thread, runtime


def test_zero_leaves_the_priority_alone():
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(lower_thread_priority(0)))
    worker.start()
    worker.join()
    assert seen == [False]


@linux_only
async def test_the_settings_reach_the_ocr_thread_and_the_runtime_threads(settings_factory):
    service = install_ocr(Runtime(settings_factory(ocr_enabled=True, ocr_threads=2, ocr_nice=7, ocr_helper_nice=5)))
    assert (service.nice, service.helper_nice) == (7, 5)
    before = {thread.id for thread in psutil.Process().threads()}
    base = thread_nice(threading.get_native_id())
    try:
        assert await service.wait_ready(), service.status()
        assert service.priority_lowered is True
        ocr_thread, runtime = ocr_and_runtime_threads(before)
        assert thread_nice(ocr_thread.native_id) == base + 7
        # onnxruntime's intra-op pool threads (one per model at two threads), started on the loader thread
        assert len(runtime) >= 2 and {thread_nice(tid) for tid in runtime} == {base + 12}
        assert thread_nice(threading.get_native_id()) == base
    finally:
        await asyncio.to_thread(service.close)


@linux_only
async def test_by_default_only_the_runtime_threads_yield_to_the_web(settings_factory):
    service = install_ocr(Runtime(settings_factory(ocr_enabled=True, ocr_threads=2)))
    before = {thread.id for thread in psutil.Process().threads()}
    base = thread_nice(threading.get_native_id())
    try:
        assert await service.wait_ready(), service.status()
        assert service.priority_lowered is False
        ocr_thread, runtime = ocr_and_runtime_threads(before)
        assert thread_nice(ocr_thread.native_id) == base
        assert runtime and {thread_nice(tid) for tid in runtime} == {min(19, base + 10)}
        sample = receipt_sample(2, "degraded")
        assert (await service.read(sample.data)).value("total") == sample.truth.total_bani
    finally:
        await asyncio.to_thread(service.close)


def test_the_idle_priority_setting_reaches_the_service(settings_factory):
    service = install_ocr(Runtime(settings_factory(ocr_enabled=True, ocr_idle_priority=True)))
    try:
        assert service.idle is True
    finally:
        service.close()


@linux_only
async def test_idle_priority_puts_the_ocr_thread_and_the_threads_it_starts_in_the_idle_class():
    # the engine's build only starts a thread, as onnxruntime's does: an idle-class thread may get almost no
    # CPU while other programs keep the cores busy, so this test must not load the models on one
    policies: dict[str, int] = {}

    def build() -> object:
        policies["ocr"] = os.sched_getscheduler(0)  # 0: the calling thread
        helper = threading.Thread(target=lambda: policies.__setitem__("helper", os.sched_getscheduler(0)))
        helper.start()
        helper.join()
        return object()

    service = OcrService(engine_factory=build, required_modules=(), idle=True)  # type: ignore[arg-type]
    try:
        assert await service.wait_ready(), service.status()
        assert service.priority_lowered is True
        assert policies == {"ocr": os.SCHED_IDLE, "helper": os.SCHED_IDLE}
        assert os.sched_getscheduler(0) == os.SCHED_OTHER  # the event loop's thread: untouched
    finally:
        await asyncio.to_thread(service.close)
