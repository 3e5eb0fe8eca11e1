"""Lists cut to one page in the database.

A list loads, and so decrypts, only the rows it shows: the page's slice is a LIMIT/OFFSET in
SQL, and whatever turns a row into an answer runs on that slice alone. Three shapes:

- ``page_of`` for the pages (a Django ``Page``; ``templates/pager.html`` draws its links);
- ``Mapped`` for the API lists paginated by ninja (``@paginate(LimitOffset)``, answering
  ``items`` and ``count``): ninja slices and counts it, and only the slice is mapped;
- ``Window`` and ``window`` for the API lists that have always answered a bare JSON array:
  the array stays, ``limit``/``offset`` choose the slice, and a ``Link: <…>; rel="next"``
  header says where the next one starts (one row more is read to know, no count).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

# What is done to a slice's rows, together, before each is mapped (names looked up in one go).
Prepare = Callable[[QuerySet], Iterable[Any]]

PER_PAGE = 20
WINDOW_DEFAULT = 100
WINDOW_MAX = 200
# The most rows one answer of a limit/offset list holds, and the furthest offset: numbers a
# database takes in LIMIT and OFFSET (SQLite's integers are 64-bit, PostgreSQL's bigint).
LIMIT_MAX = 1000
OFFSET_MAX = 2**31 - 1


def page_of(queryset: QuerySet, page: Any, per_page: int = PER_PAGE) -> Page:
    """The page asked for, in two queries (a count and its rows): the first page for
    anything that is not a number, the last for a number past the end."""
    return Paginator(queryset, per_page).get_page(page)


class Mapped[T]:
    """A queryset seen through ``to_out``, for ninja's pagination: it slices this (in SQL)
    and counts it, and only the rows of the slice are turned into answers."""

    def __init__(
        self, queryset: QuerySet, to_out: Callable[[Any], T], *, prepare: Prepare = list
    ) -> None:
        self.queryset = queryset
        self.to_out = to_out
        self.prepare = prepare

    def all(self) -> "Mapped[T]":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[T]:
        if not isinstance(index, slice):
            raise TypeError("a Mapped list is read a slice at a time")
        return [self.to_out(row) for row in self.prepare(self.queryset[index])]

    def __iter__(self) -> Iterator[T]:
        # Whole only where a caller asks for it; the API reads slices.
        return iter(self[:])


class LimitOffset(LimitOffsetPagination):
    """ninja's limit/offset (``items`` and ``count``), with numbers a database can take: a
    larger limit is answered with ``LIMIT_MAX`` items (``count`` tells how many there are),
    an offset past ``OFFSET_MAX`` is refused."""

    class Input(Schema):
        limit: int = Field(
            ninja_settings.PAGINATION_PER_PAGE,
            ge=1,
            description=f"How many to answer; more than {LIMIT_MAX} gives {LIMIT_MAX}.",
        )
        offset: int = Field(0, ge=0, le=OFFSET_MAX, description="How many to skip first.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=LIMIT_MAX, **kwargs)


class Window(Schema):
    limit: int = Field(
        WINDOW_DEFAULT,
        ge=1,
        le=WINDOW_MAX,
        description="How many to answer at most. When more follow, the `Link` header "
        'names the next ones (rel="next").',
    )
    offset: int = Field(0, ge=0, le=OFFSET_MAX, description="How many to skip first.")


# What the OpenAPI document says of the lists answered through ``window``.
WINDOW_OPENAPI = {
    "responses": {
        200: {
            "headers": {
                "Link": {
                    "description": 'Where the next ones start, as `<url>; rel="next"`; '
                    "absent on the last of them.",
                    "schema": {"type": "string"},
                }
            }
        }
    }
}


def window[T](
    queryset: QuerySet,
    request: HttpRequest,
    response: HttpResponse,
    chosen: Window,
    to_out: Callable[[Any], T],
    *,
    prepare: Prepare = list,
) -> list[T]:
    """The rows ``chosen`` asks for, mapped; one row more is read to know if others follow."""
    rows = list(prepare(queryset[chosen.offset : chosen.offset + chosen.limit + 1]))
    if len(rows) > chosen.limit:
        rows = rows[: chosen.limit]
        query = request.GET.copy()
        query["offset"] = str(chosen.offset + chosen.limit)
        query["limit"] = str(chosen.limit)
        url = request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.items()))}")
        response["Link"] = f'<{url}>; rel="next"'
    return [to_out(row) for row in rows]
