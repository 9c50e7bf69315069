"""Forms of the meetings pages: the community's meeting settings, the schedule rule, one
meeting, and the attendance of a meeting."""

import zoneinfo
from datetime import date, timedelta
from itertools import islice, takewhile

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from copkit.concurrency import EditConflictMixin, display
from copkit.dates import sane_year
from planning.meetings import schedule
from planning.models import Attendance, Meeting, MeetingSettings
from planning.plans import parts as plan_parts

MIN_LENGTH, MAX_LENGTH = 15, 480
MAX_REMINDER_HOURS = 168
LONGEST_SCHEDULE = timedelta(days=3 * 366)
LIMIT = schedule.MAX_MEETINGS

# Zones offered in the settings list: the US first, then a few elsewhere. Any other valid
# name already saved is kept in the list.
COMMON_TIME_ZONES = (
    ("America/New_York", _("Eastern time (New York)")),
    ("America/Chicago", _("Central time (Chicago)")),
    ("America/Denver", _("Mountain time (Denver)")),
    ("America/Phoenix", _("Mountain time, no daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific time (Los Angeles)")),
    ("America/Anchorage", _("Alaska time (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii time (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic time (Puerto Rico)")),
    ("Pacific/Guam", _("Chamorro time (Guam)")),
    ("Pacific/Pago_Pago", _("Samoa time (Pago Pago)")),
    ("America/Halifax", _("Atlantic time (Halifax)")),
    ("America/St_Johns", _("Newfoundland time (St. John's)")),
    ("America/Regina", _("Central time, no daylight saving (Regina)")),
    ("America/Mexico_City", _("Mexico City")),
    ("America/Bogota", _("Bogotá")),
    ("America/Sao_Paulo", _("São Paulo")),
    ("Europe/London", _("London")),
    ("Europe/Dublin", _("Dublin")),
    ("Europe/Paris", _("Paris")),
    ("Europe/Berlin", _("Berlin")),
    ("Africa/Lagos", _("Lagos")),
    ("Africa/Nairobi", _("Nairobi")),
    ("Africa/Johannesburg", _("Johannesburg")),
    ("Asia/Kolkata", _("India (Kolkata)")),
    ("Asia/Manila", _("Manila")),
    ("Asia/Tokyo", _("Tokyo")),
    ("Australia/Sydney", _("Sydney")),
    ("Pacific/Auckland", _("Auckland")),
    ("UTC", _("UTC")),
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _length_field():
    return forms.IntegerField(
        label=_("Length in minutes"),
        min_value=MIN_LENGTH,
        max_value=MAX_LENGTH,
        error_messages={
            "required": _("Say how long the meeting lasts, in minutes."),
            "min_value": _("A meeting lasts at least %(limit_value)s minutes."),
            "max_value": _("Keep a meeting to %(limit_value)s minutes (eight hours) or less."),
        },
        widget=forms.NumberInput(attrs={"min": MIN_LENGTH, "max": MAX_LENGTH, "step": 5}),
    )


class MeetingSettingsForm(EditConflictMixin, forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Meeting times are set and shown in this zone, and follow its clock changes."),
    )

    class Meta:
        model = MeetingSettings
        fields = ["time_zone", "location", "reminder_hours"]
        labels = {
            "location": _("Usual place or call link"),
            "reminder_hours": _("Remind members this many hours before a meeting"),
        }
        help_texts = {
            "location": _(
                "An address, a room, or the video or phone link. New meetings start with it."
            ),
            "reminder_hours": _(
                "From 0 to 168 (a week). 0 sends no reminders. Members can turn theirs off."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(COMMON_TIME_ZONES)
        current = self.instance.time_zone
        if current and current not in dict(choices) and current in _available():
            choices.append((current, current))
        self.fields["time_zone"].choices = choices
        hours = self.fields["reminder_hours"]
        hours.validators += [MinValueValidator(0), MaxValueValidator(MAX_REMINDER_HOURS)]
        hours.widget.attrs.update(min=0, max=MAX_REMINDER_HOURS)
        hours.error_messages["required"] = _("Give a number of hours (0 for no reminders).")

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if name not in _available():
            raise forms.ValidationError(_("Choose a time zone from the list."))
        return name


def _available():
    return zoneinfo.available_timezones()


class ScheduleForm(forms.Form):
    """A recurrence rule and its dates. `clean()` leaves the rule (keywords of
    planning.meetings.schedule.propose, without the zone) in `self.rule`."""

    first_date = forms.DateField(
        label=_("First meeting on or after"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={"required": _("Give the date of the first meeting.")},
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=plan_parts.FREQUENCIES)
    week_of_month = forms.ChoiceField(
        label=_("Which week of the month"),
        choices=[("", _("(not needed for weekly meetings)")), *plan_parts.WEEKS_OF_MONTH],
        required=False,
        help_text=_("For monthly meetings and meetings every three months."),
    )
    weekday = forms.ChoiceField(label=_("Day of the week"), choices=plan_parts.WEEKDAYS)
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Give the start time.")},
    )
    length_minutes = _length_field()
    mode = forms.ChoiceField(label=_("Format"), choices=Meeting.Mode.choices)
    location = forms.CharField(
        label=_("Where: place or call link"),
        max_length=500,
        required=False,
        help_text=_("Goes on every meeting, and becomes the community's usual place."),
    )
    until = forms.DateField(
        label=_("Last date"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        help_text=_("No meetings after this day. It starts at the end of the program."),
        error_messages={"required": _("Give the last date for meetings.")},
    )

    def __init__(self, *args, zone_name=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone_name = zone_name
        if zone_name:
            self.fields["start_time"].help_text = _("Local time (%(zone)s).") % {"zone": zone_name}

    def clean(self):
        data = super().clean()
        first, until = data.get("first_date"), data.get("until")
        frequency = data.get("frequency")
        if frequency in schedule.MONTHLY_KINDS and not data.get("week_of_month"):
            self.add_error(
                "week_of_month",
                _("Choose the week of the month: monthly meetings need one."),
            )
        if first and until:
            if until < first:
                self.add_error("until", _("The last date must be on or after the first date."))
            elif until - first > LONGEST_SCHEDULE:
                self.add_error("until", _("Schedule at most three years ahead."))
        if self.errors:
            return data
        self.leave_out = self._unticked()
        self.rule = {
            "first_date": first,
            "frequency": frequency,
            "weekday": int(data["weekday"]),
            "week_of_month": data.get("week_of_month") or None,
            "start_time": data["start_time"],
            "length_minutes": data["length_minutes"],
            "until": until,
        }
        if frequency not in schedule.MONTHLY_KINDS:
            self.rule["week_of_month"] = None
        days = schedule.dates(first, frequency, self.rule["weekday"], self.rule["week_of_month"])
        count = sum(1 for _day in islice(takewhile(lambda d: d <= until, days), LIMIT + 1))
        if count == 0:
            self.add_error("until", _("No meeting falls between these dates."))
        elif count > LIMIT:
            self.add_error(
                "until",
                _("That makes more than %(n)d meetings: choose an earlier last date.")
                % {"n": LIMIT},
            )
        return data

    def _unticked(self):
        """The dates the preview offered (`offered`) that the leader unticked (not in
        `keep`): the dates to leave out. Nothing before a preview has been shown."""
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return set()
        return _iso_dates(getlist("offered")) - _iso_dates(getlist("keep"))


def _iso_dates(values):
    found = set()
    for value in values:
        try:
            found.add(date.fromisoformat(str(value)))
        except ValueError:
            continue  # not a date the preview wrote: ignored
    return found


class MeetingForm(EditConflictMixin, forms.Form):
    """One meeting. The date and start time are local to the community's zone; `clean()`
    puts the instant in cleaned_data["starts_at"]. Editing, it gets the meeting as `record`
    and notices a change saved since it was opened."""

    conflict_fields = (
        "title",
        "starts_at",
        "duration_minutes",
        "mode",
        "location",
        "agenda",
        "notes",
        "cancelled_at",
    )
    conflict_inputs = {"starts_at": ("date", "start_time"), "cancelled_at": ("cancelled",)}
    conflict_labels = {"starts_at": _("Date and start time"), "cancelled_at": _("Cancelled")}

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the meeting a title.")},
    )
    date = forms.DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        validators=[sane_year],
        error_messages={"required": _("Give the date of the meeting.")},
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=TIME_WIDGET,
        error_messages={"required": _("Give the start time.")},
    )
    duration_minutes = _length_field()
    mode = forms.ChoiceField(label=_("Format"), choices=Meeting.Mode.choices)
    location = forms.CharField(
        label=_("Place or call link"),
        max_length=500,
        required=False,
        help_text=_("An address, a room, or the video or phone link."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was said and decided, for members who could not come."),
    )
    cancelled = forms.BooleanField(
        label=_("This meeting is cancelled"),
        required=False,
        help_text=_("Members' calendars show it as cancelled. Untick to restore it."),
    )

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["start_time"].help_text = _("Local time (%(zone)s).") % {"zone": zone.key}
        if not editing:
            del self.fields["notes"]
            del self.fields["cancelled"]

    def display_stored(self, name, value):
        if name == "starts_at" and value is not None:
            local = value.astimezone(self.zone)
            return f"{display(local.date())} {display(local.time().replace(tzinfo=None))}"
        if name == "cancelled_at":
            return display(value is not None)
        return super().display_stored(name, value)

    @classmethod
    def initial_for(cls, meeting, zone):
        local = meeting.starts_at.astimezone(zone)
        return {
            "title": meeting.title,
            "date": local.date(),
            "start_time": local.time().replace(tzinfo=None, second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "mode": meeting.mode,
            "location": meeting.location,
            "agenda": meeting.agenda,
            "notes": meeting.notes,
            "cancelled": meeting.is_cancelled,
            "starts_at": meeting.starts_at,
        }

    def clean_agenda(self):
        lines = [line.strip() for line in self.cleaned_data["agenda"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean(self):
        data = super().clean()
        day, start = data.get("date"), data.get("start_time")
        if day and start:
            unchanged = (
                self.initial.get("starts_at") is not None
                and day == self.initial.get("date")
                and start == self.initial.get("start_time")
            )
            # An unchanged date and time keep the stored instant (which may be the second of
            # a repeated hour, or have seconds the form does not show).
            data["starts_at"] = (
                self.initial["starts_at"]
                if unchanged
                else schedule.local_to_utc(day, start, self.zone)
            )
        return data

    def changes(self):
        """The model fields to save, from cleaned data."""
        names = ["title", "starts_at", "duration_minutes", "mode", "location", "agenda"]
        if "notes" in self.fields:
            names.append("notes")
        return {name: self.cleaned_data[name] for name in names}


class AttendanceForm(forms.Form):
    """Present, absent or excused for each current member. Field names are `p-<public id>`;
    a posted `p-...` name that is not a current member makes the form invalid."""

    PREFIX = "p-"

    def __init__(self, *args, members, recorded=None, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = recorded or {}
        self.members = members
        for person in members:
            self.fields[self.PREFIX + str(person.public_id)] = forms.ChoiceField(
                label=person.name,
                choices=Attendance.Status.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=recorded.get(person.pk, ""),
            )

    def rows(self):
        """(participant, bound field) for the template."""
        return [(person, self[self.PREFIX + str(person.public_id)]) for person in self.members]

    def clean(self):
        data = super().clean()
        posted = {key for key in self.data if key.startswith(self.PREFIX)}
        if posted - set(self.fields):
            raise forms.ValidationError(
                _("Attendance can only be recorded for members of this community."),
                code="unknown",
            )
        return data

    def statuses(self):
        """{public id: status} for the members marked."""
        return {
            name.removeprefix(self.PREFIX): value
            for name, value in self.cleaned_data.items()
            if name.startswith(self.PREFIX) and value
        }
