"""The engine, conversations, URL checks and defaults through the C library."""

import threading

import pytest

import childsafe


def test_version_is_semantic(engine):
    assert childsafe.version().count(".") == 2


def test_verdict_has_the_cli_schema_and_explains_itself(engine):
    text = "this is just between us ok, dont tell ur mom"
    verdict = engine.check(text, sender_age=30, recipient_age=12)
    assert list(verdict)[:5] == ["flagged", "risk", "score", "categories", "matches"]
    assert verdict["flagged"] and "secrecy" in verdict["categories"]
    match = verdict["matches"][0]
    assert text.encode()[match["start"]:match["end"]]  # a byte span within the text
    assert [iv["audience"] for iv in verdict["interventions"]] == ["sender", "recipient", "guardian"]
    assert "between us" not in str(verdict)  # never echoes the message


def test_exact_verdict_agrees_with_the_json_one(engine):
    text = "send me a pic of you, dont tell anyone"
    exact, rounded = engine.check_exact(text, lang="en"), engine.check(text, lang="en")
    assert exact["categories"] == rounded["categories"] and exact["risk"] == rounded["risk"]
    assert round(exact["score"], 4) == pytest.approx(rounded["score"])
    assert [m["rule"] for m in exact["matches"]] == [m["rule"] for m in rounded["matches"]]


def test_module_level_helpers_use_a_shared_engine():
    assert childsafe.check("see you at practice")["flagged"] is False
    assert childsafe.url("http://Example.COM/a/./b/../c")["canonical"] == "http://example.com/a/c"
    assert childsafe.default_engine() is childsafe.default_engine()


@pytest.mark.parametrize("text, status, name", [
    (b"\xff", 2, "CS_ERR_INVALID_UTF8"),
    ("\udc80", 2, "CS_ERR_INVALID_UTF8"),  # a lone surrogate is not UTF-8 either
    (b"x" * (1024 * 1024 + 1), 3, "CS_ERR_TOO_LARGE"),
])
def test_bad_text_raises_with_the_library_status(engine, text, status, name):
    with pytest.raises(childsafe.ChildSafeError) as caught:
        engine.check(text)
    assert caught.value.status == status and caught.value.name == name
    assert caught.value.message and str(status) in str(caught.value)


def test_bad_age_is_an_invalid_value(engine):
    with pytest.raises(childsafe.ChildSafeError) as caught:
        engine.check("hi", sender_age=500)
    assert caught.value.status == 5


def test_bad_engine_options_name_the_problem():
    with pytest.raises(childsafe.ChildSafeError) as caught:
        childsafe.Engine(country="Spain")
    assert caught.value.status == 5 and "Spain" in caught.value.message
    with pytest.raises(childsafe.ChildSafeError) as caught:
        childsafe.Engine("/nonexistent/rules")
    assert caught.value.status == 6 and "/nonexistent/rules" in caught.value.message


def test_closed_engine_raises_instead_of_crashing():
    engine = childsafe.Engine()
    engine.close()
    with pytest.raises(childsafe.ChildSafeError) as caught:
        engine.check("hi")
    assert caught.value.status == 1


def test_url_check(engine):
    verdict = engine.check_url("http://Example.COM/a/./b/../c")
    assert verdict["canonical"] == "http://example.com/a/c" and verdict["blocked"] is False
    assert engine.check_url("http://[::1")["blocked"] is True  # fails closed
    assert engine.check_url("http://[::1", allow_invalid=True)["blocked"] is False


MESSAGES = ("hi", "ur so mature, how old r u?", "dont tell ur parents", "this is our secret ok",
            "add me on snap instead")


def _run_conversation(engine, answer):
    seen = []

    def hook(intervention):
        seen.append(intervention)
        return answer

    with engine.conversation("py-1") as chat:
        chat.on_intervention(hook)
        for t, text in enumerate(MESSAGES):
            result = chat.add(text, sender="a", sender_age=30, recipient_age=12, t=float(t))
        assert result["conversation"]["messages"] == 5 and result["conversation"]["flagged"]
        verdict = chat.verdict()
        assert verdict["messages"] == 5 and verdict["flagged_at"] is not None
    assert seen and all(iv["conversation_id"] == "py-1" and iv["locale"] for iv in seen)
    assert all(text not in iv["message"] for iv in seen for text in MESSAGES[1:])
    return len(seen)


FAMILY = ["I'll pick you up at 5 after practice", "you looked so grown up in that photo",
          "want me to come get you", "love you sweetheart"]


def test_a_trusted_contacts_family_talk_is_not_a_signal(engine):
    ages = {"sender_age": 41, "recipient_age": 13}
    assert engine.check(FAMILY[0], **ages)["flagged"]
    trusted = engine.check(FAMILY[0], sender_trusted=True, **ages)
    assert not trusted["flagged"] and trusted["matches"] == []
    assert engine.check("this is our little secret, don't tell your dad", sender_trusted=True, **ages)["flagged"]
    with engine.conversation("family") as chat:
        for text in FAMILY:
            result = chat.add(text, sender="mum", sender_trusted=True, **ages)
        assert not result["conversation"]["flagged"] and result["conversation"]["messages"] == 4


def test_conversation_hook_and_rate_limiting(engine):
    shown, suppressed = _run_conversation(engine, None), _run_conversation(engine, "suppressed")
    assert suppressed > shown > 0  # a suppressed one does not hold back the next


def test_rate_limit_says_how_often_an_audience_is_interrupted(engine):
    by_default, everything = _run_conversation(engine, None), _run_conversation(engine, "suppressed")
    with childsafe.Engine(rate_limit=(0, 0)) as unlimited:
        assert _run_conversation(unlimited, None) == everything > by_default
    with pytest.raises(childsafe.ChildSafeError):
        childsafe.Engine(rate_limit=(-1, 0))


def test_hook_exception_reaches_the_caller(engine):
    with engine.conversation("py-2") as chat:
        chat.on_intervention(lambda iv: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            for text in MESSAGES:
                chat.add(text, sender="a", sender_age=30, recipient_age=12)


def test_mute(engine):
    with engine.conversation() as chat:
        chat.mute("recipient", messages=10)
        with pytest.raises(ValueError):
            chat.mute("nobody")


def test_locale_words_interventions():
    with childsafe.Engine(locale="es", country="ES") as spanish:
        result = spanish.check("esto es nuestro secreto, no le digas a tu mama", sender_age=30, recipient_age=12)
    assert result["interventions"] and all(iv["message"] for iv in result["interventions"])


def test_engine_is_shared_by_threads(engine):
    expected = engine.check("dont tell ur parents about us ok", lang="en")
    results, errors = [], []

    def work():
        try:
            for _ in range(50):
                results.append(engine.check("dont tell ur parents about us ok", lang="en"))
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(results) == 200 and all(r == expected for r in results)


def test_defaults():
    assert childsafe.defaults()["band"] == "13-15" and childsafe.defaults()["age_assured"] is False
    assert childsafe.default_setting("band", 14) == "13-15"
    assert childsafe.default_setting("quiet_hours", 14) == {"start": "21:00", "end": "07:00"}
    assert childsafe.defaults(band="16-17")["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert childsafe.defaults(birth_date="2012-03-14", on="2025-03-13")["band"] == "10-12"
    assert childsafe.defaults(birth_date="2012-03-14", on="2025-03-14")["band"] == "13-15"
    with pytest.raises(childsafe.ChildSafeError) as caught:
        childsafe.defaults(band="12-14")
    assert caught.value.status == 5
    with pytest.raises(childsafe.ChildSafeError) as caught:
        childsafe.default_setting("no_such_setting", 12)
    assert caught.value.status == 10 and caught.value.name == "CS_ERR_NOT_FOUND"
    with pytest.raises(ValueError):
        childsafe.defaults(12, band="10-12")


def test_a_model_from_childsafe_train_is_combined_with_the_rules(cli, example_corpus, tmp_path):
    import subprocess

    model = tmp_path / "message.csm"
    subprocess.run([cli, "train", "--level", "message", "--corpus", str(example_corpus / "messages.jsonl"),
                    "--folds", "3", "--out", str(model)], check=True, capture_output=True)
    with childsafe.Engine(models=[model]) as hybrid:
        verdict = hybrid.check("see you at lunch")
        assert 0 <= verdict["model"]["score"] <= 1 and isinstance(verdict["model"]["acts"], bool)
    with childsafe.Engine() as rules_only:
        assert "model" not in rules_only.check("see you at lunch")


def test_a_foreign_model_file_is_a_corrupt_error(tmp_path):
    foreign = tmp_path / "not-a-model.csm"
    foreign.write_text("hello")
    with pytest.raises(childsafe.ChildSafeError) as raised:
        childsafe.Engine(models=[foreign])
    assert raised.value.status == 7 and "not a valid ChildSafe model" in raised.value.message
