"""Evaluating rules on a labelled corpus with the definitions of `childsafe eval` (docs/evaluation.md).

The work is split in two so that it can run anywhere: :func:`tally_messages` and
:func:`tally_conversations` classify items and count outcomes into a :class:`Tally` (counts and
ids, never text), tallies of disjoint parts add up exactly (``a + b``, in corpus order), and
:meth:`Tally.report` turns the total into the report `childsafe eval --format json` prints.
"""

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .corpus import Corpus, CorpusError, LabelledConversation, LabelledMessage, parse_corpus, read_corpus
from .engine import Engine
from .errors import ChildSafeError

__all__ = ["BUILT_IN_CATEGORIES", "RISK_LEVELS", "SCORE_THRESHOLDS", "Tally", "tally_messages",
           "tally_conversations", "evaluate", "to_frames"]

#: The built-in categories in canonical order; the report lists them all, then any others by name.
BUILT_IN_CATEGORIES = ("age_probe", "risk_check", "secrecy", "isolation", "platform_switch", "personal_info",
                       "image_request", "meeting", "gifts", "flattery", "sexual", "coercion")
RISK_LEVELS = ("none", "low", "medium", "high", "critical")
#: Score thresholds of the sweep: 0.05, 0.10, ..., 0.95.
SCORE_THRESHOLDS = tuple(i / 20 for i in range(1, 20))

_STATUS_CODES = {1: "invalid_argument", 2: "invalid_utf8", 3: "input_too_large", 4: "syntax", 5: "invalid_value",
                 6: "io", 7: "corrupt", 8: "unicode"}


def _counts() -> List[int]:
    return [0, 0, 0, 0]  # tp, fp, fn, tn


def _add(counts: List[int], actual: bool, predicted: bool) -> None:
    counts[(0 if predicted else 2) if actual else (1 if predicted else 3)] += 1


def _sum(a: List[int], b: List[int]) -> List[int]:
    return [x + y for x, y in zip(a, b)]


@dataclass
class Tally:
    """Outcome counts of part of a corpus. ``a + b`` is the tally of ``a``'s items followed by ``b``'s."""

    messages: int = 0
    overall: List[int] = field(default_factory=_counts)
    flagged: List[int] = field(default_factory=_counts)
    risk: List[List[int]] = field(default_factory=lambda: [_counts() for _ in RISK_LEVELS[1:]])
    score: List[List[int]] = field(default_factory=lambda: [_counts() for _ in SCORE_THRESHOLDS])
    #: category -> [tp, fp, fn] (tn follows from the message count).
    categories: Dict[str, List[int]] = field(default_factory=dict)
    false_positives: List[Dict[str, Any]] = field(default_factory=list)
    false_negatives: List[Dict[str, Any]] = field(default_factory=list)
    category_mismatches: List[Dict[str, Any]] = field(default_factory=list)
    #: rule id -> {"category", "hits_pos", "hits_neg", "hits_category"}.
    rules: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    conversations: int = 0
    conversation_counts: List[int] = field(default_factory=_counts)
    latencies: List[int] = field(default_factory=list)
    conversation_false_positives: List[str] = field(default_factory=list)
    conversation_false_negatives: List[str] = field(default_factory=list)
    errors: List[Dict[str, Any]] = field(default_factory=list)

    def __add__(self, other: "Tally") -> "Tally":
        categories = {name: list(c) for name, c in self.categories.items()}
        for name, c in other.categories.items():
            categories[name] = [x + y for x, y in zip(categories.get(name, [0, 0, 0]), c)]
        rules = {rid: dict(r) for rid, r in self.rules.items()}
        for rid, r in other.rules.items():
            if rid in rules:
                for key in ("hits_pos", "hits_neg", "hits_category"):
                    rules[rid][key] += r[key]
            else:
                rules[rid] = dict(r)
        return Tally(
            messages=self.messages + other.messages,
            overall=_sum(self.overall, other.overall), flagged=_sum(self.flagged, other.flagged),
            risk=[_sum(a, b) for a, b in zip(self.risk, other.risk)],
            score=[_sum(a, b) for a, b in zip(self.score, other.score)],
            categories=categories,
            false_positives=self.false_positives + other.false_positives,
            false_negatives=self.false_negatives + other.false_negatives,
            category_mismatches=self.category_mismatches + other.category_mismatches,
            rules=rules,
            conversations=self.conversations + other.conversations,
            conversation_counts=_sum(self.conversation_counts, other.conversation_counts),
            latencies=self.latencies + other.latencies,
            conversation_false_positives=self.conversation_false_positives + other.conversation_false_positives,
            conversation_false_negatives=self.conversation_false_negatives + other.conversation_false_negatives,
            errors=self.errors + other.errors,
        )

    def add_message(self, message: LabelledMessage, verdict: Dict[str, Any]) -> None:
        """Counts one message's verdict (a dict as :meth:`Engine.check` returns)."""
        labels, found = list(message.labels), list(verdict["categories"])
        actual, detected = bool(labels), bool(found)
        rules: List[Tuple[str, str]] = []
        for match in verdict.get("matches", []):
            if all(match["rule"] != rule for rule, _ in rules):
                rules.append((match["rule"], match["category"]))
        self.messages += 1
        _add(self.overall, actual, detected)
        _add(self.flagged, actual, bool(verdict["flagged"]))
        level = RISK_LEVELS.index(verdict["risk"])
        for i, counts in enumerate(self.risk):
            _add(counts, actual, level >= i + 1)
        for counts, threshold in zip(self.score, SCORE_THRESHOLDS):
            _add(counts, actual, verdict["score"] >= threshold)
        for name in set(labels) | set(found):
            counts = self.categories.setdefault(name, [0, 0, 0])
            is_label, is_found = name in labels, name in found
            counts[0 if is_label and is_found else 1 if is_found else 2] += 1
        if not actual and detected:
            self.false_positives.append({"id": message.id, "categories": found, "rules": [r for r, _ in rules]})
        if actual and not detected:
            self.false_negatives.append({"id": message.id, "labels": labels})
        if actual and detected:
            missed = [c for c in labels if c not in found]
            extra = [c for c in found if c not in labels]
            if missed or extra:
                self.category_mismatches.append(
                    {"id": message.id, "missed": missed, "extra": extra, "rules": [r for r, _ in rules]})
        for rule, category in rules:
            stats = self.rules.setdefault(rule, {"category": category, "hits_pos": 0, "hits_neg": 0,
                                                 "hits_category": 0})
            stats["hits_pos" if actual else "hits_neg"] += 1
            stats["hits_category"] += category in labels

    def add_conversation(self, conversation: LabelledConversation, verdict: Dict[str, Any]) -> None:
        """Counts one conversation's final running verdict; flagged at any point counts."""
        flagged = bool(verdict["flagged"]) or verdict.get("flagged_at") is not None
        self.conversations += 1
        _add(self.conversation_counts, conversation.is_grooming, flagged)
        if conversation.is_grooming and flagged and conversation.onset is not None \
                and verdict.get("flagged_at") is not None:
            self.latencies.append(verdict["flagged_at"] - conversation.onset)
        if flagged and not conversation.is_grooming:
            self.conversation_false_positives.append(conversation.id)
        if conversation.is_grooming and not flagged:
            self.conversation_false_negatives.append(conversation.id)

    def add_error(self, kind: str, item: Union[LabelledMessage, LabelledConversation], error: ChildSafeError) -> None:
        file, line = item.origin or (None, None)
        self.errors.append({"file": file, "line": line, "code": _STATUS_CODES.get(error.status, "internal"),
                            "message": f"{kind} {item.id}: {error.message}"})

    def report(self, settings: Optional[Dict[str, Any]] = None, corpus_errors: Sequence[CorpusError] = (),
               has_conversations: Optional[bool] = None) -> Dict[str, Any]:
        """The report as `childsafe eval --format json` prints it (ratios rounded to four decimals).

        ``rules`` lists the rules that fired (the C library cannot list the rules that did not),
        so ``rules_never_fired`` is None. ``conversations`` is present when any conversation was
        evaluated (or ``has_conversations`` says so).
        """
        errors = [e.as_dict() for e in corpus_errors] + self.errors
        report: Dict[str, Any] = {
            "schema": "childsafe-eval/1",
            "settings": dict(settings or {"rules": "embedded", "replace_defaults": False}, **{"seed": 1}),
            "corpus": {"messages": self.messages, "conversations": self.conversations, "errors": len(errors)},
            "messages": self._messages_report(),
            "rules": [self._rule_report(rid) for rid in sorted(self.rules)],
            "rules_never_fired": None,
            "thresholds": {
                "flagged": _point(self.flagged),
                "risk": [dict({"level": level}, **_point(c)) for level, c in zip(RISK_LEVELS[1:], self.risk)],
                "score": [dict({"threshold": t}, **_point(c)) for t, c in zip(SCORE_THRESHOLDS, self.score)],
            },
        }
        if self.conversations or has_conversations:
            report["conversations"] = self._conversations_report()
        report["errors"] = errors
        return _rounded(report)

    def _category_order(self) -> List[str]:
        return list(BUILT_IN_CATEGORIES) + sorted(c for c in self.categories if c not in BUILT_IN_CATEGORIES)

    def _messages_report(self) -> Dict[str, Any]:
        tp, fp, fn, tn = self.overall
        categories: Dict[str, Any] = {}
        micro = [0, 0, 0]
        active: List[Tuple[Optional[float], Optional[float], Optional[float]]] = []
        for name in self._category_order():
            ctp, cfp, cfn = self.categories.get(name, [0, 0, 0])
            micro = [micro[0] + ctp, micro[1] + cfp, micro[2] + cfn]
            p, r, f = _scores(ctp, cfp, cfn)
            categories[name] = {"precision": p, "recall": r, "f1": f, "support": ctp + cfn, "tp": ctp, "fp": cfp,
                                "fn": cfn}
            if ctp + cfn > 0 or ctp + cfp > 0:
                active.append((p, r, f))
        mp, mr, mf = _scores(*micro)
        macro: Dict[str, Optional[float]] = {"precision": None, "recall": None, "f1": None}
        if active:
            for i, key in enumerate(("precision", "recall", "f1")):
                macro[key] = sum(values[i] or 0.0 for values in active) / len(active)
        precision, recall, f1 = _scores(tp, fp, fn)
        return {
            "count": self.messages, "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "recall": recall, "f1": f1, "f05": _f_score(precision, recall, 0.5),
            "categories": categories,
            "micro": {"precision": mp, "recall": mr, "f1": mf},
            "macro": macro,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
            "category_mismatches": self.category_mismatches,
        }

    def _rule_report(self, rule: str) -> Dict[str, Any]:
        r = self.rules[rule]
        hits = r["hits_pos"] + r["hits_neg"]
        return {"id": rule, "category": r["category"], "hits_pos": r["hits_pos"], "hits_neg": r["hits_neg"],
                "precision": _ratio(r["hits_pos"], hits), "hits_category": r["hits_category"],
                "category_precision": _ratio(r["hits_category"], hits)}

    def _conversations_report(self) -> Dict[str, Any]:
        tp, fp, fn, tn = self.conversation_counts
        precision, recall, f1 = _scores(tp, fp, fn)
        latencies = sorted(self.latencies)
        median = p90 = before = None
        if latencies:
            middle = len(latencies) // 2
            median = float(latencies[middle]) if len(latencies) % 2 else (latencies[middle - 1] + latencies[middle]) / 2
            rank = (90 * len(latencies) + 99) // 100  # nearest rank, in integers
            p90 = float(latencies[min(max(rank, 1), len(latencies)) - 1])
            before = sum(1 for x in latencies if x < 0) / len(latencies)
        return {
            "count": tp + fp + fn + tn, "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": precision, "recall": recall, "f1": f1, "false_alarm_rate": _ratio(fp, fp + tn),
            "latency_median": median, "latency_p90": p90, "flagged_before_onset": before,
            "false_positives": self.conversation_false_positives,
            "false_negatives": self.conversation_false_negatives,
        }


def _ratio(numerator: int, denominator: int) -> Optional[float]:
    return None if denominator == 0 else numerator / denominator


def _f_score(p: Optional[float], r: Optional[float], beta: float) -> Optional[float]:
    if p is None or r is None:
        return None
    b2 = beta * beta
    denominator = b2 * p + r
    return 0.0 if denominator == 0 else (1 + b2) * p * r / denominator


def _scores(tp: int, fp: int, fn: int) -> Tuple[Optional[float], Optional[float], Optional[float]]:
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return p, r, _f_score(p, r, 1.0)


def _point(c: List[int]) -> Dict[str, Any]:
    tp, fp, fn, tn = c
    return {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def _round4(x: float) -> float:
    # As the CLI rounds: x * 10000 to the nearest whole number, halves away from zero.
    if not math.isfinite(x):
        return x
    return float(Decimal(x * 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP)) / 10000


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return _round4(value)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def tally_messages(engine: Engine, messages: Iterable[LabelledMessage]) -> Tally:
    """Classifies messages as `childsafe eval` does (language only, chat context) and counts them.

    A message the library rejects (invalid UTF-8, too large) becomes an error; the rest count.
    """
    tally = Tally()
    for message in messages:
        try:
            verdict = engine.check_exact(message.text, lang=message.lang)
        except ChildSafeError as error:
            tally.add_error("message", message, error)
            continue
        tally.add_message(message, verdict)
    return tally


def tally_conversations(engine: Engine, conversations: Iterable[LabelledConversation]) -> Tally:
    """Feeds each conversation to its own tracker in order and counts its final running verdict."""
    tally = Tally()
    for conversation in conversations:
        try:
            with engine.conversation(conversation.id) as tracker:
                for index, (_, _, text) in enumerate(conversation.messages):
                    tracker.add(text, **conversation.context(index))
                verdict = tracker.verdict()
        except ChildSafeError as error:
            tally.add_error("conversation", conversation, error)
            continue
        tally.add_conversation(conversation, verdict)
    return tally


def _chunks(items: Sequence[Any], size: int) -> List[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [items]


CorpusInput = Union[str, "os.PathLike[str]", Corpus, Iterable[Dict[str, Any]], Sequence[Union[str, "os.PathLike[str]"]]]


def _as_corpus(corpus: CorpusInput) -> Corpus:
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, (str, os.PathLike)):
        return read_corpus(corpus)
    items = list(corpus)
    paths = [item for item in items if isinstance(item, (str, os.PathLike))]
    if len(paths) == len(items):
        return read_corpus(*paths)
    import json

    return parse_corpus((json.dumps(item) for item in items), source="<records>")


def evaluate(corpus: CorpusInput, engine: Optional[Engine] = None, *, rules: Optional[str] = None,
             replace_defaults: bool = False, jobs: int = 1, frames: bool = False) -> Dict[str, Any]:
    """Evaluates rules on a labelled corpus; the figures of `childsafe eval --format json`.

    Args:
        corpus: a path (file or directory of ``*.jsonl``), a list of paths, a :class:`Corpus`, or
            records (dicts in the corpus format).
        engine: the engine to evaluate; by default one opened with ``rules`` and ``replace_defaults``
            (None: the embedded rule packs), as `childsafe eval --rules DIR` does.
        jobs: threads classifying at once (one engine is shared; results do not depend on it).
        frames: also add ``"frames"``, the report as pandas DataFrames (see :func:`to_frames`).

    Returns:
        The report as a plain dict with the keys and definitions of docs/evaluation.md: ``messages``
        (counts, precision, recall, F1, F0.5, per category, micro, macro, mistakes by id), ``rules``,
        ``thresholds`` and, when the corpus has conversations, ``conversations``.
    """
    items = _as_corpus(corpus)
    own_engine = engine is None
    if engine is None:
        engine = Engine(rules, replace_defaults=replace_defaults)
    try:
        settings = {"rules": engine.rules_path or "embedded", "replace_defaults": engine.replace_defaults,
                    "robustness": False}
        message_parts = _chunks(items.messages, 64)
        conversation_parts = _chunks(items.conversations, 8)
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            tallies = list(pool.map(lambda part: tally_messages(engine, part), message_parts))
            tallies += list(pool.map(lambda part: tally_conversations(engine, part), conversation_parts))
    finally:
        if own_engine:
            engine.close()
    total = sum(tallies, Tally())
    report = total.report(settings, items.errors, has_conversations=bool(items.conversations))
    if frames:
        report["frames"] = to_frames(report)
    return report


def to_frames(report: Dict[str, Any]) -> Dict[str, Any]:
    """The report as pandas DataFrames: ``summary`` (one row per message/conversation measure),
    ``categories`` (one row per category), ``thresholds``, ``rules``, and ``mistakes``.

    Raises:
        ImportError: pandas is not installed (``pip install 'childsafe[pandas]'``).
    """
    try:
        import pandas as pd
    except ImportError as error:
        raise ImportError("to_frames needs pandas: pip install pandas (or 'childsafe[pandas]')") from error
    messages = report["messages"]
    summary_keys = ("count", "positives", "tp", "fp", "fn", "tn", "precision", "recall", "f1")
    summary = [dict({"level": "messages"}, **{k: messages[k] for k in summary_keys}, f05=messages["f05"])]
    if "conversations" in report:
        c = report["conversations"]
        summary.append(dict({"level": "conversations"}, **{k: c[k] for k in summary_keys},
                            false_alarm_rate=c["false_alarm_rate"], latency_median=c["latency_median"],
                            latency_p90=c["latency_p90"]))
    categories = pd.DataFrame([dict({"category": name}, **values) for name, values in messages["categories"].items()])
    thresholds = pd.DataFrame(
        [dict({"decision": "flagged"}, **report["thresholds"]["flagged"])]
        + [dict({"decision": f"risk>={p['level']}"}, **{k: v for k, v in p.items() if k != "level"})
           for p in report["thresholds"]["risk"]]
        + [dict({"decision": f"score>={p['threshold']}"}, **{k: v for k, v in p.items() if k != "threshold"})
           for p in report["thresholds"]["score"]])
    mistakes = pd.DataFrame(
        [{"kind": "false_positive", "id": m["id"], "categories": m["categories"], "rules": m["rules"]}
         for m in messages["false_positives"]]
        + [{"kind": "false_negative", "id": m["id"], "labels": m["labels"]} for m in messages["false_negatives"]]
        + [dict({"kind": "category_mismatch"}, **m) for m in messages["category_mismatches"]],
        columns=["kind", "id", "labels", "categories", "missed", "extra", "rules"])
    return {
        "summary": pd.DataFrame(summary).set_index("level"),
        "categories": categories.set_index("category"),
        "thresholds": thresholds.set_index("decision"),
        "rules": pd.DataFrame(report["rules"], columns=["id", "category", "hits_pos", "hits_neg", "precision",
                                                         "hits_category", "category_precision"]).set_index("id"),
        "mistakes": mistakes,
    }
