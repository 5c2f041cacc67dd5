#!/usr/bin/env python3
"""Generates the inputs of url-compare.py without building the benchmark package: WORKDIR/adult.list
(DOMAINS random distinct registrable domains, one a line), WORKDIR/adblock.txt (the same domains as
`||domain^` rules) and WORKDIR/urls.txt (URLS URLs: a quarter exact hits, a quarter `www.` hits, half
random other domains, a quarter of those with a `cdn.` subdomain; one of six paths each). Same shape as
url-bench's data (which is 1M URLs); compile WORKDIR/lists.idx with `childsafe lists compile`.

  python3 Benchmarks/scripts/url-data.py WORKDIR [DOMAINS] [URLS]     (defaults 300000 300000)
  .build/release/childsafe lists compile WORKDIR/adult.list -o WORKDIR/lists.idx
"""
import os
import random
import sys

work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/childsafe-url-300k"
domain_count = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
url_count = int(sys.argv[3]) if len(sys.argv) > 3 else 300_000
os.makedirs(work, exist_ok=True)
rng = random.Random(2026)
letters = "abcdefghijklmnopqrstuvwxyz0123456789"
tlds = ["com", "net", "org", "info", "io", "co.uk", "de", "ru", "xyz", "example"]


def random_domain():
    label = "".join(rng.choice(letters) for _ in range(5 + rng.randrange(10)))
    return label + "." + rng.choice(tlds)


domains, seen = [], set()
while len(domains) < domain_count:
    d = random_domain()
    if d not in seen:
        seen.add(d)
        domains.append(d)
with open(os.path.join(work, "adult.list"), "w") as f:
    f.writelines(d + "\n" for d in domains)
with open(os.path.join(work, "adblock.txt"), "w") as f:
    f.writelines("||" + d + "^\n" for d in domains)
paths = ["/", "/index.html", "/a/b/c.html?x=1&y=2", "/videos/watch?v=abc123", "/img/logo.png", "/search?q=kids+games"]
with open(os.path.join(work, "urls.txt"), "w") as f:
    for i in range(url_count):
        path = rng.choice(paths)
        if i % 4 == 0:
            f.write("http://" + rng.choice(domains) + path + "\n")
        elif i % 4 == 1:
            f.write("https://www." + rng.choice(domains) + path + "\n")
        else:
            f.write("https://" + ("cdn." if i % 8 == 2 else "") + random_domain() + path + "\n")
print(f"{domain_count} domains and {url_count} URLs in {work}")
