"""Question detector: is the turn a question, of which form (open/closed/alternative/leading), SPIN role.

Works sentence by sentence: a turn is a question when one of its sentences asks something, with or
without « ? » (« Parlez-moi de… », « Do you… » typed without the mark). The contract type maps
alternative and leading questions to "closed".
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.extensions import register_extensions

FILLERS = {
    "fr": {"alors", "donc", "et", "bon", "ok", "okay", "d'accord", "mais", "oui", "non", "ah", "euh", "bien",
           "très", "bref", "ensuite", "puis", "maintenant", "justement", "écoutez", "dites", "voilà", "hum",
           "ben", "bah", "enfin", "aussi", "merci", "parfait", "super", "entendu"},
    "en": {"so", "and", "okay", "ok", "um", "uh", "well", "yeah", "right", "alright", "now", "but", "oh",
           "mm", "hmm", "mm-hmm", "then", "also", "great", "good", "sure", "yes", "no", "just", "cool", "gotcha",
           "i", "see", "thanks", "thank", "you", "hm", "mean", "know", "roughly", "approximately", "basically"},
}
_FR_INVERSION_NO_MARK = re.compile(
    r"^(?:avez|êtes|pouvez|voulez|souhaitez|seriez|auriez|pensez|croyez|trouvez|connaissez|savez|utilisez|"
    r"aimeriez|préférez|faites|travaillez|disposez|comptez|envisagez|prévoyez|accepteriez|as|es|peux|veux|"
    r"penses|crois|trouves|sais|connais|aimerais|préfères|fais|est|sont|a|ont|serait|pourrait|faudrait|"
    r"y a)-(?:vous|tu|t-il|t-elle|t-on|il|elle|ils|elles|on)\b",
    re.IGNORECASE,
)
_FR_WH_HEAD = re.compile(
    r"^(?:pourquoi|qu'est-ce|quel(?:le)?s? (?:est|sont|serait|seraient|était|étaient)|dans quelle mesure|"
    r"de quelle (?:manière|façon)|en quoi|"
    r"(?:comment|cmt) (?:vous|vs|tu|on|ça|ca|il|elle|ils|elles|vos|votre|tes|ton|ta|les)|"
    r"combien|c'?est (?:quoi|qui)|c (?:quoi|qui)|qu'est[- ]ce|qui (?:valide|décide|signe|gère|est))\b",
    re.IGNORECASE,
)
_EN_AUX_AFTER_WH = re.compile(
    # "what do…", and "how confident are…", "what things would…" (one word, not a subject, in between)
    r"^\s*(?:(?!(?:i|you|we|they|he|she|it|that|this|there|your|my|the)\b)[\w-]+\s+)?"
    r"(?:do|does|did|are|is|was|were|can|could|would|will|have|has|had|should|'s|'re|am)\b", re.IGNORECASE
)
# Typed chat drops « ? » but keeps the tag: « vous avez un budget défini ou pas encore ».
_FR_TAG_NO_MARK = re.compile(r"\bou (?:pas|non)(?: encore)?\s*[.!]*\s*$", re.IGNORECASE)
# Wondering aloud, then saying what one will do about it: no question to the other person.
_SELF_WONDERING = {
    "fr": re.compile(r"\bje me demande (?:si|comment|quand)\b[^?]*[,.;]\s*je (?:vais|vérifie|verifie|regarde|reviens|"
                     r"demande|check)", re.I),
    "en": re.compile(r"\bi (?:wonder|was wondering)\b[^?]*[,.;]\s*i(?:'ll| will| am going to|'m going to) ", re.I),
}
_EN_TAG_NO_MARK = re.compile(r"(?:\bor not(?: yet)?|, right)\s*[.!]*\s*$", re.IGNORECASE)
_FR_ALT_ITEM = r"(?:par |en |au |à la |le |la |les )?[\w'-]+(?: [\w'-]+){0,2}"
_ALTERNATIVE_TAIL = {"fr": re.compile(rf",\s*(?!pour ou contre){_FR_ALT_ITEM} ou {_FR_ALT_ITEM}\s*\??\s*$", re.I),
                     "en": re.compile(r",\s*(?:the |a |by )?[\w'-]+(?: [\w'-]+)? or (?:the |a |by )?[\w'-]+"
                                      r"(?: [\w'-]+)?\s*\??\s*$", re.I)}
_YES_NO = frozenset({"oui", "non", "ou", "pas"})  # « Oui ou non ? » lists no options


def _options_list(sent: Span) -> bool:
    """« L'autonomie, le prix, les équipes ? », « Un forfait, un prix au bulletin ? »: a verbless
    question listing two or more options (separated by commas or « ou »).

    Why: after « Qu'est-ce qui vous fait hésiter ? » such a list offers choices for the answer, and
    the labelling guide calls a choice among options given an alternative; read as a yes/no question
    it was the reader's most frequent subtype error. « Oui ou non ? » stays a closed question.
    """
    words = [t for t in sent if not (t.is_punct or t.is_space)]
    if "?" not in sent.text or len(words) < 2 or all(t.lower_ in _YES_NO for t in words):
        return False
    if any(t.pos_ in ("VERB", "AUX") and "Part" not in t.morph.get("VerbForm", []) for t in words):
        return False
    separators = sum(1 for t in sent if t.text == ",") + sum(1 for t in words if t.lower_ == "ou")
    return separators >= 1 and any(t.pos_ in ("NOUN", "PROPN") for t in words)


_ALTERNATIVE = {"fr": re.compile(r"\sou\s(?!pas\b|non\b)", re.I), "en": re.compile(r"\sor\s(?!not\b)", re.I)}
# A question word that asks to choose among options listed after a colon, or named before it:
# « Qu'est-ce qui compte le plus : le loyer seul, ou l'ensemble des coûts ? », « Mardi ou jeudi,
# qu'est-ce qui vous arrange ? », « …, plutôt le trafic, le chargement ou la planification ? »
_FR_OPTION = r"(?:(?:un|une|des|du|de la|de l'|l'|le|la|les|par|en|au|à la|plutôt)\s)?[\w'’-]+(?:\s[\w'’-]+){0,4}"
_OPTIONS = {
    "fr": (re.compile(rf":\s*{_FR_OPTION}(?:\s*,\s*{_FR_OPTION})*\s*,?\s+ou\s+(?!pas\b|non\b){_FR_OPTION}\s*\??\s*$",
                      re.I),
           re.compile(rf"^\W*{_FR_OPTION}\s+ou\s+{_FR_OPTION}\s*,\s*(?:qu'est|quel|lequel|laquelle|qui|que)", re.I),
           re.compile(rf",\s*{_FR_OPTION}(?:\s*,\s*{_FR_OPTION})*\s*,?\s+ou\s+(?!pas\b|non\b){_FR_OPTION}\s*\?\s*$",
                      re.I)),
    "en": (),
}
# An echoed word or figure (« 180 000 € ? », « Lundi ? ») followed by the speaker's own statement
# asks nothing: the turn goes on without waiting for an answer.
_ECHO_MAX_WORDS = 4
# A question word followed by a subject opens a subordinate clause, not an in-situ question.
_FR_SUBORDINATE_SUBJECTS = {"je", "j'", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ça", "ca",
                            "c'", "ce", "te", "me", "se", "t'", "m'", "s'", "le", "la", "les", "l'"}
# Typed chat: « ok et vs comptez signer avant la fin du trimestre », « vs pensez pas qu'il serait temps… »:
# a yes/no question on the other person's plans, views or knowledge, without « ? ».
_FR_CHAT_YES_NO = re.compile(
    r"^(?:(?:ok|okay|et|alors|donc|du coup|bon|mais)\W+)*(?:vous|vs|tu|t')\s*(?:ne |n')?"
    r"(?:comptez|comptes|pensez|penses|préférez|preferez|préfères|prévoyez|envisagez|connaissez|connais|savez|sais|"
    r"utilisez|utilises|voulez|veux|souhaitez|souhaites|aimeriez|aimerais|seriez|serais|avez déjà|as déjà|"
    r"(?:avez|aviez|as|avais) (?:des|un|une|le|la|les|bien|encore)|"
    r"(?:étiez|etiez|étais|etais|êtes|etes|es) (?:pas )?au courant)\b[^.!]*$",
    re.IGNORECASE,
)
_FR_NOUN_SUBJECTS = {"un", "une", "le", "la", "les", "l'", "mon", "ma", "mes", "votre", "vos", "ton", "ta", "tes"}
_INDIRECT_VERBS = {"savoir", "dire", "demander", "comprendre", "voir", "expliquer", "ignorer", "décider",
                   "montrer", "regarder", "vérifier", "choisir", "imaginer", "oublier", "rappeler"}
SPIN_PRIORITY = ("need_payoff", "implication", "problem", "situation")


class QuestionDetector:
    """Set ``doc._.is_question``, ``question_type``, ``question_form``, ``question_spans``, ``spin``."""

    def __init__(self, nlp: Language, name: str, start_window: int, factual_wh_is_open: bool,
                 type_policy: str, declarative_questions: str, declarative_max_words: int) -> None:
        register_extensions()
        # "auto": French asks yes/no questions by intonation (« Vous avez un budget ? »); in English a
        # declarative sentence with « ? » is mostly a reflection with rising tone, not a question.
        self.declarative_questions = (self.lang_of(nlp) == "fr") if declarative_questions == "auto" else (
            declarative_questions == "yes")
        self.declarative_max_words = declarative_max_words
        self.name = name
        self.lang = nlp.lang if nlp.lang in FILLERS else "en"
        self.start_window = start_window
        self.factual_wh_is_open = factual_wh_is_open
        self.type_policy = type_policy

    @staticmethod
    def lang_of(nlp: Language) -> str:
        return nlp.lang if nlp.lang in FILLERS else "en"

    def _head(self, sent: Span) -> int:
        """Index (in doc) of the first token that is not a filler or punctuation."""
        fillers = FILLERS[self.lang]
        for tok in sent:
            if not (tok.is_punct or tok.lower_ in fillers or tok.is_space):
                return tok.i
        return sent.end

    def classify_sentence(self, sent: Span, markers: list[Span], wondering: tuple[int, ...] = ()) -> str | None:
        """Form of the question asked by ``sent`` or None when it asks nothing.

        ``wondering``: character offsets where the speaker wonders aloud, then says what they will do.
        """
        text = sent.text.strip()
        if any(m.label_ == "rhetorical" for m in markers):
            return None  # « C'est une blague, cette contre-proposition ? » asks nothing
        if any(sent.start_char <= start < sent.end_char for start in wondering):
            return None  # « Je me demande si l'usine suivra, je vérifie et je reviens vers vous »
        has_mark = "?" in text
        head = self._head(sent)
        limit = head + self.start_window
        if self.lang == "en":
            # English asks by inversion: the wh-word or the auxiliary opens the clause. A wh-word later
            # on is a relative (« someone who… », "that's what I do"), one followed by a subject is a
            # subordinate clause ("when you picked him up, …"), an auxiliary later on is a statement.
            at_start = {m.label_ for m in markers if self._en_opens(sent, m, head)}
        else:
            at_start = {m.label_ for m in markers if m.start <= limit}
        anywhere = {m.label_ for m in markers}
        if "leading" in anywhere:
            at_start.add("leading")
        tail = sent.doc[head:sent.end].text if head < sent.end else ""
        if has_mark:
            # « Si vous pouviez…, comment… ? »: an interrogative word right after a comma also counts.
            doc = sent.doc
            at_start |= {m.label_ for m in markers if m.start > sent.start and (
                doc[m.start - 1].text in (",", ";", ":", "--", "—") or (
                    m.start - 2 >= sent.start and doc[m.start - 2].text == ","
                    and doc[m.start - 1].lower_ in FILLERS[self.lang]))}
        # Requests are specific enough to count anywhere (« …, tell me about… », "I was wondering if…").
        if self.lang == "fr":
            # « quand il y a un retard, vous faites comment »: « quand » + subject opens a subordinate clause.
            doc = sent.doc
            if "wh_factual" in at_start and not any(
                    m.label_ == "wh_factual" and m.start <= limit
                    and not (m.end < sent.end and doc[m.end].lower_ in _FR_SUBORDINATE_SUBJECTS | _FR_NOUN_SUBJECTS)
                    for m in markers):
                at_start.discard("wh_factual")
            # « Vous en pensez quoi ? », « ça se passe comment quand… »: the question word after the verb.
            at_start |= {m.label_ for m in markers if m.label_ in ("wh_open", "wh_factual")
                         and self._in_situ(sent, [m])}
        is_request = "question_request" in anywhere
        wh_open = "wh_open" in at_start
        wh_fact = "wh_factual" in at_start
        if not has_mark:
            asks = is_request
            if not asks and (wh_open or wh_fact or "closed_opener" in at_start):
                if self.lang == "fr":
                    asks = bool(_FR_INVERSION_NO_MARK.match(tail)) or "est-ce" in tail.lower()[:40] or (
                        (wh_open or wh_fact) and bool(re.search(r"-(?:vous|tu|t-il|t-elle|t-on|il|elle)\b",
                                                                tail[:60], re.I))) or (
                        # Typed chat drops « ? »: « Quel est votre budget », « Pourquoi ce choix ».
                        bool(_FR_WH_HEAD.match(tail)))
                else:
                    asks = self._en_asks_unmarked(sent, markers)
            if not asks and self.lang == "en":
                asks = bool(_EN_TAG_NO_MARK.search(text))
            if not asks and self.lang == "fr":
                asks = (self._in_situ(sent, markers) or bool(_FR_TAG_NO_MARK.search(text))
                        or bool(_FR_CHAT_YES_NO.match(tail)))
            if not asks:
                return None
        interrogative = (is_request or wh_open or wh_fact or "closed_opener" in at_start or "leading" in anywhere
                         or (not has_mark and self.lang == "fr"))
        if interrogative:
            sent.doc._.interrogative = True
            sent._.interrogative = True
        if has_mark and not interrogative and not self.declarative_questions:
            words = sum(1 for t in sent if not (t.is_punct or t.is_space))
            if words > self.declarative_max_words or words <= 1:
                return None
        if "leading" in anywhere:
            return "leading"
        if _ALTERNATIVE_TAIL[self.lang].search(text) or any(p.search(text) for p in _OPTIONS[self.lang]):
            return "alternative"  # « vous réservez comment, téléphone ou site ? »: a choice between two
        if is_request or wh_open:
            return "open"
        if wh_fact:
            return "open" if self.factual_wh_is_open else "closed"
        if _ALTERNATIVE[self.lang].search(text):
            return "alternative"
        if self.lang == "fr" and _options_list(sent):
            return "alternative"
        return "closed"

    @staticmethod
    def _en_asks_unmarked(sent: Span, markers: list[Span]) -> bool:
        """English without « ? »: the sentence must open (after discourse fillers, not "I"/"you")
        on a wh-word followed by an auxiliary, or on an auxiliary followed by its subject."""
        doc = sent.doc
        head = next((t.i for t in sent if not (t.is_punct or t.is_space or t.lower_ in _EN_OPENING_FILLERS)),
                    sent.end)
        if head >= sent.end:
            return False
        for m in markers:
            if m.start != head:
                continue
            if m.label_ in ("wh_open", "wh_factual") and _EN_AUX_AFTER_WH.match(doc[m.end : sent.end].text):
                return True
            if m.text.lower() in ("whats", "hows", "whos"):  # chat spelling of "what's": wh-word + auxiliary
                return True
            nxt = doc[m.end].lower_ if m.end < sent.end else ""
            if m.label_ == "wh_factual" and m.text.lower().startswith(("how many", "how much")):
                return True  # « roughly how many kegs a week »
            if m.label_ == "wh_open" and m.text.lower() == "what" and (nxt.endswith("ed") or nxt in _EN_PAST):
                return True  # "what happened on that trial", "what made you choose them"
            # "Do your job." / "Have your team call me." give orders: "your" is no subject.
            subject = doc[head + 1].lower_ if head + 1 < sent.end else ""
            if m.label_ == "closed_opener" and doc[head].lower_ in _EN_AUX and subject != "your":
                return True
        return False

    @staticmethod
    def _en_opens(sent: Span, m: Span, head: int) -> bool:
        """Does English marker ``m`` open the clause (see ``classify_sentence``)?"""
        doc = sent.doc
        if m.label_ in ("wh_open", "wh_factual", "closed_opener"):
            if m.label_ == "wh_open" and m.end - m.start > 1 and m.text.split()[0].lower() in ("anything", "any"):
                return True  # "…anything else?", "…any other ideas?" ask wherever they stand
            prev = doc[m.start - 1] if m.start > sent.start else None
            if not (m.start <= head or prev is None or prev.is_punct
                    or (m.label_ != "closed_opener" and m.start - 1 == head and prev.lower_ in _EN_PREPOSITIONS)):
                return False
            if m.label_ != "closed_opener" and m.end - m.start == 1 and m.end < sent.end:
                nxt = doc[m.end]
                after = doc[m.end + 1] if m.end + 1 < sent.end else None
                if nxt.lower_ in _EN_SUBJECTS and not (after is not None and after.lower_.endswith("ing")):
                    return False
            return True
        return m.start <= head + 3

    @staticmethod
    def _in_situ(sent: Span, markers: list[Span]) -> bool:
        """Colloquial French puts the question word after the verb: « vous utilisez quoi »,
        « ça coûte combien ». Indirect questions (« je ne sais pas quand ») are excluded."""
        doc = sent.doc
        for m in markers:
            if m.label_ not in ("wh_open", "wh_factual") or m.start <= sent.start:
                continue
            nxt = doc[m.end].lower_ if m.end < sent.end else ""
            if nxt in _FR_SUBORDINATE_SUBJECTS:
                continue  # « quand tu prends la parole », « comment ça évolue », « qui te pose problème »
            if (m.end < sent.end and doc[m.end].text == "?") or m.end == sent.end:
                return True  # « tu vois les choses comment ? »: the question word closes the sentence
            prev = doc[m.start - 1]
            if prev.pos_ == "ADP" and m.start - 2 >= sent.start:
                prev = doc[m.start - 2]
            if prev.pos_ in ("VERB", "AUX") and prev.lemma_.lower() not in _INDIRECT_VERBS:
                return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        markers = doc._.markers or []
        found: list[Span] = []
        doc._.interrogative = False
        # Where the speaker wonders aloud then says what they will do (found once per doc, not per sentence).
        wondering = tuple(m.start() for m in _SELF_WONDERING[self.lang].finditer(doc.text))
        sents = list(doc.sents)
        for i, sent in enumerate(sents):
            in_sent = [m for m in markers if m.start >= sent.start and m.end <= sent.end]
            if self._echo(sent, in_sent, sents[i + 1 :]):
                continue
            form = self.classify_sentence(sent, in_sent, wondering)
            if form is not None:
                sent._.question_form = form
                found.append(sent)
        doc._.question_spans = found
        doc._.is_question = bool(found)
        # Small talk (« comment allez-vous ? ») is a question but not a discovery question.
        phatic = [m for m in markers if m.label_ == "phatic"]
        doc._.phatic = bool(found) and all(any(m.start >= q.start and m.end <= q.end for m in phatic)
                                           for q in found)
        if found:
            forms = [s._.question_form for s in found]
            if self.type_policy == "any_open" and "open" in forms:
                form = "open"
            elif self.type_policy == "first":
                form = forms[0]
            else:
                form = forms[-1]
            doc._.question_form = form
            doc._.question_type = "open" if form == "open" else "closed"
            doc._.spin = self._spin(found, markers)
        else:
            doc._.question_form = None
            doc._.question_type = None
            doc._.spin = None
        return doc

    def _echo(self, sent: Span, markers: list[Span], rest: list[Span]) -> bool:
        """A short verbless « ? » sentence (« 180 000 € ? », « Sauver le client ? ») followed by a
        statement or a rhetorical question: the speaker echoes the other's word and answers it themselves."""
        if "?" not in sent.text or any(m.label_ in ("wh_open", "wh_factual", "closed_opener", "question_request",
                                                    "leading") for m in markers):
            return False
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if not words or len(words) > _ECHO_MAX_WORDS or any(t.pos_ in ("VERB", "AUX") for t in words[1:]):
            return False
        following = [s for s in rest if s.text.strip()]
        if not following:
            return False
        nxt = following[0]
        rhetorical = any(m.label_ == "rhetorical" and nxt.start <= m.start and m.end <= nxt.end
                         for m in sent.doc._.markers or [])
        return "?" not in nxt.text or rhetorical  # « 20 % ? Et puis quoi encore ? » asks nothing either

    @staticmethod
    def _spin(sents: list[Span], markers: list[Span]) -> str | None:
        labels = {m.label_ for m in markers for s in sents if m.start >= s.start and m.end <= s.end}
        for role in SPIN_PRIORITY:
            if f"spin_{role}" in labels:
                return role
        return None


_EN_OPENING_FILLERS = FILLERS["en"] - {"i", "you", "see", "thanks", "thank", "mean", "know"}
_EN_PAST = {"made", "brought", "went", "took", "got", "came", "led", "kept", "held", "drove", "put", "set"}
_EN_PREPOSITIONS = {"in", "on", "about", "for", "with", "to", "at", "from", "by", "of", "since", "until"}
_EN_SUBJECTS = {"i", "you", "we", "they", "he", "she", "it", "your", "my", "his", "her", "their", "our", "the"}
_EN_AUX = {"do", "does", "did", "are", "is", "was", "were", "can", "could", "would", "will", "have", "has",
           "had", "should", "shall", "may", "might", "am", "don't", "doesn't", "didn't", "aren't", "isn't",
           "wasn't", "haven't", "hasn't", "wouldn't", "couldn't", "won't", "any", "anything"}


@Language.factory(
    "scoring_questions",
    default_config={"start_window": 3, "factual_wh_is_open": False, "type_policy": "last",
                    "declarative_questions": "auto", "declarative_max_words": 25},
)
def make_question_detector(nlp: Language, name: str, start_window: int, factual_wh_is_open: bool,
                           type_policy: str, declarative_questions: str,
                           declarative_max_words: int) -> QuestionDetector:
    """Factory with the thresholds calibrated in docs/scoring.md (declarative_questions: auto|yes|no)."""
    return QuestionDetector(nlp, name, start_window, factual_wh_is_open, type_policy, declarative_questions,
                            declarative_max_words)
