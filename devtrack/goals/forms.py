from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from devtrack.forms import ChoiceField, DayField, at_most, not_in_the_future, not_in_the_past
from devtrack.goals.models import TEXT_MAX, TITLE_MAX
from devtrack.grundlag.forms import GrundlagChoicesField


class GoalForm(FlaskForm):  # type: ignore[misc]
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Giv målet en titel.")), at_most(TITLE_MAX)],
        description=_l("Kort og konkret, fx »Lede et fagligt møde hver måned«."),
    )
    description = TextAreaField(
        _l("Beskrivelse"),
        validators=[Optional(), at_most(TEXT_MAX)],
        description=_l("Hvad vil du udvikle, og hvorfor?"),
    )
    links = GrundlagChoicesField(
        _l("Hvad i grundlaget arbejder målet med?"),
        description=_l("Vælg en eller flere værdier, kompetencer eller adfærdsudsagn."),
    )
    target_date = DayField(
        _l("Måldato"), validators=[Optional(), not_in_the_past(_l("Måldatoen ligger i fortiden."))]
    )
    share = BooleanField(_l("Del målet med min leder nu"))
    # The version the form was opened on: saving over a newer version is a conflict.
    version = HiddenField()


class ProgressForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        _l("Hvad er der sket?"),
        validators=[DataRequired(_l("Skriv, hvad der er sket.")), at_most(TEXT_MAX)],
    )
    occurred_on = DayField(
        _l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), not_in_the_future()]
    )
    milestone = BooleanField(_l("En milepæl er nået"))


class StatusForm(FlaskForm):  # type: ignore[misc]
    status = ChoiceField(_l("Ny status"), validators=[DataRequired(_l("Vælg en status."))])
    note = TextAreaField(_l("Bemærkning"), validators=[Optional(), at_most(TEXT_MAX)])
