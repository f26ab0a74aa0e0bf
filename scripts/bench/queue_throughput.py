"""Queue throughput and enqueue→start latency with 2 consumer threads, on SQLite and on Redis.

    python scripts/bench/queue_throughput.py [--tasks 5000] [--latency-tasks 500] [--backends sqlite,redis]

Three measurements per backend, all through our Huey instance, in-process consumer and stats:
- burst: `--tasks` no-op Huey tasks enqueued, then drained by 2 threads → tasks/s;
- latency: no-op tasks enqueued one by one at ~100/s → enqueue→start p50/p99 (in-process enqueues wake
  idle workers at once; `--cross-process` adds tasks enqueued by another process, which idle workers
  only see on their next poll, at most QUEUE_MAX_DELAY_S later);
- jobs: no-op *jobs* through JobService (job row, claim, finish on the app database) → jobs/s and
  submit→start p50/p99.
Targets (DESIGN §13): ≥ 500 no-op tasks/s through SqliteHuey; enqueue→start median < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from roa2web.jobs import JobContext, job_handler, stats
from roa2web.jobs.consumer import build_consumer
from roa2web.jobs.queue import JobQueue
from roa2web.settings import Settings, load_settings

REDIS_URL = "redis://127.0.0.1:6379/0"


@job_handler("bench_noop")
def _noop_job(ctx: JobContext) -> str | None:
    return None


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def settings_for(backend: str, data_dir: Path) -> Settings:
    return load_settings(data_dir=data_dir, env="test", queue_backend=backend, queue_url=REDIS_URL,
                         queue_name=f"bench_{uuid.uuid4().hex[:8]}", queue_workers=2, ocr_enabled=False,
                         module_data_entry_enabled=False, module_reports_enabled=False)


def huey_bench(settings: Settings, tasks: int, latency_tasks: int, cross_process: bool) -> dict[str, Any]:
    queue = JobQueue(settings)
    done = threading.Event()
    counter = {"n": 0, "target": tasks}
    latencies: list[float] = []
    lock = threading.Lock()

    def noop(enqueued_at: float, measure: bool) -> None:
        started = time.time()
        with lock:
            if measure:
                latencies.append(started - enqueued_at)
            counter["n"] += 1
            if counter["n"] >= counter["target"]:
                done.set()

    noop.__module__ = "bench"
    task = queue.huey.task(name="noop")(noop)
    recorder = stats.enable(queue.huey, stats.stats_database(settings))

    for _ in range(tasks):  # burst: fill the queue, then let 2 threads drain it
        queue.enqueue(task.s(time.time(), False))
    consumer = build_consumer(queue.huey, settings)
    started = time.perf_counter()
    consumer.start()
    done.wait(600)
    burst_s = time.perf_counter() - started
    queue.on_enqueue(consumer.wake)

    with lock:
        counter.update(n=0, target=latency_tasks)
        done.clear()
    for _ in range(latency_tasks):  # latency: one at a time, ~100 per second, workers mostly idle
        queue.enqueue(task.s(time.time(), True))
        time.sleep(0.01)
    done.wait(120)
    local = list(latencies)

    remote: list[float] = []
    if cross_process:
        latencies.clear()
        with lock:
            counter.update(n=0, target=100)
            done.clear()
        script = (
            "import time, sys\nfrom roa2web.settings import load_settings\nfrom roa2web.jobs.queue import JobQueue\n"
            f"queue = JobQueue(load_settings(data_dir={str(settings.data_dir)!r},"
            f" queue_backend={settings.queue_backend!r},"
            f" queue_url={REDIS_URL!r}, queue_name={settings.queue_name!r}))\n"
            "def noop(enqueued_at, measure): pass\nnoop.__module__ = 'bench'\n"
            "task = queue.huey.task(name='noop')(noop)\n"
            "for _ in range(100):\n    queue.enqueue(task.s(time.time(), True)); time.sleep(0.05)\n"
        )
        subprocess.run([sys.executable, "-c", script], check=True)
        done.wait(60)
        remote = list(latencies)
    consumer.stop(graceful=True)
    stats.disable(queue.huey)
    del recorder
    queue.close()
    result = {
        "burst_tasks_per_s": tasks / burst_s,
        "latency_p50_ms": statistics.median(local) * 1000,
        "latency_p99_ms": percentile(local, 0.99) * 1000,
    }
    if remote:
        result.update(cross_p50_ms=statistics.median(remote) * 1000, cross_p99_ms=percentile(remote, 0.99) * 1000)
    return result


async def jobs_bench(settings: Settings, jobs: int) -> dict[str, Any]:
    from roa2web.app import build_runtime
    from roa2web.jobs.queries import state_counts

    runtime = build_runtime(settings.model_copy(update={"queue_max_attempts": 1}))
    await runtime.start()
    await runtime.wait_background(30)
    service = runtime.jobs

    async def drained(total: int) -> None:
        while True:
            counts = await state_counts(service.db)
            if counts["done"] + counts["failed"] >= total:
                return
            await asyncio.sleep(0.02)

    try:
        return await _measure_jobs(service, jobs, drained)
    finally:
        await runtime.stop()


async def _measure_jobs(service: Any, jobs: int, drained: Any) -> dict[str, Any]:
    from roa2web.jobs.queries import state_counts

    started = time.perf_counter()
    for offset in range(0, jobs, 50):  # a burst: 50 submits at a time
        await asyncio.gather(*(service.submit("bench_noop", {"n": n}) for n in range(offset, min(jobs, offset + 50))))
    await drained(jobs)
    elapsed = time.perf_counter() - started

    idle = []
    for n in range(200):  # one at a time on an idle queue, ~50 per second
        idle.append(await service.submit("bench_noop", {"idle": n}))
        await asyncio.sleep(0.02)
    await drained(jobs + len(idle))
    waits = []
    for job in idle:
        current = await service.get(job.id)
        assert current is not None and current.started_at is not None
        waits.append((current.started_at - current.created_at).total_seconds())
    failed = (await state_counts(service.db))["failed"]
    return {"jobs_per_s": jobs / elapsed, "submit_to_start_p50_ms": statistics.median(waits) * 1000,
            "submit_to_start_p99_ms": percentile(waits, 0.99) * 1000, "failed": failed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--latency-tasks", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,redis")
    parser.add_argument("--cross-process", action="store_true")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            settings = settings_for(backend, Path(tmp))
            figures = huey_bench(settings, args.tasks, args.latency_tasks, args.cross_process)
            print(f"{backend:6} burst: {figures['burst_tasks_per_s']:7.0f} no-op tasks/s "
                  f"(2 threads, {args.tasks} tasks)")
            print(f"{backend:6} enqueue→start: p50 {figures['latency_p50_ms']:6.2f} ms  "
                  f"p99 {figures['latency_p99_ms']:6.2f} ms ({args.latency_tasks} tasks, in-process enqueue)")
            if "cross_p50_ms" in figures:
                print(f"{backend:6} enqueue→start: p50 {figures['cross_p50_ms']:6.2f} ms  "
                      f"p99 {figures['cross_p99_ms']:6.2f} ms (100 tasks enqueued by another process)")
            jobs = asyncio.run(jobs_bench(settings_for(backend, Path(tmp) / "jobs"), args.jobs))
            print(f"{backend:6} jobs: {jobs['jobs_per_s']:7.0f} no-op jobs/s ({args.jobs} submitted in bursts of 50; "
                  f"app database on SQLite; failed {jobs['failed']})")
            print(f"{backend:6} jobs submit→start: p50 {jobs['submit_to_start_p50_ms']:6.2f} ms  "
                  f"p99 {jobs['submit_to_start_p99_ms']:6.2f} ms (200 jobs one at a time)")
            if backend == "redis":
                import redis

                connection = redis.Redis.from_url(REDIS_URL)
                for name in (settings.queue_name,):
                    for key in connection.scan_iter(match=f"huey*{name}*"):
                        connection.delete(key)
    print("targets: ≥ 500 no-op tasks/s through SqliteHuey; enqueue→start p50 < 50 ms")


if __name__ == "__main__":
    main()
