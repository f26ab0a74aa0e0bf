"""`GET /`: a Romanian page pointing to /docs and /health instead of a bare 404."""

from __future__ import annotations

from html.parser import HTMLParser


class Links(HTMLParser):
    """The page's `lang` and every link's href."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


async def test_root_is_a_romanian_page_linking_to_the_docs_and_health(client):
    response = await client.get("/")  # no token: the page is public
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = Links()
    page.feed(await response.get_data(as_text=True))
    assert page.lang == "ro"
    assert {"/docs", "/health"} <= set(page.hrefs)
    assert "Documentația API" in await response.get_data(as_text=True)
    for href in page.hrefs:  # every link leads somewhere
        assert (await client.get(href)).status_code == 200, href


async def test_other_unknown_paths_stay_404_problems(client):
    response = await client.get("/nu-exista")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
