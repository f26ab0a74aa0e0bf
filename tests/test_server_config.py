"""Hypercorn's config for `roa2web serve`: the TOML file, the settings given, our invariants."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from hypercorn.config import Config

from roa2web.access_log import AccessLogger
from roa2web.server_config import (
    ACCESS_LOG_FORMAT,
    HYPERCORN_KEYS,
    KEEP_ALIVE_TIMEOUT_S,
    HypercornFile,
    ServerConfigError,
    hypercorn_config,
    read_hypercorn_file,
    resolve_bind,
)
from roa2web.settings import Settings

SHIPPED = Path(__file__).resolve().parent.parent / "scripts" / "windows" / "hypercorn.toml"


@pytest.fixture(autouse=True)
def _nothing_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No HOST, PORT or SHUTDOWN_TIMEOUT_S from this machine's environment or a stray .env."""
    for name in ("HOST", "PORT", "SHUTDOWN_TIMEOUT_S", "QUEUE_SHUTDOWN_TIMEOUT_S"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(tmp_path / "none.env"))


def write(tmp_path: Path, text: str, name: str = "hypercorn.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def config_for(settings: Settings, file: HypercornFile | None) -> Config:
    return hypercorn_config(resolve_bind(settings, file), file)


def test_the_shipped_file_as_the_windows_service_runs_it(settings_factory: Callable[..., Settings]):
    file = read_hypercorn_file(SHIPPED)
    config = config_for(settings_factory(), file)
    assert config.bind == ["127.0.0.1:8000"]
    assert (config.graceful_timeout, config.shutdown_timeout, config.keep_alive_timeout) == (30, 45, 75)
    assert config.access_log_format == file.values["access_log_format"] != ACCESS_LOG_FORMAT
    assert config.h11_max_incomplete_size == 32768 and config.include_server_header is False
    assert (config.workers, config.worker_class, config.logger_class) == (1, "asyncio", AccessLogger)
    assert config.accesslog is logging.getLogger("hypercorn.access")
    assert config.errorlog is logging.getLogger("hypercorn.error")


def test_every_key_accepted_is_one_hypercorn_has():
    defaults = Config()
    assert all(hasattr(defaults, key) or key == "application_path" for key in HYPERCORN_KEYS)
    assert {"bind", "graceful_timeout", "keep_alive_timeout", "h11_max_incomplete_size",
            "h2_max_concurrent_streams", "access_log_format", "shutdown_timeout"} <= set(HYPERCORN_KEYS)
    assert set(read_hypercorn_file(SHIPPED).values) <= set(HYPERCORN_KEYS)


def test_port_given_wins_over_the_files_bind_and_the_files_host_stays(
        settings_factory: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, 'bind = "127.0.0.2:8100"\n'))
    assert config_for(settings_factory(), file).bind == ["127.0.0.2:8100"]
    monkeypatch.setenv("PORT", "9123")
    settings = resolve_bind(settings_factory(), file)
    assert (settings.host, settings.port) == ("127.0.0.2", 9123)
    assert hypercorn_config(settings, file).bind == ["127.0.0.2:9123"]


def test_host_from_an_env_file_wins_too(settings_factory: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
                                        tmp_path: Path):
    monkeypatch.setenv("ROA2WEB_ENV_FILE", str(write(tmp_path, "HOST=127.0.0.3\n", name="deploy.env")))
    file = read_hypercorn_file(write(tmp_path, 'bind = "127.0.0.2:8100"\n'))
    assert config_for(settings_factory(), file).bind == ["127.0.0.3:8100"]


def test_command_line_host_and_port_win(settings_factory: Callable[..., Settings], tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, 'bind = "127.0.0.2:8100"\n'))
    from_cli = settings_factory().model_copy(update={"host": "::1", "port": 9200})  # as `serve --host --port` does
    assert config_for(from_cli, file).bind == ["[::1]:9200"]


def test_ipv6_bind_in_brackets(settings_factory: Callable[..., Settings], tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, 'bind = ["[::1]:8300"]\n'))
    settings = resolve_bind(settings_factory(), file)
    assert (settings.host, settings.port) == ("::1", 8300)
    assert hypercorn_config(settings, file).bind == ["[::1]:8300"]


def test_shutdown_timeout_setting_given_wins_over_graceful_timeout(
        settings_factory: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, "graceful_timeout = 12\n"))
    assert config_for(settings_factory(), file).graceful_timeout == 12
    monkeypatch.setenv("SHUTDOWN_TIMEOUT_S", "7")
    assert config_for(settings_factory(), file).graceful_timeout == 7


def test_without_a_file_our_defaults(settings_factory: Callable[..., Settings]):
    config = hypercorn_config(settings_factory(port=8400, queue_shutdown_timeout_s=90))
    assert config.bind == ["127.0.0.1:8400"]
    assert (config.graceful_timeout, config.keep_alive_timeout, config.access_log_format) == (
        30, KEEP_ALIVE_TIMEOUT_S, ACCESS_LOG_FORMAT)
    assert config.shutdown_timeout == 105  # the queue's 90 s and 15 for the rest, above Hypercorn's 60
    assert hypercorn_config(settings_factory()).shutdown_timeout == 60


def test_a_file_without_bind_keeps_the_settings_bind(settings_factory: Callable[..., Settings], tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, "keep_alive_timeout = 100\n"))
    config = config_for(settings_factory(), file)
    assert config.bind == ["127.0.0.1:8000"] and config.keep_alive_timeout == 100


def test_a_utf8_bom_is_read(tmp_path: Path):
    path = tmp_path / "hypercorn.toml"
    path.write_bytes(b"\xef\xbb\xbfgraceful_timeout = 5\n")  # PowerShell 5.1's Set-Content -Encoding UTF8
    assert read_hypercorn_file(path).values == {"graceful_timeout": 5.0}


@pytest.mark.parametrize(("text", "expected"), [
    ("workers = 4\n", "`workers = 4` is refused: roa2web serve runs workers = 1"),
    ("workers = 0\n", "`workers = 0` is refused"),
    ('worker_class = "uvloop"\n', "uvloop does not exist on Windows"),
    ('bind = ["127.0.0.1:8000", "[::1]:8000"]\n', "give one host:port"),
    ('bind = "unix:/run/roa2web.sock"\n', "not host:port"),
    ('bind = "::1:8000"\n', "not host:port (IPv6 as [::1]:8000)"),
    ('bind = "127.0.0.1:99999"\n', "not host:port"),
    ("graceful_timout = 40\n", "`graceful_timout` is not a Hypercorn 0.18 setting (did you mean `graceful_timeout`?)"),
    ('graceful_timeout = "40"\n', "`graceful_timeout = '40'`: input should be a valid number"),
    ("keep_alive_timeout = true\n", "input should be a valid number"),
    ('accesslog = "-"\n', "`accesslog` cannot be set here: roa2web sets its logging itself"),
    ('loglevel = "DEBUG"\n', "(LOG_LEVEL, LOG_FORMAT, LOG_FILE)"),
    ("use_reloader = true\n", "roa2web serve --reload"),
    ("graceful_timeout = \n", "not valid TOML"),
])
def test_a_file_that_contradicts_or_is_wrong_is_refused_in_one_line(tmp_path: Path, text: str, expected: str):
    path = write(tmp_path, text)
    with pytest.raises(ServerConfigError) as refused:
        read_hypercorn_file(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message


def test_missing_file_and_folder_are_refused(tmp_path: Path):
    with pytest.raises(ServerConfigError, match="no such file"):
        read_hypercorn_file(tmp_path / "absent.toml")
    with pytest.raises(ServerConfigError, match="a folder, not a Hypercorn TOML file"):
        read_hypercorn_file(tmp_path)


def test_a_lifespan_shutdown_shorter_than_the_queues_is_refused(settings_factory: Callable[..., Settings],
                                                                  tmp_path: Path):
    file = read_hypercorn_file(write(tmp_path, "shutdown_timeout = 30\n"))
    with pytest.raises(ServerConfigError, match=r"must exceed QUEUE_SHUTDOWN_TIMEOUT_S \(30 s\).*e\.g\. 45"):
        config_for(settings_factory(), file)
    assert config_for(settings_factory(queue_shutdown_timeout_s=20), file).shutdown_timeout == 30


def test_a_file_binding_every_interface_needs_a_real_jwt_secret(settings_factory: Callable[..., Settings],
                                                                 tmp_path: Path):
    """The loopback rule of the JWT secret reads the bind from the settings: the file's must reach them."""
    from roa2web.auth.secret import configured_secret, refusal

    settings = settings_factory(env="development")
    assert refusal(configured_secret(settings), settings) is None  # loopback, no secret: allowed
    exposed = resolve_bind(settings, read_hypercorn_file(write(tmp_path, 'bind = "0.0.0.0:8000"\n')))
    reason = refusal(configured_secret(exposed), exposed)
    assert reason is not None and "HOST=0.0.0.0" in reason
