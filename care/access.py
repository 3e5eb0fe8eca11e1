"""Care items a person may see or change. Anything else is simply not found."""

from django.http import Http404

from care.models import CareItem


def item_visible(request, code) -> CareItem:
    try:
        return CareItem.objects.visible_to(request.user).get(code=code)
    except (CareItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_item_write(request, code) -> CareItem:
    try:
        return CareItem.objects.get(code=code, person=request.user)
    except (CareItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def items_visible(person, codes) -> list[CareItem]:
    """Every code must name an item this person can see; otherwise the whole list is refused."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    items = list(CareItem.objects.visible_to(person).filter(code__in=codes))
    if len(items) != len(codes):
        raise Http404
    return items
