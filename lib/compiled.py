"""Queries Django builds and compiles once per process, then runs with each request's values.

Building and compiling a query costs Django 0.2 to 1.5 ms of CPU, whatever the rows; running it
takes the database 0.03 to 0.3 ms. The few queries every dashboard or check-in asks are the
same each time but for an id or two, so ``Compiled`` has Django build the query (from the
models' own queryset methods, where each rule is written once) with stand-in values, keeps
the SQL it compiles, and puts each call's values where the stand-ins were.

Only the values passed in change: whatever else the builder reads (a setting, a constant) is
fixed at the first call, so it must read nothing that changes; the time, too, is a value. The
values are ids and codes (ints, UUIDs) and moments (aware datetimes), never None: a None or a
list would compile to other SQL. They stay parameters, passed to the database apart from the
SQL, as Django passes them.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

# Stand-ins no real id or code can equal: far below any key the database hands out.
_STAND_IN_INT = -(2**62)


def _stand_in(kind: type, n: int) -> Any:
    if kind is int:
        return _STAND_IN_INT + n
    if kind is uuid.UUID:
        return uuid.UUID(int=2**127 + n)  # a version no uuid4 has
    if kind is dt.datetime:
        return dt.datetime(2, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=n)
    raise TypeError(f"Compiled takes int, UUID and datetime values, not {kind.__name__}")


def _as_given(param: Any, stand_in: Any, ops: Any) -> Callable[[Any], Any] | None:
    """How the query holds this stand-in: as itself, or where the database has no column
    type of its own for it (SQLite) as the database's backend adapts it (a UUID's hex, a
    datetime's text); None if the parameter is something else."""
    if type(param) is type(stand_in) and param == stand_in:
        return lambda value: value
    if isinstance(stand_in, uuid.UUID) and param == stand_in.hex:
        return lambda value: value.hex
    if isinstance(stand_in, dt.datetime) and param == ops.adapt_datetimefield_value(stand_in):
        return ops.adapt_datetimefield_value
    return None


class _Slot:
    """Where one of the call's values goes in the parameters, and in what form."""

    __slots__ = ("given", "index")

    def __init__(self, index: int, given: Callable[[Any], Any]) -> None:
        self.index = index
        self.given = given


class _Instances:
    """How a row becomes a model instance, read once from the compiled query: what Django's
    own iterable over a QuerySet works out again for every query it runs (which columns are
    the model's fields, which are annotations, which values need converting)."""

    __slots__ = ("annotations", "converters", "fetch_mode", "fields", "model", "span")

    def __init__(self, queryset: QuerySet, compiler: Any) -> None:
        info = compiler.klass_info
        if info is None or compiler.query.select_related:
            raise ValueError("Compiled.objects is for plain model queries (no select_related).")
        self.model = info["model"]
        first, last = info["select_fields"][0], info["select_fields"][-1] + 1
        self.span = slice(first, last)
        self.fields = [column[0].target.attname for column in compiler.select[first:last]]
        self.annotations = list(compiler.annotation_col_map.items())
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(selected).items())
        self.fetch_mode = queryset._fetch_mode  # type: ignore[attr-defined]  # Django's own

    def build(self, rows: list[tuple], db: str) -> list:
        connection = connections[db]
        found = []
        for fetched in rows:
            row = list(fetched)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for convert in converters:
                    value = convert(value, expression, connection)
                row[position] = value
            instance = self.model.from_db(
                db, self.fields, row[self.span], fetch_mode=self.fetch_mode
            )
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found


class Compiled:
    """``build`` takes the values (ints or UUIDs, in the order of ``kinds``) and answers a
    QuerySet; ``objects`` runs it for model instances (annotations included, no
    select_related or prefetch), ``rows`` for plain rows, ``sql`` for combining it."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type) -> None:
        self.build = build
        self.kinds = kinds
        # The database alias, the SQL, each parameter (fixed, or a _Slot), and how a row
        # becomes an instance (None where the query answers values, not instances).
        self._compiled: tuple[str, str, list, _Instances | None] | None = None

    def _compile(self) -> tuple[str, str, list, "_Instances | None"]:
        stand_ins = [_stand_in(kind, n) for n, kind in enumerate(self.kinds)]
        queryset = self.build(*stand_ins)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots: list = []
        seen = set()
        for param in params:
            for n, stand_in in enumerate(stand_ins):
                given = _as_given(param, stand_in, connections[db].ops)
                if given is not None:
                    slots.append(_Slot(n, given))
                    seen.add(n)
                    break
            else:
                slots.append(param)
        written = [str(s) for s in stand_ins] + [
            s.hex for s in stand_ins if isinstance(s, uuid.UUID)
        ]
        if len(seen) != len(stand_ins) or any(s in sql for s in written):
            raise ValueError("Each value must reach the query once or more, as a parameter.")
        answers_instances = queryset._iterable_class is ModelIterable  # type: ignore[attr-defined]
        instances = _Instances(queryset, compiler) if answers_instances else None
        self._compiled = (db, sql, slots, instances)
        return self._compiled

    def sql(self, *values: Any) -> tuple[str, list, str]:
        """The SQL, its parameters and the database alias it runs on."""
        db, sql, slots, _instances = self._compiled or self._compile()
        params = [
            slot.given(values[slot.index]) if isinstance(slot, _Slot) else slot for slot in slots
        ]
        return sql, params, db

    def objects(self, *values: Any) -> list:
        instances = (self._compiled or self._compile())[3]
        if instances is None:
            raise ValueError("This query answers values, not instances: use Compiled.rows.")
        sql, params, db = self.sql(*values)
        return instances.build(self._fetch(sql, params, db), db)

    def rows(self, *values: Any) -> list[tuple]:
        return self._fetch(*self.sql(*values))

    @staticmethod
    def _fetch(sql: str, params: list, db: str) -> list[tuple]:
        with connections[db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
