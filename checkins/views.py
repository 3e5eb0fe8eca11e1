from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import submissions
from care import crisis
from care.models import AftercareProfile
from checkins import access, giving, services, signals
from checkins.forms import CareGivenForm, CheckInForm, EncounterForm
from checkins.models import CheckIn, Encounter
from consent.access import consent_required
from lib.compiled import Compiled
from lib.forms import apply_service
from lib.pagination import page_of
from partners.services import other_name

PAGE_SIZE = 20
ELSEWHERE_SHOWN = 5


def _elsewhere(person):
    """The person's check-ins on encounters someone else logged: theirs, whether or not the
    encounter is still shared with them."""
    return CheckIn.objects.for_person(person).on_others_encounters()


# The dashboard's lists, built from the models' own rules and compiled once per process
# (lib.compiled): building them each time was a third of the page. Each takes the person's id.
PENDING = Compiled(
    lambda person: (
        Encounter.objects.for_person(person)
        .exclude(checkins__person=person)
        .order_by("-occurred_at")[:5]
    ),
    int,
)
RECENT = Compiled(lambda person: Encounter.objects.for_person(person).with_mood()[:5], int)
HAS_PROFILE = Compiled(
    lambda person: AftercareProfile.objects.filter(person=person).values("pk")[:1], int
)
ELSEWHERE = Compiled(lambda person: _elsewhere(person)[:ELSEWHERE_SHOWN], int)


# A second tap on a form (or a resend) lands where the first one did, with this quiet line.
ALREADY_SAVED = gettext_lazy("That was already saved. Here it is.")


def after_checkin(request, submitted, encounter):
    """Where a check-in leads: its drop response when it raised a signal, else the encounter.
    A second tap on the same form goes where the first went."""
    if submitted.repeated:
        messages.info(request, ALREADY_SAVED)
        checkin = access.own_checkin_or_none(request, submitted.earlier)
    else:
        checkin = submitted.made
        if not checkin.raised_drop:
            messages.success(request, _("Thank you for checking in."))
    if checkin is not None and checkin.raised_drop:
        return redirect("checkins:checkin_detail", checkin.code)
    return redirect("checkins:encounter_detail", encounter.code)


@login_required
def dashboard(request):
    person = request.user.pk
    ctx = {
        "pending": PENDING.objects(person),
        "recent": RECENT.objects(person),
        "has_profile": bool(HAS_PROFILE.rows(person)),
        "partner_pending": services.waiting_for_my_checkin(request.user),
        "elsewhere": ELSEWHERE.objects(person),
    }
    ctx.update(signals.gather("dashboard", request.user))
    return render(request, "checkins/dashboard.html", ctx)


@login_required
def encounter_list(request):
    encounters = Encounter.objects.for_person(request.user).with_mood()
    page = page_of(encounters, request.GET.get("page"), PAGE_SIZE)
    ctx = {"page": page, "elsewhere": _elsewhere(request.user)[:ELSEWHERE_SHOWN]}
    return render(request, "checkins/encounter_list.html", ctx)


@login_required
def checkin_list(request):
    page = page_of(_elsewhere(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "checkins/checkin_list.html", {"page": page})


@login_required
@consent_required
def encounter_new(request):
    form = EncounterForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("submission")
        submitted = submissions.once_from_form(
            request, form, "encounter", lambda: services.log_encounter(request.user, **data)
        )
        if submitted and submitted.repeated:
            messages.info(request, ALREADY_SAVED)
            return redirect("checkins:checkin_new", submitted.earlier)
        if submitted:
            return redirect("checkins:checkin_new", submitted.made.code)
    status = 400 if form.errors else 200
    return render(request, "checkins/encounter_form.html", {"form": form}, status=status)


@login_required
def encounter_detail(request, code):
    encounter = access.encounter_read(request, code)
    ctx = {
        "encounter": encounter,
        "is_author": encounter.person_id == request.user.pk,
        "mine": [c for c in encounter.checkins.all() if c.person_id == request.user.pk],
        "shared": services.shared_checkins(encounter, request.user),
        # Whom a nudge can reach (from the nudges' app).
        **signals.gather("encounter", request.user, encounter=encounter),
    }
    return render(request, "checkins/encounter_detail.html", ctx)


@login_required
@consent_required
def encounter_edit(request, code):
    encounter = access.encounter_write(request, code)
    initial = {
        "occurred_at": encounter.occurred_at.astimezone(request.user.tz),
        "kind": encounter.kind,
        "care_acts": [item.code for item in encounter.care_acts.all()],
        "note": encounter.note,
        "connections": [str(c.code) for c in encounter.connections.all()],
    }
    form = EncounterForm(request.POST or None, person=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        changes.pop("submission")  # saving the same changes twice changes nothing
        saved = apply_service(form, lambda: services.update_encounter(encounter, **changes))
        if saved:
            messages.success(request, _("Saved."))
            return redirect("checkins:encounter_detail", encounter.code)
    status = 400 if form.errors else 200
    ctx = {"form": form, "encounter": encounter}
    return render(request, "checkins/encounter_form.html", ctx, status=status)


@login_required
def encounter_delete(request, code):
    encounter = access.encounter_write(request, code)
    if request.method == "POST":
        services.delete_encounter(encounter)
        messages.success(request, _("Deleted, with your check-ins on it. It is gone for good."))
        return redirect("checkins:encounter_list")
    return render(request, "checkins/encounter_delete.html", {"encounter": encounter})


@login_required
@consent_required
def checkin_new(request, code):
    encounter = access.encounter_read(request, code, details=False)
    routine = services.wind_down_routine(request.user) if encounter.is_self_care_kind else None
    sides = services.my_sides(encounter, request.user)
    # Offered only where the person shares check-in answers with someone, starting from those.
    sharing_sides = [side for side in sides if side.share_checkins]
    share_default = services.default_shared_answers(sharing_sides) if sharing_sides else None
    names = [other_name(side.connection, request.user) for side in sharing_sides]
    form = CheckInForm(
        request.POST or None,
        routine=routine,
        share_default=share_default,
        share_with=names,
        care_items=giving.care_choices(request.user, encounter.kind),
        asks_received=encounter.person_id == request.user.pk,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("submission")
        care_acts = [*(data.pop("winddown", None) or []), *(data.pop("care_received", None) or [])]
        submitted = submissions.once_from_form(
            request,
            form,
            "checkin",
            lambda: services.add_checkin(request.user, encounter, care_acts=care_acts, **data),
        )
        if submitted:
            return after_checkin(request, submitted, encounter)
    status = 400 if form.errors else 200
    ctx = {"form": form, "encounter": encounter}
    return render(request, "checkins/checkin_form.html", ctx, status=status)


@login_required
def checkin_delete(request, code):
    checkin = access.checkin_read(request, code)
    if request.method == "POST":
        encounter = checkin.encounter
        services.delete_checkin(checkin)
        messages.success(request, _("Deleted. It is gone for good."))
        if encounter is not None:
            return redirect("checkins:encounter_detail", encounter.code)
        return redirect("checkins:encounter_list")
    return render(request, "checkins/checkin_delete.html", {"checkin": checkin})


@login_required
def checkin_detail(request, code):
    checkin = access.checkin_read(request, code)
    response = (
        services.drop_response(request.user, checkin, region=crisis.browser_region(request))
        if checkin.raised_drop
        else None
    )
    encounter = checkin.encounter
    ctx = {
        "checkin": checkin,
        # No link into a page that would answer 404: ended, paused, taken off, or deleted.
        "encounter_in_sight": encounter is not None and encounter.is_in_sight_of(request.user),
        "drop": response,
        # The tell panel: whom one tap would tell, and who was told (from the drop watch).
        **signals.gather("checkin", request.user, checkin=checkin, dropped=response is not None),
        "can_change_given": giving.given_choices(request.user, checkin) is not None,
    }
    return render(request, "checkins/checkin_detail.html", ctx)


@login_required
@consent_required
def checkin_care_given(request, code):
    checkin = access.checkin_read(request, code)
    items = giving.given_choices(request.user, checkin)
    if items is None:
        raise Http404
    form = CareGivenForm(
        request.POST if request.method == "POST" else None,  # unticking all is an answer
        care_items=items,
        initial={"care_given": list(checkin.care_given.all())},
    )
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["care_given"]
        if apply_service(form, lambda: giving.set_care_given(request.user, checkin, given)):
            messages.success(request, _("Saved the care you gave."))
            return redirect("checkins:checkin_detail", checkin.code)
    status = 400 if form.errors else 200
    ctx = {"form": form, "checkin": checkin}
    return render(request, "checkins/checkin_care_given.html", ctx, status=status)
