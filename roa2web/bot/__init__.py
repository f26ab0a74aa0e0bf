"""The Telegram bot: a door like the blueprints, in the server's own event loop, calling the same domain services."""
