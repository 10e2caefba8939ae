"""Querysets whose SQL is compiled once per process.

Django turns a queryset into SQL every time it is evaluated. For a hot query with several joins
that costs more than PostgreSQL takes to run it: the basket's one read of its lines with their
products, classes, parents and stock records (six tables, two EXISTS, about 70 columns) took
1.1 ms to compile and 0.2 ms to run as a prepared statement, on every add-to-basket.

`Compiled(build)` builds the queryset once, with a marker value where the per-call value goes,
and compiles it once; each call gives a new, unevaluated queryset that runs that SQL with the
call's value. It behaves as the queryset `build(value)` would when evaluated (iterated, listed,
its rows prefetched on). Anything that derives a new queryset from it (`filter()`,
`order_by()`, `count()` before evaluation, ...) gets a plain query again, compiled as usual.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql import Query

# A value no primary key or filter of the shop takes: it marks where the call's value goes.
MARKER = -720_367_124


class CompiledQuery(Query):
    """A Query that carries its compiled SQL and parameters, set by Compiled. Its own tree still
    holds the marker: anything derived from it (a clone) or pickled is `source()`, the query
    built with the real value."""

    compiled = None  # (compiler, sql, params)
    source = None  # () -> the plain Query with the call's value

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        template, sql, params = self.compiled
        if connection is not None or (using or template.using) != template.using:
            return self.source().get_compiler(using, connection, elide_empty)
        compiler = copy.copy(template)
        compiler.query = self
        compiler.connection = connections[template.using]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler

    def clone(self):
        return self.source().clone()

    def __reduce_ex__(self, protocol):
        return _same, (self.source(),)


def _same(query):
    return query


class Compiled:
    """`build(value)` → a queryset, built and compiled once (see the module)."""

    def __init__(self, build: Callable[[object], QuerySet]):
        self.build = build
        self._template = None

    def __call__(self, value) -> QuerySet:
        if self._template is None:
            self._template = self._compile(self.build(MARKER))
        queryset, compiler, sql, params, where = self._template
        params = list(params)
        for index in where:
            params[index] = value
        query = copy.copy(queryset.query)
        query.__class__ = CompiledQuery
        query.compiled = (compiler, sql, tuple(params))
        query.source = lambda: self.build(value).query
        result = queryset._chain()  # pylint: disable=protected-access
        result.query = query
        return result

    @staticmethod
    def _compile(queryset: QuerySet) -> tuple:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()  # also sets compiler.select, klass_info, col_count
        where = [index for index, param in enumerate(params) if param == MARKER]
        if not where:
            raise ValueError("the queryset does not use the value it is built with")
        return queryset, compiler, sql, params, where
