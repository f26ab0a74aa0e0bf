"""The Huey task doors: what a queued job of each kind does, by calling the domain.

Thin, like the HTTP doors: load what the job names, call the same domain functions a blueprint
calls, report progress and how it ended through the job engine (roa2web.jobs). Each door module
registers its handlers (`@job_handler`) and housekeeping steps (`@housekeeping`) at import; the
app imports the doors of the modules it runs (`roa2web.app.MODULES`).
"""
