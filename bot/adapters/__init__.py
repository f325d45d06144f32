"""Adapters: each translates between one outside system and ``bot.core.models``."""
