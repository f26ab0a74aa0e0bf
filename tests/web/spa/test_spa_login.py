"""Logging in through the form: a wrong password shows the server's Romanian detail; a deep link opened without a
session goes to /login and, after logging in, back where it pointed."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.web.spa import spa_kit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def login_problem(base: str, username: str, password: str) -> dict:
    """What the API answers to a wrong login (the problem+json body)."""
    request = urllib.request.Request(base + "/api/auth/login", method="POST",  # noqa: S310 - loopback
                                     data=json.dumps({"username": username, "password": password}).encode(),
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(request, timeout=60)  # noqa: S310 - loopback
    assert failure.value.code == 401
    return dict(json.load(failure.value))


def test_a_wrong_password_shows_the_servers_romanian_detail(spa_server, pages, shoot):
    page = pages.new()
    page.goto(spa_server.base + "/login")
    page.locator("input[name=username]").wait_for()
    assert page.evaluate("document.documentElement.lang") == "ro"
    shoot(page, "login")
    page.fill("input[name=username]", spa_server.operator)
    page.fill("input[name=password]", "nu-e-parola-buna")
    page.click("button[type=submit]")
    alert = page.get_by_role("alert")
    alert.wait_for()
    expected = login_problem(spa_server.base, spa_server.operator, "nu-e-parola-buna")["detail"]
    assert alert.inner_text().strip() == expected
    assert any(letter in expected for letter in "ăâîșțĂÂÎȘȚ"), expected  # the server's Romanian, as it is
    assert urllib.parse.urlparse(page.url).path == "/login"
    shoot(page, "login-error")


def test_a_deep_link_goes_to_login_then_back(spa_server, pages):
    page = pages.new()
    wanted = f"/reports/trial-balance?company={spa_kit.COMPANY}&year={spa_kit.YEAR}"
    page.goto(spa_server.base + wanted)
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path == "/login")
    assert spa_kit.url_query(page).get("redirect") == wanted
    page.fill("input[name=username]", spa_server.operator)
    page.fill("input[name=password]", spa_kit.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urllib.parse.urlparse(url).path == "/reports/trial-balance")
    query = spa_kit.url_query(page)
    assert (query["company"], query["year"]) == (str(spa_kit.COMPANY), str(spa_kit.YEAR))
    assert spa_kit.testid_text(page, "user-name") == spa_server.operator.title()
