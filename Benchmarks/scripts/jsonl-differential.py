#!/usr/bin/env python3
"""Differential check of `childsafe check --jsonl` between two builds: both read the same lines
under the same options; their standard output, standard error and exit status must be identical.

  python3 Benchmarks/scripts/jsonl-differential.py OLD_CHILDSAFE NEW_CHILDSAFE [FILE.jsonl...]

The lines are the given files as they are, the development corpus beside the clone when present
(../shared/corpus: its message files, and its conversations flattened into message lines with
"conversation", "from", "t" and ages), variants of those lines (ages, "locale", "lang",
"context", ids of every JSON type, escaped text, unknown and repeated fields) and hand-written
edge cases (malformed JSON, invalid UTF-8, surrogate escapes, deep nesting, numbers out of range,
an oversized line). Each input runs under several option sets. Prints one line per run and
exits 1 on the first difference, naming the first differing output line.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
old, new = sys.argv[1], sys.argv[2]
files = sys.argv[3:]
shared = os.path.join(root, "..", "shared", "corpus")
if os.path.isdir(shared):
    files += [os.path.join(shared, "dev-messages.jsonl")]
    files += sorted(glob.glob(os.path.join(shared, "real", "dev", "*messages*.jsonl")))
files.append(os.path.join(root, "Examples", "corpus", "messages.jsonl"))
files = [f for f in files if os.path.exists(f)]


def read_lines(path):
    with open(path, "rb") as f:
        return [l.rstrip(b"\n") for l in f]


def texts_of(paths, limit=400):
    out = []
    for path in paths:
        for line in read_lines(path)[:limit]:
            try:
                out.append(json.loads(line)["text"])
            except Exception:
                pass
    return out


def conversation_lines():
    """The development conversations as message lines of one stream, interleaved."""
    out = []
    for path in [os.path.join(shared, "dev-conversations.jsonl")] + sorted(
        glob.glob(os.path.join(shared, "real", "dev", "*conversations*.jsonl"))
    ):
        if not os.path.exists(path):
            continue
        for n, line in enumerate(read_lines(path)[:60]):
            c = json.loads(line)
            ages = {k: (v or {}).get("age") for k, v in (c.get("participants") or {}).items()}
            for k, m in enumerate(c.get("messages", [])[:80]):
                sender = m.get("from")
                others = [a for a in ages if a != sender]
                o = {"id": f"{c.get('id')}-{k}", "text": m.get("text", ""), "conversation": c.get("id"), "from": sender}
                if "t" in m:
                    o["t"] = m["t"]
                if c.get("lang"):
                    o["lang"] = c["lang"]
                if ages.get(sender) is not None:
                    o["sender_age"] = ages[sender]
                if len(others) == 1 and ages.get(others[0]) is not None:
                    o["recipient_age"] = ages[others[0]]
                out.append(json.dumps(o, ensure_ascii=(n % 2 == 0)).encode())
    return out


def variants(texts):
    """Each text under many line shapes."""
    out = []
    shapes = [
        lambda t, k: {"id": k, "text": t},
        lambda t, k: {"id": str(k), "text": t, "sender_age": 30, "recipient_age": 12},
        lambda t, k: {"text": t, "id": k + 0.5, "sender_age": 14, "recipient_age": 13, "lang": "en"},
        lambda t, k: {"id": [k, {"a": None}], "text": t, "recipient_age": 9, "locale": "pt-BR"},
        lambda t, k: {"id": None, "text": t, "locale": "fr", "recipient_age": 7, "sender_age": None},
        lambda t, k: {"id": True, "text": t, "lang": "de", "recipient_age": 11},
        lambda t, k: {"id": k, "text": t, "lang": "es", "locale": None, "context": "chat"},
        lambda t, k: {"id": k, "text": t, "context": "query", "sender_age": 15},
        lambda t, k: {"id": k, "text": t, "context": "query"},
        lambda t, k: {"labels": ["x", {"deep": [1, 2.5e3, -0, True, None]}], "text": t, "id": k, "extra": "é\u2028"},
        lambda t, k: {"id": k, "text": t, "conversation": k % 7, "from": "A" if k % 2 else 12, "t": k * 60.5},
        lambda t, k: {"id": k, "text": t, "conversation": f"c{k % 5}", "from": "B", "t": k, "recipient_age": 12},
        lambda t, k: {"id": k, "text": t, "locale": "en-GB", "recipient_age": 12, "sender_age": 40},
        lambda t, k: {"id": k, "text": t, "locale": "es-MX", "recipient_age": 4},
        lambda t, k: {"id": k, "text": t, "lang": "pt", "recipient_age": 16},
        lambda t, k: {"id": k, "text": t, "lang": "zz", "recipient_age": 12},
    ]
    for k, t in enumerate(texts):
        o = shapes[k % len(shapes)](t, k)
        out.append(json.dumps(o, ensure_ascii=(k % 3 == 0)).encode())
        if k % 5 == 0:
            out.append(json.dumps(o, ensure_ascii=False, indent=None, separators=(" ,", " : ")).encode())
    return out


EDGE = [
    b'',
    b'   \t ',
    b'\r',
    b'{"id": 1, "text": "dont tell anyone", "sender_age": 30, "recipient_age": 12}\r',
    b'{"id": "m2", "text": ',
    b'{"id": "m3"}',
    b'{}',
    b'[]',
    b'[{"id": 1, "text": "hi"}]',
    b'"text"',
    b'42',
    b'null',
    b'{"id": 4, "text": "hi", "sender_age": "old"}',
    b'{"id": 5, "text": "hi", "context": "shout"}',
    b'{"id": 6, "text": 7}',
    b'{"id": 7, "text": null}',
    b'{"id": 8, "text": ["dont tell anyone"]}',
    b'{"id": 9, "text": "hi"} x',
    b'{"id": 10, "text": "hi"}}',
    b'{"id": 11, "text": "hi",}',
    b'{"id": 12 "text": "hi"}',
    b'{"id": 13, "text": "hi", "t": 1e999}',
    b'{"id": 14, "text": "hi", "other": 1e999}',
    b'{"id": 15, "text": "hi", "other": -1E+999}',
    b'{"id": 16, "text": "hi", "other": 1' + b'0' * 400 + b'}',
    b'{"id": 17, "text": "hi", "other": 0.' + b'0' * 400 + b'1}',
    b'{"id": 18, "text": "hi", "other": 01.5e-3}',
    b'{"id": 19, "text": "hi", "other": -}',
    b'{"id": 20, "text": "hi", "other": 1.}',
    b'{"id": 21, "text": "hi", "other": 1e}',
    b'{"id": 22, "text": "hi", "other": tru}',
    b'{"id": 23, "text": "hi", "other": nul}',
    b'{"id": 24, "text": "hi", "sender_age": 12.0, "recipient_age": 1.2e1}',
    b'{"id": 25, "text": "hi", "sender_age": 12.5}',
    b'{"id": 26, "text": "hi", "sender_age": -0}',
    b'{"id": 27, "text": "hi", "sender_age": 151}',
    b'{"id": 28, "text": "hi", "sender_age": 1e2}',
    b'{"id": 123456789012345678901234567890, "text": "hi"}',
    b'{"id": -12345678901234, "text": "hi"}',
    b'{"id": 1234567890123456, "text": "hi"}',
    b'{"id": 9007199254740993, "text": "hi"}',
    b'{"id": -0, "text": "hi"}',
    b'{"id": 0.1, "text": "hi"}',
    b'{"id": 1e-7, "text": "hi"}',
    b'{"id": "a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0000\\u001f\\u007f", "text": "hi"}',
    b'{"id": 29, "text": "dont tell \\u0061nyone \\ud83d\\ude00 \\u00e9 \\u20ac"}',
    b'{"id": 30, "text": "\\ud83d"}',
    b'{"id": 31, "text": "\\ude00 x"}',
    b'{"id": 32, "text": "\\ud83d\\u0041"}',
    b'{"id": 33, "text": "\\ud83dx"}',
    b'{"id": 34, "text": "\\uZZZZ"}',
    b'{"id": 35, "text": "\\u12"}',
    b'{"id": 36, "text": "\\x"}',
    b'{"id": 37, "text": "tab\there"}',
    b'{"id": 38, "text": "unterminated}',
    b'{"id": 39, "text": "ends with backslash\\',
    b'{"id": 40, "text": "hi", "other": "\\ud800"}',
    b'{"id": 41, "text": "hi", "other": "\\q"}',
    b'{"id": 42, "text": "hi", "other": "ctl\x01"}',
    b'{"id": 43, "te\\u0078t": "dont tell anyone", "sender_age": 30}',
    b'{"id": 44, "text": "hi", "\\u0074ext": "dont tell anyone"}',
    b'{"id": 45, "text": "dont tell anyone", "text": "hi", "recipient_age": 12, "recipient_age": 40}',
    b'{"id": 46, "id": 47, "text": "hi"}',
    b'{"id": 48, "text": "hi", "recipient_age": "x", "recipient_age": 12}',
    b'{"id": 49, "text": "hi", "locale": "not a locale!!"}',
    b'{"id": 50, "text": "hi", "locale": 7}',
    b'{"id": 51, "text": "hi", "lang": 7}',
    b'{"id": 52, "text": "hi", "conversation": 1.5}',
    b'{"id": 53, "text": "hi", "conversation": "c", "from": [1]}',
    b'{"id": 54, "text": "hi", "t": "soon"}',
    b'{"id": 55, "text": "hi", "t": null, "lang": null, "context": null, "locale": null}',
    b'{"id": 56, "text": "hi", "deep": ' + b'[' * 63 + b']' * 63 + b'}',
    b'{"id": 57, "text": "hi", "deep": ' + b'[' * 64 + b']' * 64 + b'}',
    b'{"id": 58, "text": "hi", "deep": ' + b'{"a":' * 64 + b'1' + b'}' * 64 + b'}',
    b'{"id": ' + b'[' * 70 + b']' * 70 + b', "text": "hi"}',
    b'\xef\xbb\xbf{"id": 59, "text": "bom"}',
    b'{"id": 60, "text": "bad \xff byte"}',
    b'{"id": 61, "text": "overlong \xc0\xaf"}',
    b'{"id": 62, "text": "surrogate \xed\xa0\x80"}',
    b'{"id": 63, "text": "ok \xe2\x82\xac \xf0\x9f\x98\x80 \xc3\xa9"}',
    b'{"id": 64, "text": "hi", "x": "\xf4\x90\x80\x80"}',
    b'{"id": 65, "text": ""}',
    b'{"id": 66, "text": "     "}',
    b'  {"id": 67 , "text" : "padded"  }  ',
    b'{"id":68,"text":"compact","sender_age":30,"recipient_age":12}',
    b'{"id": 69, "text": "hi", "": 1, "te": 2, "texts": 3, "id2": 4}',
    b'{"id": 70, "text": "' + b'dont tell anyone ' * 40000 + b'"}',
    b'{"id": 71, "text": "' + b'a' * (1 << 20) + b'"}',
    b'{"id": 72, "text": "hi", "pad": "' + b'x' * (16 * 1024 * 1024) + b'"}',
    b'{"id": {"nested": {"k": [1, "two", null, false]}}, "text": "send me a pic"}',
    b'{"id": 73, "text": "hi", "conversation": "", "from": ""}',
    b'{"id": 74, "text": "are ur parents home", "conversation": "q", "from": "A", "t": 0, "context": "query"}',
    b'{"id": 75, "text": "hi", "conversation": 123456789012345678}',
    b'{"id": 76, "text": "hi", "conversation": -3, "from": 1e3}',
    b'{"id" : 77 , "text" : "dont tell anyone" , "recipient_age" : 12 }',
    b'{"id": 78, "text": "hi"}\x00',
    b'{"id": 79, "text": "hi", "other": {"a": 1, "a": 2, "b": [], "c": {}}}',
    b'{"id": 80, "text": "hi", "other": {"a" 1}}',
    b'{"id": 81, "text": "hi", "other": [1 2]}',
    b'{"id": 82, "text": "hi", "other": {1: 2}}',
    b'{"id": 83, "text": "hi", "other": [1,]}',
    b'{"id": 84, "text": "hi", "other":}',
    b'{"id": 85, "text": "hi", "other": "\\u00"}',
    b'{"id": 86, "text": "dont tell anyone", "locale": "de", "lang": "fr", "recipient_age": 8}',
    b'{"id": 87, "text": "dont tell anyone", "locale": "PT-br", "recipient_age": 12}',
]

OPTIONS = [
    [],
    ["--locale", "pt-BR", "--country", "BR"],
    ["--sender-age", "35", "--recipient-age", "12"],
    ["--context", "query", "--locale", "de"],
    ["--lang", "en", "--country", "GB", "--recipient-age", "6"],
]


def run(binary, options, data):
    p = subprocess.run([binary, "check", "--jsonl", *options], input=data, capture_output=True)
    return p.stdout, p.stderr, p.returncode


def compare(name, data, option_sets):
    for options in option_sets:
        a = run(old, options, data)
        b = run(new, options, data)
        label = f"{name} {' '.join(options) or '(defaults)'}"
        if a == b:
            answers = a[0].count(b"\n")
            print(f"same  {label}: {answers} answers, exit {a[2]}")
            continue
        print(f"DIFF  {label}: exit {a[2]} vs {b[2]}", file=sys.stderr)
        for k, (x, y) in enumerate(zip(a[0].split(b"\n"), b[0].split(b"\n"))):
            if x != y:
                print(f"  first differing output line {k + 1}:\n  old {x[:400]!r}\n  new {y[:400]!r}", file=sys.stderr)
                break
        if a[1] != b[1]:
            print(f"  stderr: {a[1][:300]!r} vs {b[1][:300]!r}", file=sys.stderr)
        sys.exit(1)


for path in files:
    with open(path, "rb") as f:
        compare(os.path.relpath(path, root), f.read(), OPTIONS)
texts = texts_of(files)
compare("variants", b"\n".join(variants(texts)) + b"\n", OPTIONS)
if os.path.isdir(shared):
    compare("conversations", b"\n".join(conversation_lines()) + b"\n", OPTIONS[:3])
compare("edge cases", b"\n".join(EDGE) + b"\n", OPTIONS)
compare("edge cases, no final newline", b"\n".join(EDGE[:60]), OPTIONS[:1])
for k, line in enumerate(EDGE):
    compare(f"edge case {k + 1} alone", line, OPTIONS[:1])
print("outputs identical")
