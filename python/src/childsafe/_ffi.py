"""The C structs and callback type of childsafe.h, as ctypes declares them."""

import ctypes

__all__ = ["cs_intervention", "cs_context", "cs_engine_options", "cs_match", "cs_verdict", "INTERVENTION_FN"]


class cs_intervention(ctypes.Structure):
    """One intervention handed to a hook (``cs_intervention`` in childsafe.h)."""

    _fields_ = [(name, ctypes.c_char_p) for name in (
        "audience", "kind", "category", "risk", "message", "signpost_name", "signpost_phone", "signpost_url",
        "conversation_id", "locale", "age_band")]


#: ``cs_intervention_fn``: returns a ``cs_intervention_response``.
INTERVENTION_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(cs_intervention), ctypes.c_void_p)


class cs_context(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t), ("sender_age", ctypes.c_int), ("recipient_age", ctypes.c_int),
        ("lang", ctypes.c_char_p), ("conversation_id", ctypes.c_char_p), ("sender_id", ctypes.c_char_p),
        ("timestamp", ctypes.c_double), ("has_timestamp", ctypes.c_int), ("kind", ctypes.c_int),
        ("on_intervention", INTERVENTION_FN), ("on_intervention_ctx", ctypes.c_void_p),
        ("sender_trusted", ctypes.c_int),
    ]


class cs_engine_options(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_size_t), ("rules_path", ctypes.c_char_p), ("url_lists", ctypes.POINTER(ctypes.c_char_p)),
        ("url_list_count", ctypes.c_size_t), ("url_categories", ctypes.c_char_p),
        ("policy_path", ctypes.c_char_p), ("child", ctypes.c_char_p), ("locale", ctypes.c_char_p),
        ("country", ctypes.c_char_p), ("replace_defaults", ctypes.c_int),
    ]


class cs_match(ctypes.Structure):
    _fields_ = [("rule", ctypes.c_char_p), ("category", ctypes.c_char_p), ("weight", ctypes.c_double),
                ("start", ctypes.c_size_t), ("end", ctypes.c_size_t)]


class cs_verdict(ctypes.Structure):
    _fields_ = [("flagged", ctypes.c_int), ("risk", ctypes.c_int), ("score", ctypes.c_double),
                ("category_count", ctypes.c_size_t), ("categories", ctypes.POINTER(ctypes.c_char_p)),
                ("match_count", ctypes.c_size_t), ("matches", ctypes.POINTER(cs_match))]
