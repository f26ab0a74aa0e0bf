"""Typed settings, read once from `.env` and the environment (the old apps' names kept)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

# The old development default: public, so refused wherever the server is reachable (roa2web.auth.secret).
DEFAULT_JWT_SECRET = "dev-only-change-me-dev-only-change-me"  # noqa: S105
CsvList = Annotated[list[str], NoDecode]
# The built web app inside the checkout (frontend/ next to the package); `npm run build` writes it.
DEFAULT_SPA_DIR = Path(__file__).resolve().parent.parent / "frontend" / "dist"


class SettingsError(Exception):
    """Settings are invalid; the message has one line per bad value."""


class Settings(BaseSettings):
    """Everything the process reads from its environment. Field names map to upper-case variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # --- process
    env: Literal["development", "production", "test"] = "development"
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    data_dir: Path = Path("./data")
    # receipts/ and exports/: one folder every instance of a scale-out install shares (a network share
    # on Windows, e.g. \\server\share\roa2web); unset: DATA_DIR, which keeps what is per instance
    files_dir: Path | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    log_file: Path | None = None
    shutdown_timeout_s: float = Field(30.0, gt=0)

    # --- HTTP
    allowed_origins: CsvList = []
    trusted_proxies: CsvList = ["127.0.0.1", "::1"]
    max_content_length: int = Field(20 * 1024 * 1024, ge=1024)  # the largest body: an upload (a form with a file)
    max_json_body_bytes: int = Field(256 * 1024, ge=1024)  # the largest body of every other route (JSON)
    rate_limit_per_user_per_minute: int = Field(600, ge=1)
    login_rate_limit: int = Field(5, ge=1)  # failed logins per client address within the period
    login_rate_period_s: int = Field(300, ge=1)
    login_rate_limit_per_username: int = Field(50, ge=1)  # failures on one username, all clients together
    # the built web app, served at / when it holds index.html; empty (SPA_DIR=): not served
    spa_dir: Path | None = DEFAULT_SPA_DIR

    # --- auth
    jwt_secret_key: SecretStr | None = None  # unset: DATA_DIR/jwt-secret, written by `roa2web init`
    access_token_minutes: int = Field(15, ge=1)
    refresh_token_days: int = Field(7, ge=1)
    token_check_cache_s: float = Field(5.0, ge=0)  # how long a user's token version is kept in memory
    auth_provider: Literal["auto", "local", "oracle"] = "auto"
    oracle_auth_function: str = "pack_drepturi.verificautilizator"

    # --- ledger
    oracle_host: str | None = None
    oracle_port: int = 1521
    oracle_service: str | None = None
    oracle_user: str | None = None
    oracle_password: SecretStr | None = None
    oracle_dsn: str | None = None
    oracle_pool_min: int = Field(2, ge=0)
    oracle_pool_max: int = Field(10, ge=1)
    ledger_timeout_s: float = Field(10.0, gt=0)
    ledger_health_timeout_s: float = Field(2.0, gt=0)  # the health query (/health, breaker probes)
    ledger_breaker_failures: int = Field(3, ge=1)  # consecutive failures that open the breaker
    ledger_breaker_cool_down_s: float = Field(10.0, gt=0)  # open breaker: refuse at once, then one probe
    ledger_path: Path | None = None  # embedded ledger file; default DATA_DIR/ledger-demo.sqlite

    # --- app databases (sqlite:///path or postgresql://...)
    app_db_url: str | None = None  # default sqlite under DATA_DIR/app.db
    data_entry_db_url: str | None = None  # default sqlite under DATA_DIR/receipts.db

    # --- modules
    module_reports_enabled: bool = True
    module_data_entry_enabled: bool = True
    module_telegram_enabled: bool = True  # /api/telegram; the bot itself runs only with TELEGRAM_BOT_TOKEN

    # --- reports and cache
    reports_ttl_open_s: int = Field(300, ge=1)  # reports touching an open (current) period
    reports_ttl_closed_s: int = Field(86_400, ge=1)  # reports over closed periods only
    # per report and period state, e.g. "trial_balance:closed=604800,dashboard:open=60,treasury=120"
    reports_ttl_overrides: Annotated[dict[str, int], NoDecode] = {}
    cache_l1_max_entries: int = Field(1000, ge=1)
    cache_l1_ttl_s: int = Field(300, ge=1)
    cache_stale_max_age_s: int = Field(7 * 86_400, ge=0)  # how old an L2 entry may be to serve STALE

    # --- queue
    queue_backend: Literal["sqlite", "redis"] = "sqlite"
    queue_url: str = "redis://127.0.0.1:6379/0"
    queue_name: str = "roa2web"
    queue_workers: int = Field(2, ge=1, le=32)
    queue_in_process: bool = True
    queue_max_delay_s: float = Field(0.5, gt=0)
    queue_shutdown_timeout_s: float = Field(30.0, gt=0)
    queue_max_attempts: int = Field(3, ge=1)
    queue_retry_delay_s: float = Field(5.0, ge=0)  # first retry after this, doubling each time
    queue_heartbeat_s: float = Field(10.0, gt=0)  # running jobs prove their worker is alive this often
    queue_stale_after_s: float = Field(60.0, gt=0)  # a running job with an older heartbeat is orphaned
    queue_result_ttl_s: int = Field(86_400, ge=60)  # Huey results expire after this
    queue_handler_modules: CsvList = []  # extra modules that register job handlers (plug-ins)
    export_ttl_hours: int = Field(24, ge=1)

    # --- backup (`roa2web backup`, and the daily one the server and `roa2web worker` run)
    backup_dir: Path | None = None  # where archives go (outside DATA_DIR and FILES_DIR); unset: no daily backup
    backup_keep: int = Field(14, ge=1)  # the daily backup keeps the newest this many archives in BACKUP_DIR
    backup_hour: int = Field(2, ge=0, le=23)  # the hour (server's local time) from which the day's backup is due

    # --- exchange rates (the 100 EUR limit of receipts)
    bnr_rates_enabled: bool = True  # false (or an empty BNR_RATES_URL): no fetch; `roa2web rates import` instead
    bnr_rates_url: str = "https://www.bnr.ro/nbrfxrates.xml"
    bnr_rates_timeout_s: float = Field(20.0, gt=0)
    bnr_rates_retry_minutes: int = Field(60, ge=1)  # after a failure, or while the day's rates are not out yet

    # --- data entry and OCR
    data_entry_max_upload_mb: int = Field(15, ge=1)
    data_entry_max_image_mp: int = Field(40, ge=1)  # megapixels an uploaded image may have (read from its header)
    data_entry_nomenclature_ttl_s: int = Field(300, ge=1)  # partners and accounts kept in memory this long
    ocr_enabled: bool = True
    ocr_engine: Literal["rapidocr", "paddleocr"] = "rapidocr"
    ocr_threads: int = Field(2, ge=1)
    ocr_nice: int = Field(0, ge=0, le=19)  # lower the OCR threads' OS priority by this much (0: as the web's)
    ocr_helper_nice: int = Field(10, ge=0, le=19)  # onnxruntime's worker threads: this much lower again
    # OCR only on CPU nothing else on the machine wants (Linux SCHED_IDLE, Windows idle priority), nice unused:
    # the web's latency under OCR hardly moves, but a photo waits while anything else keeps the cores busy
    ocr_idle_priority: bool = False
    # fields OCR read less surely than this are left for the user; at most 0.8, below which the form marks them
    ocr_min_confidence: float = Field(0.5, ge=0, le=0.8)

    # --- Telegram bot
    telegram_bot_token: SecretStr | None = None  # unset: no bot ("disabled" in /health)
    telegram_api_base_url: str = "https://api.telegram.org/bot"  # the token is appended; a local Bot API server too
    telegram_file_base_url: str | None = None  # unset: the API base with /bot turned into /file/bot
    telegram_webhook_url: str | None = None  # set: the Bot API posts updates there (webhook mode); unset: polling
    telegram_webhook_secret: SecretStr | None = None  # X-Telegram-Bot-Api-Secret-Token; unset: derived from the token
    telegram_internal_token: SecretStr | None = None  # guards POST /api/telegram/auth/verify-user; unset: refused
    telegram_link_code_minutes: int = Field(10, ge=1, le=60)  # a linking code (web or e-mail) lives this long
    telegram_code_tries: int = Field(5, ge=1)  # wrong e-mailed codes before the code is spent
    telegram_rate_limit_per_minute: int = Field(30, ge=1)  # messages and button taps per chat
    telegram_allow_groups: bool = False  # answer with data in group chats
    telegram_retry_initial_s: float = Field(2.0, gt=0)  # first wait after the Bot API could not be reached
    telegram_retry_max_s: float = Field(300.0, gt=0)  # the wait doubles up to this

    # --- SMTP (the bot's e-mailed login codes)
    smtp_host: str | None = None  # unset: no e-mail login (/login answers that it is not set up)
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "ROA2WEB <roa2web@localhost>"
    smtp_timeout_s: float = Field(15.0, gt=0)

    @field_validator("allowed_origins", "trusted_proxies", "queue_handler_modules", mode="before")
    @classmethod
    def _split_csv(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("bnr_rates_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        """Empty (no fetch) or an http(s) address."""
        if value.strip() and not value.strip().startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) address (leave it empty to fetch nothing)")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: list[str]) -> list[str]:
        """Each entry an IP address or network (host bits allowed: 10.1.2.3/8 means 10.0.0.0/8)."""
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 127.0.0.1, ::1, 10.0.0.0/8); "
                    "name the proxy by its address, not its host name"
                ) from None
        return value

    @field_validator("reports_ttl_overrides", mode="before")
    @classmethod
    def _ttl_overrides(cls, value: Any) -> Any:
        """`report[:open|closed]=seconds`, comma-separated, as {"report:open": s, "report:closed": s}."""
        if isinstance(value, str):
            items = [item.strip().partition("=") for item in value.split(",") if item.strip()]
            for key, equals, _ in items:
                if not equals:
                    raise ValueError(f"{key!r} has no '=seconds' (write e.g. trial_balance:closed=604800)")
            value = {key.strip(): seconds.strip() for key, _, seconds in items}
        if not isinstance(value, dict):
            return value
        return parse_ttl_overrides(value)

    @field_validator("spa_dir", mode="before")
    @classmethod
    def _empty_spa_dir_disables(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The usual sources, and before the environment one that lets an empty SPA_DIR say "none"."""
        env_file = dotenv_settings.env_file if isinstance(dotenv_settings, DotEnvSettingsSource) else None
        return (init_settings, EmptyDisables(settings_cls, env_file), env_settings, dotenv_settings,
                file_secret_settings)

    @model_validator(mode="after")
    def _production_rules(self) -> Settings:
        if self.env == "production" and self.jwt_secret_key is not None:
            secret = self.jwt_secret_key.get_secret_value()
            if secret == DEFAULT_JWT_SECRET or len(secret) < 32:
                raise ValueError("JWT_SECRET_KEY must be a random value of at least 32 characters in production")
        if self.oracle_pool_min > self.oracle_pool_max:
            raise ValueError("ORACLE_POOL_MIN must not exceed ORACLE_POOL_MAX")
        return self

    @model_validator(mode="after")
    def _debug_logs_at_debug(self) -> Settings:
        """DEBUG=true (the old apps' switch) means DEBUG logs whatever LOG_LEVEL says.

        Resolved here, in `log_level` itself, so every caller that configures logging from the
        settings (the CLI's serve and worker, roa2web.asgi) gets it without knowing the rule.
        """
        if self.debug:
            self.log_level = "DEBUG"
        return self

    # --- derived values
    @property
    def effective_log_level(self) -> str:
        """The level to log at: LOG_LEVEL, already DEBUG when DEBUG=true (kept for callers of this name)."""
        return self.log_level

    @property
    def oracle_configured(self) -> bool:
        """True when an Oracle ledger is configured (DSN, or host and service)."""
        return bool(self.oracle_dsn or (self.oracle_host and self.oracle_service))

    @property
    def oracle_connect_dsn(self) -> str:
        """The DSN oracledb connects to."""
        return self.oracle_dsn or f"{self.oracle_host}:{self.oracle_port}/{self.oracle_service}"

    @property
    def use_oracle_auth(self) -> bool:
        """Whether logins are verified by ROA's Oracle function rather than local users."""
        if self.auth_provider == "auto":
            return self.oracle_configured
        return self.auth_provider == "oracle"

    @property
    def bnr_rates_fetch_url(self) -> str | None:
        """The feed the server fetches the BNR rates from; None when fetching is switched off."""
        url = self.bnr_rates_url.strip()
        return url if self.bnr_rates_enabled and url else None

    @property
    def telegram_file_url(self) -> str:
        """Where the bot downloads files from: TELEGRAM_FILE_BASE_URL, else the API base's …/file/bot."""
        if self.telegram_file_base_url:
            return self.telegram_file_base_url
        base = self.telegram_api_base_url
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base.rstrip("/") + "/file/bot"

    @property
    def embedded_ledger_path(self) -> Path:
        """Where the embedded (demo) ledger lives."""
        return self.ledger_path or self.data_dir / "ledger-demo.sqlite"

    @property
    def app_database_url(self) -> str:
        """Users, tokens, jobs and links."""
        return self.app_db_url or f"sqlite:///{self.data_dir / 'app.db'}"

    @property
    def data_entry_database_url(self) -> str:
        """Receipts, attachments and their history."""
        return self.data_entry_db_url or f"sqlite:///{self.data_dir / 'receipts.db'}"

    def data_path(self, *parts: str) -> Path:
        """A path under DATA_DIR (what is this instance's own: databases, cache, queue, secret, logs)."""
        return self.data_dir.joinpath(*parts)

    @property
    def files_root(self) -> Path:
        """FILES_DIR, else DATA_DIR: where receipt files and exports live (shared by every instance)."""
        return self.files_dir or self.data_dir

    def files_path(self, *parts: str) -> Path:
        """A path under FILES_DIR (receipts/, exports/)."""
        return self.files_root.joinpath(*parts)

    @property
    def files_shared(self) -> bool:
        """Whether FILES_DIR is a folder of its own rather than DATA_DIR."""
        if self.files_dir is None:
            return False
        # resolved: relative, `..` and links compared by where they lead; on Windows Path compares case-blind
        return self.files_dir.resolve() != self.data_dir.resolve()


class EmptyDisables(PydanticBaseSettingsSource):
    """SPA_DIR set to an empty value (environment first, then the env file): no web app.

    Every other empty variable means "the default" (`env_ignore_empty`); for SPA_DIR the default is
    the checkout's built app, so the empty value is kept to switch serving it off.
    """

    NAMES = ("spa_dir",)

    def __init__(self, settings_cls: type[BaseSettings], env_file: Any) -> None:
        super().__init__(settings_cls)
        self.sources = [EnvSettingsSource(settings_cls, env_ignore_empty=False)]
        if env_file is not None:
            self.sources.append(DotEnvSettingsSource(settings_cls, env_file=env_file, env_ignore_empty=False))

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        """Unused: `__call__` answers for the whole source."""
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        """`{"spa_dir": ""}` when the first source naming SPA_DIR gives it empty; else nothing."""
        found: dict[str, Any] = {}
        for name in self.NAMES:
            for source in self.sources:
                value = source.env_vars.get(name)
                if value is not None:
                    if not value.strip():
                        found[name] = ""
                    break
        return found


def parse_ttl_overrides(raw: dict[Any, Any]) -> dict[str, int]:
    """Normalize report-TTL overrides: keys `report` (both states) or `report:open|closed`, seconds >= 1.

    Only the form is checked here: the reports module checks the names when it builds its service
    (`roa2web.reports.service.check_ttl_overrides`), so the settings know no report.
    """
    result: dict[str, int] = {}
    for key, seconds in raw.items():
        report, colon, state = str(key).strip().partition(":")
        if not report:
            raise ValueError(f"{key!r} names no report (write e.g. trial_balance:closed=604800)")
        if colon and state not in ("open", "closed"):
            raise ValueError(f"{key!r}: the period state is 'open' or 'closed', not {state!r}")
        try:
            ttl = int(seconds)
        except (TypeError, ValueError):
            raise ValueError(f"{key!r}: {seconds!r} is not a whole number of seconds") from None
        if ttl < 1:
            raise ValueError(f"{key!r}: the lifetime must be at least 1 second, not {ttl}")
        for each in (state,) if colon else ("open", "closed"):
            result[f"{report}:{each}"] = ttl
    return result


def load_settings(**overrides: Any) -> Settings:
    """Read settings from ROA2WEB_ENV_FILE (else ./.env) and the environment.

    Raises SettingsError with one readable line per bad value.
    """
    env_file = os.environ.get("ROA2WEB_ENV_FILE", ".env")
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"]).upper() or "SETTINGS"
            lines.append(f"{name}: {error['msg']}")
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
