"""Run the OCR thread at a lower OS priority than the web's, so a photo being read yields the CPU to requests.

On Linux a thread's nice value is its own (setpriority on its native id) and threads it creates inherit
it: set before the engine is loaded on the OCR thread, it also covers onnxruntime's intra-op threads.
On Windows the OCR thread gets THREAD_PRIORITY_BELOW_NORMAL or LOWEST (SetThreadPriority); onnxruntime's
own threads start at normal priority there. Elsewhere nothing is changed.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading

log = logging.getLogger("roa2web.data_entry.ocr")
_BELOW_NORMAL, _LOWEST = -1, -2  # Windows' THREAD_PRIORITY_* values


def lower_thread_priority(nice: int) -> bool:
    """Lower the calling thread's priority by `nice` (0: leave it; 1..19 like nice(1)); True when applied."""
    if nice <= 0:
        return False
    try:
        if sys.platform == "win32":
            kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
            kernel32.GetCurrentThread.restype = ctypes.c_void_p
            kernel32.SetThreadPriority.argtypes = [ctypes.c_void_p, ctypes.c_int]
            level = _LOWEST if nice >= 10 else _BELOW_NORMAL
            if not kernel32.SetThreadPriority(kernel32.GetCurrentThread(), level):
                raise OSError(ctypes.get_last_error(), "SetThreadPriority failed")
            return True
        if sys.platform.startswith("linux") and hasattr(os, "setpriority"):
            thread = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, min(19, current + nice))
            return True
    except OSError as error:
        log.warning("could not lower the OCR thread's priority: %s", error)
        return False
    log.info("OCR_NICE has no effect on %s", sys.platform)
    return False
