#!/usr/bin/env python3
"""Evaluates rules on a labelled corpus on a Dask cluster, with the figures of `childsafe eval`.

    python3 dask_evaluate.py --workers 4 ../corpus                     # a local cluster of 4 processes
    python3 dask_evaluate.py --scheduler tcp://10.0.0.5:8786 big.jsonl  # an existing cluster
    python3 dask_evaluate.py --format json --rules ~/my-rules corpus/   # the JSON report of `childsafe eval`

Every worker opens one engine (childsafe.cluster.EnginePlugin) and counts the partitions it is
given into a Tally; the tallies are merged exactly, so the report equals `childsafe eval --format
json` on the same corpus (less `rules_never_fired`, which the C library cannot list). Workers need
the childsafe package and libchildsafe.so.1 (CHILDSAFE_LIBRARY or --library on each machine).
"""

import argparse
import json
import os
import sys

from dask.distributed import Client, LocalCluster

import childsafe
import childsafe.cluster


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", help="labelled corpus files or directories (JSON Lines)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: start a local cluster)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the local cluster (default 2)")
    parser.add_argument("--rules", help="rules directory laid over the embedded packs")
    parser.add_argument("--replace-defaults", action="store_true", help="use only the --rules directory")
    parser.add_argument("--library", help="path of libchildsafe.so.1 on the workers")
    parser.add_argument("--partition-size", type=int, default=256, help="messages per partition (default 256)")
    parser.add_argument("--format", choices=["json", "summary"], default="summary")
    args = parser.parse_args()

    if args.scheduler:
        client, cluster = Client(args.scheduler), None
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        report = childsafe.cluster.evaluate_on_cluster(
            client, args.corpus, rules=args.rules, replace_defaults=args.replace_defaults, library=args.library,
            messages_per_partition=args.partition_size, conversations_per_partition=max(1, args.partition_size // 8))
        per_worker = childsafe.cluster.partitions_per_worker(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    print(f"partitions per worker: {json.dumps(per_worker, sort_keys=True)}", file=sys.stderr)
    for error in report["errors"]:
        where = f"{error['file']}:{error['line']}: " if error["file"] else ""
        print(f"{where}{error['message']}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        m = report["messages"]
        print(f"messages: {m['count']}, precision {m['precision']}, recall {m['recall']}, f1 {m['f1']}")
        if "conversations" in report:
            c = report["conversations"]
            print(f"conversations: {c['count']}, precision {c['precision']}, recall {c['recall']}, "
                  f"latency median {c['latency_median']}")
    sys.exit(1 if report["errors"] else 0)


if __name__ == "__main__":
    main()
