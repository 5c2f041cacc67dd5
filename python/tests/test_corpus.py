"""Reading labelled corpora: bad lines become errors with their line numbers and never quote text."""

import childsafe


def test_messages_and_conversations_are_told_apart():
    corpus = childsafe.parse_corpus([
        '{"id": "m1", "lang": "en", "text": "hello", "labels": []}',
        "",
        '{"id": 7, "text": "dont tell", "labels": ["secrecy", "secrecy"]}',
        '{"id": "c1", "label": "grooming", "onset": 1, "participants": {"A": {"age": 30}, "B": {"age": 12}},'
        ' "messages": [{"from": "A", "t": 0, "text": "hi"}, {"from": "B", "t": 5, "text": "hey"}]}',
    ], source="corpus.jsonl")
    assert [m.id for m in corpus.messages] == ["m1", "7"] and corpus.messages[1].labels == ("secrecy",)
    assert corpus.conversations[0].onset == 1 and not corpus.errors
    assert corpus.conversations[0].context(1) == {"sender": "B", "t": 5.0, "lang": None, "sender_age": 12,
                                                  "recipient_age": 30, "sender_trusted": False}


def test_a_trusted_participant_is_read_and_passed_on():
    corpus = childsafe.parse_corpus([
        '{"id": "f1", "label": "benign", "onset": null, "participants": {"mum": {"age": 41, "trusted": true},'
        ' "kid": {"age": 13}}, "messages": [{"from": "mum", "text": "pick you up at 5"}, {"from": "kid", "text": "ok"}]}',
        '{"id": "f2", "label": "benign", "onset": null, "participants": {"mum": {"trusted": "yes"}},'
        ' "messages": [{"from": "mum", "text": "hi"}]}',
    ])
    family = corpus.conversations[0]
    assert family.trusted == frozenset({"mum"})
    assert family.context(0)["sender_trusted"] and not family.context(1)["sender_trusted"]
    assert [(e.line, e.code) for e in corpus.errors] == [(2, "syntax")]
    assert "trusted" in corpus.errors[0].message


def test_bad_lines_become_errors_and_reading_goes_on():
    corpus = childsafe.parse_corpus([
        '{"id": "m1", "text": "secret words", "labels": "secrecy"}',
        "{not json",
        b"\xff\n",
        '{"id": "c1", "label": "benign", "onset": 0, "messages": [{"from": "A", "text": "hi"}]}',
        '{"id": "m2", "text": "fine", "labels": []}',
        "[" * 100_000,
    ], source="corpus.jsonl")
    assert [m.id for m in corpus.messages] == ["m2"]
    assert [(e.line, e.code) for e in corpus.errors] == [(1, "syntax"), (2, "syntax"), (3, "invalid_utf8"),
                                                         (4, "syntax"), (6, "syntax")]
    assert all(e.file == "corpus.jsonl" for e in corpus.errors)
    assert "secret words" not in repr(corpus.errors)


def test_duplicate_ids_are_skipped(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "m1", "text": "a", "labels": []}\n')
    (tmp_path / "b.jsonl").write_text('{"id": "m1", "text": "b", "labels": []}\n')
    corpus = childsafe.read_corpus(tmp_path)
    assert [m.text for m in corpus.messages] == ["a"]
    assert "duplicate message id m1" in corpus.errors[0].message and corpus.errors[0].line == 1
