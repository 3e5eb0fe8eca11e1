"""Counting what a request costs, for the tests that hold lists to one page: the queries
on every database and the values the vault opens."""

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

from django.db import connections
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext

from vault import services as vault


@dataclass
class Counts:
    queries: int = 0
    decryptions: int = 0
    sql: list[str] = field(default_factory=list)


@contextlib.contextmanager
def counting() -> Iterator[Counts]:
    """Queries (default and key store) and decryptions made inside the block."""
    counts = Counts()
    real_decrypt = vault.decrypt

    def decrypt(*args, **kwargs):
        counts.decryptions += 1
        return real_decrypt(*args, **kwargs)

    with (
        CaptureQueriesContext(connections["default"]) as data,
        CaptureQueriesContext(connections["keys"]) as keys,
        mock.patch.object(vault, "decrypt", decrypt),
    ):
        yield counts
    captured = [*data.captured_queries, *keys.captured_queries]
    counts.queries = len(captured)
    counts.sql = [q["sql"] for q in captured]


def cost(action: Callable[[], object]) -> Counts:
    """What one call of ``action`` costs."""
    with counting() as counts:
        action()
    return counts


def assert_same_cost(small: Counts, large: Counts) -> None:
    """The same number of queries and of decryptions, whatever the number of rows."""
    assert (large.queries, large.decryptions) == (small.queries, small.decryptions), "\n".join(
        large.sql
    )


def assert_cost_does_not_grow(
    fetch: Callable[[], HttpResponse], grow: Callable[[int], object], more: int = 999
) -> tuple[Counts, Counts]:
    """``fetch`` costs the same with one row as after ``grow(more)`` adds the rest: the list
    reads only its page. The first fetch warms the caches (data keys, the session) so both
    measured ones start alike."""
    assert fetch().status_code == 200
    with counting() as small:
        assert fetch().status_code == 200
    grow(more)
    with counting() as large:
        assert fetch().status_code == 200
    assert_same_cost(small, large)
    return small, large
