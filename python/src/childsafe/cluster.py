"""Evaluating a corpus on a Dask cluster (``dask.distributed``): each worker holds one engine,
partitions are classified where they land, and their tallies are merged exactly.

    from dask.distributed import Client, LocalCluster
    import childsafe.cluster
    with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:
        report = childsafe.cluster.evaluate_on_cluster(client, "corpus.jsonl")

Needs ``pip install 'childsafe[dask]'``, and the package and libchildsafe on every worker (workers
find the library as the binding always does; pass ``library=`` to name its path there).
"""

from typing import Any, Dict, List, Optional, Sequence, Tuple

from .corpus import Corpus, LabelledConversation, LabelledMessage
from .evaluation import CorpusInput, Tally, _as_corpus, tally_conversations, tally_messages

try:
    from distributed import Client, WorkerPlugin, get_worker
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError("childsafe.cluster needs dask.distributed: pip install 'dask[distributed]'") from error

__all__ = ["EnginePlugin", "evaluate_on_cluster", "partitions"]

_ATTRIBUTE = "childsafe_engine"


class EnginePlugin(WorkerPlugin):
    """Opens one engine per worker when the worker starts (or joins) and closes it on teardown.

    An engine is immutable and thread-safe, so all of a worker's threads share it.
    """

    name = "childsafe-engine"

    def __init__(self, rules: Optional[str] = None, replace_defaults: bool = False,
                 library: Optional[str] = None) -> None:
        self.rules = rules
        self.replace_defaults = replace_defaults
        self.library = library

    def setup(self, worker: Any) -> None:
        from . import Engine, load_library

        if self.library:
            load_library(self.library)
        setattr(worker, _ATTRIBUTE, Engine(self.rules, replace_defaults=self.replace_defaults))
        worker.childsafe_partitions = 0

    def teardown(self, worker: Any) -> None:
        engine = getattr(worker, _ATTRIBUTE, None)
        if engine is not None:
            engine.close()
            setattr(worker, _ATTRIBUTE, None)


def _tally_partition(part: Tuple[List[LabelledMessage], List[LabelledConversation]]) -> Tally:
    worker = get_worker()
    engine = getattr(worker, _ATTRIBUTE, None)
    if engine is None:
        raise RuntimeError("this worker has no childsafe engine: register childsafe.cluster.EnginePlugin first")
    setattr(worker, "childsafe_partitions", getattr(worker, "childsafe_partitions", 0) + 1)
    messages, conversations = part
    return tally_messages(engine, messages) + tally_conversations(engine, conversations)


def partitions(corpus: Corpus, messages_per_partition: int = 256,
               conversations_per_partition: int = 32) -> List[Tuple[List[LabelledMessage], List[LabelledConversation]]]:
    """Splits a corpus into parts in corpus order: messages first, then conversations."""
    parts: List[Tuple[List[LabelledMessage], List[LabelledConversation]]] = []
    for i in range(0, len(corpus.messages), max(1, messages_per_partition)):
        parts.append((corpus.messages[i:i + messages_per_partition], []))
    for i in range(0, len(corpus.conversations), max(1, conversations_per_partition)):
        parts.append(([], corpus.conversations[i:i + conversations_per_partition]))
    return parts


def evaluate_on_cluster(client: Client, corpus: CorpusInput, *, rules: Optional[str] = None,
                        replace_defaults: bool = False, library: Optional[str] = None,
                        messages_per_partition: int = 256, conversations_per_partition: int = 32) -> Dict[str, Any]:
    """:func:`childsafe.evaluate` on a Dask cluster: the same report, the same figures.

    The corpus is read here (ids checked for duplicates, bad lines become errors), split into
    partitions, and each partition is counted into a :class:`Tally` by a worker with its own engine
    (opened by :class:`EnginePlugin` with ``rules``). Tallies come back in partition order and add
    up exactly, so the report does not depend on the number of workers or partitions. Partitions
    carry message text to the workers; what comes back is counts and ids.
    """
    items = _as_corpus(corpus)
    client.register_plugin(EnginePlugin(rules, replace_defaults, library), name=EnginePlugin.name)
    parts = partitions(items, messages_per_partition, conversations_per_partition)
    futures = client.map(_tally_partition, parts, pure=False)
    tallies: Sequence[Tally] = client.gather(futures)
    total = sum(tallies, Tally())
    settings = {"rules": rules or "embedded", "replace_defaults": replace_defaults, "robustness": False}
    return total.report(settings, items.errors, has_conversations=bool(items.conversations))


def partitions_per_worker(client: Client) -> Dict[str, int]:
    """How many partitions each worker has counted since its engine was opened (for monitoring)."""
    return client.run(lambda dask_worker: getattr(dask_worker, "childsafe_partitions", 0))
