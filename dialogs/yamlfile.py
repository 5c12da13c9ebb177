"""Reading a YAML content file while remembering which line every value came from.

PyYAML's composer keeps the position of each node; we walk the node tree once to
record ``path → line`` and to refuse duplicate keys (which plain ``safe_load``
silently overwrites), then build the Python data from the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

import yaml

from dialogs.problems import Path, Problem, field_name

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]  # a base chosen at import time (libyaml's C loader when built in) is beyond mypy
    """Safe loading, but dates stay text: the schema parses them, so a 2月30日 gets a field-level message."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlFile:
    """A parsed file: its data and the line of every path in it."""

    name: str
    data: Any
    lines: dict[Path, int]

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def read_yaml(file: FsPath, name: str) -> tuple[YamlFile | None, list[Problem]]:
    """Parse ``file``; on failure return the problems instead of raising."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 1, "(file)", f"not UTF-8 text ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(name, 1, "(file)", f"cannot read: {exc.strerror or exc}")]

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(name, 1, "(document)", "the file is empty")]
        lines: dict[Path, int] = {}
        problems: list[Problem] = []
        _walk(node, (), lines, problems, name)
        if problems:
            return None, problems
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        return None, [Problem(name, line, "(yaml)", f"not valid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, "(yaml)", f"not valid YAML: {exc}")]
    finally:
        loader.dispose()
    return YamlFile(name, data, lines), []


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int], problems: list[Problem], name: str) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(
                    Problem(name, line, field_name(path + (key,)), f"duplicate key (first given on line {seen[key]})")
                )
                continue
            seen[key] = line
            lines[path + (key,)] = line
            _walk(value_node, path + (key,), lines, problems, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, problems, name)
