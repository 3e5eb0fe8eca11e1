from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from care import crisis
from consent.access import consent_required
from lib.pagination import page_of
from lib.qr import qr_data_uri
from partners import access, guests
from partners.forms import CountryForm, GuestAnswerForm, NicknameForm
from partners.models import GuestAnswer, GuestLink

PER_PAGE = 20


@login_required
def guest_links(request):
    return _guest_links_page(request)


def _guest_links_page(request, form=None, status=200):
    ctx = {
        "links": page_of(
            GuestLink.objects.open().filter(person=request.user).order_by("-created_at", "-id"),
            request.GET.get("links"),
            PER_PAGE,
        ),
        "answers": page_of(
            GuestAnswer.objects.filter(person=request.user)
            .select_related("link")
            .order_by("-created_at", "-id"),
            request.GET.get("page"),
            PER_PAGE,
        ),
        "form": form or NicknameForm(),
    }
    return render(request, "partners/guest_links.html", ctx, status=status)


@login_required
@require_POST
@consent_required
def guest_link_create(request):
    form = NicknameForm(request.POST)
    if not form.is_valid():  # the list again, with the message beside what was typed
        return _guest_links_page(request, form=form, status=400)
    link, secret = guests.create_link(request.user, **form.cleaned_data)
    url = request.build_absolute_uri(reverse("partners:guest", args=[secret]))
    qr = qr_data_uri(url)
    ctx = {"link": link, "url": url, "qr": qr}
    return render(request, "partners/guest_link_new.html", ctx)


@login_required
@require_POST
def guest_link_revoke(request, code):
    guests.revoke_link(access.guest_link_for_owner(request, code))
    messages.success(request, _("That link no longer works."))
    return redirect("partners:guest_links")


# No account, no cookie, nothing that follows the guest: the secret in the link is the key,
# so the form needs no CSRF cookie either.
@csrf_exempt
def guest(request, secret):
    link = guests.open_link(secret)
    if link is None:
        return _gone(request, secret)
    form = GuestAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = form.cleaned_data
        # Feeling words and asking for care decide what this page shows; they are not kept.
        kept = {name: answer[name] for name in ("feeling", "message", "wants_to_hear_back")}
        try:
            guests.answer(secret, **kept)
        except PermissionDenied:
            return _gone(request, secret)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            care = _care_if_low(request, answer, lambda: link.person.country)
            return render(request, "partners/guest.html", {"thanks": True, **care})
    return render(
        request, "partners/guest.html", {"form": form}, status=400 if form.errors else 200
    )


def _gone(request, secret):
    """The link was answered already, expired or came mistyped. An answer sent to it loses
    nothing: its words are shown back (and still not kept), and a low one gets the same care
    a low answer gets (for the link maker's country, else the guest's browser's region)."""
    ctx: dict = {"gone": True}
    form = GuestAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        ctx["unsent"] = form.cleaned_data["message"]
        ctx.update(_care_if_low(request, form.cleaned_data, lambda: guests.makers_country(secret)))
    return render(request, "partners/guest.html", ctx, status=404)


def _care_if_low(request, answer: dict, makers_country: Callable[[], str]) -> dict:
    """The care a low answer gets (nothing for another): for the country of the person who
    made the link, else the region the guest's browser names."""
    if not guests.needs_care(
        feeling=answer["feeling"], feelings=answer["feelings"], wants_care=answer["wants_care"]
    ):
        return {}
    return _care(makers_country() or crisis.browser_region(request))


def guest_care(request):
    """The same help for another country, chosen by GET: no secret, no cookie, nothing kept."""
    form = CountryForm(request.GET)
    if not form.is_valid():
        # Only a hand-made address gets here. The international directory helps anywhere,
        # and a plain answer keeps whatever was in the address out of the request log.
        return render(request, "partners/guest.html", _care(""))
    return render(request, "partners/guest.html", _care(form.cleaned_data["country"], form))


def _care(country: str, form: CountryForm | None = None) -> dict:
    return {
        "care": guests.care_for_guest(country),
        "country_form": form or CountryForm(initial={"country": country}),
    }
