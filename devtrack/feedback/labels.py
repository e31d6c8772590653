from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from devtrack.feedback.models import FeedbackSource, RequestStatus

SOURCE_LABELS: dict[FeedbackSource, LazyString] = {
    FeedbackSource.LEADER: _l("Fra lederen"),
    FeedbackSource.COLLEAGUE: _l("Fra en kollega"),
    FeedbackSource.SELF: _l("Egen refleksion"),
}


REQUEST_STATUSES: dict[RequestStatus, LazyString] = {
    RequestStatus.OPEN: _l("venter på svar"),
    RequestStatus.ANSWERED: _l("besvaret"),
    RequestStatus.WITHDRAWN: _l("trukket tilbage"),
}


def source_label(source: FeedbackSource) -> str:
    return str(SOURCE_LABELS[source])


HELPERS = {"feedback_source_label": source_label}
