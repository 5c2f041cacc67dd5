#!/usr/bin/env python3
"""Smoke test of the ctypes binding (run by scripts/tests.d/capi.sh with $CHILDSAFE_LIBRARY)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import childsafe  # noqa: E402

assert childsafe.version().count(".") == 2
with childsafe.Engine() as engine:
    verdict = engine.classify("how was school today?", sender_age=30, recipient_age=12, lang="en")
    assert list(verdict)[:5] == ["flagged", "risk", "score", "categories", "matches"], verdict
    assert engine.classify("best 13th birthday ideas", context="query")["risk"] in (
        "none", "low", "medium", "high", "critical")
    for bad, status in ((b"\xff", 2), (b"x" * (1024 * 1024 + 1), 3)):
        try:
            engine.classify(bad)
            raise AssertionError("expected an error")
        except childsafe.ChildSafeError as error:
            assert error.status == status, error
    try:
        engine.classify("hi", sender_age=500)
        raise AssertionError("expected an error")
    except childsafe.ChildSafeError as error:
        assert error.status == 5
    url = engine.check_url("http://example.com/")
    assert set(url) >= {"canonical", "blocked", "reason"}, url
    seen = []
    with engine.session("py-1") as session:
        session.on_intervention(seen.append)
        for text in ("hi", "ur so mature, how old r u?", "dont tell ur parents"):
            result = session.add(text, sender="a", sender_age=30, recipient_age=12)
        assert result["conversation"]["messages"] == 3, result
        assert session.verdict()["messages"] == 3
        assert all(iv["audience"] and iv["conversation_id"] == "py-1" for iv in seen), seen
        session.on_intervention(None)
try:
    childsafe.Engine("/nonexistent/rules")
    raise AssertionError("expected an error")
except childsafe.ChildSafeError as error:
    assert error.status == 6 and "/nonexistent/rules" in error.message, error
assert childsafe.defaults()["band"] == "13-15" and childsafe.defaults()["age_assured"] is False
assert childsafe.default_setting("band", 14) in ("13-15",)
print("python binding: ok")
