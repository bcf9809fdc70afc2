"""Which of the persona's needs, facts and objections a turn is about.

Keywords written by the trainer are matched at a word start (accent-insensitive); the topic's own
description is compared by content lemmas (function words such as « qui » never count) and, for a
turn that shares no word with it, by the mean static vectors of ``fr_core_news_md``.
"""

from __future__ import annotations

import re
import unicodedata

from scoring.schema import TopicRef
from scoring.similarity import ContentBag, cosine

# A turn whose content vector is this close to a topic's description is about it (calibrated on the
# development conversations; below it, small talk drifts onto needs).
VECTOR_THRESHOLD = 0.78
# A fact's description is the sentence the persona answers with: one word of it in common (« mardi »,
# « magasin », « autour ») says little. Without a keyword of the trainer's, a fact needs this share of
# its description's content words, or two of them.
FACT_MIN_SHARE = 0.34


def fold(text: str) -> str:
    """Lower-case, no accents, plain apostrophes."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("’", "'")


def _keyword_hit(folded_text: str, keywords: list[str]) -> bool:
    return any(len(k.strip()) >= 3 and re.search(r"(?<!\w)" + re.escape(fold(k.strip())), folded_text)
               for k in keywords)


def match_topics(text: str, bag: ContentBag, topics: list[TopicRef],
                 topic_bags: dict[str, ContentBag] | None = None) -> list[str]:
    """Ids of the topics the turn is about, best first."""
    folded = fold(text)
    scored: list[tuple[float, str]] = []
    for topic in topics:
        score = 0.0
        if _keyword_hit(folded, topic.keywords):
            score = 2.0
        tb = (topic_bags or {}).get(topic.id)
        if tb is not None:
            common = bag.keys & tb.keys
            share = len(common) / max(len(tb.keys), 1)
            weak = topic.id.startswith("fact:") and len(common) < 2 and share < FACT_MIN_SHARE
            if common and not weak:
                score = max(score, 1.0 + share)
            elif score == 0.0 and cosine(bag, tb) >= VECTOR_THRESHOLD:
                score = 0.5
        if score > 0:
            scored.append((score, topic.id))
    return [tid for _, tid in sorted(scored, key=lambda s: -s[0])]
