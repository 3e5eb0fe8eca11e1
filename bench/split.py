"""Where a request's server CPU goes, stage by stage, measured in process.

Wraps the functions each stage runs in (the session's load, the person's look-up, the consent
check, the view, the template) with timers that count CPU time of the thread, each stage
without the stages inside it; what is left is the request handling and middleware around them.
Used by bench/hotspots.py (`--split`) and through it by `make bench`; imported once Django is
set up.
"""

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module

import django.contrib.auth as auth
from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.template.backends.django import Template

import consent.access
import consent.services

STAGES = ("session", "person", "consent", "view", "template")


class Stages:
    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []  # [stage, started, time of stages inside it]

    def wrap(self, stage: str, function: Callable) -> Callable:
        @functools.wraps(function)
        def timed(*args, **kwargs):
            if self._stack and self._stack[-1][0] == stage:
                return function(*args, **kwargs)  # already counted by the outer call
            self._stack.append([stage, time.thread_time(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                name, started, inside = self._stack.pop()
                took = time.thread_time() - started
                self.spent[name] += took - inside
                if self._stack:
                    self._stack[-1][2] += took

        return timed


def _targets() -> list[tuple[str, object, str]]:
    """(stage, owner, attribute) of each function to time."""
    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    return [
        ("session", session_store, "load"),
        ("person", auth, "get_user"),
        ("consent", consent.services, "has_consent"),
        ("consent", consent.access, "has_consent"),
        ("view", BaseHandler, "resolve_request"),
        ("template", Template, "render"),
    ]


@contextmanager
def staged() -> Iterator[Stages]:
    stages = Stages()
    saved = []
    for stage, owner, name in _targets():
        if not hasattr(owner, name):
            continue
        original = getattr(owner, name)
        saved.append((owner, name, original))
        if name == "resolve_request":
            # The view itself is what the URL resolves to: time that function.
            setattr(owner, name, _timing_views(stages, original))
        else:
            setattr(owner, name, stages.wrap(stage, original))
    try:
        yield stages
    finally:
        for owner, name, original in reversed(saved):
            setattr(owner, name, original)


def _timing_views(stages: Stages, resolve_request: Callable) -> Callable:
    @functools.wraps(resolve_request)
    def resolve(handler, request):
        match = resolve_request(handler, request)
        match.func = stages.wrap("view", match.func)
        return match

    return resolve


def split(request: Callable, repeat: int) -> dict[str, float]:
    """Milliseconds of CPU per request in each stage, and "other" for the rest."""
    with staged() as stages:
        started = time.thread_time()
        for _ in range(repeat):
            request()
        total = time.thread_time() - started
    per_request = {stage: 1000 * stages.spent[stage] / repeat for stage in STAGES}
    per_request["other"] = 1000 * total / repeat - sum(per_request.values())
    per_request["total"] = 1000 * total / repeat
    return per_request
