"""Safe, fast YAML reading that keeps line numbers for error messages.

PyYAML's composer builds a node object (and two marks) for every scalar: on a file of
240,000 values that alone takes over 2 s. This module builds plain Python values straight from
libyaml's event stream instead, which is several times faster, and never constructs arbitrary
objects: tags, anchors and aliases are refused. Plain scalars resolve to int, float, bool, null
or str; quoted scalars are always str. Line numbers are recovered only when an error needs
one, by a second pass (`locate`).
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass

import yaml
from yaml.cyaml import CParser
from yaml.reader import ReaderError
from yaml.resolver import BaseResolver

# About 2x the largest bundled file (wgi.yaml, 2.1 MB with every WGI economy; each WGI update
# adds about 4%); a broken file this big is reported in about 1 s of CPU
MAX_BYTES = 4 * 1024 * 1024
# Deepest nesting of mappings and lists accepted; the data files need 5. libyaml slows down
# quadratically with flow nesting depth (100,000 `[` take 20 s), so parsing stops past this.
MAX_DEPTH = 32

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?(?:[Tt ].*)?\Z")
_SPECIAL = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
    ".NaN": float("nan"),
}


@dataclass(frozen=True)
class Problem:
    """A problem found while reading: 1-based line, dotted field path, message."""

    line: int | None
    field: str
    message: str


class _PlainResolver(BaseResolver):
    # Resolution happens in `_scalar`; skipping PyYAML's regex resolver saves a third of the time.
    def resolve(self, kind, value, implicit):
        return ""


class _EventLoader(CParser, _PlainResolver):
    def __init__(self, stream):
        CParser.__init__(self, stream)
        _PlainResolver.__init__(self)


def _scalar(event):
    value = event.value
    if event.style:  # quoted or block scalar: always a string
        return value
    if value in _SPECIAL:
        return _SPECIAL[value]
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            try:
                return int(value)
            except ValueError:  # over 4,300 digits (Python's limit): far beyond any float
                return float(value)
        if _FLOAT.match(value):
            return float(value)
    return value


# Keys are named in messages only when they are short plain names (letters, digits, _ and -) or
# moderate numbers; any other key reads "(key)", so that no arbitrary text of a file (markup, a
# line of a file a symlink pointed to, a 1 MB key) is ever repeated in a message.
_NAMED_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}\Z")
UNNAMED_KEY = "(key)"


def key_text(key) -> str:
    """A key as messages name it: itself when plainly safe to repeat, else "(key)"."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return str(key) if -(10**12) < key < 10**12 else UNNAMED_KEY
    if isinstance(key, float):
        text = repr(key)
        return text if len(text) <= 24 else UNNAMED_KEY
    if isinstance(key, str) and (_NAMED_KEY.match(key) or key == "[key]"):  # pydantic's marker
        return key
    return UNNAMED_KEY


def path_text(path) -> str:
    return ".".join(key_text(p) for p in path) if path else "(top level)"


def parse(text: str) -> tuple[object, list[Problem]]:
    """Parse one YAML document into plain values. Returns (value, problems).

    Problems are duplicate keys, unquoted dates, tags, anchors/aliases, non-scalar keys and a
    second document (parsing stops there). YAML syntax errors, characters YAML does not allow
    and nesting deeper than `MAX_DEPTH` raise `YamlSyntaxError`.
    """
    problems: list[Problem] = []
    stack: list = []  # containers under construction
    keys: list = []  # pending key per mapping level (None when a key is expected)
    root = None
    documents = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small allocations; no cycles are created here
    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.tag is not None and event.tag != "!":
                    problems.append(_problem(event, stack, keys, _NO_TAGS))
                if event.anchor is not None:
                    problems.append(_problem(event, stack, keys, "anchors (&) are not allowed"))
                value = _scalar(event)
                if not event.style and isinstance(value, str) and _DATE.match(value):
                    problems.append(_problem(event, stack, keys, _quote_date(value)))
                if _add(stack, keys, value, event, problems):
                    root = value
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise YamlSyntaxError(
                        event.start_mark.line + 1,
                        f"mappings and lists nested more than {MAX_DEPTH} levels deep "
                        "are not allowed",
                    )
                if event.tag is not None:
                    problems.append(_problem(event, stack, keys, _NO_TAGS))
                if event.anchor is not None:
                    problems.append(_problem(event, stack, keys, "anchors (&) are not allowed"))
                container = {} if kind is yaml.MappingStartEvent else []
                if _add(stack, keys, container, event, problems):
                    root = container
                stack.append(container)
                keys.append(_NOKEY)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                keys.pop()
                if keys:
                    keys[-1] = _NOKEY
            elif kind is yaml.AliasEvent:
                problems.append(_problem(event, stack, keys, "aliases (*) are not allowed"))
                _add(stack, keys, None, event, problems)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem(
                            event.start_mark.line + 1,
                            "(top level)",
                            "only one YAML document is allowed per file (found a second one)",
                        )
                    )
                    break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # libyaml may mark the end of a text that lacks its final newline one line further on
        line = min(mark.line + 1, text.count("\n") + 1) if mark else None
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise YamlSyntaxError(line, f"YAML syntax error: {message}") from None
    except ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        # libyaml reports the byte offset into the UTF-8 text.
        line = text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1
        message = f"character {exc.character:#06x} is not allowed: {exc.reason}"
        raise YamlSyntaxError(line, f"YAML error: {message}") from None
    except yaml.YAMLError as exc:  # no message text: it could quote the file
        raise YamlSyntaxError(None, f"YAML error ({type(exc).__name__})") from None
    finally:
        if gc_was_enabled:
            gc.enable()
    return root, problems


_NO_TAGS = "tags (!, !!) are not allowed"
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?\Z")


def _quote_date(value: str) -> str:
    # A plain date is repeated (digits and dashes only); anything longer is not.
    example = value if _PLAIN_DATE.match(value) else "2024-01-31"
    return f'write dates in quotes, for example "{example}"'


class _NoKey:
    __slots__ = ()


_NOKEY = _NoKey()


def _add(stack, keys, value, event, problems) -> bool:
    """Attach a value to the open container; True when it is the document root."""
    if not stack:
        return True
    parent = stack[-1]
    if type(parent) is list:
        parent.append(value)
        return False
    key = keys[-1]
    if key is _NOKEY:
        if isinstance(value, dict | list):
            problems.append(_problem(event, stack, keys, "keys must be plain values"))
            value = repr(value)
        if value in parent:
            named = key_text(value)
            shown = (
                "" if named == UNNAMED_KEY else " " + (repr(value) if type(value) is str else named)
            )
            problems.append(_problem(event, stack, keys, f"duplicate key{shown}", key_of=value))
        keys[-1] = value
        return False
    parent[key] = value
    if not isinstance(value, dict | list):  # a container keeps its key until it ends
        keys[-1] = _NOKEY
    return False


def _problem(event, stack, keys, message, key_of=None) -> Problem:
    # The field path is rebuilt from the open keys only for messages (rare), not per event.
    path = [k for k in keys[:-1] if k is not _NOKEY and not isinstance(k, _NoKey)]
    if key_of is not None:
        path.append(key_of)
    elif keys and keys[-1] is not _NOKEY:
        path.append(keys[-1])
    return Problem(event.start_mark.line + 1, path_text(path), message)


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def locate(text: str, wanted: set[tuple]) -> dict[tuple, int]:
    """1-based line of each wanted path (a tuple of keys / list indexes) in the document.

    A path that ends at a missing key resolves to the nearest existing parent. The scan stops
    once every wanted path is found (the first occurrence counts), so locating a line near the
    top of a big file does not read all of it.
    """
    lines: dict[tuple, int] = {}
    if not wanted:
        return lines
    prefixes = {p[:i] for p in wanted for i in range(len(p) + 1)}
    pending = set(wanted)
    path: list = []
    frames: list = []  # per open container: [is_mapping, expecting_key, next_index]
    try:
        for event in yaml.parse(text, Loader=_EventLoader):
            kind = type(event)
            if kind is yaml.DocumentEndEvent:  # `parse` reads only the first document
                break
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                frames.pop()
                if path:
                    path.pop()
                if frames and frames[-1][0]:
                    frames[-1][1] = True
                continue
            if not frames:
                lines.setdefault((), event.start_mark.line + 1)
                pending.discard(())
                if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                    frames.append([kind is yaml.MappingStartEvent, True, 0])
                continue
            frame = frames[-1]
            if frame[0] and frame[1]:  # this event is a key
                key = _scalar(event) if kind is yaml.ScalarEvent else None
                here = (*path, key)
                if here in prefixes:
                    lines.setdefault(here, event.start_mark.line + 1)
                    pending.discard(here)
                    if not pending:
                        break
                path.append(key)
                frame[1] = False
                if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                    frames.append([kind is yaml.MappingStartEvent, True, 0])
                continue
            if not frame[0]:
                path.append(frame[2])
                frame[2] += 1
                here = tuple(path)
                if here in prefixes:
                    lines.setdefault(here, event.start_mark.line + 1)
                    pending.discard(here)
                    if not pending:
                        break
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                frames.append([kind is yaml.MappingStartEvent, True, 0])
            else:
                path.pop()
                if frame[0]:
                    frame[1] = True
    except yaml.YAMLError:
        pass
    result = {}
    for p in wanted:
        for i in range(len(p), -1, -1):
            if p[:i] in lines:
                result[p] = lines[p[:i]]
                break
    return result
