"""Engines (classifier, interventions, URL filter) and conversations."""

import ctypes
import json
import os
import threading
from typing import Any, Callable, Dict, Iterable, Optional, Tuple, Union

from ._calls import Text, call_json, check, optional_utf8, take_string, utf8
from ._ffi import INTERVENTION_FN, cs_context, cs_engine_options, cs_intervention, cs_verdict
from ._library import library
from .errors import ChildSafeError

__all__ = ["Engine", "Conversation", "Session", "Verdict", "InterventionHook", "default_engine", "check_text",
           "check_url", "conversation"]

#: A verdict or result as a dict, with the JSON schema of the matching `childsafe` CLI output.
Verdict = Dict[str, Any]
#: Called with each intervention; returns "shown" (or None), "acknowledged" or "suppressed".
InterventionHook = Callable[[Dict[str, Optional[str]]], Optional[str]]
PathLike = Union[str, "os.PathLike[str]"]

_RESPONSES = {None: 0, "shown": 0, "acknowledged": 1, "suppressed": 2}
_INTERVENTION_FIELDS = [field[0] for field in cs_intervention._fields_]
_RISKS = ("none", "low", "medium", "high", "critical")
_AUDIENCES = {"sender": 0, "recipient": 1, "guardian": 2}
_URL_ALLOW_INVALID = 1  # CS_URL_ALLOW_INVALID


def _context_json(sender_age: Optional[int] = None, recipient_age: Optional[int] = None, lang: Optional[str] = None,
                  conversation: Optional[str] = None, sender: Optional[str] = None, t: Optional[float] = None,
                  context: Optional[str] = None, sender_trusted: bool = False) -> Optional[bytes]:
    fields = {"sender_age": sender_age, "recipient_age": recipient_age, "lang": lang, "conversation": conversation,
              "from": sender, "t": t, "context": context, "sender_trusted": True if sender_trusted else None}
    present = {key: value for key, value in fields.items() if value is not None}
    return json.dumps(present).encode("utf-8") if present else None


class Engine:
    """An immutable classifier with its interventions and URL filter.

    One engine may be shared by any number of threads. Close it with :meth:`close` or a ``with``
    block (it is also closed when garbage-collected).

    Args:
        rules_path: a rules directory laid over the embedded rule packs (None: the embedded packs).
        url_lists: URL list files used with the embedded sample lists.
        url_categories: URL categories to block (None: all).
        policy: a family policy file; ``child`` picks whose settings apply.
        locale: language of safety messages (e.g. "es"); country: ISO code of signposted helplines.
        replace_defaults: use only ``rules_path``, without the embedded packs.
        models: model files from ``childsafe train`` combined with the rules (at most one per level;
            see docs/model.md); verdicts then carry the model's part ("model", "model_score").
        rate_limit: ``(seconds, messages)``: after an intervention, a conversation's same audience gets
            another only once both have passed (message time, ``t``), or sooner when the risk rises.
            None: the library's default, (300, 10); ``(0, 0)``: no rate limiting.
        library: path of libchildsafe to load when none is loaded yet (see :func:`load_library`).

    Raises:
        ChildSafeError: bad rules or policy (status 4 or 5, with file:line:column), unreadable files (6),
            a damaged or foreign model file (7).
    """

    def __init__(self, rules_path: Optional[PathLike] = None, url_lists: Iterable[PathLike] = (),
                 url_categories: Optional[Iterable[str]] = None, policy: Optional[PathLike] = None,
                 child: Optional[str] = None, locale: Optional[str] = None, country: Optional[str] = None,
                 replace_defaults: bool = False, models: Iterable[PathLike] = (),
                 rate_limit: Optional[Tuple[float, int]] = None, library: Optional[str] = None) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        if library is not None:
            from ._library import load_library

            load_library(library)
        lib = _lib()
        options = cs_engine_options()
        lib.cs_engine_options_init(ctypes.byref(options))
        options.rules_path = optional_utf8(rules_path)
        paths = [optional_utf8(p) for p in url_lists]
        array = (ctypes.c_char_p * len(paths))(*paths) if paths else None
        options.url_lists = ctypes.cast(array, ctypes.POINTER(ctypes.c_char_p)) if array is not None else None
        options.url_list_count = len(paths)
        options.url_categories = utf8(",".join(url_categories)) if url_categories is not None else None
        options.policy_path = optional_utf8(policy)
        options.child = optional_utf8(child)
        options.locale = optional_utf8(locale)
        options.country = optional_utf8(country)
        options.replace_defaults = 1 if replace_defaults else 0
        handle, message = ctypes.c_void_p(), ctypes.c_void_p()
        status = lib.cs_engine_open_ex(ctypes.byref(options), ctypes.byref(handle), ctypes.byref(message))
        if status != 0:
            raise ChildSafeError(status, take_string(message.value))
        for model in models:
            hybrid, message = ctypes.c_void_p(), ctypes.c_void_p()
            status = lib.cs_engine_with_model(handle, utf8(os.fspath(model)), ctypes.byref(hybrid), ctypes.byref(message))
            lib.cs_engine_close(handle)
            if status != 0:
                raise ChildSafeError(status, take_string(message.value))
            handle = hybrid
        if rate_limit is not None:
            seconds, messages = rate_limit
            limited, message = ctypes.c_void_p(), ctypes.c_void_p()
            status = lib.cs_engine_with_rate_limit(handle, float(seconds), int(messages), ctypes.byref(limited),
                                                   ctypes.byref(message))
            lib.cs_engine_close(handle)
            if status != 0:
                raise ChildSafeError(status, take_string(message.value))
            handle = limited
        self._handle = handle
        self.rules_path = os.fspath(rules_path) if rules_path is not None else None
        self.replace_defaults = replace_defaults

    def close(self) -> None:
        """Releases the engine. Conversations opened from it keep it alive until they are closed."""
        if self._handle:
            _lib().cs_engine_close(self._handle)
            self._handle = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def _open_handle(self) -> ctypes.c_void_p:
        if not self._handle:
            raise ChildSafeError(1, "the engine is closed")
        return self._handle

    def check(self, text: Text, *, sender_age: Optional[int] = None, recipient_age: Optional[int] = None,
              lang: Optional[str] = None, conversation: Optional[str] = None, sender: Optional[str] = None,
              t: Optional[float] = None, context: Optional[str] = None, sender_trusted: bool = False) -> Verdict:
        """The verdict on one message: ``flagged``, ``risk``, ``score``, ``categories``, ``matches``
        (rule, category, byte span) and ``interventions`` when the verdict calls for any.

        ``context`` is "chat" (default) or "query" (a search box). Ages are whole years (None:
        unknown). ``sender_trusted``: the sender is a contact a parent approved, whose meeting
        plans and compliments are not signals. Raises ChildSafeError: status 2 for invalid UTF-8,
        3 past 1 MiB, 5 for a bad age.
        """
        data = utf8(text)
        return call_json(_lib().cs_classify_json, self._open_handle(), data, len(data),
                         _context_json(sender_age, recipient_age, lang, conversation, sender, t, context,
                                       sender_trusted))

    def check_exact(self, text: Text, *, lang: Optional[str] = None, query: bool = False) -> Verdict:
        """``flagged``, ``risk``, ``score``, ``categories`` and ``matches`` (rule, category, weight,
        start, end) of one message, with the score unrounded (the JSON of :meth:`check` rounds it
        to four decimals). Used by :func:`childsafe.evaluate` so that score thresholds are exact."""
        lib = _lib()
        data = utf8(text)
        context = cs_context()
        lib.cs_context_init(ctypes.byref(context))
        context.lang = optional_utf8(lang)
        context.kind = 1 if query else 0
        out, message = ctypes.POINTER(cs_verdict)(), ctypes.c_void_p()
        status = lib.cs_classify(self._open_handle(), data, len(data), ctypes.byref(context), ctypes.byref(out),
                                 ctypes.byref(message))
        if status != 0:
            raise ChildSafeError(status, take_string(message.value))
        try:
            v = out.contents
            return {
                "flagged": bool(v.flagged), "risk": _RISKS[v.risk], "score": v.score,
                "categories": [v.categories[i].decode("utf-8") for i in range(v.category_count)],
                "matches": [{"rule": m.rule.decode("utf-8"), "category": m.category.decode("utf-8"),
                             "weight": m.weight, "start": m.start, "end": m.end}
                            for m in (v.matches[i] for i in range(v.match_count))],
            }
        finally:
            lib.cs_free(out)

    #: The same as :meth:`check` (the name of earlier versions of this binding).
    classify = check

    def check_url(self, url: Text, *, allow_invalid: bool = False) -> Verdict:
        """The URL filter's verdict: ``canonical``, ``host``, ``blocked``, ``category``, ``list``,
        ``rule``, ``reason``. A URL that cannot be parsed is blocked unless ``allow_invalid``."""
        data = utf8(url)
        if allow_invalid:
            return call_json(_lib().cs_url_check_json_ex, self._open_handle(), data, len(data),
                             _URL_ALLOW_INVALID)
        return call_json(_lib().cs_url_check_json, self._open_handle(), data, len(data))

    url = check_url

    def conversation(self, conversation_id: Optional[str] = None) -> "Conversation":
        """A new conversation tracker (one thread at a time) for messages fed in order."""
        return Conversation(self, conversation_id)

    session = conversation


class Conversation:
    """One conversation, fed its messages in order; keeps the running conversation verdict.

    Use from one thread at a time. Close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, engine: Engine, conversation_id: Optional[str] = None) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        self._engine = engine  # keeps the engine open while the conversation lives
        self._hook: Optional[Any] = None
        self.id = conversation_id
        handle = ctypes.c_void_p()
        check(_lib().cs_session_open(engine._open_handle(), optional_utf8(conversation_id), ctypes.byref(handle)))
        self._handle = handle

    def _open_handle(self) -> ctypes.c_void_p:
        if not self._handle:
            raise ChildSafeError(1, "the conversation is closed")
        return self._handle

    def on_intervention(self, callback: Optional[InterventionHook]) -> None:
        """Calls ``callback(intervention)`` for each intervention rate limiting lets through.

        The dict has audience, kind, category, risk, message, signpost_name, signpost_phone,
        signpost_url, conversation_id, locale and age_band. The callback returns "shown" (or
        None), "acknowledged" or "suppressed" (not shown: the next one is not held back).
        None removes the hook. An exception in the callback counts as "shown" and is re-raised
        by the call that triggered it.
        """
        if callback is None:
            self._hook = None
            check(_lib().cs_session_set_intervention_hook(self._open_handle(), INTERVENTION_FN(), None))
            return
        self._pending: Optional[BaseException] = None

        def trampoline(pointer: Any, _context: Any) -> int:
            record = pointer.contents
            fields = {name: (getattr(record, name) or b"").decode("utf-8") or None for name in _INTERVENTION_FIELDS}
            try:
                return _RESPONSES.get(callback(fields), 0)
            except BaseException as error:  # noqa: BLE001 - re-raised after the C call returns
                self._pending = error
                return 0

        self._hook = INTERVENTION_FN(trampoline)  # must outlive the library's use of it
        check(_lib().cs_session_set_intervention_hook(self._open_handle(), self._hook, None))

    def _raise_pending(self) -> None:
        error = getattr(self, "_pending", None)
        if error is not None:
            self._pending = None
            raise error

    def add(self, text: Text, *, sender_age: Optional[int] = None, recipient_age: Optional[int] = None,
            lang: Optional[str] = None, sender: Optional[str] = None, t: Optional[float] = None,
            context: Optional[str] = None, sender_trusted: bool = False) -> Verdict:
        """Adds the next message; returns its verdict with the running ``conversation`` verdict.

        ``sender`` identifies who wrote it, ``t`` is seconds since the conversation started;
        ``sender_trusted`` as in :meth:`Engine.check`.
        """
        data = utf8(text)
        result = call_json(_lib().cs_session_add_json, self._open_handle(), data, len(data),
                           _context_json(sender_age, recipient_age, lang, None, sender, t, context,
                                         sender_trusted))
        self._raise_pending()
        return result

    def verdict(self) -> Verdict:
        """The running conversation verdict: flagged, risk, score, categories, messages, flagged_at, ..."""
        return call_json(_lib().cs_session_verdict_json, self._open_handle())

    def mute(self, audience: str, seconds: float = 0, messages: int = 0) -> None:
        """Holds back interventions for "sender", "recipient" or "guardian" in this conversation for
        ``messages`` messages and (with timestamps) ``seconds``; both 0 unmutes."""
        if audience not in _AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(_AUDIENCES)}, not {audience!r}")
        check(_lib().cs_session_mute(self._open_handle(), _AUDIENCES[audience], float(seconds), int(messages)))

    def close(self) -> None:
        if self._handle:
            _lib().cs_session_close(self._handle)
            self._handle = None

    def __enter__(self) -> "Conversation":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


#: The name of earlier versions of this binding.
Session = Conversation

_default_engine: Optional[Engine] = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """A shared engine with the embedded rules, opened on first use (for quick checks and notebooks)."""
    global _default_engine
    with _default_lock:
        if _default_engine is None:
            _default_engine = Engine()
        return _default_engine


def check_text(text: Text, **context: Any) -> Verdict:
    """:meth:`Engine.check` on the shared default engine."""
    return default_engine().check(text, **context)


def check_url(url: Text, **options: Any) -> Verdict:
    """:meth:`Engine.check_url` on the shared default engine."""
    return default_engine().check_url(url, **options)


def conversation(conversation_id: Optional[str] = None) -> Conversation:
    """A conversation on the shared default engine."""
    return default_engine().conversation(conversation_id)


def _lib() -> ctypes.CDLL:
    return library()
