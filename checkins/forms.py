import datetime as dt
from collections.abc import Callable

from django import forms
from django.db.models import Case, QuerySet, Value, When
from django.forms.fields import BaseTemporalField
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care.models import CareItem
from checkins.models import Kind
from checkins.services import feeling_choices
from lib import moments
from lib.forms import SubmittedOnceForm
from partners.access import connections_live_for
from partners.models import SHAREABLE_ANSWERS, Connection
from partners.services import other_side, partner_name, side_of


def partner_choices(person) -> list[tuple[str, str]]:
    choices = []
    for connection in Connection.objects.active_for(person).prefetch_related("sides__person"):
        mine = side_of(connection, person)
        choices.append((str(connection.code), partner_name(mine, other_side(connection, person))))
    return choices


def _in_given_order(items) -> QuerySet:
    """The items as a query, in the order given: a routine puts what helps most first."""
    order = Case(*(When(pk=item.pk, then=Value(n)) for n, item in enumerate(items)), default=-1)
    return CareItem.objects.filter(pk__in=[item.pk for item in items]).order_by(order)


class _ChoicesWhenShown(ModelChoiceIterator):
    """The field's items, read from it when shown rather than when the form is made."""

    def __init__(self, field) -> None:
        self.field = field

    @property
    def queryset(self):  # type: ignore[override]  # read, never set
        return self.field.queryset


class CareItemChoiceField(forms.ModelMultipleChoiceField):
    """Care items to tick, from a query built when first needed (``choose_from``): a check-in
    sent with nothing ticked, the usual answer, is saved without building it at all."""

    widget = forms.CheckboxSelectMultiple
    iterator = _ChoicesWhenShown
    _build: Callable[[], QuerySet] | None = None

    def choose_from(self, build: Callable[[], QuerySet]) -> None:
        self._queryset = None
        self._build = build
        # Django's own attributes, beyond its stubs.
        self.widget.choices = self.choices  # type: ignore[assignment]

    def _get_queryset(self):
        if self._queryset is None and self._build is not None:
            self._queryset = self._build()  # type: ignore[assignment]
            self._build = None
        return self._queryset

    queryset = property(  # type: ignore[assignment]
        _get_queryset,
        forms.ModelMultipleChoiceField._set_queryset,  # type: ignore[attr-defined]
    )

    def label_from_instance(self, obj):
        return obj.label

    def clean(self, value) -> list:  # type: ignore[override]  # a list, see below
        # A list, not a queryset: the services test it for emptiness and spread it, and an
        # empty queryset is built and compiled again each time it is tested. Nothing ticked
        # (the usual answer) needs no queryset at all.
        if not self.required and not value:
            return []
        return list(super().clean(value))


class WallClockField(forms.DateTimeField):
    """The browser's datetime-local value: a time on the person's own clock, kept naive here
    and placed in their zone by the form. Django's field would place it in the current zone
    first, and overflow for dates near the ends of the calendar."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        return BaseTemporalField.to_python(self, value)


class EncounterForm(SubmittedOnceForm):
    occurred_at = WallClockField(
        label=_("When was it?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Now, or any time before."),
    )
    kind = forms.ChoiceField(label=_("What kind?"), choices=Kind.choices, widget=forms.RadioSelect)
    care_acts = CareItemChoiceField(
        label=_("What care did you receive?"),
        queryset=None,  # choose_from
        required=False,
        to_field_name="code",
        help_text=_(
            "Tick whatever happened — none is fine too. After time with someone, the care you "
            "gave has its place in your check-in."
        ),
    )
    connections = forms.MultipleChoiceField(
        label=_("Who was there?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They can add their own check-in. Your note stays yours."),
    )
    note = forms.CharField(
        label=_("A private note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you can read this. It is encrypted."),
    )

    def __init__(self, *args, person, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)
        care_acts = self.fields["care_acts"]
        assert isinstance(care_acts, CareItemChoiceField)
        care_acts.choose_from(lambda: CareItem.objects.visible_to(person))
        choices = partner_choices(person)
        if choices:
            self.fields["connections"].choices = choices  # type: ignore[attr-defined]
        else:
            del self.fields["connections"]
        if not self.is_bound and "occurred_at" not in self.initial:
            self.initial["occurred_at"] = timezone.localtime(timezone.now(), person.tz)

    def clean_connections(self) -> list:
        return connections_live_for(self.person, self.cleaned_data["connections"])

    def clean_occurred_at(self) -> dt.datetime:
        # The browser sends wall-clock time; it means the person's own time zone.
        return moments.from_wall_clock(self.cleaned_data["occurred_at"], self.person.tz)


SCALE = [(n, str(n)) for n in range(1, 8)]


class CheckInForm(SubmittedOnceForm):
    pleasantness = forms.TypedChoiceField(
        label=_("How do you feel?"),
        choices=SCALE,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    energy = forms.TypedChoiceField(
        label=_("How much energy do you have?"),
        choices=SCALE,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    feelings = forms.MultipleChoiceField(
        label=_("Any of these words fit?"),
        choices=feeling_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_care = forms.BooleanField(label=_("I'd like some care right now."), required=False)
    fun = forms.CharField(
        label=_("What was fun?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_time = forms.CharField(
        label=_("What would you like next time?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    not_right = forms.CharField(
        label=_("Anything that didn't feel right?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    need_now = forms.CharField(
        label=_("What do you need right now?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    winddown = CareItemChoiceField(
        label=_("Wind down"),
        queryset=None,  # choose_from
        required=False,
        to_field_name="code",
        help_text=_("Tick each one as you do it. There's no right number."),
    )
    care_received = CareItemChoiceField(
        label=_("What did you receive?"),
        queryset=None,  # choose_from
        required=False,
        to_field_name="code",
        help_text=_("Added to the care noted on this encounter."),
    )
    care_given = CareItemChoiceField(
        label=_("What did you give?"),
        queryset=None,  # choose_from
        required=False,
        to_field_name="code",
        help_text=_(
            "Looking after someone matters, and so do you. Noting what you gave can help you "
            "see what you need afterwards."
        ),
    )
    shared = forms.MultipleChoiceField(
        label=_("Share with the people on this encounter"),
        choices=SHAREABLE_ANSWERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you tick is shown to them. Everything else stays yours."),
    )

    CHANGED_PER_FORM = frozenset({"care_received", "care_given", "shared", "winddown"})

    def __init__(
        self,
        *args,
        routine=None,
        share_default=None,
        share_with=(),
        care_items=None,
        asks_received=False,
        **kwargs,
    ):
        """``care_items``: builds what the care given (and, with ``asks_received``, the care
        received) may be chosen from; without it neither is asked."""
        asked = {
            "care_received": care_items is not None and asks_received,
            "care_given": care_items is not None,
            "shared": share_default is not None,
            "winddown": routine is not None,
        }
        fields = {name: field for name, field in self.base_fields.items() if asked.get(name, True)}
        # Django deep-copies every declared field for each form made, so that a form may
        # change its own: a third of the cost of a check-in form. Only the fields changed
        # below are copied (an instance attribute, so other forms are not affected); the
        # others are only ever read, and every check-in form shares them.
        self.base_fields = {  # type: ignore[misc]  # shadows the class attribute
            name: field for name, field in fields.items() if name in self.CHANGED_PER_FORM
        }
        super().__init__(*args, **kwargs)
        copies = self.fields
        self.fields = {name: copies.get(name, field) for name, field in fields.items()}
        for name in ("care_received", "care_given"):
            field = self.fields.get(name)
            if field is not None:
                assert isinstance(field, CareItemChoiceField)
                field.choose_from(care_items)
        if share_default is not None:
            if len(share_with) == 1:
                self.fields["shared"].label = _("Share with %(name)s") % {"name": share_with[0]}
            if not self.is_bound:
                self.initial["shared"] = share_default
        if routine is not None:
            winddown = self.fields["winddown"]
            assert isinstance(winddown, CareItemChoiceField)
            winddown.choose_from(lambda: _in_given_order(routine))


class CareGivenForm(forms.Form):
    """The care given on a check-in, changed afterwards."""

    care_given = CareItemChoiceField(
        label=_("What did you give?"),
        queryset=None,  # choose_from
        required=False,
        to_field_name="code",
        help_text=_("Tick what you gave; untick what you didn't. None is fine too."),
    )

    def __init__(self, *args, care_items, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["care_given"]
        assert isinstance(field, CareItemChoiceField)
        field.choose_from(care_items)
