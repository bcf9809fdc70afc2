"""Question subtype as French sales training teaches it: ouverte, précise, fermée, alternative,
suggestive, rhétorique — and whether a question follows up the partner's last words (relance).

A précise question (« Qui signe ? », « Combien de véhicules ? ») asks for one fact: it counts as
closed in the open/closed contract, as the textbook pages label it, but it is never a flaw.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from scoring.lexicon import load_lexicon
from scoring.schema import QuestionSubtype
from scoring.similarity import ContentBag

_FORM_SUBTYPE: dict[str, QuestionSubtype] = {"open": "ouverte", "alternative": "alternative",
                                             "leading": "suggestive", "closed": "fermee"}
# Words after a question word that make it a yes/no question about knowing (« Savez-vous qui… »).
_YES_NO_OPENERS = ("closed_opener",)
_FACT_QUOI = {"quoi", "c'est quoi", "cest quoi", "c quoi"}
# A question word followed by a subject opens a subordinate clause (« quand tu dis… »); « qui »
# after a noun or pronoun is a relative (« c'est lui qui décide ? »): neither asks for a fact.
_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ça", "ca", "c'", "t'"}


def _last_question(doc: Doc) -> Span | None:
    spans = doc._.question_spans or []
    return spans[-1] if spans else None


def _subordinate(marker: Span, sent: Span) -> bool:
    doc = marker.doc
    if marker.label_ != "wh_factual" or marker.end - marker.start != 1:
        return False
    if marker.end < sent.end and doc[marker.end].lower_.replace("’", "'") in _SUBJECTS:
        return True
    prev = doc[marker.start - 1] if marker.start > sent.start else None
    return marker.text.lower() == "qui" and prev is not None and prev.pos_ in ("NOUN", "PROPN", "PRON")


def _asks_a_fact(doc: Doc, sent: Span) -> bool:
    """The question word that opens the question (or closes it, in situ) asks for one fact."""
    markers = [m for m in doc._.markers or [] if sent.start <= m.start and m.end <= sent.end
               and m.label_ in ("wh_factual", "wh_open", *_YES_NO_OPENERS) and not _subordinate(m, sent)]
    if not markers:
        return False
    first = min(markers, key=lambda m: m.start)
    if first.label_ == "wh_factual":
        return True
    # « Vous êtes combien dans l'équipe ? »: in situ, the factual word comes last.
    last = max(markers, key=lambda m: m.end)
    return last.label_ == "wh_factual" and not any(m.label_ in _YES_NO_OPENERS for m in markers)


def _quoi_asks_a_fact(doc: Doc, sent: Span) -> bool:
    """« Vous utilisez quoi pour planifier ? », « c'est quoi votre budget ? » ask for one fact; « vous
    en pensez quoi ? » asks for a view (an opinion verb of the lexicon)."""
    markers = [m for m in doc._.markers or [] if sent.start <= m.start and m.end <= sent.end
               and m.label_ in ("wh_open", "wh_factual")]
    if not markers or any(m.text.lower().replace("’", "'") not in _FACT_QUOI for m in markers):
        return False
    first = markers[0]
    if first.start == sent.start or doc[first.start - 1].lower_ in ("à", "a", "en", "de", "pour", "sur"):
        return False
    lex = load_lexicon(doc.lang_ if doc.lang_ in ("fr", "en") else "fr")
    return not lex.find_cues(sent.text, ("opinion_verb",))


def question_subtype(doc: Doc) -> QuestionSubtype | None:
    """The subtype of the last question of the turn (None when the turn asks nothing).

    A turn that asks nothing but holds a « ? » is rhetorical when a rhetorical marker or its
    aggressive tone shows the « ? » expects no answer (« 180 000 € ? Vous vous moquez de moi. »).
    """
    if not doc._.is_question:
        rhetorical = any(m.label_ == "rhetorical" for m in doc._.markers or [])
        hostile = doc._.assertiveness == "aggressive"
        return "rhetorique" if (rhetorical or hostile) and "?" in doc.text else None
    form = doc._.question_form or "closed"
    subtype = _FORM_SUBTYPE.get(form, "fermee")
    sent = _last_question(doc)
    if subtype == "fermee" and sent is not None and _asks_a_fact(doc, sent):
        return "precise"
    if subtype == "ouverte" and sent is not None and _quoi_asks_a_fact(doc, sent):
        return "precise"
    return subtype


def is_relance(doc: Doc, bag: ContentBag, last_other: ContentBag | None) -> bool:
    """A question that takes up a content word of the partner's last turn (« Ce retard, il vient d'où ? »)."""
    if not doc._.is_question or last_other is None:
        return False
    return bool(bag.keys & last_other.keys)


def is_stakeholder_question(doc: Doc) -> bool:
    """Asks who takes part in the decision: a stakeholder marker, or « qui » opening a question
    about deciding, validating, signing (lemmas, so « interviendra », « tranchera » count)."""
    if not doc._.is_question:
        return False
    if any(m.label_ == "stakeholder" for m in doc._.markers or []):
        return True
    lex = load_lexicon(doc.lang_ if doc.lang_ in ("fr", "en") else "fr")
    for sent in doc._.question_spans or []:
        lemmas = {t.lemma_.lower() for t in sent}
        opens_with_who = any(m.label_ == "wh_factual" and m.text.lower().startswith(("qui", "c'est qui", "c qui"))
                             for m in doc._.markers or [] if sent.start <= m.start < sent.end)
        if opens_with_who and lemmas & lex.lemma_set("decision"):
            return True
        if lemmas & lex.lemma_set("decision_nouns") and lemmas & {"qui", "quel", "comment"}:
            return True
    return False

