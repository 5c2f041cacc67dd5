"""Examples/python/dask_evaluate.py on a local Dask cluster of two workers gives the figures of
`childsafe eval` on the same corpus."""

import json
import os
import subprocess
import sys

import pytest

from cli_report import assert_same_figures, cli_report

pytest.importorskip("distributed", reason="dask.distributed is not installed")

EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Examples", "python",
                       "dask_evaluate.py")


def _run_example(*arguments):
    run = subprocess.run([sys.executable, EXAMPLE, *map(str, arguments)], capture_output=True, text=True,
                         timeout=240, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    per_worker = json.loads(run.stderr.split("partitions per worker: ", 1)[1].splitlines()[0])
    return json.loads(run.stdout), per_worker


def test_two_workers_give_the_cli_figures(cli, example_corpus):
    messages = example_corpus / "messages.jsonl"
    # 42 messages in partitions of 5: nine partitions shared by the two workers.
    report, per_worker = _run_example("--workers", 2, "--partition-size", 5, "--format", "json", messages)
    assert len(per_worker) == 2 and sum(per_worker.values()) == 9
    assert report["corpus"]["messages"] == 42
    assert_same_figures(report, cli_report(cli, messages))


def test_conversations_too(cli, example_corpus):
    report, _ = _run_example("--workers", 2, "--partition-size", 8, "--format", "json", example_corpus)
    assert report["conversations"]["count"] == 6
    assert_same_figures(report, cli_report(cli, example_corpus))
