"""Readable French reports (Markdown and HTML) from a ScoreReport."""

from __future__ import annotations

import html

from scoring.report import ScoreReport

_TYPE_FR = {"open": "ouverte", "closed": "fermée", "alternative": "alternative", "leading": "orientée"}
_STYLE_FR = {"assertive": "assertif", "aggressive": "agressif", "passive": "passif", "neutral": "neutre"}
_SPIN_FR = {"situation": "situation", "problem": "problème", "implication": "implication",
            "need_payoff": "bénéfice (need-payoff)"}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{round(100 * x)} %"


def _num(x: float | int | None) -> str:
    return "—" if x is None else f"{x:g}"


def negotiation_rows(report: ScoreReport) -> list[tuple[str, str]]:
    """The engine's record of the negotiation as (label, value) rows, French, for every renderer."""
    rec = report.negotiation_record
    if rec is None:
        return []
    u = rec.unit_label

    def price(v: float | None) -> str:
        return "—" if v is None else f"{v:,.0f} {u}".replace(",", "\u202f")

    rows = [("Issue", rec.outcome_fr),
            ("Offre d'ouverture du candidat", price(rec.candidate_opening)),
            ("Offre d'ouverture de l'acheteur", price(rec.persona_opening)),
            ("Offres du candidat", " → ".join(price(v) for v in rec.candidate_offers) or "—"),
            ("Offres de l'acheteur", " → ".join(price(v) for v in rec.persona_offers) or "—")]
    for k, c in enumerate(rec.concessions, start=1):
        what = f"{price(c.from_price)} → {price(c.to_price)}" if c.from_price is not None else "sans prix"
        counterpart = f"contre « {c.counterpart} »" if c.counterpart else ("avec contrepartie" if c.traded
                                                                          else "sans contrepartie")
        rows.append((f"Concession {k}" + (f" (intervention {c.turn})" if c.turn else ""), f"{what}, {counterpart}"))
    rows += [("Prix convenu", price(rec.agreed_price)),
             ("Position du prix convenu", rec.position_fr or "—"),
             ("Plancher du candidat / prix catalogue", f"{price(rec.floor)} / {price(rec.list_price)}"),
             ("Cible / limite de l'acheteur", f"{price(rec.buyer_target)} / {price(rec.walk_away)}")]
    return rows


def render_markdown(report: ScoreReport) -> str:
    """The report as French Markdown: summary, figures, grid with evidence, turn-by-turn table."""
    f = report.conversation
    lines = ["# Rapport d'entraînement au jeu de rôle", "", report.summary_fr, ""]
    lines += ["## Indicateurs de la conversation", "",
              "| Indicateur | Valeur |", "|---|---|",
              f"| Interventions du candidat | {f.candidate_turns} sur {f.turns} |",
              f"| Part de parole (mots) | {_pct(f.talk_share_words)} |",
              f"| Plus long monologue | {f.longest_monologue_words} mots |",
              f"| Questions (ouvertes / fermées) | {f.questions} ({f.open_questions} / {f.closed_questions}) |",
              f"| Part de questions ouvertes | {_pct(f.open_question_share)} |",
              f"| Reformulations | {f.reformulations} |",
              f"| Reformulations par question | {_num(f.reformulations_per_question)} |",
              f"| Interventions avant la première question | {_num(f.turns_before_first_question)} |",
              f"| Synthèse finale | {'oui' if f.closing_summary.present else 'non'} "
              f"(couverture {_pct(f.closing_summary.coverage)}) |",
              f"| Étapes parcourues | {', '.join(s['label'] for s in f.stages) or '—'} |"]
    n = f.negotiation
    if n.candidate_prices or n.other_prices:
        lines.append(f"| Prix d'ouverture / final | {_num(n.candidate_opening)} / {_num(n.final_price)} "
                     f"{n.unit_label} |")
        lines.append(f"| Concessions candidat / interlocuteur | {n.concessions_candidate} / {n.concessions_other} |")
        lines.append(f"| Contreparties demandées | {n.counterparts_asked} |")
    lines.append("")
    if rows := negotiation_rows(report):
        lines += ["## Négociation (relevé du persona)", "", "| Élément | Valeur |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in rows]
        lines.append("")
    if report.grid is not None:
        g = report.grid
        lines += [f"## Grille d'évaluation — {g.title} (rubrique v{g.rubric_version})", ""]
        for item in g.items:
            level = "—" if item.level is None else f"{item.level}/3"
            lines += [f"### {item.label}", "", f"**Niveau : {level} — {item.level_label}**", "", item.rationale, ""]
            if item.uncertain:
                lines += [f"> {item.uncertainty_fr}", ""]
            for ev in item.evidence:
                note = f" ({ev.note})" if ev.note else ""
                lines.append(f"- Tour {ev.turn_id}{note} : « {ev.quote} »")
            lines.append("")
    lines += ["## Détail des interventions du candidat", "",
              "| Tour | Question | Reformulation | Synthèse | Ton | Marqueurs |", "|---|---|---|---|---|---|"]
    for a in report.turns:
        q = "non" if not a.is_question else _TYPE_FR.get(a.question_form or "", "oui") + (
            f", SPIN {_SPIN_FR[a.spin]}" if a.spin else "")
        texts = {m.text for m in a.markers}
        kept = sorted(t for t in texts if not any(t != o and t.lower() in o.lower() for o in texts))
        markers = ", ".join(kept)[:80].replace("|", "/")
        lines.append(f"| {a.id} | {q} | {'oui' if a.is_reformulation else 'non'} | "
                     f"{'oui' if a.is_summary else 'non'} | {_STYLE_FR[a.assertiveness]} | {markers} |")
    lines.append("")
    return "\n".join(lines)


def render_html(report: ScoreReport) -> str:
    """A standalone French HTML page (escaped text, no external resources)."""
    e = html.escape
    f = report.conversation
    rows = [("Interventions du candidat", f"{f.candidate_turns} sur {f.turns}"),
            ("Part de parole (mots)", _pct(f.talk_share_words)),
            ("Questions (ouvertes / fermées)", f"{f.questions} ({f.open_questions} / {f.closed_questions})"),
            ("Reformulations", str(f.reformulations)),
            ("Synthèse finale", "oui" if f.closing_summary.present else "non"),
            ("Étapes parcourues", ", ".join(s["label"] for s in f.stages) or "—")]
    parts = ["<!DOCTYPE html>", '<html lang="fr"><head><meta charset="utf-8">',
             "<title>Rapport d'entraînement</title></head><body>",
             "<h1>Rapport d'entraînement au jeu de rôle</h1>", f"<p>{e(report.summary_fr)}</p>",
             "<h2>Indicateurs de la conversation</h2>", "<table>"]
    parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows]
    parts.append("</table>")
    if rows := negotiation_rows(report):
        parts += ["<h2>Négociation (relevé du persona)</h2>", "<table>"]
        parts += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows]
        parts.append("</table>")
    if report.grid is not None:
        parts.append(f"<h2>Grille d'évaluation — {e(report.grid.title)}</h2>")
        for item in report.grid.items:
            level = "—" if item.level is None else f"{item.level}/3"
            parts.append(f"<section><h3>{e(item.label)}</h3><p><strong>Niveau : {e(level)} — "
                         f"{e(item.level_label)}</strong></p><p>{e(item.rationale)}</p>"
                         + (f'<p class="uncertain">{e(item.uncertainty_fr)}</p>' if item.uncertain else "") + "<ul>")
            parts += [f"<li>Tour {e(ev.turn_id)} {('(' + e(ev.note) + ')') if ev.note else ''} : "
                      f"« {e(ev.quote)} »</li>" for ev in item.evidence]
            parts.append("</ul></section>")
    parts.append("</body></html>")
    return "\n".join(parts)
