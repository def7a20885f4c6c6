"""The bands the distribution and plausibility expectations accept, in one place.

Each band is wide enough that ninety days of the generator's demo data (with its
outage surge, quiet Sundays and monthly survey waves) pass, and narrow enough to
catch what breaks in real feeds: a truncated export, a lost IVR lookup, a survey
tool that stopped recording answers, costs in cents instead of dollars.
docs/data-quality.md explains each one and what to do when it trips.
"""

from __future__ import annotations

# A day's rows against the median of the same weekday over the previous four weeks.
# Volume is only judged once at least three such weekdays are known.
RECENT_WEEKS = 4
MIN_HISTORY_WEEKDAYS = 3
DAILY_ROWS_MIN_RATIO = 0.5  # a half-empty day is a truncated or partial export
DAILY_ROWS_MAX_RATIO = 3.0  # an outage surge stays under it; triple volume does not
# Tables whose volume legitimately jumps: relationship surveys go out in monthly waves.
DAILY_ROWS_MAX_RATIO_EXCEPTIONS: dict[str, float | None] = {"responses": None}

# Opening hours learned from the history (the settings' `opening_hours: learned`): an
# interval is open on a weekday when at least this many calls queued in it on every one
# of the recent same weekdays (at least MIN_HISTORY_WEEKDAYS of them), so a quiet
# edge of the day is never judged, and an empty busy interval is an hour lost.
LEARNED_OPEN_MIN_CALLS = 5

# Inbound first legs with no customer_id: the IVR could not identify the caller.
UNIDENTIFIED_SHARE_MAX = 0.5

# Abandoned legs per leg that reached a queue, per day.
ABANDON_RATE_MIN = 0.005  # no abandons at all means the ACD stopped reporting them
ABANDON_RATE_MAX = 0.6  # the demo's outage day reaches 0.43

# Post-contact surveys answered per survey sent, judged on the surveys sent a week
# before the day delivered (answers arrive over the following days).
SURVEY_MATURITY_DAYS = 7
SURVEY_RESPONSE_RATE_MIN = 0.03
SURVEY_RESPONSE_RATE_MAX = 0.8

# Agents with a logged-in state that day, per agent employed on that day's roster.
LOGGED_IN_SHARE_OF_ROSTER_MIN = 0.1

# Cost per contact (segment x queue and team months): a unit or rate error (cents for
# dollars, minutes for hours) lands far outside it.
COST_PER_CONTACT_MIN = 0.5
COST_PER_CONTACT_MAX = 150.0
