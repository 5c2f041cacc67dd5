#!/usr/bin/env python3
"""Evaluates the rules in libchildsafe on a labelled corpus and prints a table, for researchers.

    python3 evaluate_corpus.py ../corpus                       # every *.jsonl under the directory
    python3 evaluate_corpus.py --rules ~/my-rules --format csv messages.jsonl > results.csv
    python3 evaluate_corpus.py --format json ../corpus         # the report of `childsafe eval --format json`

The figures are those of `childsafe eval` (docs/evaluation.md): they come from `childsafe.evaluate`,
which a notebook can call directly (`childsafe.to_frames(report)` gives pandas DataFrames).
"""

import argparse
import json
import os
import sys

try:
    import childsafe
except ImportError:  # run from a checkout without `pip install ./python`
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "src"))
    import childsafe

COLUMNS = ["name", "support", "tp", "fp", "fn", "precision", "recall", "f1"]


def rows(report):
    """One row per category that occurs, then the message and conversation totals."""
    messages = report["messages"]
    table = [dict(name=name, **values) for name, values in messages["categories"].items()
             if values["support"] or values["tp"] + values["fp"]]
    table.append(dict(name="ANY (detected)", support=messages["positives"],
                      **{k: messages[k] for k in COLUMNS[2:]}))
    flagged = report["thresholds"]["flagged"]
    table.append(dict(name="FLAGGED", support=flagged["tp"] + flagged["fn"], f1=None,
                      **{k: flagged[k] for k in ("tp", "fp", "fn", "precision", "recall")}))
    if "conversations" in report:
        c = report["conversations"]
        table.append(dict(name="CONVERSATIONS (flagged)", support=c["positives"], **{k: c[k] for k in COLUMNS[2:]}))
    return table


def cell(value):
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def print_table(table, fmt):
    if fmt == "csv":
        print(",".join(COLUMNS))
        for row in table:
            print(",".join("" if row[c] is None else cell(row[c]) for c in COLUMNS))
        return
    widths = [max(len(c), *(len(cell(r[c])) for r in table)) for c in COLUMNS]
    print("| " + " | ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in table:
        print("| " + " | ".join(cell(row[c]).ljust(w) for c, w in zip(COLUMNS, widths)) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="+", help="labelled corpus files or directories (JSON Lines)")
    parser.add_argument("--rules", help="rules directory laid over the embedded packs (default: the embedded packs)")
    parser.add_argument("--replace-defaults", action="store_true", help="use only the --rules directory")
    parser.add_argument("--format", choices=["markdown", "csv", "json"], default="markdown")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="threads (the results do not depend on it)")
    args = parser.parse_args()
    try:
        report = childsafe.evaluate(args.corpus, rules=args.rules, replace_defaults=args.replace_defaults,
                                    jobs=args.jobs)
    except (childsafe.ChildSafeError, childsafe.LibraryNotFoundError) as error:
        sys.exit(f"evaluate_corpus.py: {error}")
    for error in report["errors"]:
        where = f"{error['file']}:{error['line']}: " if error["file"] else ""
        print(f"{where}{error['message']}", file=sys.stderr)
    print(f"libchildsafe {childsafe.version()}, rules: {args.rules or 'embedded'}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(report, indent=2))
    else:
        print_table(rows(report), args.format)
    sys.exit(1 if report["errors"] else 0)


if __name__ == "__main__":
    main()
