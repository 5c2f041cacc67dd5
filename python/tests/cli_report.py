"""Comparing a report of `childsafe.evaluate` with the one `childsafe eval --format json` prints."""

import json
import subprocess


def cli_report(cli, *corpus_paths, rules=None):
    arguments = [cli, "eval", "--format", "json"]
    for path in corpus_paths:
        arguments += ["--corpus", str(path)]
    if rules:
        arguments += ["--rules", str(rules)]
    run = subprocess.run(arguments, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def comparable(report):
    """The report without what the C library cannot tell: the rules that never fired (the C API
    does not list rule ids), so only rules with hits are compared, in order, with every figure."""
    report = json.loads(json.dumps(report))  # a deep copy, and tuples become lists
    report["rules"] = [rule for rule in report["rules"] if rule["hits_pos"] + rule["hits_neg"] > 0]
    report["rules_never_fired"] = None
    report.pop("frames", None)
    return report


def assert_same_figures(python_report, cli_json):
    expected, got = comparable(cli_json), comparable(python_report)
    assert list(got) == list(expected)  # same keys in the same order
    for key in expected:
        assert got[key] == expected[key], f"{key} differs"
    assert list(got["messages"]["categories"]) == list(expected["messages"]["categories"])
