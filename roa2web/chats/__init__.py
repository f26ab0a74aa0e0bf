"""Telegram chats: linking a chat to a user (web code or e-mailed code) and each chat's state, in the app database."""
