"""The fitted amount-role reader: deterministic, shipped, used by ``read_amounts``, robust.

The sentences here are written for the test (none comes from the labelled conversations).
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring import amount_roles
from scoring.amount_role_model import MODEL_PATH, ROLES, AmountRoleModel, amount_features, labelled_amounts
from scoring.amount_roles import offer_of, read_amounts, rule_context
from scoring.numbers import extract_quantities


@pytest.fixture(scope="module")
def rows():
    return [r for r in labelled_amounts() if r["features"] is not None]


def test_refit_gives_the_same_weights_as_the_shipped_file(rows):
    first = AmountRoleModel().fit([r["features"] for r in rows], [r["gold"] for r in rows])
    second = AmountRoleModel().fit([r["features"] for r in rows], [r["gold"] for r in rows])
    assert first.weights is not None and second.weights is not None
    assert np.array_equal(first.weights, second.weights)
    shipped = AmountRoleModel.load()
    assert shipped.weights is not None
    # features or data changed without ``python -m scoring.amount_role_model``: refit and ship
    assert np.array_equal(first.weights.astype(np.float16).astype(np.float32), shipped.weights)


def test_the_model_loads_and_transforms():
    assert MODEL_PATH.exists()
    model = AmountRoleModel.load()
    text = "Je peux vous faire 48 000 € HT, contre 52 000 € chez votre fournisseur actuel."
    found = read_amounts(text, use_model=False)
    rows = amount_features(*rule_context(text, found, [], []))
    probs = model.transform(rows)
    assert probs.shape == (2, len(ROLES))
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert AmountRoleModel().transform(rows).shape == (2, 3)  # unfitted: uniform, no error


def _roles(text: str, partner: list[str] | None = None, own: list[str] | None = None) -> list[tuple[float, str]]:
    return [(a.value, a.role) for a in read_amounts(text, partner, own_texts=own) if not a.computed]


def test_three_figures_three_owners():
    text = "Vous êtes à 193 000 €, moi à 216 000 € : je peux faire 209 000 € si vous signez sur trois ans."
    partner = ["Nous sommes prêts à aller jusqu'à 193 000 €, pas au-delà."]
    own = ["Notre proposition est à 216 000 € par an."]
    assert _roles(text, partner, own) == [(193000, "partner_figure"), (216000, "other"), (209000, "own_offer")]
    assert offer_of(read_amounts(text, partner, own_texts=own)).price == 209000


@pytest.mark.parametrize(("text", "partner", "expected"), [
    ("Si vous passez commande de 40 postes, je vous accorde 7 % de remise.", [], [(7, "own_offer")]),
    ("Avec un engagement ferme, nous pouvons descendre à 61 500 € par an.", [], [(61500, "own_offer")]),
    ("Votre enveloppe de 95 000 € est tenue, je le note.", ["Notre enveloppe est de 95 000 €."],
     [(95000, "partner_figure")]),
    ("Mon prix catalogue est de 52 000 €, je vous propose 47 000 €.", [], [(52000, "other"), (47000, "own_offer")]),
    ("En 2019 le contrat valait 300 000 €.", [], [(300000, "other")]),
    ("Le marché se situe en moyenne à 70 € par poste, je peux vous faire 64 €.", [],
     [(70, "other"), (64, "own_offer")]),
    ("Leur concurrent leur facturait 12 000 € l'an dernier.", [], [(12000, "other")]),
])
def test_hand_written_examples_of_each_role(text, partner, expected):
    assert _roles(text, partner) == expected


def test_a_bare_figure_repeating_the_partners_in_thousands_is_read_as_money():
    partner = ["Pour nous, la cible reste 174 000 € sur la durée."]
    roles = _roles("174, c'est en dessous de nos coûts. Je peux descendre à 183 000 €.", partner)
    assert roles == [(174000, "other"), (183000, "own_offer")]


def test_a_word_after_a_figure_is_not_its_unit():
    assert [q.unit for q in extract_quantities("455 c'est le prix")] == [None]
    assert [q.unit for q in extract_quantities("Alors 455 000 comme convenu")] == [None]
    assert [q.unit for q in extract_quantities("nous livrons 12 palettes")] == ["palettes"]


def test_without_weights_the_rules_decide(monkeypatch):
    text = "Je vous propose 88 000 €."
    monkeypatch.setitem(amount_roles._MODELS, "fr", None)
    assert _roles(text) == [(88000, "own_offer")]
    assert [a.cue for a in read_amounts(text)] == ["Je vous propose"]


def test_a_role_the_model_changes_names_its_evidence():
    for text in ["Vous payez 640 € aujourd'hui, nous 590 €.", "Votre devis actuel : 3 300 €."]:
        for a in read_amounts(text, ["Nous payons 640 € par mois."]):
            assert a.cue is None or a.cue.strip()
            rules = {(r.start, r.role) for r in read_amounts(text, ["Nous payons 640 € par mois."], use_model=False)}
            if (a.start, a.role) not in rules and not a.computed:
                assert a.cue is not None and a.cue.startswith("modèle (")


@pytest.mark.parametrize("text", [
    "",
    "Bonjour, comment allez-vous ?",
    " ".join(f"{k} 000 €," for k in range(101, 111)),
    "Je vous propose 900 000 000 000 000 € et 10 000 %.",
    "Je peux faire 0 €, ou 0,00 €.",
    "€€€ %%% 12 12 12 12",
])
def test_bad_input_gives_no_offer_and_no_exception(text):
    amounts = read_amounts(text, ["n'importe quoi 3 €"], own_texts=[""])
    offer = offer_of(amounts)
    assert offer.price is None
    assert offer.discount_percent is None or 0 < offer.discount_percent < 100


@pytest.mark.parametrize(("text", "partner", "expected"), [
    # A gain, a saving or a loss is what a figure measures, never the price offered …
    ("Grâce au nouveau planning, ce sont 64 000 € économisés sur l'année.", [], [(64000, "other")]),
    ("Vous gagnerez environ 9 % de productivité dès le deuxième trimestre.", [], [(9, "other")]),
    ("Avec des ruptures pareilles, vous perdez 27 000 € par trimestre, je vous propose 15 000 € par an.", [],
     [(27000, "other"), (15000, "own_offer")]),
    ("On vise une économie de 18 000 € sur votre facture d'énergie.", [], [(18000, "other")]),
    # … and it is the partner's figure when they said it.
    ("Vous perdez 27 000 € par trimestre à cause des ruptures, c'est bien ça ?",
     ["Chaque trimestre, les ruptures nous coûtent 27 000 €."], [(27000, "partner_figure")]),
    # A discount offered stays an offer.
    ("Je vous propose 4 000 € de remise si vous signez ce mois-ci.", [], [(4000, "own_offer")]),
])
def test_a_gain_or_a_loss_is_not_an_offer(text, partner, expected):
    assert _roles(text, partner) == expected
    assert offer_of(read_amounts(text, partner)).price in {v for v, r in expected if r == "own_offer"} | {None}


def test_a_figure_said_long_before_is_still_known_as_the_partners():
    """The partner's figure twenty turns back still tells whose it is (the context is 24 turns, not 8)."""
    from scoring.schema import NEAR_CONTEXT_TURNS, READING_CONTEXT_TURNS

    assert READING_CONTEXT_TURNS > NEAR_CONTEXT_TURNS
    history = [("other", "Notre plafond pour ce marché, c'est 138 000 € sur trois ans.")]
    history += [("self" if i % 2 else "other", f"Parlons du point numéro {i} du cahier des charges.")
                for i in range(READING_CONTEXT_TURNS - 2)]
    text = "Pour revenir aux 138 000 €, c'est en dessous de ce que coûte le service."
    partner = [t for s, t in history if s == "other"]
    own = [t for s, t in history if s == "self"]
    found = read_amounts(text, partner, own_texts=own, history=history, use_model=False)
    rows = amount_features(*rule_context(text, found, partner, own, history=history))
    assert "h:first=other" in rows[0]
