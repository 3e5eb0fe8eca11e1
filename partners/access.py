"""Connections and invites a person may see. Anything else is simply not found."""

from django.http import Http404

from partners.models import Connection, GuestLink, Invite, SupportContact, Wish


def connection_for(request, code) -> Connection:
    """A connection the person is part of, ended or not, with both sides loaded."""
    try:
        return (
            Connection.objects.for_person(request.user)
            .prefetch_related("sides__person")
            .get(code=code)
        )
    except (Connection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def live_connection_for(request, code) -> Connection:
    connection = connection_for(request, code)
    if connection.is_ended:
        raise Http404
    return connection


def invite_for_owner(request, code) -> Invite:
    try:
        return Invite.objects.get(person=request.user, code=code)
    except (Invite.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def connections_live_for(person, codes) -> list[Connection]:
    """Every code must name a live connection of this person's; otherwise refuse them all."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    found = list(Connection.objects.active_for(person).filter(code__in=codes))
    if len(found) != len(codes):
        raise Http404
    return found


def guest_link_for_owner(request, code) -> GuestLink:
    try:
        return GuestLink.objects.get(person=request.user, code=code)
    except (GuestLink.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def support_contact_for_owner(request, code) -> SupportContact:
    try:
        return SupportContact.objects.get(person=request.user, code=code)
    except (SupportContact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def wish_for_author(request, connection, code) -> Wish:
    try:
        return Wish.objects.get(connection=connection, person=request.user, code=code)
    except (Wish.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
