"""Front matter without a YAML library: flat 'field: value' lines, the subset knowledge files need."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable


class FrontMatterSyntaxError(ValueError):
    """Raised by a front-matter loader: ``line`` counts from the first line inside the '---' fences (1)."""

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(reason)


# Parses the text between the '---' fences; the adapter passes PyYAML's safe_load (wrapped), the core
# keeps a flat 'field: value' reader so that it needs no third-party parser.
FrontMatterLoader = Callable[[str], object]


def flat_front_matter(front: str) -> dict[str, object]:
    """A YAML subset: 'field: value' lines, '[a, b]' or '- item' lists, quotes, null; nothing nested."""
    data: dict[str, object] = {}
    list_key: str | None = None
    for number, line in enumerate(front.split("\n"), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = re.match(r"^\s*-\s+(.*)$", line)
        if item and list_key is not None:
            current = data[list_key]
            values = current if isinstance(current, list) else []
            values.append(_scalar(item.group(1), number))
            data[list_key] = values
            continue
        field = re.match(r"^([A-Za-z_][\w-]*)\s*:(?:\s+(.*))?$", line)
        if not field:
            raise FrontMatterSyntaxError(number, "expected 'field: value'")
        key, value = field.group(1), (field.group(2) or "").strip()
        if key in data:
            raise FrontMatterSyntaxError(number, f"found duplicate key {key!r}")
        list_key = key if not value else None
        if value.startswith("[") and value.endswith("]"):
            inner = value[1:-1].strip()
            data[key] = [_scalar(part, number) for part in inner.split(",")] if inner else []
        else:
            data[key] = _scalar(value, number) if value else None
    return data


def _scalar(value: str, line: int) -> object:
    value = value.strip()
    if value[:1] in "'\"" and len(value) > 1:
        if value[-1] != value[0]:
            raise FrontMatterSyntaxError(line, "found unclosed quotes")
        return value[1:-1]
    if value.casefold() in ("null", "~", ""):
        return None
    if value.casefold() in ("true", "false"):
        return value.casefold() == "true"
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise FrontMatterSyntaxError(line, f"{value!r} is not a real date") from None
    if value[:1] in "[{&*!|>%@`":
        raise FrontMatterSyntaxError(line, f"cannot read {value!r}; quote it")
    return value
