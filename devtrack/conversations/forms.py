from __future__ import annotations

from typing import Any, cast

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, Regexp

from devtrack.conversation_templates.models import Side, TemplateVersion
from devtrack.conversations.models import TEXT_MAX, TITLE_MAX
from devtrack.forms import ChoiceField, DayField, at_most, not_in_the_future, not_in_the_past
from devtrack.grundlag.forms import GrundlagChoicesField

TOPIC_SLOTS = 3
PAST_DEADLINE = _l("Fristen ligger i fortiden.")


class RoundForm(FlaskForm):  # type: ignore[misc]
    kind = ChoiceField(_l("Slags samtale"))
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Giv runden en titel, fx »MUS 2027«.")), at_most(TITLE_MAX)],
    )
    deadline = DayField(
        _l("Frist"), validators=[DataRequired(_l("Skriv fristen.")), not_in_the_past(PAST_DEADLINE)]
    )
    template = SelectField(
        _l("Samtaleskabelon"),
        validate_choice=False,
        description=_l("Spørgsmålene i forberedelsen. Skabeloner ses under »Samtaleskabeloner«."),
    )
    units = SelectMultipleField(
        _l("Enheder"),
        coerce=str,
        validate_choice=False,
        description=_l("En enhed omfatter alle enheder under den."),
    )


class DeadlineForm(FlaskForm):  # type: ignore[misc]
    deadline = DayField(
        _l("Ny frist"),
        validators=[DataRequired(_l("Skriv fristen.")), not_in_the_past(PAST_DEADLINE)],
    )


class BookingForm(FlaskForm):  # type: ignore[misc]
    day = DayField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), not_in_the_past()])
    time = StringField(
        _l("Klokkeslæt"),
        validators=[
            DataRequired(_l("Skriv klokkeslættet.")),
            Regexp(r"^([01]?\d|2[0-3])[:.][0-5]\d$", message=_l("Skriv klokkeslættet som 10:30.")),
        ],
    )
    place = StringField(_l("Sted"), validators=[Optional(), at_most(200)])


class TopicForm(Form):  # type: ignore[misc]
    about = SelectField(_l("Element"), validate_choice=False, validators=[Optional()])
    text = TextAreaField(_l("Med dine egne ord"), validators=[Optional(), at_most(TEXT_MAX)])


def answer_field(key: str) -> str:
    """The form field of a template question (keys have hyphens; field names may not)."""
    return "q_" + key.replace("-", "_")


def note_field(key: str) -> str:
    return "n_" + key.replace("-", "_")


def note_version_field(key: str) -> str:
    return "v_" + key.replace("-", "_")


class PreparationBase(FlaskForm):  # type: ignore[misc]
    topics = FieldList(FormField(TopicForm), min_entries=TOPIC_SLOTS, max_entries=TOPIC_SLOTS)
    version = HiddenField()
    # Which side's wording the form showed: the session-expired page names the fields with it.
    side = HiddenField()


def preparation_form(template: TemplateVersion, side: Side) -> PreparationBase:
    """A form with one text field per question the template asks this side, in its wording."""
    fields = {
        answer_field(question.key): TextAreaField(
            question.text(side),
            validators=[Optional(), at_most(TEXT_MAX)],
            description=question.help(side),
        )
        for question in template.questions()
        if question.asks(side)
    }
    form_class = type("PreparationForm", (PreparationBase,), fields)
    return cast(PreparationBase, form_class())


def notes_form(template: TemplateVersion) -> FlaskForm:
    """One note per section of the template, each with the version it was read at."""
    fields: dict[str, Any] = {}
    for section in template.sections:
        fields[note_field(section.key)] = TextAreaField(
            section.title, validators=[Optional(), at_most(TEXT_MAX)]
        )
        fields[note_version_field(section.key)] = HiddenField()
    form_class = type("NotesForm", (FlaskForm,), fields)
    return cast(FlaskForm, form_class())


class AgreementForm(FlaskForm):  # type: ignore[misc]
    what = TextAreaField(
        _l("Aftalen"),
        validators=[DataRequired(_l("Skriv, hvad I aftaler.")), at_most(TEXT_MAX)],
    )
    kind = ChoiceField(_l("Slags udvikling"))
    links = GrundlagChoicesField(
        _l("Hvad i grundlaget udvikler aftalen?"),
        required_message=_l("Knyt aftalen til mindst ét element i grundlaget."),
    )
    who_does_what = TextAreaField(_l("Hvem gør hvad"), validators=[Optional(), at_most(TEXT_MAX)])
    deadline = DayField(_l("Frist"), validators=[Optional(), not_in_the_past(PAST_DEADLINE)])
    success = TextAreaField(_l("Sådan ser succes ud"), validators=[Optional(), at_most(TEXT_MAX)])
    version = HiddenField()


class AcknowledgeForm(FlaskForm):  # type: ignore[misc]
    disagreement = TextAreaField(
        _l("Er du uenig i noget?"),
        validators=[Optional(), at_most(TEXT_MAX)],
        description=_l("At kvittere betyder, at du har set planen, ikke at du er enig."),
    )


class FollowUpForm(FlaskForm):  # type: ignore[misc]
    status = ChoiceField(_l("Status"))
    note = TextAreaField(_l("Bemærkning"), validators=[Optional(), at_most(TEXT_MAX)])
    on = DayField(_l("Dato"), validators=[DataRequired(_l("Skriv datoen.")), not_in_the_future()])


class SummaryForm(FlaskForm):  # type: ignore[misc]
    summary = TextAreaField(
        _l("Referat af samtalen"),
        validators=[Optional(), at_most(TEXT_MAX)],
        description=_l(
            "Skrives under eller efter samtalen. Det kvitteres sammen med aftalerne, og en "
            "ændring efter låsning skal kvitteres igen."
        ),
    )


class GroupBookingForm(BookingForm):
    participants = SelectMultipleField(
        _l("Deltagere"),
        coerce=str,
        validate_choice=False,
        description=_l("Hver deltager får stadig sin egen udviklingsplan."),
    )


class GroupNotesForm(FlaskForm):  # type: ignore[misc]
    notes = TextAreaField(
        _l("Noter fra gruppesamtalen"),
        validators=[Optional(), at_most(TEXT_MAX)],
        description=_l("Alle deltagere kan læse noterne."),
    )


class FollowUpDateForm(FlaskForm):  # type: ignore[misc]
    on = DayField(
        _l("Dato for opfølgning"),
        validators=[Optional(), not_in_the_past()],
        description=_l("Begge får en påmindelse, når datoen nærmer sig. Tom: ingen dato."),
    )


class ExtendRoundForm(FlaskForm):  # type: ignore[misc]
    units = SelectMultipleField(
        _l("Enheder"),
        coerce=str,
        validate_choice=False,
        description=_l("En enhed omfatter alle enheder under den."),
    )
