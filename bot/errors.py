"""One base error for the bot and a few subclasses carrying structured fields."""

from __future__ import annotations


class BotError(Exception):
    """Base of every error the bot raises on purpose; ``str()`` is a message fit for a user."""


class ConfigError(BotError):
    """An environment variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


class KnowledgeError(BotError):
    """A knowledge file is malformed; located at file and line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


class UnknownOrganisation(BotError):
    """An organisation id that the knowledge base does not hold."""

    def __init__(self, org: str, known: tuple[str, ...]) -> None:
        self.org = org
        self.known = known
        super().__init__(f"unknown organisation {org!r}; known: {', '.join(known)}")


class InvalidInput(BotError):
    """Input from outside (a question, a form, a JSON line) that cannot be used."""
