"""The job engine's services: for the server and `roa2web worker` alike (routes: `blueprints.tasks`).

The handlers themselves come from the task doors the app imports (`roa2web.app.MODULES`), and from
the plugin modules named in QUEUE_HANDLER_MODULES.
"""

from __future__ import annotations

import importlib

from roa2web.jobs.instances import InstancePart
from roa2web.jobs.part import QueuePart
from roa2web.jobs.queue import JobQueue
from roa2web.jobs.service import JobService
from roa2web.jobs.stats import stats_database
from roa2web.runtime import STOP_FIRST, Part, Runtime


def import_handler_modules(runtime: Runtime) -> None:
    """Import the plugin modules of QUEUE_HANDLER_MODULES (their `@job_handler`s register at import)."""
    for name in runtime.settings.queue_handler_modules:
        importlib.import_module(name)


def install_services(runtime: Runtime) -> None:
    """The queue, `runtime.jobs`, the "queue" part (consumer when QUEUE_IN_PROCESS) and, on Redis, "instances"."""
    import_handler_modules(runtime)
    queue = JobQueue(runtime.settings)
    service = JobService(runtime.app_db, queue, runtime.settings, stats_database(runtime.settings))
    runtime.services.queue = queue
    runtime.services.jobs = service
    part = QueuePart(runtime, service)
    runtime.services.queue_part = part
    # It stops first: its running jobs use the other parts (databases, ledger, OCR) until they finish.
    runtime.add_part(Part("queue", part.health, start=part.start, stop=part.stop, required=True, background=True,
                          stop_priority=STOP_FIRST))

    if runtime.settings.queue_backend == "redis":
        instances = InstancePart(runtime.settings, runtime.app_db)
        runtime.services.instances = instances
        # In the background: it reads the app database's installation id, migrated by then.
        runtime.add_part(Part("instances", instances.health, start=instances.start, stop=instances.stop,
                              required=False, background=True))
