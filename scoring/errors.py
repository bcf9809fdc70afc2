"""Errors a user can read: bad input is reported in French and English, never as a traceback."""

from __future__ import annotations


class ScoringInputError(ValueError):
    """Input the scorer refuses (empty transcript, unknown language, bad encoding, oversized turn).

    The CLI turns it into exit code 2 and prints ``message_fr`` then ``message_en``.
    """

    def __init__(self, message_fr: str, message_en: str) -> None:
        super().__init__(f"{message_fr} / {message_en}")
        self.message_fr = message_fr
        self.message_en = message_en


SUPPORTED_LANGUAGES = ("fr", "en")
MAX_TURN_CHARS = 20_000


def check_language(lang: str) -> str:
    """Return the normalised language code or raise: only French and English have lexicons."""
    norm = (lang or "").strip().lower()[:2]
    if norm not in SUPPORTED_LANGUAGES:
        raise ScoringInputError(
            f"Langue non prise en charge : « {lang} » (langues acceptées : fr, en).",
            f"Unsupported language: '{lang}' (accepted: fr, en).",
        )
    return norm


def check_text_size(text: str, where: str) -> None:
    """Refuse oversized turns: a 1 MB turn is a pasted file, not something a candidate said."""
    if len(text) > MAX_TURN_CHARS:
        raise ScoringInputError(
            f"Tour trop long ({len(text)} caractères, maximum {MAX_TURN_CHARS}) : {where}.",
            f"Turn too long ({len(text)} characters, maximum {MAX_TURN_CHARS}): {where}.",
        )
