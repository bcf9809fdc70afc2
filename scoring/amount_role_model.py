"""A fitted reader of whose figure each amount is: the candidate's offer now, the partner's, or other.

The cue rules of ``scoring.amount_roles`` decide from the one cue nearest before a figure; a turn such
as « 250 000 c'est trop bas, je peux faire 265 000 si… » or « Vous payez 520 € aujourd'hui » needs
several weak signs at once (who is the subject of the clause, a « si » condition, a refusal after
the figure, a past tense, whether the partner or the candidate said that value before). A small
multinomial logistic regression weighs them, with the rule reader's own decision as one feature.

Features per amount are strings hashed into a fixed number of buckets (no vocabulary to ship): the
rule decision and the cue families around the figure, the words and word pairs just before and
after it in its clause, the subject pronoun of the clause, conditional, past and refusal signs, the
same value said earlier by the partner or by the candidate, the figure's place among the turn's
figures, percent or euro, and a bare-offer turn. Regular expressions on the text only: no spaCy
pass, a few hundred microseconds per turn.

ConvoKit's shape: settings in the constructor, ``fit`` then ``transform``. Training is full-batch
gradient descent from zero weights on a fixed order of examples, so a refit gives the same weights.
The weights ship in ``scoring/models/amount_roles_fr.npz``; refit (and print the cross-validated
figures, 5 folds of whole conversations) with ``python -m scoring.amount_role_model``. Without the
file ``scoring.amount_roles`` keeps the rule decision.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scoring.lexicon import Lexicon

if TYPE_CHECKING:
    from scoring.amount_roles import AmountReading, Spots

# Figures of the context in order: (speaker "self"/"other", turns ago, value, words before, words after).
Mentions = list[tuple[str, int, float, str, str]]

MODEL_PATH = Path(__file__).parent / "models" / "amount_roles_fr.npz"
ROLES = ("own_offer", "partner_figure", "other")
_TOKEN = re.compile(r"[a-zà-ÿœæ]+'?|\d+(?:[.,]\d+)?|[?!:;/=%€]", re.I)
_CLAUSE_END = re.compile(r"[.!?;…\n]|\s[-–—]\s")
_FIRST = {"je", "j'", "nous", "on", "moi", "me", "m'", "mon", "ma", "mes", "notre", "nos"}
_SECOND = {"vous", "tu", "t'", "toi", "votre", "vos", "ton", "ta", "tes"}
_THIRD = {"il", "ils", "elle", "elles", "concurrent", "concurrents", "concurrence", "eux", "leur", "leurs"}
_NEG = {"pas", "jamais", "trop", "non", "impossible", "ridicule", "plus", "ni", "sous", "dessous", "bas"}
_PAST = re.compile(r"\b(?:l'an|l'année|dernier|dernière|avant|avais|avait|avions|aviez|étais|était|étions|"
                   r"étiez|tout à l'heure|initialement|au départ|actuel\w*|aujourd'hui|déjà)\b", re.I)
_NAME_SUBJECT = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zà-ÿ]+\s+(?:vous\s+|nous\s+|leur\s+|lui\s+)?[a-zà-ÿ]+"
                           r"(?:\s+[a-zà-ÿ]+)?\s*(?:à\s+|de\s+)?$")
_COND = re.compile(r"\b(?:si|s'il|à condition|en échange|moyennant|contre)\b", re.I)
_FAMILIES_LEFT = ("amount_own", "amount_partner", "amount_recalled", "amount_third", "amount_limit_before",
                  "amount_computed", "amount_effect_before")
_FAMILIES_RIGHT = ("amount_refused_after", "amount_accept", "amount_measure_after", "amount_own",
                   "amount_effect_after")
# Readable names of the features a juror may see as evidence of the model's decision.
_NAMES = {"subj=1": "sujet je/nous/on", "subj=2": "sujet vous/tu", "subj=3": "un tiers pour sujet",
          "subj_name": "un nom propre pour sujet",
          "cond": "une condition (« si… »)", "past": "un temps ou repère passé", "neg_right": "un refus après",
          "neg_left": "une négation avant", "in_partner": "valeur déjà dite par l'interlocuteur",
          "in_partner_last": "valeur de la dernière réplique de l'interlocuteur",
          "in_own": "valeur déjà dite par le candidat", "bare": "réplique réduite au montant",
          "question": "montant mis en question", "unit=%": "pourcentage", "unit=EUR": "montant en euros",
          "max": "le plus haut des montants", "min": "le plus bas des montants", "mid": "montant intermédiaire",
          "cond_turn": "une condition dans la réplique", "subj=none": "sans sujet exprimé"}


# The rule decision stands when it rests on an explicit cue just before the figure of these families
# (« vous êtes à… »): the model learned that a partner figure is nearly always one said in the
# context window, which is false when the context is short.
RULE_STANDS = frozenset({"left_fam=amount_partner"})
# A figure the rules call « other » on an explicit cue (a third party, a recalled price, a limit, a
# refusal after it) never becomes the offer on the model's word: a false offer is the costliest
# error for the engine (the persona would react to a competitor's price). Measured on the grouped
# CV: both guards together 0.704 against 0.699 for the model alone.
OTHER_CUES = frozenset({"left_fam=amount_third", "left_fam=amount_recalled", "left_fam=amount_limit_before",
                        "right_fam=amount_refused_after", "left_fam=amount_effect_before",
                        "right_fam=amount_effect_after"})


# A figure refused right after it (« 181 000 €, c'est sous nos coûts ») is « other » whoever said it
# first (LABELS.md); set D's labellers wrote « partner_figure » for 4 of its 13 such figures, the other
# sets for 4 of 17: the fit must not learn that exception.
REFUSED = "right_fam=amount_refused_after"


def decide(probs: np.ndarray, rows: list[list[str]]) -> list[tuple[str, float]]:
    """The role of each amount (rows follow ``amount_features``) and the model's confidence; the rule's
    role where the guards above say so (confidence 0)."""
    out: list[tuple[str, float]] = []
    for p, feats in zip(probs, rows, strict=True):
        rule = next(f.removeprefix("rule=") for f in feats if f.startswith("rule="))
        role = ROLES[int(np.argmax(p))]
        if RULE_STANDS.intersection(feats) or (rule == "other" and role == "own_offer"
                                               and OTHER_CUES.intersection(feats)) or (
                rule == "other" and REFUSED in feats):
            out.append((rule, 0.0))
        else:
            out.append((role, float(np.max(p))))
    return out


def _tokens(text: str) -> list[str]:
    """Lower-cased words; every number is « # » (the value itself says nothing about its owner)."""
    return ["#" if t[0].isdigit() else t.lower() for t in _TOKEN.findall(text.replace("’", "'"))]


def _close(value: float, figures: list[float], tolerance: float = 0.005) -> bool:
    return any(abs(value - f) <= tolerance * max(abs(f), 1.0) for f in figures)


def _scaled(value: float, figures: list[float]) -> bool:
    """The value, or the value in thousands (« 195 » for 195 000 €), is among ``figures``."""
    return _close(value, figures) or (value < 1000 and _close(value * 1000, figures))


def _said(value: float, spots: Spots) -> list[str]:
    """The words before the latest earlier mention of ``value`` (or of it in thousands), or []."""
    for v, before in reversed(spots):
        if _scaled(value, [v]):
            return _tokens(before)[-3:] or ["<début>"]
    return []


def _mention_cues(lex: Lexicon, before: str, after: str) -> list[str]:
    """Cue families around an earlier mention of a figure (the partner's « le concurrent est à… »,
    « 190 000, c'est trop bas »)."""
    out = [c.family for c in lex.find_cues(before[-35:], _FAMILIES_LEFT)[-1:]]
    out += [c.family for c in lex.find_cues(after[:30], ("amount_refused_after", "amount_accept"))]
    if any(t in _NEG for t in _tokens(after)[:4]):
        out.append("neg")
    return out


def history_features(lex: Lexicon, value: float, unit: str, mentions: Mentions) -> list[str]:
    """What the conversation before says of this value: who said it first and last and how long ago,
    what was said around it (a third party's, a refusal), and where it lies against the latest
    figures of each side (a value between the two positions is a concession; one equal to an older
    figure of one side, since replaced, is a position recalled)."""
    f: list[str] = []
    same = [m for m in mentions if _scaled(value, [m[2]])]
    if not same:
        f.append("h:new")
    else:
        first, last = same[0], same[-1]
        f.append(f"h:first={first[0]}")
        f.append(f"h:last={last[0]}")
        f.append(f"h:first={first[0]}:ago={min(first[1], 4)}")
        if {m[0] for m in same} == {"self", "other"}:
            f.append("h:both")
        for m in same:
            f.extend(f"h:{m[0]}:{c}" for c in _mention_cues(lex, m[3], m[4]))
    if unit == "%":
        return f
    scale = [m for m in mentions if m[2] and 0.5 <= value / m[2] <= 2.0]
    latest = {who: next((m for m in reversed(scale) if m[0] == who), None) for who in ("self", "other")}
    for who, newest in latest.items():
        if newest is None:
            continue
        if _scaled(value, [newest[2]]):
            f.append(f"h:latest_{who}")
        elif any(_scaled(value, [x[2]]) for x in scale if x[0] == who):
            f.append(f"h:older_{who}")  # that side said it, then moved
    mine, theirs = latest["self"], latest["other"]
    if mine is not None and theirs is not None and mine[2] != theirs[2]:
        low, high = sorted((mine[2], theirs[2]))
        if low < value < high and not _scaled(value, [low, high]):
            f.append("h:between")
        elif not _scaled(value, [low, high]):
            f.append("h:outside")
    return f


_COMPARE = re.compile(r"\b(?:contre|au lieu de|par rapport|plus cher|moins cher|plus que|moins que|écart|"
                      r"différence|comparé|alors que|versus|vs|d'économie|de moins|de plus|de gagné|de perdu)\b",
                      re.I)


_ECHO = re.compile(r"^\s*(?:€|euros?|k€|k|%|ht|ttc|balles)?\s*(?:ht|ttc)?\s*\?", re.I)
_ARITH = re.compile(r"(?:\bsur (?:les |vos |ses |leurs |nos )?|\bde (?=\d)|[/x×*+=]\s*|\bfois |\bdivisé par |\bplus |"
                    r"\bmoins )$|^\s*(?:€|euros?|%)?\s*(?:ht\s*)?(?:[/x×*+=]|fois\b|divisé\b|plus\b|moins\b|sur\b)",
                    re.I)


def amount_features(lex: Lexicon, text: str, amounts: list[AmountReading], partner: Spots,
                    partner_last: Spots, own: Spots, mentions: Mentions | None = None,
                    genre: str | None = None) -> list[list[str]]:
    """The feature strings of each amount of one turn (the amounts as the rule reader left them);
    ``mentions`` the context's figures in order (``amount_roles.rule_context``), ``genre`` the kind
    of conversation (a mediation has no offer to make, a sales talk states list prices)."""
    out: list[list[str]] = []
    recap = bool(lex.find_cues(text, ("summary",)))
    words = len(text.split())
    values = [a.value for a in amounts if a.unit != "%"]
    for i, a in enumerate(amounts):
        start = max(0, a.start - 70)
        for m in _CLAUSE_END.finditer(text, start, a.start):
            start = m.end()
        m_end = _CLAUSE_END.search(text, a.end, min(len(text), a.end + 50))
        end = m_end.start() if m_end else min(len(text), a.end + 50)
        left, right = text[start:a.start], text[a.end:end]
        lt, rt = _tokens(left)[-6:], _tokens(right)[:5]
        f = ["bias", f"rule={a.role}", f"unit={'%' if a.unit == '%' else 'EUR'}"]
        if genre:
            f += [f"genre={genre}", f"genre={genre}:rule={a.role}"]
        fams = lex.find_cues(left, _FAMILIES_LEFT)
        if fams:
            nearest = max(fams, key=lambda c: c.end)
            f.append(f"left_fam={nearest.family}")
            f.extend(f"left_any={c.family}" for c in fams)
        f.extend(f"right_fam={c.family}" for c in lex.find_cues(right[:35], _FAMILIES_RIGHT))
        f.extend(f"L:{t}" for t in lt)
        f.extend(f"L2:{x} {y}" for x, y in itertools.pairwise(lt))
        if lt:
            f.append(f"L1={lt[-1]}")
        f.extend(f"R:{t}" for t in rt)
        f.extend(f"R2:{x} {y}" for x, y in itertools.pairwise(rt))
        if rt:
            f.append(f"R1={rt[0]}")
        subject = next((s for t in reversed(_tokens(left)) for s, group in
                        (("subj=1", _FIRST), ("subj=2", _SECOND), ("subj=3", _THIRD)) if t in group), None)
        f.append(subject or "subj=none")
        if _NAME_SUBJECT.search(left[-35:]):
            f.append("subj_name")  # « Maintenix vous facturait », « Julie prend »: a named third party
        if _COND.search(left) or _COND.search(right):
            f.append("cond")
        if _COND.search(text):
            f.append("cond_turn")
        if _PAST.search(left) or _PAST.search(right[:25]):
            f.append("past")
        if any(t in _NEG for t in rt):
            f.append("neg_right")
        if any(t in ("ne", "n'", "pas") for t in lt):
            f.append("neg_left")
        if text[end : end + 1] == "?":
            f.append("question")
        said = _said(a.value, partner)
        if said:
            f.append("in_partner")
            f.extend(f"P:{t}" for t in said)
        if _said(a.value, partner_last):
            f.append("in_partner_last")
        said = _said(a.value, own)
        if said:
            f.append("in_own")
            f.extend(f"O:{t}" for t in said)
        if i == 0:
            f.append("first")
        if i == len(amounts) - 1:
            f.append("last")
        f.append(f"n={min(len(amounts), 3)}")
        if words <= 9:
            f.append("bare")
        if a.unit != "%" and len(values) > 1:
            f.append("max" if a.value == max(values) else "min" if a.value == min(values) else "mid")
        if i and amounts[i - 1].end >= start:
            f.append(f"prev_rule={amounts[i - 1].role}")
        if recap:
            f.append("recap")
        if _COMPARE.search(left[-30:]):
            f.append("compare_left")
        if _COMPARE.search(right[:30]):
            f.append("compare_right")
        after = text[a.end : a.end + 60]
        if _ECHO.match(after):
            f.append("echo_question")  # « 180 000 € ? » : a figure thrown back, usually to refuse it
        next_words = _tokens(after)[:8]
        if any(t in _NEG for t in next_words):
            f.append("neg_next")
        if lex.find_cues(after[:45], ("amount_refused_after",)):
            f.append("refused_next")
        if _ARITH.search(left[-12:]) or _ARITH.match(right[:12]):
            f.append("operand")  # « 310 000 / 6 », « 5 % sur 205 000 », « 520 € plus 260 € »
        if mentions is not None:
            f.extend(history_features(lex, a.value, "%" if a.unit == "%" else "EUR", mentions))
        # Pairs of the key signs (« soit » after an offer, « vous » with a value nobody said): the
        # linear model cannot form them itself (grouped CV 0.748 → 0.758).
        key = sorted(x for x in f if x.startswith(_KEY_PREFIXES) or x in _KEY_FLAGS)
        f.extend(f"{x}&{y}" for x, y in itertools.combinations(key, 2))
        out.append(f)
    return out


_KEY_PREFIXES = ("rule=", "left_fam=", "right_fam=", "subj=", "prev_rule=", "h:first=", "unit=")
_KEY_FLAGS = frozenset({"cond", "past", "in_partner", "in_own", "h:new", "refused_next", "question", "h:between",
                        "h:latest_other", "h:latest_self", "bare", "recap"})


class AmountRoleModel:
    """Multinomial logistic regression over hashed feature strings; ``transform`` gives the role
    probabilities of each amount (rows follow ``ROLES``)."""

    def __init__(self, buckets: int = 4096, l2: float = 3.0, epochs: int = 300, rate: float = 1.0) -> None:
        self.buckets = buckets
        self.l2 = l2
        self.epochs = epochs
        self.rate = rate
        self.weights: np.ndarray | None = None  # (buckets, len(ROLES))

    def _index(self, feature: str) -> int:
        return zlib.crc32(feature.encode("utf-8")) % self.buckets

    def _matrix(self, rows: list[list[str]]) -> np.ndarray:
        x = np.zeros((len(rows), self.buckets), dtype=np.float32)
        for r, feats in enumerate(rows):
            for feat in feats:
                x[r, self._index(feat)] = 1.0
        return x

    def fit(self, rows: list[list[str]], labels: list[str]) -> AmountRoleModel:
        """Full-batch gradient descent on the softmax loss with an L2 penalty (bias included: the
        rows are few and the penalty small)."""
        x = self._matrix(rows)
        y = np.zeros((len(labels), len(ROLES)), dtype=np.float32)
        for r, label in enumerate(labels):
            y[r, ROLES.index(label)] = 1.0
        w = np.zeros((self.buckets, len(ROLES)), dtype=np.float32)
        n = max(len(labels), 1)
        for _ in range(self.epochs):
            p = self._softmax(x @ w)
            w -= self.rate * (x.T @ (p - y) / n + self.l2 * w / n)
        self.weights = w
        return self

    @staticmethod
    def _softmax(z: np.ndarray) -> np.ndarray:
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def transform(self, rows: list[list[str]]) -> np.ndarray:
        """Role probabilities, one row per amount (uniform when the model is not fitted)."""
        if self.weights is None or not rows:
            return np.full((len(rows), len(ROLES)), 1 / len(ROLES))
        if len(rows) == 1:  # the common case in a live turn: no dense matrix
            z = self.weights[[self._index(f) for f in set(rows[0])]].sum(axis=0, keepdims=True)
            return self._softmax(z)
        return self._softmax(self._matrix(rows) @ self.weights)

    def evidence(self, features: list[str], role: str, top: int = 2) -> list[str]:
        """The features that pushed most towards ``role``, in words for the juror."""
        if self.weights is None:
            return []
        k = ROLES.index(role)
        scored = []
        for feat in dict.fromkeys(features):
            if feat == "bias" or feat.startswith(("n=", "rule=", "prev_rule=", "first", "last")):
                continue
            row = self.weights[self._index(feat)]
            scored.append((float(row[k] - row.mean()), feat))
        scored.sort(key=lambda s: -s[0])
        names = dict.fromkeys(_readable(f) for s, f in scored if s > 0)  # « je » before, once
        return list(names)[:top]

    def save(self, path: Path = MODEL_PATH) -> None:
        assert self.weights is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({"buckets": self.buckets, "roles": list(ROLES), "l2": self.l2, "epochs": self.epochs})
        np.savez_compressed(path, weights=self.weights.astype(np.float16),
                            meta=np.frombuffer(meta.encode(), dtype=np.uint8))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> AmountRoleModel:
        data = np.load(path)
        meta = json.loads(bytes(data["meta"]).decode())
        model = cls(buckets=int(meta["buckets"]), l2=float(meta["l2"]), epochs=int(meta["epochs"]))
        model.weights = data["weights"].astype(np.float32)
        return model


def _readable(feature: str) -> str:
    if feature in _NAMES:
        return _NAMES[feature]
    kind, _, rest = feature.partition(":") if ":" in feature else feature.partition("=")
    rest = rest.replace("#", "(nombre)")
    if kind in ("L", "L2", "L1"):
        return f"« {rest} » avant"
    if kind in ("R", "R2", "R1"):
        return f"« {rest} » après"
    if kind == "P":
        return f"« {rest} » devant ce montant chez l'interlocuteur"
    if kind == "O":
        return f"« {rest} » devant ce montant plus tôt chez le candidat"
    if kind in ("left_fam", "left_any"):
        return f"indice {rest.removeprefix('amount_')} avant"
    if kind == "right_fam":
        return f"indice {rest.removeprefix('amount_')} après"
    return feature


# --- fitting from the labelled conversations ------------------------------------------------------
DATA = Path(__file__).resolve().parent.parent / "tests" / "scoring" / "data" / "conversations"
CONVERSATION_SETS = ("dev_a1", "dev_a2", "dev_a3", "untouched_b1", "untouched_b2", "untouched_b3", "untouched_c1",
                     "set_d1", "set_d2")
FOLDS = 5


def labelled_amounts(names: tuple[str, ...] = CONVERSATION_SETS) -> list[dict[str, Any]]:
    """Every gold amount of the candidate turns, matched to an amount the reader finds (same value
    and unit, as ``scoring.eval_readings`` matches), with its features; unmatched gold amounts come
    with ``features`` None (a value the reader missed)."""
    from scoring.amount_roles import read_amounts, rule_context
    from scoring.eval_readings import load_conversations, reading_inputs

    out: list[dict[str, Any]] = []
    for name in names:
        for conv in load_conversations([DATA / f"{name}.jsonl"]):
            items, golds = reading_inputs(conv)
            for item, gold in zip(items, golds, strict=True):
                partner = [c["text"] for c in item["context"] if c["speaker"] == "other"]
                own = [c["text"] for c in item["context"] if c["speaker"] == "self"]
                history = [(c["speaker"], c["text"]) for c in item["context"]]
                rules = read_amounts(item["text"], partner, own_texts=own, use_model=False)
                base = [a for a in rules if not a.computed]
                feats = amount_features(*rule_context(item["text"], base, partner, own, history=history,
                                                      genre=item.get("genre")))
                free = list(zip(base, feats, strict=True))
                for g in gold.get("amounts") or []:
                    unit = "%" if g.get("unit") == "%" else "EUR"
                    match = next(((a, f) for a, f in free if abs(a.value - float(g["value"])) < 0.5
                                  and ("%" if a.unit == "%" else "EUR") == unit), None)
                    if match is None:
                        # a computed price still counts for the scorer: keep the rule's role
                        comp = next((a for a in rules if a.computed and abs(a.value - float(g["value"])) < 0.5), None)
                        out.append({"conv": conv["id"], "set": name, "gold": g["role"], "features": None,
                                    "rule": comp.role if comp else None})
                        continue
                    free.remove(match)
                    out.append({"conv": conv["id"], "set": name, "gold": g["role"], "features": match[1],
                                "rule": match[0].role})
    return out


def cross_validate(rows: list[dict[str, Any]], **settings: Any) -> dict[str, Any]:
    """Grouped cross-validation: whole conversations per fold (sorted ids, every fifth one)."""
    convs = sorted({r["conv"] for r in rows})
    fold_of = {c: i % FOLDS for i, c in enumerate(convs)}
    pred: list[str | None] = [r["rule"] for r in rows]
    for k in range(FOLDS):
        train = [r for r in rows if r["features"] is not None and fold_of[r["conv"]] != k]
        test = [i for i, r in enumerate(rows) if r["features"] is not None and fold_of[r["conv"]] == k]
        model = AmountRoleModel(**settings).fit([r["features"] for r in train], [r["gold"] for r in train])
        feats = [rows[i]["features"] for i in test]
        for i, (role, _) in zip(test, decide(model.transform(feats), feats), strict=True):
            pred[i] = role
    return {"model": _report(rows, pred, fold_of), "rules": _report(rows, [r["rule"] for r in rows], fold_of)}


def _report(rows: list[dict[str, Any]], pred: list[str | None], fold_of: dict[str, int]) -> dict[str, Any]:
    def acc(idx: list[int]) -> float:
        return round(sum(pred[i] == rows[i]["gold"] for i in idx) / max(len(idx), 1), 3)

    every = list(range(len(rows)))
    per_fold = [acc([i for i in every if fold_of[rows[i]["conv"]] == k]) for k in range(FOLDS)]
    confusion = {g: {p: sum(rows[i]["gold"] == g and pred[i] == p for i in every) for p in (*ROLES, None)}
                 for g in ROLES}
    return {"accuracy": acc(every), "amounts": len(rows),
            # each set's amounts, every one predicted by a model that never saw its conversation
            "per_set": {name: acc([i for i in every if rows[i]["set"].rstrip("0123456789") == name])
                        for name in dict.fromkeys(r["set"].rstrip("0123456789") for r in rows)},
            "per_fold": per_fold, "fold_spread": round(max(per_fold) - min(per_fold), 3),
            "per_role_recall": {g: acc([i for i in every if rows[i]["gold"] == g]) for g in ROLES},
            "confusion_gold_to_pred": {g: {str(p): n for p, n in row.items()} for g, row in confusion.items()}}


def main() -> int:
    """Print the grouped cross-validation (rules vs model), fit on every labelled amount, save."""
    rows = labelled_amounts()
    print(json.dumps(cross_validate(rows), indent=1))
    fit = [r for r in rows if r["features"] is not None]
    model = AmountRoleModel().fit([r["features"] for r in fit], [r["gold"] for r in fit])
    model.save()
    print(f"weights written to {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
