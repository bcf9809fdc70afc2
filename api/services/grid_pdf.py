"""The evaluation grid of one session as a printable PDF (fpdf2), in French.

The jury files a signed paper-like record: criteria, automatic and final levels, the juror's
comments, evidence quotes from the transcript, the decision, who signed and when. DejaVu Sans is
used for accents, guillemets and « œ »; without it the core Helvetica font is used and characters
outside Latin-1 are replaced (noted at the foot of the page).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from api import formatting

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
LEVELS = {0: "0 · Non observé", 1: "1 · Insuffisant", 2: "2 · Satisfaisant", 3: "3 · Maîtrisé"}


def _date(value: Any) -> str:
    """The same date words as the pages (api/formatting.py), with the zone said once on paper."""
    text = formatting.date_time(value)
    return text if text == "—" else f"{text} ({formatting.zone_name()})"


class _GridPdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVuSans-Bold.ttf").exists()
        if self.unicode:
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu"
        else:
            self.family = "Helvetica"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.footer_text = ""

    def text_of(self, value: Any) -> str:
        text = str(value if value is not None else "")
        if self.unicode:
            return text
        return text.replace("œ", "oe").replace("’", "'").replace("…", "...").encode("latin-1", "replace").decode(
            "latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 7)
        note = "" if self.unicode else " · police Unicode absente : caractères spéciaux remplacés"
        self.cell(0, 5, self.text_of(f"{self.footer_text} · page {self.page_no()}/{{nb}}{note}"), align="C")


def grid_pdf(session: dict[str, Any], grids: list[dict[str, Any]]) -> bytes:
    """PDF bytes: a header about the session, then one section per juror grid."""
    pdf = _GridPdf()
    pdf.footer_text = f"Grille d'évaluation · session {session['id']}"
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(text: str, size: float = 10, bold: bool = False, height: float = 5.5) -> None:
        pdf.set_font(pdf.family, "B" if bold else "", size)
        pdf.multi_cell(width, height, pdf.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line("Grille d'évaluation — jeu de rôle", 16, True, 8)
    line(f"{session.get('persona_title') or ''} · {formatting.bloc(session.get('bloc'))}", 11)
    line(f"Candidat·e : {session.get('candidate')}")
    if session.get("cohorts"):
        line("Promotion : " + ", ".join(session["cohorts"]))
    line(f"Session : {session['id']} · terminée le {_date(session.get('ended_at'))}")
    pdf.ln(2)
    if not grids:
        line("Aucune grille de juré à imprimer pour cette session.", 11, True)
    for grid in grids:
        pdf.ln(3)
        line(f"Juré·e : {grid.get('juror_name') or '—'} · grille {grid.get('rubric_version') or ''}", 12, True, 7)
        pdf.set_font(pdf.family, "", 8.5)
        with pdf.table(col_widths=(62, 24, 24, 70), text_align="LEFT", line_height=4.5,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230))) as table:
            head = table.row()
            for title in ("Critère", "Niveau automatique", "Niveau final", "Commentaire du jury et preuves"):
                head.cell(pdf.text_of(title))
            for criterion in grid["criteria"]:
                row = table.row()
                row.cell(pdf.text_of(criterion["label"]))
                auto = criterion.get("auto_level")
                auto_text = LEVELS.get(auto, "—") if auto is not None else "À évaluer par le jury"
                if criterion.get("uncertain"):
                    auto_text += "\n" + str(criterion.get("uncertainty_fr") or "")
                if criterion.get("reliability_fr"):
                    auto_text += "\n" + str(criterion["reliability_fr"])
                row.cell(pdf.text_of(auto_text))
                final = criterion.get("final_level")
                row.cell(pdf.text_of(LEVELS.get(final, "À fixer") if final is not None else "À fixer"))
                details = []
                if criterion.get("comment"):
                    details.append(f"Commentaire : {criterion['comment']}")
                for evidence in (criterion.get("evidence") or [])[:3]:
                    details.append(f"Preuve ({evidence.get('turn_id', '')}) : « {evidence.get('quote', '')} »")
                if not details and criterion.get("rationale"):
                    details.append(formatting.fix_plurals(criterion["rationale"]))
                row.cell(pdf.text_of("\n".join(details) or "—"))
        pdf.ln(2)
        decision = grid.get("decision_label") or "Non prise"
        line(f"Décision : {decision}", 11, True)
        if grid.get("decision_comment"):
            line(f"Motivation : {grid['decision_comment']}")
        if grid.get("status") == "signee":
            line(f"Signée par {grid.get('juror_name') or '—'} le {_date(grid.get('signed_at'))}.", 10, True)
        else:
            line("Grille non signée (brouillon) : sans valeur de décision.", 10, True)
        line("Signature :  ____________________________", 10, False, 9)
    line(f"Document édité le {_date(datetime.now(UTC))}.", 8)
    return bytes(pdf.output())
