"""Measure the turn reading on whole labelled conversations (``python -m scoring.eval_readings FILE…``).

The files follow ``tests/scoring/data/conversations/LABELS.md``: one conversation per line, every
candidate turn with its gold reading. Each candidate turn is read with the conversation before it,
as the action server reads it live. Prints one figure per field of the reading contract.

Also runs against an older checkout that has no reading fields: a missing field is predicted the
way that version of the product behaved (the first amount of a turn taken as the offer, every
reformulation confirmed, nobody in particular addressed), so the first look is measured honestly.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from scoring.schema import READING_CONTEXT_TURNS

CONTEXT_TURNS = READING_CONTEXT_TURNS  # as the action server reads a turn live
_FORM_TO_SUBTYPE = {"open": "ouverte", "closed": "fermee", "alternative": "alternative", "leading": "suggestive"}


def load_conversations(paths: list[Path]) -> list[dict[str, Any]]:
    """Conversations from JSON Lines files (one per line)."""
    out: list[dict[str, Any]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def reading_inputs(conv: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One reading input per candidate turn (with the turns before it) and the gold readings."""
    items: list[dict[str, Any]] = []
    golds: list[dict[str, Any]] = []
    turns = conv["turns"]
    genre = {2: "sales", 4: "negotiation", 5: "mediation"}.get(int(conv.get("bloc", 2)))
    for i, turn in enumerate(turns):
        if turn["speaker"] != "candidate":
            continue
        context = [{"speaker": "self" if t["speaker"] == "candidate" else "other", "text": t["text"],
                    **({} if t["speaker"] == "candidate" else {"speaker_id": t["speaker"]})}
                   for t in turns[max(0, i - CONTEXT_TURNS):i]]
        items.append({"id": f"{conv['id']}#{i}", "lang": "fr", "text": turn["text"], "context": context,
                      "genre": genre, "speakers": conv.get("speakers", [])})
        golds.append(turn["gold"])
    return items, golds


def _annotate(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from scoring.annotate import annotate_turns

    try:
        return [a.model_dump() for a in annotate_turns(items)]
    except Exception:  # an older contract refuses the new input keys
        slim = [{k: v for k, v in it.items() if k in ("id", "lang", "text", "context", "genre")} for it in items]
        for it in slim:
            it["context"] = [{"speaker": c["speaker"], "text": c["text"]} for c in it["context"]]
        return [a.model_dump() for a in annotate_turns(slim)]


def _legacy_amounts(text: str) -> list[dict[str, Any]]:
    """How the product read amounts before the reading: the first one was the offer."""
    from scoring.numbers import extract_quantities

    out: list[dict[str, Any]] = []
    for q in extract_quantities(text):
        if q.kind in ("amount", "percentage"):
            role = "own_offer" if not out and q.kind == "amount" else "other"
            out.append({"value": q.value, "unit": "%" if q.kind == "percentage" else "EUR", "role": role})
    return out


def predictions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The reading of every item, with legacy stand-ins for fields an older version lacks."""
    out = []
    for item, pred in zip(items, _annotate(items), strict=True):
        if "question_subtype" not in pred:
            form = pred.get("question_form")
            pred["question_subtype"] = _FORM_TO_SUBTYPE.get(str(form)) if pred.get("is_question") else None
        if "amounts" not in pred:
            pred["amounts"] = _legacy_amounts(item["text"])
        if "addressee" not in pred:
            pred["addressee"] = []
        if "reformulation_accuracy" not in pred:
            pred["reformulation_accuracy"] = "accurate" if pred.get("is_reformulation") else None
        out.append(pred)
    return out


def _prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float, int]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0), tp + fn


def _amount_matches(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(gold amounts, found with the same value and unit, found with the right role too)."""
    found = right = 0
    free = list(pred)
    for g in gold:
        unit = "%" if g.get("unit") == "%" else "EUR"
        match = next((p for p in free if abs(float(p["value"]) - float(g["value"])) < 0.5
                      and ("%" if p.get("unit") == "%" else "EUR") == unit), None)
        if match is None:
            continue
        free.remove(match)
        found += 1
        right += match.get("role") == g.get("role")
    return len(gold), found, right


def figures(convs: list[dict[str, Any]]) -> dict[str, Any]:
    """Every figure of the reading contract on these conversations."""
    golds: list[dict[str, Any]] = []
    preds: list[dict[str, Any]] = []
    multi: list[bool] = []
    for conv in convs:
        items, gold = reading_inputs(conv)
        golds += gold
        preds += predictions(items)
        multi += [len(conv.get("speakers", [])) > 1] * len(gold)
    n = len(golds)
    sub_ok = sum((g.get("question_subtype") or None) == (p.get("question_subtype") or None)
                 for g, p in zip(golds, preds, strict=True))
    q_idx = [i for i, g in enumerate(golds) if g.get("question_type") in ("open", "closed")]
    macro = 0.0
    for lab in ("open", "closed"):
        macro += _prf([golds[i]["question_type"] == lab for i in q_idx],
                      [preds[i].get("question_type") == lab for i in q_idx])[2] / 2
    totals = [_amount_matches(g.get("amounts", []), p.get("amounts", [])) for g, p in zip(golds, preds, strict=True)]
    n_amounts = sum(t[0] for t in totals)
    addr = [i for i in range(n) if multi[i]]
    ref_both = [i for i in range(n) if golds[i]["is_reformulation"] and preds[i].get("is_reformulation")]
    confusion = Counter((golds[i].get("question_subtype"), preds[i].get("question_subtype")) for i in range(n)
                        if (golds[i].get("question_subtype") or None) != (preds[i].get("question_subtype") or None))
    return {
        "conversations": len(convs),
        "candidate_turns": n,
        "question_f1": round(_prf([bool(g["is_question"]) for g in golds],
                                  [bool(p.get("is_question")) for p in preds])[2], 3),
        "question_subtype_accuracy": round(sub_ok / n, 3) if n else None,
        "open_closed_macro_f1": round(macro, 3),
        "amounts": n_amounts,
        "amounts_read": round(sum(t[1] for t in totals) / n_amounts, 3) if n_amounts else None,
        "amount_role_accuracy": round(sum(t[2] for t in totals) / n_amounts, 3) if n_amounts else None,
        "addressee_accuracy_two_speakers": round(sum(sorted(golds[i]["addressee"]) == sorted(preds[i]["addressee"])
                                                     for i in addr) / len(addr), 3) if addr else None,
        "addressee_turns_two_speakers": len(addr),
        "aggression_prf": [round(x, 3) for x in _prf([g["assertiveness"] == "aggressive" for g in golds],
                                                     [p.get("assertiveness") == "aggressive" for p in preds])],
        "reformulation_prf": [round(x, 3) for x in _prf([bool(g["is_reformulation"]) for g in golds],
                                                        [bool(p.get("is_reformulation")) for p in preds])],
        "reformulation_accuracy_judgement": round(sum(golds[i]["reformulation_accuracy"]
                                                      == preds[i].get("reformulation_accuracy") for i in ref_both)
                                                  / len(ref_both), 3) if ref_both else None,
        "reformulations_judged": len(ref_both),
        "subtype_confusions": [f"{g}→{p}: {c}" for (g, p), c in confusion.most_common(8)],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Figures of the turn reading on labelled conversations.")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(figures(load_conversations(args.files)), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
