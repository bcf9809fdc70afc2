"""Assertiveness classifier: assertive, aggressive, passive or neutral, with the deciding markers.

Cues follow the DESC method and the classic assertiveness grid: « je » messages and DESC steps
(décrire, exprimer, spécifier, conséquences) for assertive; blame, absolutes aimed at the other
person and bare imperatives for aggressive; hedges, over-apologies and hesitations for passive.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.extensions import register_extensions
from scoring.lexicon import load_lexicon

ASSERTIVE = ("assertive_je", "desc_describe", "desc_express", "desc_specify", "desc_consequences")
AGGRESSIVE = ("aggressive", "rhetorical")
PASSIVE = ("passive", "hesitation")
_SOFTENERS = ("politeness",)
# « Si vous portez la commande à 800 cartons, je peux descendre à… »: a condition on the other's side
# (not « si vous voulez », which gives in).
_CONDITION = {"fr": re.compile(r"\bsi (?:(?:vous|vs|tu) (?!(?:voulez|veux|le souhaitez|préférez)\b)"
                               r"|(?:la|votre|ta) commande|le volume)", re.I),
              "en": re.compile(r"\b(?:(?:if|provided|as long as) you (?!(?:want|like|prefer|wish)\b)"
                               r"|if (?:the|your) (?:order|volume))", re.I)}


def _inside(marker: Span, span: Span) -> bool:
    return span.start <= marker.start and marker.end <= span.end
# An absolute (« toujours », « personne ne », "never") is aimed at the other person when a second-person
# word stands close to it, not when it opens a purpose clause (« pour que personne ne quitte son
# secteur ») or when the speaker commits themselves (« nous serons toujours là pour vous »).
_PURPOSE = {"fr": ("pour que", "pour qu'", "afin que", "afin qu'", "sans que", "sans qu'"),
            "en": ("so that", "so no", "to make sure", "to ensure", "without")}
_SELF_SUBJECTS = {"fr": {"je", "j'", "nous", "on"}, "en": {"i", "we", "i'll", "we'll", "i'm", "we're"}}
_ABSOLUTE_BEFORE, _ABSOLUTE_AFTER = 5, 3
_COMPANY_PROMISE = {"fr": {"nous", "notre", "nos"}, "en": {"we", "our", "us", "we'll", "we're"}}
_NOBODY = {"personne ne", "personne n'", "nobody", "no one"}
_SECOND_PERSON = {"fr": {"vous", "tu", "te", "t'", "toi", "votre", "vos", "ton", "ta", "tes"},
                  "en": {"you", "your", "you're", "yours"}}
_REQUEST_VERBS = {"parlez", "dites", "décrivez", "expliquez", "racontez", "présentez", "précisez",
                  "détaillez", "excusez", "pardonnez", "imaginez", "voyons", "notez", "regardez", "allez",
                  "prenez", "asseyez", "tell", "describe", "explain", "imagine", "let", "consider", "see",
                  "thank", "thanks", "go", "take", "please", "sit", "excuse", "note", "look", "say"}


class AssertivenessClassifier:
    """Set ``doc._.assertiveness`` plus the per-style scores and the markers that decided it."""

    def __init__(self, nlp: Language, name: str, aggressive_threshold: float, passive_threshold: float,
                 apology_repeat: int) -> None:
        register_extensions()
        self.name = name
        self.lang = nlp.lang if nlp.lang in _SECOND_PERSON else "en"
        self.aggressive_threshold = aggressive_threshold
        self.passive_threshold = passive_threshold
        self.apology_repeat = apology_repeat

    def _bare_imperatives(self, doc: Doc) -> list[Span]:
        """Sentence-initial imperatives without any softener: « Faites-le. », « Send it today. »"""
        out: list[Span] = []
        for sent in doc.sents:
            if "?" in sent.text:
                continue
            toks = [t for t in sent if not (t.is_punct or t.is_space)]
            if not toks:
                continue
            first = toks[0]
            if first.lower_ in _REQUEST_VERBS or any(
                    m.label_ == "question_request" and m.start >= sent.start and m.end <= sent.end
                    for m in doc._.markers or []):
                continue  # « give me an example » asks, it does not order
            if self.lang == "fr":
                imperative = first.pos_ in ("VERB", "AUX") and "Imp" in first.morph.get("Mood", [])
                imperative = imperative and not first.text.lower().endswith(("ons",))
            else:
                imperative = first.lower_ in {"stop", "do", "get", "send", "fix", "finish", "listen", "hurry",
                                              "give", "call", "answer", "sit", "shut"}
            if imperative:
                out.append(sent)
        return out

    def _aimed_at_other(self, marker: Span, second: set[str]) -> bool:
        """Is this absolute said of the other person (« vous êtes toujours en retard »)?"""
        doc, sent = marker.doc, marker.sent
        if marker.start > sent.start and doc[marker.start - 1].lower_ == "si":
            return False  # « si jamais vous voulez… »: "if ever"
        if any(m.label_ == "reformulation_strong" and m.sent == sent for m in doc._.markers or []):
            return False  # « t'as l'impression que les nuits tombent toujours sur toi » reports the other's view
        if any(t.lower_ in _COMPANY_PROMISE[self.lang] for t in sent):
            return False  # « avec nous, vous n'êtes plus jamais à court »: a promise, not a reproach
        before = doc[max(sent.start, marker.start - _ABSOLUTE_BEFORE) : marker.start]
        after = doc[marker.end : min(sent.end, marker.end + _ABSOLUTE_AFTER)]
        lead = doc[max(sent.start, marker.start - 3) : marker.start].text.lower()
        if lead.endswith(_PURPOSE[self.lang]) or lead.replace("’", "'").endswith(_PURPOSE[self.lang]):
            return False
        if any(t.lower_.replace("’", "'") in _SELF_SUBJECTS[self.lang] for t in doc[max(sent.start, marker.start - 3)
                                                                                    : marker.start]):
            return False
        # « Personne ne vous croit », "nobody trusts you": the other person comes after; in "why do you
        # think nobody takes charge?" the « you » before is not the target.
        near = after if marker.text.lower() in _NOBODY else [*before, *after]
        return any(t.lower_.replace("’", "'") in second for t in near)

    def _context_aimed(self, marker: Span) -> bool:
        """A strong word (« inacceptable », « comme d'habitude ») aimed at the other person.

        Not in a sentence of thanks or apology, not under an empathy frame (« je comprends que ce soit
        inacceptable pour vous »), not about the speaker's own habits (« comme d'habitude, on va… »).
        An exclamation on its own (« N'importe quoi ! ») is aimed at what the other just said.
        """
        doc, sent = marker.doc, marker.sent
        in_sent = [m for m in doc._.markers or [] if m.start >= sent.start and m.end <= sent.end]
        if any(m.label_ in ("social", "politeness") for m in in_sent):
            return False
        before = doc[sent.start : marker.start].text
        if load_lexicon(self.lang).find_cues(before, ("empathy_frame",)):
            return False
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if len(words) - (marker.end - marker.start) <= 2:
            return True
        lowered = {t.lower_.replace("’", "'") for t in sent}
        return bool(lowered & _SECOND_PERSON[self.lang])

    def __call__(self, doc: Doc) -> Doc:
        markers = doc._.markers or []
        by = {m.label_ for m in markers}
        polite = [m for m in markers if m.label_ in _SOFTENERS]
        # A question is neutral unless it is loaded: assertive cues inside an interrogative sentence
        # (« Comment voyez-vous la suite à partir de maintenant ? ») and inside a reformulation
        # (« Si je comprends bien… ») do not make the turn assertive; firm limits (« c'est ma limite ») do.
        asking = [s for s in (doc._.question_spans or []) if s._.interrogative]
        # a sentence that reformulates (« Autrement dit, … sinon … ») reports the other person's words
        echoing = [m.sent for m in markers if m.label_ == "reformulation_strong"]
        if any(m.label_ == "reformulation_check" for m in markers):
            echoing = list(doc.sents)  # « …, have I got that right? » checks the other person's words
        recap = "summary" in {m.label_ for m in markers}  # a recap reports decisions, in a neutral voice
        assertive = [m for m in markers if m.label_ in (*ASSERTIVE, "firm")
                     and not any(_inside(m, s) for s in [*asking, *echoing])
                     and not (recap and m.label_.startswith("desc_"))]
        aggressive = [m for m in markers if m.label_ in AGGRESSIVE]
        aggressive += [m for m in markers if m.label_ == "aggressive_context" and self._context_aimed(m)]
        passive = [m for m in markers if m.label_ in PASSIVE]
        second = _SECOND_PERSON[self.lang]
        absolutes = [m for m in markers if m.label_ == "absolute" and self._aimed_at_other(m, second)]
        imperatives = [] if polite else self._bare_imperatives(doc)
        apologies = [m for m in passive if any(w in m.text.lower() for w in ("désolé", "pardon", "excus", "sorry"))]
        exclam = doc.text.count("!")
        agg = 1.5 * len(aggressive) + 1.0 * len(absolutes) + 1.0 * len(imperatives) + 0.5 * min(exclam, 2)
        agg -= 0.5 * len(polite)
        pas = 1.0 * len([m for m in passive if m.label_ == "passive"]) + 0.5 * len(
            [m for m in passive if m.label_ == "hesitation"])
        if len(apologies) >= self.apology_repeat:
            pas += 1.0
        elif apologies and polite:
            pas -= 0.5  # « Excusez-moi, pourriez-vous… » is a courteous request, not submission
        # A concession traded for a counterpart (« 5 % si vous vous engagez sur deux ans ») is the
        # assertive way to negotiate.
        conditional = (bool(by & {"concession", "offer"}) and "summary" not in by
                       and ("counterpart" in by or bool(_CONDITION[self.lang].search(doc.text))))
        ass = (1.0 * len(assertive) + (0.5 if "politeness" in by and not aggressive else 0.0)
               + (1.0 if conditional and not aggressive else 0.0))
        scores = {"assertive": round(ass, 2), "aggressive": round(agg, 2), "passive": round(pas, 2)}
        label = "neutral"
        deciding: list[Span] = []
        if agg >= self.aggressive_threshold and agg > ass:
            label, deciding = "aggressive", [*aggressive, *absolutes, *imperatives]
        elif pas >= self.passive_threshold and pas > ass:
            label, deciding = "passive", passive
        elif ass >= 1.0:
            label, deciding = "assertive", assertive or [m for m in markers if m.label_ == "counterpart"]
        doc._.assertiveness = label
        doc._.assertiveness_scores = scores
        doc._.assertiveness_markers = deciding
        return doc


@Language.factory(
    "scoring_assertiveness",
    default_config={"aggressive_threshold": 1.0, "passive_threshold": 1.0, "apology_repeat": 2},
)
def make_assertiveness(nlp: Language, name: str, aggressive_threshold: float, passive_threshold: float,
                       apology_repeat: int) -> AssertivenessClassifier:
    """Factory with the thresholds documented in docs/scoring.md."""
    return AssertivenessClassifier(nlp, name, aggressive_threshold, passive_threshold, apology_repeat)
