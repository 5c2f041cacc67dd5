#!/usr/bin/env python3
"""Whole-process throughput and memory: `childsafe url --jsonl` against Brave's adblock engine
(adblock-rust through its Python binding, `pip install adblock`) on the same domains and URLs.

Run url-bench first; it writes WORKDIR/adult.list (1M domains), WORKDIR/adblock.txt (the same domains
as `||domain^` rules), WORKDIR/lists.idx (compiled) and WORKDIR/urls.txt (1M URLs). Or, without
building the benchmark package, url-data.py (300k domains and 300k URLs by default) and
`childsafe lists compile WORKDIR/adult.list -o WORKDIR/lists.idx`. Then:

  scripts/childsafe --version          # builds the release CLI (scripts/release-flags)
  python3 -m venv /tmp/abvenv && /tmp/abvenv/bin/pip install adblock
  /tmp/abvenv/bin/python Benchmarks/scripts/url-compare.py [WORKDIR] [.build/release/childsafe]

Each run is one process that loads the list, reads every URL from a file, decides, and writes one
line per URL; CPU time (user + system), wall time and peak RSS come from /usr/bin/time. Both engines must agree on every URL.
"""
import os
import subprocess
import sys
import tempfile

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/childsafe-url-bench"
childsafe = sys.argv[2] if len(sys.argv) > 2 else ".build/release/childsafe"
urls_path = os.path.join(work, "urls.txt")
with open(urls_path) as f:
    url_count = sum(1 for _ in f)

ADBLOCK_RUNNER = r"""
import sys, adblock
rules, urls = sys.argv[1], sys.argv[2]
fs = adblock.FilterSet()
with open(rules) as f:
    fs.add_filter_list(f.read())
engine = adblock.Engine(fs, optimize=True)
out = sys.stdout
with open(urls) as f:
    for line in f:
        url = line.rstrip("\n")
        out.write("1\n" if engine.check_network_urls(url, url, "document").matched else "0\n")
"""


def run(name, argv, stdin_path, out_path):
    with open(stdin_path) as stdin, open(out_path, "w") as stdout, tempfile.NamedTemporaryFile("r") as stats:
        subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", stats.name] + argv, stdin=stdin, stdout=stdout,
                       check=True)
        wall, user, system, kib = stats.read().split()[-4:]
    # The machine may be shared: CPU time (user + system) is the fair measure; wall time is shown too.
    cpu, wall, mib = float(user) + float(system), float(wall), int(kib) / 1024
    print(f"{name:<52} CPU {cpu:6.2f} s ({url_count / cpu:8.0f} URLs/s)  wall {wall:6.2f} s ({url_count / wall:8.0f} URLs/s)"
          f"  peak RSS {mib:6.1f} MiB")
    return cpu, mib


def decisions(path, jsonl):
    with open(path) as f:
        if jsonl:
            return ['"blocked":true' in line for line in f]
        return [line.startswith("1") for line in f]


with tempfile.TemporaryDirectory() as tmp:
    runner = os.path.join(tmp, "adblock_runner.py")
    with open(runner, "w") as f:
        f.write(ADBLOCK_RUNNER)
    print(f"{url_count} URLs, lists from {work}")
    a_time, a_mem = run("adblock-rust 0.x (Python binding), ||d^ rules",
                        [sys.executable, runner, os.path.join(work, "adblock.txt"), urls_path], urls_path,
                        os.path.join(tmp, "adblock.out"))
    c_time, c_mem = run("childsafe url --jsonl, compiled index",
                        [childsafe, "url", "--jsonl", "--lists", os.path.join(work, "lists.idx")],
                        urls_path, os.path.join(tmp, "childsafe.out"))
    t_time, t_mem = run("childsafe url --jsonl, text list (parsed at start)",
                        [childsafe, "url", "--jsonl", "--lists", os.path.join(work, "adult.list")],
                        urls_path, os.path.join(tmp, "childsafe-text.out"))
    a = decisions(os.path.join(tmp, "adblock.out"), False)
    c = decisions(os.path.join(tmp, "childsafe.out"), True)
    t = decisions(os.path.join(tmp, "childsafe-text.out"), True)
    differ = sum(1 for x, y in zip(a, c) if x != y)
    print(f"blocked: adblock {sum(a)}, childsafe {sum(c)} (text list {sum(t)}); decisions that differ: {differ}"
          f"{'' if len(a) == len(c) == len(t) else ' (OUTPUT LENGTHS DIFFER)'}")
    print(f"childsafe (compiled) vs adblock: {a_time / c_time:.1f}x throughput (CPU time), {c_mem / a_mem:.3f}x peak memory")
    print(f"childsafe (text list) vs adblock: {a_time / t_time:.1f}x throughput (CPU time), {t_mem / a_mem:.3f}x peak memory")
