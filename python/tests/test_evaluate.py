"""`childsafe.evaluate` gives the figures of `childsafe eval`, and tallies merge exactly."""

import json

import pytest

import childsafe
from childsafe.evaluation import Tally, tally_conversations, tally_messages

from cli_report import assert_same_figures, cli_report


def test_same_figures_as_the_cli_on_the_example_corpus(cli, example_corpus):
    report = childsafe.evaluate(example_corpus)
    assert report["corpus"] == {"messages": 42, "conversations": 6, "errors": 0}
    assert_same_figures(report, cli_report(cli, example_corpus))


def test_same_figures_with_extra_rules_and_bad_lines(cli, tmp_path, example_corpus):
    # A rule pack laid over the defaults adds a category; a malformed line becomes an error.
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "homework.rules").write_text(
        "@pack en\n@category homework\n\nrule test.homework homework 0.4\n  match: homework\n")
    corpus = tmp_path / "corpus.jsonl"
    lines = (example_corpus / "messages.jsonl").read_text().splitlines()[:20]
    lines += ['{"id": "h1", "lang": "en", "text": "did you finish the homework", "labels": ["homework"]}',
              '{"id": "h2", "lang": "en", "text": "no homework today", "labels": []}',
              '{"id": "bad", "text": 5, "labels": []}']
    corpus.write_text("\n".join(lines) + "\n")
    cli_json = cli_report(cli, corpus, rules=rules)
    report = childsafe.evaluate(corpus, rules=str(rules))
    assert "homework" in report["messages"]["categories"] and report["corpus"]["errors"] == 1
    cli_json["errors"] = report["errors"] = [(e["file"], e["line"], e["code"]) for e in report["errors"]]
    assert_same_figures(report, cli_json)


def test_tallies_of_parts_add_up_to_the_whole(engine, example_corpus):
    corpus = childsafe.read_corpus(example_corpus)
    whole = tally_messages(engine, corpus.messages) + tally_conversations(engine, corpus.conversations)
    parts = [tally_messages(engine, corpus.messages[i:i + 5]) for i in range(0, len(corpus.messages), 5)]
    parts += [tally_conversations(engine, [c]) for c in corpus.conversations]
    merged = sum(parts, Tally())
    assert merged == whole
    assert merged.report() == whole.report()


def test_threads_do_not_change_the_figures(example_corpus):
    assert childsafe.evaluate(example_corpus, jobs=4) == childsafe.evaluate(example_corpus, jobs=1)


def test_records_are_a_corpus_too(example_corpus):
    records = [json.loads(line) for line in (example_corpus / "messages.jsonl").read_text().splitlines() if line]
    from_records = childsafe.evaluate(records)
    from_file = childsafe.evaluate(example_corpus / "messages.jsonl")
    assert from_records["messages"] == from_file["messages"] and "conversations" not in from_records


def test_report_never_contains_message_text(example_corpus):
    serialized = json.dumps(childsafe.evaluate(example_corpus))
    for line in (example_corpus / "messages.jsonl").read_text().splitlines():
        assert json.loads(line)["text"] not in serialized


def test_data_frames(example_corpus):
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    report = childsafe.evaluate(example_corpus, frames=True)
    frames = report["frames"]
    assert isinstance(frames["categories"], pd.DataFrame)
    assert frames["categories"].loc["secrecy", "recall"] == report["messages"]["categories"]["secrecy"]["recall"]
    assert frames["summary"].loc["messages", "f1"] == report["messages"]["f1"]
    assert frames["summary"].loc["conversations", "tp"] == report["conversations"]["tp"]
    assert len(frames["thresholds"]) == 1 + 4 + 19
    assert set(frames["rules"].index) == {rule["id"] for rule in report["rules"]}
