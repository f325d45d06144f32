"""Alembic migrations of the bot's database (``upgrade heads``; channel helpers may add their own branches)."""
