"""Who may keep a reply: the firm's data never goes to a shared cache.

Quart's `send_file` marks every file `public, max-age=43200` with an Expires 12 hours ahead, as
for a static asset. Report and receipt exports and receipt attachments are one firm's private
data: each download says `Cache-Control: private, no-store` (`private_no_store`), and the app's
after-request hook gives the same to any other reply that would say `public`, so a route added
later cannot forget it. Only the static pages (`/`, `/docs` and its assets) and the web app's hashed
assets (`/assets/`, the same for everyone) may be public.
"""

from __future__ import annotations

from quart import Response

PRIVATE_NO_STORE = "private, no-store"


def private_no_store(response: Response) -> Response:
    """Keep `response` out of every cache: `Cache-Control: private, no-store`, no Expires."""
    response.headers["Cache-Control"] = PRIVATE_NO_STORE
    response.headers.pop("Expires", None)
    return response


def is_static_page(path: str) -> bool:
    """Whether `path` is a static page: the welcome page, the API docs and their assets, the web app's assets."""
    return path == "/" or path == "/docs" or path.startswith(("/docs/", "/assets/"))


def never_public(path: str, response: Response) -> Response:
    """A reply to anything but a static page never says `public`: it becomes private, no-store."""
    if response.cache_control.public and not is_static_page(path):
        private_no_store(response)
    return response
