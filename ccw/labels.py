"""Human labels for the codes the marts hold: `tech_support` → "Tech support".

One place for every label the app and the weekly report show, so a queue, segment,
team or band reads the same everywhere. A code not listed is written as words, first
letter capital, with the contact-center abbreviations kept in capitals.
"""

from __future__ import annotations

import math
import re

ABBREVIATIONS = {"ivr", "nps", "csat", "ces", "fcr", "aht", "asa", "acw", "sla", "vip", "hr", "crm"}
# Codes whose words alone would read wrongly.
LABELS = {"all_queues": "All queues"}


def human(code: object) -> str:
    """The label for one code (None and empty read as "Unknown")."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or not str(code).strip():
        return "Unknown"
    text = str(code).strip()
    if text in LABELS:
        return LABELS[text]
    words = [
        word.upper() if word.lower() in ABBREVIATIONS else word
        for word in re.split(r"[_\s]+", text)
        if word
    ]
    sentence = " ".join(words)
    return sentence[:1].upper() + sentence[1:]
