"""The ASGI app for servers given an import path (`hypercorn roa2web.asgi:app`, the reloader)."""

from roa2web.app import create_app
from roa2web.logs import configure_logging
from roa2web.settings import load_settings

_settings = load_settings()
configure_logging(_settings.log_level, _settings.log_format, _settings.log_file)
app = create_app(_settings)
