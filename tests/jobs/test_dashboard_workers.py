"""The queue dashboard counts worker threads as they are: busy, configured, alive; never the scheduler."""

from __future__ import annotations

from queue_helpers import jobs_of, queue_ready, wait_for
from rich.console import Console

from roa2web.app import create_app
from roa2web.cli.queue_view import render_dashboard
from roa2web.jobs.store import JobState
from tests.conftest import admin_headers


def text_of(snapshot: dict) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(render_dashboard(snapshot))
    return console.export_text()


async def test_two_workers_with_one_busy_read_as_such(queue_settings):
    app = create_app(queue_settings(queue_workers=2))
    async with app.test_app():
        await queue_ready(app)
        service = jobs_of(app)
        job = await service.submit("test_steps", {"steps": 600, "step_s": 0.1})  # a minute, unless cancelled
        await wait_for(service, job.id, JobState.RUNNING, timeout_s=120)
        try:
            figures = await service.summary()
            assert (figures["workers_busy"], figures["workers_total"], figures["workers_alive"]) == (1, 2, 2)
            [consumer] = figures["consumers"]
            assert (consumer["workers"], consumer["workers_alive"], consumer["workers_busy"]) == (2, 2, 1)
            assert "1 busy of 2 configured, 2 alive, in 1 consumer(s)" in text_of(figures)

            health = await (await app.test_client().get("/health", headers=await admin_headers(app))).get_json()
            queue = health["modules"]["queue"]
            assert (queue["workers"], queue["workers_alive"], queue["workers_busy"], queue["scheduler_alive"]) == (
                2, 2, 1, True)
        finally:
            await service.cancel(job.id)
        assert (await wait_for(service, job.id, timeout_s=120)).state == JobState.CANCELLED
