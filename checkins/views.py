from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from care.models import AftercareProfile
from checkins import access, dropwatch, services
from checkins.forms import CheckInForm, EncounterForm
from checkins.models import Encounter, FollowUp, FollowUpState
from lib.forms import apply_service
from partners import nudges
from partners.services import other_name
from privacy.access import consent_required

PAGE_SIZE = 20


@login_required
def dashboard(request):
    mine = Encounter.objects.for_person(request.user)
    ctx = {
        "pending": mine.exclude(checkins__person=request.user).order_by("-occurred_at")[:5],
        "recent": mine.with_mood()[:5],
        "has_profile": AftercareProfile.objects.filter(person=request.user).exists(),
        "partner_pending": services.waiting_for_my_checkin(request.user),
        "followups_waiting": FollowUp.objects.for_person(request.user)
        .filter(state=FollowUpState.SENT)
        .order_by("-sent_at")[:3],
    }
    return render(request, "checkins/dashboard.html", ctx)


@login_required
def encounter_list(request):
    encounters = Encounter.objects.for_person(request.user).with_mood()
    page = Paginator(encounters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "checkins/encounter_list.html", {"page": page})


@login_required
@consent_required
def encounter_new(request):
    form = EncounterForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        encounter = apply_service(
            form, lambda: services.log_encounter(request.user, **form.cleaned_data)
        )
        if encounter:
            return redirect("checkins:checkin_new", encounter.code)
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
        "nudgeable": [
            (c, other_name(c, request.user))
            for c, _side in nudges.nudgeable(encounter, request.user)
        ],
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
        saved = apply_service(
            form, lambda: services.update_encounter(encounter, **form.cleaned_data)
        )
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
        messages.success(request, _("Deleted, with its check-ins. It is gone for good."))
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
    form = CheckInForm(request.POST or None, routine=routine, share_default=share_default)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        care_acts = data.pop("winddown", None) or []
        checkin = apply_service(
            form,
            lambda: services.add_checkin(request.user, encounter, care_acts=care_acts, **data),
        )
        if checkin:
            if checkin.raised_drop:
                return redirect("checkins:checkin_detail", checkin.code)
            messages.success(request, _("Thank you for checking in."))
            return redirect("checkins:encounter_detail", encounter.code)
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
    response = services.drop_response(request.user, checkin) if checkin.raised_drop else None
    ctx = {
        "checkin": checkin,
        "drop": response,
        "can_tell": dropwatch.who_can_be_told(request.user, checkin) if response else None,
        "alerts": dropwatch.with_names(checkin.alerts.all(), request.user),
    }
    return render(request, "checkins/checkin_detail.html", ctx)
