#!/usr/bin/env python3
"""Evaluates the rules in libchildsafe on a labelled corpus and prints a table, for researchers.

    python3 evaluate_corpus.py ../../../shared/corpus/dev-messages.jsonl
    python3 evaluate_corpus.py --rules ~/my-rules --format csv messages.jsonl > results.csv
    python3 evaluate_corpus.py --conversations dev-conversations.jsonl

Messages (one JSON object per line: "id", "text", "labels", optional "lang", ages): a message
counts as detected when its verdict lists at least one category; per category, a hit is a
labelled category the verdict also lists. Conversations ("label": grooming|benign, "messages":
[{"from", "t", "text"}], "participants": {"A": {"age": ...}}): a conversation is detected when
its session is flagged. In a notebook: `rows = evaluate_messages(engine, records)` then
`pandas.DataFrame(rows)`.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import childsafe  # noqa: E402


def read_jsonl(path, limit=None):
    records = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
                if limit and len(records) >= limit:
                    break
    return records


def ratio(a, b):
    return a / b if b else float("nan")


def score_row(name, tp, fp, fn, support):
    precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = ratio(2 * precision * recall, precision + recall) if tp else 0.0
    return {"category": name, "support": support, "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


def evaluate_messages(engine, records):
    """One row per category plus an "ANY" row (message-level detection) and a "FLAGGED" row."""
    counts = {}
    any_counts = [0, 0, 0, 0]
    flagged_counts = [0, 0, 0, 0]
    for record in records:
        verdict = engine.classify(record["text"], lang=record.get("lang"), sender_age=record.get("sender_age"),
                                  recipient_age=record.get("recipient_age"))
        labels, found = set(record.get("labels", [])), set(verdict["categories"])
        for name in labels | found:
            c = counts.setdefault(name, [0, 0, 0, 0])  # tp, fp, fn, support
            c[0] += name in labels and name in found
            c[1] += name in found and name not in labels
            c[2] += name in labels and name not in found
            c[3] += name in labels
        for tally, predicted in ((any_counts, bool(found)), (flagged_counts, verdict["flagged"])):
            tally[0] += predicted and bool(labels)
            tally[1] += predicted and not labels
            tally[2] += (not predicted) and bool(labels)
            tally[3] += bool(labels)
    rows = [score_row(name, *counts[name]) for name in sorted(counts)]
    rows.append(score_row("ANY (detected)", *any_counts))
    rows.append(score_row("FLAGGED", *flagged_counts))
    return rows


def evaluate_conversations(engine, records):
    tp = fp = fn = positives = 0
    for record in records:
        ages = {who: (p or {}).get("age") for who, p in record.get("participants", {}).items()}
        with engine.session(record.get("id")) as session:
            for message in record["messages"]:
                sender = message.get("from")
                others = [age for who, age in ages.items() if who != sender]
                session.add(message["text"], sender=sender, t=message.get("t"), lang=record.get("lang"),
                            sender_age=ages.get(sender), recipient_age=others[0] if others else None)
            flagged = session.verdict()["flagged"]
        grooming = record.get("label") == "grooming"
        positives += grooming
        tp += flagged and grooming
        fp += flagged and not grooming
        fn += grooming and not flagged
    return [score_row("CONVERSATIONS (flagged)", tp, fp, fn, positives)]


def print_table(rows, fmt):
    columns = ["category", "support", "tp", "fp", "fn", "precision", "recall", "f1"]
    def cell(value):
        return f"{value:.3f}" if isinstance(value, float) else str(value)
    if fmt == "csv":
        print(",".join(columns))
        for row in rows:
            print(",".join(cell(row[c]) for c in columns))
        return
    widths = [max(len(c), *(len(cell(r[c])) for r in rows)) for c in columns]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(cell(row[c]).ljust(w) for c, w in zip(columns, widths)) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("messages", nargs="?", help="labelled messages (JSON Lines)")
    parser.add_argument("--conversations", help="labelled conversations (JSON Lines)")
    parser.add_argument("--rules", help="rules directory (default: the rules embedded in the library)")
    parser.add_argument("--limit", type=int, help="evaluate only the first N records of each file")
    parser.add_argument("--format", choices=["markdown", "csv"], default="markdown")
    args = parser.parse_args()
    if not args.messages and not args.conversations:
        parser.error("give a messages file, --conversations, or both")
    rows = []
    with childsafe.Engine(args.rules) as engine:
        if args.messages:
            rows += evaluate_messages(engine, read_jsonl(args.messages, args.limit))
        if args.conversations:
            rows += evaluate_conversations(engine, read_jsonl(args.conversations, args.limit))
    print(f"libchildsafe {childsafe.version()}, rules: {args.rules or 'embedded'}", file=sys.stderr)
    print_table(rows, args.format)


if __name__ == "__main__":
    main()
