"""Rate-limit counters in retention: windows and attempt counts from before today go."""

from __future__ import annotations

from sqlalchemy import delete

from devtrack.limits.models import AttemptCount, RateLimitWindow
from devtrack.personal_data import PersonalData, PurgeScope, PurgeStep


def purge(scope: PurgeScope) -> list[PurgeStep]:
    today = scope.start_of_today
    return [
        (
            "rate_limit_windows",
            delete(RateLimitWindow).where(RateLimitWindow.window_start < today),
        ),
        ("attempt_counts", delete(AttemptCount).where(AttemptCount.last_attempt_at < today)),
    ]


PERSONAL_DATA = PersonalData("limits", tables=("rate_limit_window", "attempt_count"), purge=purge)
