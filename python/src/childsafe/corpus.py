"""Labelled corpora in JSON Lines (docs/corpus-formats.md), read as `childsafe eval` reads them."""

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple, Union

__all__ = ["LabelledMessage", "LabelledConversation", "Corpus", "CorpusError", "read_corpus", "parse_corpus"]


@dataclass(frozen=True)
class LabelledMessage:
    """One chat message with its labels (empty when benign)."""

    id: str
    text: str
    labels: Tuple[str, ...]
    lang: Optional[str] = None
    #: (file, line) the message was read from, for error messages.
    origin: Optional[Tuple[str, int]] = field(default=None, compare=False)


@dataclass(frozen=True)
class LabelledConversation:
    """One labelled conversation: ``messages`` are ``(from, t, text)``; ``onset`` a 0-based index."""

    id: str
    is_grooming: bool
    onset: Optional[int]
    ages: Dict[str, Optional[int]]
    messages: Tuple[Tuple[str, Optional[float], str], ...]
    lang: Optional[str] = None
    #: (file, line) the conversation was read from, for error messages.
    origin: Optional[Tuple[str, int]] = field(default=None, compare=False)
    #: participants marked "trusted": contacts a parent approved.
    trusted: FrozenSet[str] = frozenset()

    def context(self, index: int) -> Dict[str, Any]:
        """The keyword arguments of :meth:`Conversation.add` for message ``index``: the sender's age,
        in a two-party chat the recipient's, and whether the sender is trusted, as `childsafe eval`
        passes them."""
        sender, t, _ = self.messages[index]
        others = [name for name in self.ages if name != sender]
        return {"sender": sender, "t": t, "lang": self.lang, "sender_age": self.ages.get(sender),
                "recipient_age": self.ages.get(others[0]) if len(others) == 1 else None,
                "sender_trusted": sender in self.trusted}


@dataclass(frozen=True)
class CorpusError:
    """A line that could not be used; never quotes message text."""

    file: Optional[str]
    line: Optional[int]
    code: str
    message: str

    def as_dict(self) -> Dict[str, Any]:
        return {"file": self.file, "line": self.line, "code": self.code, "message": self.message}


@dataclass
class Corpus:
    """Messages and conversations in input order, and one error per unusable line."""

    messages: List[LabelledMessage] = field(default_factory=list)
    conversations: List[LabelledConversation] = field(default_factory=list)
    errors: List[CorpusError] = field(default_factory=list)

    def extend(self, other: "Corpus") -> None:
        self.messages += other.messages
        self.conversations += other.conversations
        self.errors += other.errors


class _Problem(Exception):
    pass


def _identifier(value: Dict[str, Any]) -> str:
    identifier = value.get("id")
    if isinstance(identifier, str) and identifier:
        return identifier
    if isinstance(identifier, int) and not isinstance(identifier, bool):
        return str(identifier)
    raise _Problem('expected "id": a non-empty string')


def _language(value: Dict[str, Any]) -> Optional[str]:
    lang = value.get("lang")
    if lang is None or isinstance(lang, str):
        return lang
    raise _Problem('expected "lang": a language code string')


def _message(value: Dict[str, Any], origin: Tuple[str, int]) -> LabelledMessage:
    identifier = _identifier(value)
    if not isinstance(value.get("text"), str):
        raise _Problem(f'message {identifier}: expected "text": a string')
    labels = value.get("labels")
    if not isinstance(labels, list):
        raise _Problem(f'message {identifier}: expected "labels": an array of category names ([] when benign)')
    unique: List[str] = []
    for label in labels:
        if not isinstance(label, str) or not label:
            raise _Problem(f"message {identifier}: expected every label to be a category name string")
        if label not in unique:
            unique.append(label)
    return LabelledMessage(identifier, value["text"], tuple(unique), _language(value), origin)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and value.is_integer()


def _conversation(value: Dict[str, Any], origin: Tuple[str, int]) -> LabelledConversation:
    identifier = _identifier(value)
    label = value.get("label")
    if label not in ("grooming", "benign"):
        raise _Problem(f'conversation {identifier}: expected "label": "grooming" or "benign"')
    items = value.get("messages")
    if not isinstance(items, list):
        raise _Problem(f'conversation {identifier}: expected "messages": an array')
    messages = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("from"), str) or not isinstance(item.get("text"), str):
            raise _Problem(f'conversation {identifier}: message {index}: expected "from" and "text" strings')
        t = item.get("t")
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float))):
            raise _Problem(f'conversation {identifier}: message {index}: expected "t": a number of seconds')
        messages.append((item["from"], None if t is None else float(t), item["text"]))
    onset = value.get("onset")
    if onset is not None:
        if not _whole(onset) or not 0 <= onset < len(messages):
            raise _Problem(f'conversation {identifier}: expected "onset": null or a message index in '
                           f"0..<{len(messages)}")
        onset = int(onset)
    if label == "benign" and onset is not None:
        raise _Problem(f'conversation {identifier}: a benign conversation has "onset": null')
    ages: Dict[str, Optional[int]] = {}
    trusted: Set[str] = set()
    participants = value.get("participants")
    if isinstance(participants, dict):
        for name, info in participants.items():
            flag = info.get("trusted") if isinstance(info, dict) else None
            if flag is not None and not isinstance(flag, bool):
                raise _Problem(f'conversation {identifier}: participant {name}: expected "trusted": true, false or null')
            if flag:
                trusted.add(name)
            age = info.get("age") if isinstance(info, dict) else None
            if age is not None and (not _whole(age) or not 0 <= age < 150):
                raise _Problem(f'conversation {identifier}: participant {name}: expected "age": null or a whole number')
            ages[name] = None if age is None else int(age)
    return LabelledConversation(identifier, label == "grooming", onset, ages, tuple(messages), _language(value),
                                origin, frozenset(trusted))


def parse_corpus(lines: Iterable[Union[str, bytes]], source: str = "<input>") -> Corpus:
    """Reads JSON Lines: an object with "messages" is a conversation, one with "text" a message.

    Blank lines are skipped; every other line that cannot be used becomes a :class:`CorpusError`
    with its line number, and reading goes on.
    """
    corpus = Corpus()
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                corpus.errors.append(CorpusError(source, number, "invalid_utf8", "line is not valid UTF-8"))
                continue
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip(" \t"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            corpus.errors.append(CorpusError(source, number, "syntax", f"invalid JSON: {error.msg}"))
            continue
        except RecursionError:
            corpus.errors.append(CorpusError(source, number, "syntax", "invalid JSON: nested too deeply"))
            continue
        try:
            if not isinstance(value, dict):
                raise _Problem("expected a JSON object")
            if "messages" in value:
                corpus.conversations.append(_conversation(value, (source, number)))
            elif "text" in value:
                corpus.messages.append(_message(value, (source, number)))
            else:
                raise _Problem('expected a labelled message (with "text" and "labels") or a labelled conversation '
                               '(with "messages", "label" and "onset")')
        except _Problem as problem:
            corpus.errors.append(CorpusError(source, number, "syntax", str(problem)))
    return corpus


def _jsonl_files(directory: str) -> List[str]:
    files = []
    for name in sorted(os.listdir(directory)):
        if name.startswith("."):
            continue
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            files += _jsonl_files(path)
        elif name.endswith(".jsonl"):
            files.append(path)
    return files


def read_corpus(*paths: Union[str, "os.PathLike[str]"]) -> Corpus:
    """Reads files, or every ``*.jsonl`` under directories (recursively, sorted), as `childsafe eval --corpus`.

    An item whose id was already used by an item of the same kind becomes an error, as in the CLI.
    """
    corpus = Corpus()
    for path in (os.fspath(p) for p in paths):
        files = _jsonl_files(path) if os.path.isdir(path) else [path]
        for file in files:
            try:
                with open(file, "rb") as lines:
                    corpus.extend(parse_corpus(lines, source=file))
            except OSError as error:
                corpus.errors.append(CorpusError(file, None, "io", f"{file}: {error.strerror or error}"))
    return _without_duplicate_ids(corpus)


def _without_duplicate_ids(corpus: Corpus) -> Corpus:
    result = Corpus(errors=list(corpus.errors))
    groups: Tuple[Tuple[str, Sequence[Any], List[Any]], ...] = (
        ("message", corpus.messages, result.messages), ("conversation", corpus.conversations, result.conversations))
    for kind, items, kept in groups:
        seen: Dict[str, Optional[Tuple[str, int]]] = {}
        for item in items:
            if item.id in seen:
                first = seen[item.id]
                where = f" (first at {first[0]}:{first[1]})" if first else ""
                file, line = item.origin or (None, None)
                result.errors.append(CorpusError(file, line, "invalid_value",
                                                 f"duplicate {kind} id {item.id}{where}; this one is skipped"))
            else:
                seen[item.id] = item.origin
                kept.append(item)
    return result
