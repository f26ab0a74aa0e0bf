"""Peak and current resident memory of this process, for the OCR benchmarks."""

from __future__ import annotations

from pathlib import Path

import psutil


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux only), so the peak excludes generating the test images."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # windows-safe: Linux's reset, OSError elsewhere
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    """Peak resident memory of this process (since the last reset, on Linux), in MB."""
    status = Path("/proc/self/status")  # windows-safe: Linux's peak, psutil's peak_wset elsewhere
    if status.exists():
        for row in status.read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    info = psutil.Process().memory_info()
    return float(getattr(info, "peak_wset", info.rss)) / 2**20


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    return float(psutil.Process().memory_info().rss) / 2**20
