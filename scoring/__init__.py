"""Scoring of sales role-play transcripts: per-turn annotations, conversation figures, criteria grid.

Public entry points live in their own modules so that importing :mod:`scoring` stays cheap:
``scoring.annotate.annotate_turns``, ``scoring.transcript.Transcript``,
``scoring.report.score_transcript`` and ``scoring.render.render_markdown``.
"""

__all__ = ["__version__"]

__version__ = "1.0.0"
