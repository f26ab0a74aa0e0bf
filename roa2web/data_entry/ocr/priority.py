"""Run the OCR thread at a lower OS priority than the web's, so a photo being read yields the CPU to requests.

Two ways: `idle`, the thread runs only on CPU nothing else wants (Linux SCHED_IDLE: a request waking up
takes the core from it at once; Windows THREAD_PRIORITY_IDLE), or `nice`, lower by 1..19 as nice(1) does
(Windows: THREAD_PRIORITY_BELOW_NORMAL, or LOWEST from 10).
On Linux a thread's policy and nice value are its own (set on its native id) and threads it creates inherit
them: set before the engine is loaded on the OCR thread, they also cover onnxruntime's intra-op threads.
On Windows onnxruntime's own threads start at normal priority. Elsewhere nothing is changed.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading

log = logging.getLogger("roa2web.data_entry.ocr")
_BELOW_NORMAL, _LOWEST, _IDLE = -1, -2, -15  # Windows' THREAD_PRIORITY_* values


def lower_thread_priority(nice: int, idle: bool = False) -> bool:
    """Lower the calling thread's priority: to the idle class with `idle`, else by `nice` (0: none); True if applied."""
    if nice <= 0 and not idle:
        return False
    try:
        if sys.platform == "win32":
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            kernel32.GetCurrentThread.restype = ctypes.c_void_p
            kernel32.SetThreadPriority.argtypes = [ctypes.c_void_p, ctypes.c_int]
            level = _IDLE if idle else _LOWEST if nice >= 10 else _BELOW_NORMAL
            if not kernel32.SetThreadPriority(kernel32.GetCurrentThread(), level):
                raise OSError(ctypes.get_last_error(), "SetThreadPriority failed")
            return True
        if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
            thread = threading.get_native_id()
            if idle:
                os.sched_setscheduler(thread, os.SCHED_IDLE, os.sched_param(0))
                return True
            current = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, min(19, current + nice))
            return True
    except OSError as error:
        log.warning("could not lower the OCR thread's priority: %s", error)
        return False
    log.info("OCR_NICE and OCR_IDLE_PRIORITY have no effect on %s", sys.platform)
    return False
