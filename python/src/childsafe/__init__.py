"""ChildSafe for Python: the on-device child-safety filter, through its C library (no compiler needed).

    import childsafe
    with childsafe.Engine(locale="en", country="GB") as engine:      # the embedded rule packs
        engine.check("how old r u?", sender_age=30, recipient_age=12)
        # {'flagged': True, 'risk': 'medium', ..., 'matches': [{'rule': ..., 'start': 0, 'end': 12}], ...}
        with engine.conversation("conv-1") as chat:
            chat.on_intervention(lambda iv: print(iv["audience"], iv["message"]))
            chat.add("ur so mature for ur age", sender="a", sender_age=30, recipient_age=12)
            chat.verdict()                                        # the running conversation verdict
        engine.check_url("http://example.com/")
    childsafe.defaults(12)                                        # age-appropriate default settings
    report = childsafe.evaluate("corpus.jsonl")                   # the figures of `childsafe eval`

Results are dicts with the JSON schemas of the `childsafe` CLI. Errors from the library raise
:class:`ChildSafeError` (``.status``: the ``cs_status`` code, ``.name``, ``.message``). The library
is found through :func:`load_library`'s path, ``$CHILDSAFE_LIBRARY``, the system loader, or
pkg-config; :class:`LibraryNotFoundError` lists what was tried. An :class:`Engine` may be shared
by threads; a :class:`Conversation` is for one thread at a time.
"""

from ._library import library_path, load_library
from .corpus import Corpus, CorpusError, LabelledConversation, LabelledMessage, parse_corpus, read_corpus
from .defaults import default_setting, defaults, version
from .engine import Conversation, Engine, Session, Verdict, check_text, check_url, conversation, default_engine
from .errors import STATUS_NAMES, ChildSafeError, LibraryNotFoundError
from .evaluation import Tally, evaluate, tally_conversations, tally_messages, to_frames

#: Checks one message with the shared default engine: ``childsafe.check("text", sender_age=30)``.
check = check_text
#: Checks one URL with the shared default engine.
url = check_url

__version__ = "0.1.0"

__all__ = [
    "ChildSafeError", "LibraryNotFoundError", "STATUS_NAMES",
    "Engine", "Conversation", "Session", "Verdict", "default_engine", "check", "check_text", "url", "check_url",
    "conversation", "defaults", "default_setting", "version", "load_library", "library_path",
    "Corpus", "CorpusError", "LabelledMessage", "LabelledConversation", "read_corpus", "parse_corpus",
    "Tally", "tally_messages", "tally_conversations", "evaluate", "to_frames",
]
