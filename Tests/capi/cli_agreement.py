#!/usr/bin/env python3
"""The C API and the CLI must give the same answers: feeds the same `check --jsonl` lines to
`childsafe check --jsonl` and to libchildsafe (each line is also the context_json, so "id" is
echoed) and compares the output lines byte for byte, interventions included. Lines with a
"conversation" go through one cs_session per conversation, as the CLI keeps one per conversation.

    CHILDSAFE_LIBRARY=.../libchildsafe.so.1 cli_agreement.py CHILDSAFE_BINARY MESSAGES.jsonl CONVERSATIONS.jsonl [LIMIT]

Run by scripts/tests.d/capi.sh. Exits non-zero on the first difference, printing only ids (never text).
"""
import ctypes
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "src"))
import childsafe  # noqa: E402
from childsafe._calls import take_string  # noqa: E402


def input_lines(messages_path, conversations_path, limit):
    """Single messages (with ages, some as search queries, some from trusted contacts) and whole
    conversations (every other one with its adults trusted), interleaved."""
    lines = []
    with open(messages_path, encoding="utf-8") as f:
        for k, raw in enumerate(f):
            if not raw.strip() or len(lines) >= limit:
                continue
            record = json.loads(raw)
            line = {"id": record["id"], "text": record["text"], "lang": record.get("lang"),
                    "sender_age": 30 if k % 3 else None, "recipient_age": 12 if k % 2 else 15}
            if k % 7 == 0:
                line["context"] = "query"
            if k % 5 == 0:
                line["sender_trusted"] = True
            lines.append(line)
    with open(conversations_path, encoding="utf-8") as f:
        for c, raw in enumerate(f):
            if not raw.strip() or c >= max(1, limit // 20):
                continue
            record = json.loads(raw)
            ages = {name: info.get("age") for name, info in record.get("participants", {}).items()}
            for m, message in enumerate(record["messages"]):
                others = [age for name, age in ages.items() if name != message["from"]]
                lines.append({"id": f"{record['id']}.{m}", "text": message["text"], "lang": record.get("lang"),
                              "conversation": record["id"], "from": message["from"], "t": message["t"],
                              "sender_age": ages.get(message["from"]),
                              "recipient_age": others[0] if len(others) == 1 else None,
                              "sender_trusted": True if c % 2 and ages.get(message["from"], 0) and
                              ages.get(message["from"], 0) >= 18 else None})
    return [json.dumps({k: v for k, v in line.items() if v is not None}, ensure_ascii=False) for line in lines]


def library_line(lib, engine, sessions, line):
    record = json.loads(line)
    text = record["text"].encode("utf-8")
    out = ctypes.c_void_p()
    context = line.encode("utf-8")
    if "conversation" in record:
        key = record["conversation"]
        if key not in sessions:
            handle = ctypes.c_void_p()
            assert lib.cs_session_open(engine._handle, key.encode("utf-8"), ctypes.byref(handle)) == 0
            sessions[key] = handle
        status = lib.cs_session_add_json(sessions[key], text, len(text), context, ctypes.byref(out))
    else:
        status = lib.cs_classify_json(engine._handle, text, len(text), context, ctypes.byref(out))
    if status != 0:
        return f"status {status}"
    return take_string(out.value)


def main():
    binary, messages, conversations = sys.argv[1:4]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    lines = input_lines(messages, conversations, limit)
    cli = subprocess.run([binary, "check", "--jsonl"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, check=True).stdout.splitlines()
    lib = childsafe.load_library()
    engine = childsafe.Engine()
    sessions = {}
    interventions = 0
    try:
        if len(cli) != len(lines):
            sys.exit(f"cli_agreement: {len(lines)} lines in, {len(cli)} out of the CLI")
        for line, expected in zip(lines, cli):
            got = library_line(lib, engine, sessions, line)
            if got != expected:
                sys.exit(f"cli_agreement: line {json.loads(line)['id']} differs between libchildsafe and the CLI")
            interventions += '"interventions"' in got
    finally:
        for handle in sessions.values():
            lib.cs_session_close(handle)
        engine.close()
    print(f"cli_agreement: {len(lines)} lines ({len(sessions)} conversations) identical, "
          f"{interventions} with interventions")
    if interventions == 0:
        sys.exit("cli_agreement: no line had interventions; the comparison proves little")


if __name__ == "__main__":
    main()
