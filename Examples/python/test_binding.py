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
    url = engine.check_url("http://Example.COM/a/./b/../c")
    assert url["canonical"] == "http://example.com/a/c" and url["blocked"] is False, url
    flagged = engine.classify("this is just between us ok, dont tell ur mom", sender_age=30, recipient_age=12)
    assert flagged["flagged"] and "secrecy" in flagged["categories"], flagged
    assert [iv["audience"] for iv in flagged["interventions"]] == ["sender", "recipient", "guardian"], flagged
    assert "between us" not in str(flagged)

    def run(answer):
        seen = []

        def hook(iv):
            seen.append(iv)
            return answer

        with engine.session("py-1") as session:
            session.on_intervention(hook)
            for text in ("hi", "ur so mature, how old r u?", "dont tell ur parents", "this is our secret ok",
                         "add me on snap instead"):
                result = session.add(text, sender="a", sender_age=30, recipient_age=12)
            assert result["conversation"]["messages"] == 5 and result["conversation"]["flagged"], result
            assert session.verdict()["messages"] == 5
            session.mute("recipient", messages=10)
            try:
                session.mute("nobody")
                raise AssertionError("expected an error")
            except ValueError:
                pass
            session.on_intervention(None)
        assert seen and all(iv["conversation_id"] == "py-1" and iv["locale"] for iv in seen), seen
        assert all(("mature" not in iv["message"]) and ("secret ok" not in iv["message"]) for iv in seen)
        return len(seen)

    shown, suppressed = run(None), run("suppressed")
    assert suppressed > shown > 0, (shown, suppressed)
with childsafe.Engine(locale="es", country="ES") as engine:
    result = engine.classify("esto es nuestro secreto, no le digas a tu mama", sender_age=30, recipient_age=12)
    assert all(iv["message"] for iv in result.get("interventions", [])), result
try:
    childsafe.Engine(country="Spain")
    raise AssertionError("expected an error")
except childsafe.ChildSafeError as error:
    assert error.status == 5 and "Spain" in error.message, error
try:
    childsafe.Engine("/nonexistent/rules")
    raise AssertionError("expected an error")
except childsafe.ChildSafeError as error:
    assert error.status == 6 and "/nonexistent/rules" in error.message, error
assert childsafe.defaults()["band"] == "13-15" and childsafe.defaults()["age_assured"] is False
assert childsafe.default_setting("band", 14) == "13-15"
assert childsafe.default_setting("quiet_hours", 14) == {"start": "21:00", "end": "07:00"}
assert childsafe.defaults(band="16-17")["quiet_hours"] == {"start": "22:00", "end": "07:00"}
assert childsafe.defaults(birth_date="2012-03-14", on="2025-03-13")["band"] == "10-12"
assert childsafe.defaults(birth_date="2012-03-14", on="2025-03-14")["band"] == "13-15"
try:
    childsafe.defaults(band="12-14")
    raise AssertionError("expected an error")
except childsafe.ChildSafeError as error:
    assert error.status == 5
print("python binding: ok")
