"""The consent gate in front of every page that stores something intimate."""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from consent.services import has_consent


def consent_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_consent(request.user):
            messages.info(request, _("Please read what we keep and why before you go on."))
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('privacy:consent')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
