#!/usr/bin/env python3
"""Differential check of ChildSafe's URL parsing against a WHATWG URL parser (ada-url).

Mutates URLs of blocked hosts the way an attacker spells them (slashes and backslashes after the
scheme, case, userinfo, tabs, newlines and C0 controls, dots, percent-encoding, IPv4 in hex, octal
and short forms, ports, fragments) and compares, for each URL, the host a browser opens (ada-url's
`hostname`) with the host ChildSafe checks (`childsafe url --jsonl`, field "host"):

- ada refuses the URL          -> ChildSafe reports it "invalid" and blocks it;
- ada reads host H             -> ChildSafe's host is H with Safe Browsing's dot trimming, and the
                                  URL is blocked when that host is on a block list. The one
                                  documented exception: a domain that dot trimming would leave empty
                                  or make a number ("1..") is "invalid" (and blocked) in ChildSafe.

Usage: url-differential.py CHILDSAFE_BINARY [--cases N] [--seed S]
Needs the `ada_url` module (pip install ada-url). Exits 1 on any mismatch, printing the first ones.
The URLs are synthetic (sample list hosts), never real browsing data.
"""
import argparse
import json
import random
import subprocess
import sys

try:
    from ada_url import URL
except ImportError:
    print("url-differential: the ada_url module is missing (pip install ada-url)", file=sys.stderr)
    sys.exit(2)

# Hosts on the embedded sample block lists (Rules/urls/), and an IPv4 address the test list blocks.
BLOCKED_HOSTS = ["casino-example.test", "adult-example.test", "sportsbet-sample.example"]
BLOCKED_ADDRESS = (10, 20, 30, 40)
GOOD = "good.example"


def ipv4_spellings(a, rng):
    """The same address the way browsers accept it: dotted, hex, octal, integer, 2- and 3-part."""
    n = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]
    part = lambda v: rng.choice([str(v), hex(v), "0X%X" % v, "0" + oct(v)[2:] if v else "0"])
    return [
        ".".join(part(x) for x in a),
        str(n), hex(n), "0" + oct(n)[2:],
        "%s.%s" % (part(a[0]), str((a[1] << 16) | (a[2] << 8) | a[3])),
        "%s.%s.%s" % (part(a[0]), part(a[1]), str((a[2] << 8) | a[3])),
        ".".join(part(x) for x in a) + ".",
    ]


def percent_encode_some(host, rng):
    out = []
    for ch in host:
        if rng.random() < 0.3:
            out.append("".join(rng.choice(["%%%02X", "%%%02x"]) % b for b in ch.encode()))
        else:
            out.append(ch)
    return "".join(out)


def random_case(text, rng):
    return "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)


def insert_controls(url, rng):
    """Tabs, CR and LF anywhere; C0 controls and spaces only at the ends (where they are stripped)."""
    chars = list(url)
    for _ in range(rng.randint(1, 3)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(["\t", "\n", "\r"]))
    lead = "".join(rng.choice(["\x00", "\x01", "\x1f", " ", "\x0b"]) for _ in range(rng.randint(0, 2)))
    trail = "".join(rng.choice(["\x00", "\x1f", " ", "\x0c"]) for _ in range(rng.randint(0, 2)))
    return lead + "".join(chars) + trail


def mutate(rng):
    if rng.random() < 0.25:
        host = rng.choice(ipv4_spellings(BLOCKED_ADDRESS, rng))
    else:
        host = rng.choice(BLOCKED_HOSTS)
        if rng.random() < 0.3:
            host = rng.choice(["www.", "a.b.", "", "WWW."]) + host
        if rng.random() < 0.3:
            host = random_case(host, rng)
        if rng.random() < 0.3:
            host = percent_encode_some(host, rng)
        if rng.random() < 0.2:
            host = host + rng.choice([".", "..", "。", "%2E"])
        if rng.random() < 0.05:
            host = rng.choice([".", ".."]) + host
    scheme = rng.choice(["http", "https", "ws", "wss", "HTTP", "hTtPs"])
    slashes = "".join(rng.choice(["/", "\\"]) for _ in range(rng.choice([0, 1, 2, 2, 2, 3, 4])))
    userinfo = rng.choice(["", "", "", GOOD + "@", "user:pass@", "a@b@", GOOD + ":80@", "%40@", "@"])
    port = rng.choice(["", "", "", ":80", ":443", ":8080", ":0", ":", ":65535", ":65536", ":99999", ":8o"])
    tail = rng.choice(["/", "", "/path", "\\path", "\\@" + GOOD + "/", "?@" + GOOD + "/", "#@" + GOOD + "/",
                       "/a/../b?x=1#frag", "\\..\\x", "/%2e%2e/"])
    url = scheme + ":" + slashes + userinfo + host + port + tail
    if rng.random() < 0.1:
        # The authority's other half: the blocked host as user name, a good host after "@".
        url = scheme + "://" + host + rng.choice(["@", "\\@", "%40", ":x@"]) + GOOD + "/"
    if rng.random() < 0.15:
        # One stray delimiter after the scheme: what moves the host's start or end if read differently.
        i = rng.randint(url.index(":") + 1, len(url))
        url = url[:i] + rng.choice(["[", "]", ":", "@", "%", "\\", "/", "?", "#", " ", ".", "%00", "%2F", "^", "|"]) + url[i:]
    if rng.random() < 0.3:
        url = insert_controls(url, rng)
    return url


def trimmed_dots(host):
    return ".".join(label for label in host.split(".") if label)


def ends_in_a_number(host):
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1] if parts else ""
    if last and last.isdigit() and last.isascii():
        return True
    try:
        lowered = last.lower()
        if lowered.startswith("0x"):
            int(lowered[2:] or "0", 16)
            return True
    except ValueError:
        pass
    return False


def is_blocked_host(host):
    listed = set(BLOCKED_HOSTS) | {"%d.%d.%d.%d" % BLOCKED_ADDRESS}
    return any(host == h or host.endswith("." + h) for h in listed)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("childsafe")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lists", help="an extra list file (with the blocked IPv4 address)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    urls = [mutate(rng) for _ in range(args.cases)]

    command = [args.childsafe, "url", "--jsonl"]
    if args.lists:
        command += ["--lists", args.lists, "--with-defaults"]
    stdin = "".join(json.dumps({"url": u}) + "\n" for u in urls)
    result = subprocess.run(command, input=stdin.encode(), capture_output=True, check=True)
    lines = result.stdout.decode().splitlines()
    if len(lines) != len(urls):
        print("url-differential: %d URLs in, %d verdicts out" % (len(urls), len(lines)), file=sys.stderr)
        return 1

    mismatches = []
    counts = {"refused": 0, "hosts": 0, "blocked": 0}
    for url, line in zip(urls, lines):
        verdict = json.loads(line)
        try:
            reference = URL(url).hostname
        except ValueError:
            reference = None
        if reference is None:
            counts["refused"] += 1
            if verdict.get("reason") != "invalid" or not verdict.get("blocked"):
                mismatches.append((url, "refused by browsers", verdict.get("host"), verdict.get("reason")))
            continue
        counts["hosts"] += 1
        expected = trimmed_dots(reference)
        if not reference.startswith("[") and expected != reference and (not expected or ends_in_a_number(expected)):
            if verdict.get("reason") != "invalid" or not verdict.get("blocked"):
                mismatches.append((url, reference, verdict.get("host"), verdict.get("reason")))
            continue
        if verdict.get("host") != expected:
            mismatches.append((url, reference, verdict.get("host"), verdict.get("reason")))
        elif is_blocked_host(expected) != bool(verdict.get("blocked")):
            mismatches.append((url, reference + " (blocked?)", verdict.get("host"), verdict.get("reason")))
        if verdict.get("blocked"):
            counts["blocked"] += 1

    print("url-differential: %d URLs: browsers refuse %d, read a host in %d (%d of them blocked); %d mismatches"
          % (len(urls), counts["refused"], counts["hosts"], counts["blocked"], len(mismatches)))
    for url, reference, host, reason in mismatches[:20]:
        print("  %r: browsers %r, childsafe host %r (%s)" % (url, reference, host, reason), file=sys.stderr)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
