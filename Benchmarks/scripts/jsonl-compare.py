#!/usr/bin/env python3
"""Whole-process throughput and memory of `childsafe check --jsonl` against a Python + Hyperscan
literal scanner over the same chat lines (issue 21's peer).

The peer reads the same JSON lines, scans each message's text for the words and phrases of the
embedded lexicons (Rules/lexicons/*/*.words, stems as prefixes) with one Hyperscan database
(case-insensitive, one match per pattern), and writes one JSON line per message with the
patterns found. It undoes no evasion and judges no context: it is the cheapest useful scanner, a
floor for what a filter can cost, not a filter of the same quality.

  scripts/childsafe --version          # builds the release CLI (scripts/release-flags)
  python3 Benchmarks/scripts/jsonl-compare.py [MESSAGES.jsonl] [.build/release/childsafe] [LINES]

MESSAGES defaults to ../shared/corpus/dev-messages.jsonl, else Examples/corpus/messages.jsonl;
its lines are repeated up to LINES (40,000). Hyperscan comes from PyPI into a virtual
environment under /tmp (created on first use). Runs alternate, three of each; CPU time
(user + system) is the fair measure on a shared machine; wall time and peak RSS are shown too.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
default_messages = os.path.join(root, "..", "shared", "corpus", "dev-messages.jsonl")
if not os.path.exists(default_messages):
    default_messages = os.path.join(root, "Examples", "corpus", "messages.jsonl")
messages = sys.argv[1] if len(sys.argv) > 1 else default_messages
childsafe = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, ".build", "release", "childsafe")
line_count = int(sys.argv[3]) if len(sys.argv) > 3 else 40_000
venv = "/tmp/childsafe-jsonl-peers"

python = os.path.join(venv, "bin", "python")
if not os.path.exists(python):
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", "hyperscan"], check=True)

PEER = r"""
import json, sys, hyperscan
patterns = [p.encode() for p in open(sys.argv[1], encoding="utf-8").read().splitlines()]
db = hyperscan.Database()
db.compile(expressions=patterns, ids=list(range(len(patterns))),
           flags=[hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8] * len(patterns))
scratch = hyperscan.Scratch(db)
out = sys.stdout
for line in sys.stdin:
    if not line.strip():
        continue
    record = json.loads(line)
    found = []
    def on_match(id, start, end, flags, context):
        found.append(id)
    db.scan(record["text"].encode(), match_event_handler=on_match, scratch=scratch)
    out.write(json.dumps({"id": record.get("id"), "flagged": bool(found), "matches": sorted(found)}) + "\n")
"""


def lexicon_patterns():
    """Each lexicon entry as a literal regular expression: whole words, a stem's end left open."""
    patterns = set()
    for path in sorted(glob.glob(os.path.join(root, "Rules", "lexicons", "*", "*.words"))):
        for raw in open(path, encoding="utf-8"):
            entry = raw.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            stem = entry.endswith("*")
            words = entry.rstrip("*").split()
            escaped = r"\s+".join("".join("\\" + c if not c.isalnum() else c for c in w) for w in words)
            patterns.add(r"\b" + escaped + ("" if stem else r"\b"))
    return sorted(patterns)


def run(name, argv, stdin_path):
    with open(stdin_path) as stdin, tempfile.NamedTemporaryFile("r") as stats:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.name] + argv, stdin=stdin,
                       stdout=subprocess.DEVNULL, check=True)
        wall, user, system, kib = stats.read().split()[-4:]
    cpu, wall, mib = float(user) + float(system), float(wall), int(kib) / 1024
    print(f"{name:<34} CPU {cpu:6.2f} s ({line_count / cpu:8.0f} msg/s)  wall {wall:6.2f} s  peak RSS {mib:6.1f} MiB")
    return cpu, mib


with tempfile.TemporaryDirectory() as tmp:
    source = [l for l in open(messages, encoding="utf-8") if l.strip()]
    lines_path = os.path.join(tmp, "lines.jsonl")
    with open(lines_path, "w", encoding="utf-8") as f:
        for k in range(line_count):
            record = json.loads(source[k % len(source)])
            f.write(json.dumps({"id": k, "text": record["text"]}, ensure_ascii=False) + "\n")
    patterns_path = os.path.join(tmp, "patterns.txt")
    patterns = lexicon_patterns()
    with open(patterns_path, "w", encoding="utf-8") as f:
        f.write("\n".join(patterns) + "\n")
    peer_path = os.path.join(tmp, "peer.py")
    with open(peer_path, "w") as f:
        f.write(PEER)
    print(f"{line_count} messages from {messages}; the peer scans for {len(patterns)} lexicon entries")
    ours, theirs = [], []
    for _ in range(3):
        ours.append(run("childsafe check --jsonl", [childsafe, "check", "--jsonl"], lines_path))
        theirs.append(run("python + hyperscan literal scan", [python, peer_path, patterns_path], lines_path))
    best_ours = min(c for c, _ in ours)
    best_theirs = min(c for c, _ in theirs)
    print(f"speed (best CPU times): childsafe {best_theirs / best_ours:.2f}x the peer's; "
          f"peak memory {max(m for _, m in ours) / max(m for _, m in theirs):.2f}x")
