"""ctypes binding to libchildsafe (the ChildSafe C API): no compiler needed.

    import childsafe
    with childsafe.Engine(locale="en", country="GB") as engine:     # embedded default rules
        engine.classify("how old r u?", sender_age=30, recipient_age=12)
        # {'flagged': True, 'risk': 'medium', ..., 'interventions': [{'audience': 'recipient', ...}]}
        with engine.session("conv-1") as chat:
            chat.on_intervention(lambda iv: print(iv["audience"], iv["message"]))   # None: shown
            chat.add("ur so mature for ur age", sender_age=30, recipient_age=12)
            chat.mute("recipient", messages=20)             # "don't show this again here"
            chat.verdict()                                  # running conversation verdict
        engine.check_url("http://example.com/")
    childsafe.defaults(12)                                  # age-appropriate default settings
    childsafe.defaults(band="13-15"); childsafe.defaults(birth_date="2012-03-14", on="2025-03-14")

The library is found through $CHILDSAFE_LIBRARY (a path), then the system's library search
(`make install` puts libchildsafe.so.1 in PREFIX/lib). Results are dicts with the JSON schemas of
the `childsafe` CLI. Errors raise ChildSafeError (with .status, a cs_status code, and .message).
An Engine may be shared by threads; a Session is for one thread at a time.
"""

import ctypes
import ctypes.util
import json
import os

__all__ = ["ChildSafeError", "Engine", "Session", "defaults", "default_setting", "version", "load_library"]

_c_char_pp = ctypes.POINTER(ctypes.c_void_p)  # char ** out-parameters: kept as raw pointers so we can cs_free them


class cs_intervention(ctypes.Structure):
    _fields_ = [(name, ctypes.c_char_p) for name in (
        "audience", "kind", "category", "risk", "message", "signpost_name", "signpost_phone", "signpost_url",
        "conversation_id", "locale", "age_band")]


# The hook returns a cs_intervention_response.
INTERVENTION_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(cs_intervention), ctypes.c_void_p)
RESPONSES = {None: 0, "shown": 0, "acknowledged": 1, "suppressed": 2}
AUDIENCES = {"sender": 0, "recipient": 1, "guardian": 2}


class cs_context(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t), ("sender_age", ctypes.c_int), ("recipient_age", ctypes.c_int),
        ("lang", ctypes.c_char_p), ("conversation_id", ctypes.c_char_p), ("sender_id", ctypes.c_char_p),
        ("timestamp", ctypes.c_double), ("has_timestamp", ctypes.c_int), ("kind", ctypes.c_int),
        ("on_intervention", INTERVENTION_FN), ("on_intervention_ctx", ctypes.c_void_p),
    ]


class cs_engine_options(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t), ("rules_path", ctypes.c_char_p), ("url_lists", ctypes.POINTER(ctypes.c_char_p)),
        ("url_list_count", ctypes.c_size_t), ("url_categories", ctypes.c_char_p),
        ("policy_path", ctypes.c_char_p), ("child", ctypes.c_char_p), ("locale", ctypes.c_char_p),
        ("country", ctypes.c_char_p), ("replace_defaults", ctypes.c_int),
    ]


class ChildSafeError(Exception):
    """A non-zero cs_status from the library."""

    def __init__(self, status, message=None):
        self.status = status
        self.message = message or _lib().cs_status_str(status).decode()
        super().__init__(f"{self.message} (cs_status {status})")


_library = None


def load_library(path=None):
    """Loads libchildsafe (once) and declares the functions' C types."""
    global _library
    if _library is not None and path is None:
        return _library
    path = path or os.environ.get("CHILDSAFE_LIBRARY") or ctypes.util.find_library("childsafe") or "libchildsafe.so.1"
    lib = ctypes.CDLL(path)
    vp, sz, i, cp = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_char_p
    signatures = {
        "cs_version": ([], cp), "cs_version_number": ([], i), "cs_status_str": ([i], cp), "cs_free": ([vp], None),
        "cs_context_init": ([ctypes.POINTER(cs_context)], None),
        "cs_engine_options_init": ([ctypes.POINTER(cs_engine_options)], None),
        "cs_engine_open_ex": ([ctypes.POINTER(cs_engine_options), ctypes.POINTER(vp), _c_char_pp], i),
        "cs_engine_close": ([vp], None),
        "cs_classify_json": ([vp, cp, sz, cp, _c_char_pp], i),
        "cs_session_open": ([vp, cp, ctypes.POINTER(vp)], i), "cs_session_close": ([vp], None),
        "cs_session_set_intervention_hook": ([vp, INTERVENTION_FN, vp], i),
        "cs_session_add_json": ([vp, cp, sz, cp, _c_char_pp], i),
        "cs_session_verdict_json": ([vp, _c_char_pp], i),
        "cs_session_mute": ([vp, i, ctypes.c_double, ctypes.c_long], i),
        "cs_url_check_json": ([vp, cp, sz, _c_char_pp], i),
        "cs_defaults_json": ([i, _c_char_pp], i), "cs_defaults_setting_json": ([i, cp, _c_char_pp], i),
        "cs_defaults_band_json": ([cp, _c_char_pp], i), "cs_defaults_birth_date_json": ([cp, cp, _c_char_pp], i),
    }
    for name, (args, result) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = args
        function.restype = result
    _library = lib
    return lib


def _lib():
    return load_library()


def _take_string(pointer):
    """Copies a library-owned C string and frees it with cs_free()."""
    if not pointer:
        return None
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        _lib().cs_free(pointer)


def _call_json(function, *args):
    out = ctypes.c_void_p()
    status = function(*args, ctypes.byref(out))
    if status != 0:
        raise ChildSafeError(status)
    return json.loads(_take_string(out.value))


def _utf8(text):
    return text if isinstance(text, bytes) else text.encode("utf-8")


def _context_json(sender_age=None, recipient_age=None, lang=None, conversation=None, sender=None, t=None,
                  context=None):
    fields = {"sender_age": sender_age, "recipient_age": recipient_age, "lang": lang, "conversation": conversation,
              "from": sender, "t": t, "context": context}
    fields = {k: v for k, v in fields.items() if v is not None}
    return json.dumps(fields).encode("utf-8") if fields else None


def version():
    return _lib().cs_version().decode()


class Engine:
    """An immutable classifier + interventions + URL filter; thread-safe. rules_path None: the
    embedded rules (a directory extends them; replace_defaults=True uses it alone). policy: a
    family policy file (child: whose settings apply); locale and country: of safety messages."""

    def __init__(self, rules_path=None, url_lists=(), url_categories=None, policy=None, child=None, locale=None,
                 country=None, replace_defaults=False):
        lib = _lib()
        options = cs_engine_options()
        lib.cs_engine_options_init(ctypes.byref(options))
        options.rules_path = _utf8(rules_path) if rules_path else None
        paths = [_utf8(p) for p in url_lists]
        array = (ctypes.c_char_p * len(paths))(*paths) if paths else None
        options.url_lists = ctypes.cast(array, ctypes.POINTER(ctypes.c_char_p)) if array else None
        options.url_list_count = len(paths)
        options.url_categories = _utf8(",".join(url_categories)) if url_categories is not None else None
        options.policy_path = _utf8(policy) if policy else None
        options.child = _utf8(child) if child else None
        options.locale = _utf8(locale) if locale else None
        options.country = _utf8(country) if country else None
        options.replace_defaults = 1 if replace_defaults else 0
        handle, err = ctypes.c_void_p(), ctypes.c_void_p()
        status = lib.cs_engine_open_ex(ctypes.byref(options), ctypes.byref(handle), ctypes.byref(err))
        if status != 0:
            raise ChildSafeError(status, _take_string(err.value))
        self._handle = handle

    def close(self):
        if self._handle:
            _lib().cs_engine_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def classify(self, text, **context):
        """Verdict on one message (with "interventions" when it calls for any). Context keywords:
        sender_age, recipient_age, lang, conversation, sender, t, context ("chat" or "query")."""
        data = _utf8(text)
        return _call_json(_lib().cs_classify_json, self._handle, data, len(data), _context_json(**context))

    def check_url(self, url):
        data = _utf8(url)
        return _call_json(_lib().cs_url_check_json, self._handle, data, len(data))

    def session(self, conversation_id=None):
        return Session(self, conversation_id)


class Session:
    """One conversation, fed messages in order. One thread at a time."""

    def __init__(self, engine, conversation_id=None):
        self._engine = engine  # keeps the Python engine object alive too
        self._hook = None
        handle = ctypes.c_void_p()
        status = _lib().cs_session_open(engine._handle, _utf8(conversation_id) if conversation_id else None,
                                        ctypes.byref(handle))
        if status != 0:
            raise ChildSafeError(status)
        self._handle = handle

    def on_intervention(self, callback):
        """callback(dict) is called with each intervention (audience, kind, category, risk, message,
        signpost_name, signpost_phone, signpost_url, conversation_id, locale, age_band) that rate
        limiting lets through; None removes it. The callback may return "shown" (or None),
        "acknowledged" or "suppressed" (not shown: it does not hold back the next one)."""
        if callback is None:
            self._hook = None
            status = _lib().cs_session_set_intervention_hook(self._handle, INTERVENTION_FN(), None)
        else:
            def trampoline(pointer, _ctx):
                record = pointer.contents
                answer = callback({name: (getattr(record, name) or b"").decode() or None
                                   for name, _ in cs_intervention._fields_})
                return RESPONSES.get(answer, 0)
            self._hook = INTERVENTION_FN(trampoline)  # must outlive the session's use of it
            status = _lib().cs_session_set_intervention_hook(self._handle, self._hook, None)
        if status != 0:
            raise ChildSafeError(status)

    def add(self, text, **context):
        """Adds the next message; returns its verdict with the running "conversation" verdict."""
        data = _utf8(text)
        return _call_json(_lib().cs_session_add_json, self._handle, data, len(data), _context_json(**context))

    def verdict(self):
        return _call_json(_lib().cs_session_verdict_json, self._handle)

    def mute(self, audience, seconds=0, messages=0):
        """Holds back interventions for "sender", "recipient" or "guardian" in this conversation for
        `messages` messages and (with timestamps) `seconds`; both 0 unmutes."""
        if audience not in AUDIENCES:
            raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
        status = _lib().cs_session_mute(self._handle, AUDIENCES[audience], float(seconds), int(messages))
        if status != 0:
            raise ChildSafeError(status)

    def close(self):
        if self._handle:
            _lib().cs_session_close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def defaults(age=None, band=None, birth_date=None, on=None):
    """The default settings as a dict, for an age (None: unknown age), a band ("0-5" ... "18+") or a
    birth date "YYYY-MM-DD" counted on `on` (default: today)."""
    if sum(x is not None for x in (age, band, birth_date)) > 1:
        raise ValueError("give only one of age, band and birth_date")
    if band is not None:
        return _call_json(_lib().cs_defaults_band_json, _utf8(band))
    if birth_date is not None:
        return _call_json(_lib().cs_defaults_birth_date_json, _utf8(birth_date), _utf8(on) if on else None)
    return _call_json(_lib().cs_defaults_json, -1 if age is None else age)


def default_setting(name, age=None):
    """One default setting's value for an age; ChildSafeError with status 10 when unknown."""
    return _call_json(_lib().cs_defaults_setting_json, -1 if age is None else age, _utf8(name))
