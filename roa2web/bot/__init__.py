"""The Telegram bot: a door like the blueprints (handlers, their messages), calling the same domain services."""
