"""Read a knowledge folder (*.md, *.txt) from disk into policies, or into a list of located problems."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from bot.core.front_matter import FrontMatterSyntaxError
from bot.core.knowledge import Problem, read_policy, validate
from bot.core.models import Policy
from bot.errors import KnowledgeError

logger = logging.getLogger(__name__)

SUFFIXES = (".md", ".txt")


class KnowledgeProblems(KnowledgeError):
    """Every problem found in a knowledge folder, one per line in the message."""

    def __init__(self, folder: str, problems: list[Problem]) -> None:
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(folder, None, f"{len(problems)} problem(s) in the knowledge folder "
                                       f"(run 'python -m bot check'):\n{listing}")


def policy_files(folder: Path) -> list[Path]:
    """The policy files of a folder, sorted; READMEs and hidden files are not policies."""
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "_"))
                  and not p.stem.upper().startswith("README"))


def _scan(folder: Path) -> tuple[list[Policy], list[Problem]]:
    shown = str(folder)
    if not folder.exists():
        return [], [Problem(shown, None, "the knowledge folder does not exist; give a folder of *.md or *.txt "
                                         "policy files (--knowledge DIR or KNOWLEDGE_DIR)")]
    if not folder.is_dir():
        return [], [Problem(shown, None, "is not a folder; give a folder of *.md or *.txt policy files")]
    files = policy_files(folder)
    if not files:
        return [], [Problem(shown, None, "holds no policy files; add one *.md or *.txt file per organisation")]
    policies: list[Policy] = []
    problems: list[Problem] = []
    for path in files:
        source = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(source, None, f"cannot be read ({exc.strerror})"))
            continue
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            problems.append(Problem(source, line, f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                                                  f"{exc.start}); save the file as UTF-8"))
            continue
        policy, found = read_policy(raw, source=source, default_id=path.stem, load=yaml_front_matter)
        problems.extend(found)
        if policy is not None:
            policies.append(policy)
    problems.extend(validate(policies))
    return policies, problems


def yaml_front_matter(front: str) -> object:
    """PyYAML's safe_load, its errors turned into the core's located FrontMatterSyntaxError."""
    try:
        return yaml.load(front, Loader=_NoAliasLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterSyntaxError(mark.line + 1 if mark is not None else None, str(reason)) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. "updated: 2020-02-30", deep nesting
        raise FrontMatterSyntaxError(None, f"{type(exc).__name__}: {exc}"[:200]) from None


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases, which metadata never needs and which can expand hugely."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.constructor.ConstructorError(None, None, "anchors and aliases (*name) are not allowed",
                                                    event.start_mark)
        return super().compose_node(parent, index)


def check_folder(path: Path) -> list[Problem]:
    """Every problem in the folder, located at file and line; empty when it is clean."""
    return _scan(path)[1]


def load_folder(path: Path) -> list[Policy]:
    """All policies of the folder; raises KnowledgeProblems (a KnowledgeError) listing every problem."""
    policies, problems = _scan(path)
    if problems:
        raise KnowledgeProblems(str(path), problems)
    logger.info("loaded %d policies from %s", len(policies), path)
    return policies


def load_policies(path: Path) -> dict[str, Policy]:
    """The folder's policies by id, in file order."""
    return {policy.id: policy for policy in load_folder(path)}
