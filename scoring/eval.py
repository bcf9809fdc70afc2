"""Evaluation against annotated JSON Lines: ``python -m scoring.eval FILE [FILE…]``.

Prints precision / recall / F1 per label next to trivial baselines (« ? » for questions, wh-words for
open/closed, opening phrases for reformulations). A development tool: nothing at run time reads
evaluation data.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scoring.annotate import TurnAnnotation, annotate_turns

_WH = {"en": re.compile(r"^\W*(?:\w+\W+){0,2}?(what|how|why|tell me|describe|explain)\b", re.I),
       "fr": re.compile(r"^\W*(?:\w+\W+){0,2}?(comment|pourquoi|qu['’]|que|quoi|quel|parlez|décrivez|racontez)",
                        re.I)}
_REF = {"en": re.compile(r"^\W*(so you|it sounds like)", re.I),
        "fr": re.compile(r"(si je comprends bien|autrement dit|vous voulez dire|en d'autres termes)", re.I)}
_SUM = re.compile(r"(pour résumer|en résumé|pour conclure|to sum up|in summary)", re.I)


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float, int]:
    """Precision, recall, F1 of the positive class, and its support."""
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum((not g) and p for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1, tp + fn


def macro_f1(gold: list[str], pred: list[str | None], labels: tuple[str, ...]) -> float:
    """Mean F1 over ``labels``."""
    return sum(prf([g == lab for g in gold], [p == lab for p in pred])[2] for lab in labels) / len(labels)


def _line(name: str, scores: tuple[float, float, float, int], base: tuple[float, float, float, int]) -> str:
    p, r, f, n = scores
    bp, br, bf, _ = base
    return f"  {name:<22} P={p:.3f} R={r:.3f} F1={f:.3f} (n={n})   baseline P={bp:.3f} R={br:.3f} F1={bf:.3f}"


def evaluate(rows: list[dict[str, Any]], preds: list[TurnAnnotation]) -> list[str]:
    """Report lines for one file."""
    out: list[str] = []
    lang = rows[0].get("lang", "fr") if rows else "fr"

    def labelled(key: str) -> list[int]:
        return [i for i, r in enumerate(rows) if key in r.get("gold", {})]

    def binary(key: str, name: str, pred: Callable[[int], bool], base: Callable[[int], bool]) -> None:
        idx = labelled(key)
        if not idx:
            return
        gold = [bool(rows[i]["gold"][key]) for i in idx]
        out.append(_line(name, prf(gold, [pred(i) for i in idx]), prf(gold, [base(i) for i in idx])))

    binary("is_question", "is_question", lambda i: preds[i].is_question, lambda i: "?" in rows[i]["text"])
    idx = [i for i in labelled("question_type") if rows[i]["gold"]["question_type"] in ("open", "closed")]
    if idx:
        gold = [rows[i]["gold"]["question_type"] for i in idx]
        pred: list[str | None] = [preds[i].question_type for i in idx]
        base = ["open" if _WH.get(lang, _WH["en"]).search(rows[i]["text"]) else "closed" for i in idx]
        out.append(f"  {'open/closed macro-F1':<22} {macro_f1(gold, pred, ('open', 'closed')):.3f} (n={len(idx)})"
                   f"   baseline {macro_f1(gold, list(base), ('open', 'closed')):.3f}")
        for lab in ("open", "closed"):
            out.append(_line(f"  {lab}", prf([g == lab for g in gold], [p == lab for p in pred]),
                             prf([g == lab for g in gold], [b == lab for b in base])))
    binary("is_reformulation", "is_reformulation", lambda i: preds[i].is_reformulation,
           lambda i: bool(_REF.get(lang, _REF["en"]).search(rows[i]["text"])))
    binary("is_summary", "is_summary", lambda i: preds[i].is_summary, lambda i: bool(_SUM.search(rows[i]["text"])))
    idx = labelled("assertiveness")
    if idx:
        for lab in ("assertive", "aggressive", "passive"):
            gold_b = [rows[i]["gold"]["assertiveness"] == lab for i in idx]
            if not any(gold_b):
                continue
            out.append(_line(f"assertiveness={lab}", prf(gold_b, [preds[i].assertiveness == lab for i in idx]),
                             prf(gold_b, [lab == "assertive" for _ in idx])))
    return out


def _transcript(row: dict[str, Any]) -> tuple[int, str]:
    key = str(row.get("id", "")).rsplit("-", 1)[0]
    tail = key.rsplit("-", 1)[-1]
    return (int(tail), key) if tail.isdigit() else (-1, key)


def halves(rows: list[dict[str, Any]]) -> list[int]:
    """0 (half A) or 1 (half B) per row: transcripts in sorted order alternate between the halves."""
    rank = {t: k for k, t in enumerate(sorted({_transcript(r) for r in rows}))}
    return [rank[_transcript(r)] % 2 for r in rows]


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m scoring.eval", description=__doc__)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--genre", choices=["sales", "negotiation", "mediation", "counselling"], default=None,
                        help="kind of conversation for lines without a 'genre' field (default: language default)")
    parser.add_argument("--errors", type=str, default="", help="print misclassified ids for this gold key")
    parser.add_argument("--halves", action="store_true",
                        help="also report two halves split by transcript (id prefix before the last '-'; "
                             "sorted transcripts alternate A, B): tune on A, check on B")
    args = parser.parse_args(argv)
    for path in args.files:
        rows = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
        t0 = time.perf_counter()
        preds = annotate_turns([{**{k: r[k] for k in ("id", "lang", "text", "context") if k in r},
                                 "genre": r.get("genre") or args.genre} for r in rows])
        dt = time.perf_counter() - t0
        print(f"{path}: {len(rows)} utterances, annotated in {dt:.1f} s")
        print("\n".join(evaluate(rows, preds)))
        if args.halves:
            half = halves(rows)
            for name, keep in (("A", 0), ("B", 1)):
                idx = [i for i in range(len(rows)) if half[i] == keep]
                print(f"  half {name} ({len(idx)} utterances):")
                print("\n".join("  " + x for x in evaluate([rows[i] for i in idx], [preds[i] for i in idx])))
        if args.errors:
            for r, p in zip(rows, preds, strict=True):
                g = r["gold"].get(args.errors)
                v = getattr(p, args.errors)
                if g is not None and g != v:
                    print(f"    {r['id']}: gold={g} pred={v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
