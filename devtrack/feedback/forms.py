from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Optional

from devtrack.feedback.models import TEXT_MAX
from devtrack.forms import DayField, at_most, not_in_the_future
from devtrack.grundlag.forms import GrundlagChoicesField

MESSAGE_MAX = 1000
# The receiver choice that means "my own reflection".
MYSELF = "refleksion"


class GiveFeedbackForm(FlaskForm):  # type: ignore[misc]
    receiver = SelectField(
        _l("Hvem er feedbacken til?"), validate_choice=False, validators=[Optional()]
    )
    receiver_email = EmailField(
        _l("Eller skriv en kollegas e-mail"),
        validators=[Optional(), at_most(254)],
        description=_l("Til en kollega, der ikke står på listen."),
    )
    about = GrundlagChoicesField(
        _l("Hvad i grundlaget handler feedbacken om?"),
        multiple=False,
        required_message=_l("Vælg det element eller adfærdsudsagn, feedbacken handler om."),
    )
    situation_date = DayField(
        _l("Hvornår var situationen?"),
        validators=[DataRequired(_l("Skriv datoen.")), not_in_the_future()],
    )
    text = TextAreaField(
        _l("Din feedback"),
        validators=[DataRequired(_l("Skriv din feedback.")), at_most(TEXT_MAX)],
        description=_l("Beskriv situationen og det, du så, fx »Jeg så mod, da du …«."),
    )
    request_id = HiddenField()


class ReplyForm(FlaskForm):  # type: ignore[misc]
    text = TextAreaField(
        _l("Dit svar"), validators=[DataRequired(_l("Skriv dit svar.")), at_most(TEXT_MAX)]
    )


class AskForm(FlaskForm):  # type: ignore[misc]
    recipients = SelectMultipleField(
        _l("Hvem vil du spørge?"), coerce=str, validate_choice=False, validators=[Optional()]
    )
    emails = TextAreaField(
        _l("Andre kollegaers e-mails"),
        validators=[Optional(), at_most(2000)],
        description=_l("Én e-mail pr. linje."),
    )
    about = GrundlagChoicesField(
        _l("Hvad i grundlaget vil du have feedback på?"),
        multiple=False,
        required_message=_l("Vælg det element eller adfærdsudsagn, du vil have feedback på."),
    )
    message = TextAreaField(
        _l("Besked"),
        validators=[Optional(), at_most(MESSAGE_MAX)],
        description=_l("Fx hvilken situation du gerne vil høre om."),
    )
