"""The composition root's building blocks: settings, knowledge and the assistant, wired once."""

from __future__ import annotations

import os
from pathlib import Path

from bot.adapters.knowledge_files import load_folder
from bot.config import Settings
from bot.core.assistant import Assistant


def load_settings(*, knowledge: str | None = None) -> Settings:
    """Settings from the process environment; ``--knowledge`` on the command line wins over KNOWLEDGE_DIR."""
    env = dict(os.environ)
    if knowledge:
        env["KNOWLEDGE_DIR"] = knowledge
    return Settings.from_env(env)


def build_assistant(knowledge_dir: Path) -> Assistant:
    """Load and index the policies in ``knowledge_dir`` (raises KnowledgeError when they are malformed)."""
    return Assistant(load_folder(knowledge_dir))
