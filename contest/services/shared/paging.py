"""Pages of a list that can grow (questions of a bank, the audit log), as Flask-SQLAlchemy's Pagination; long lists read
in batches, their cursor closed however the reading ends."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def paginate(session: Session, statement: Select[Any], *, page: int, per_page: int) -> Pagination:
    """The page asked for, or the last one when it asks beyond the end (an old link after deletions)."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    last = max(1, -(-total // per_page))
    return SelectPagination(
        select=statement,
        session=session,
        page=min(max(page, 1), last),
        per_page=per_page,
        max_per_page=per_page,
        error_out=False,
    )


T = TypeVar("T")


@dataclass(frozen=True)
class ListPage(Generic[T]):
    """A page of a list already in memory (a file's rows), read by the same pager as Pagination."""

    items: list[T]
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """The number of its first row among all (1 for the first page)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def list_page(rows: list[T], *, page: int, per_page: int) -> ListPage[T]:
    """The page asked for, or the last one when it asks beyond the end."""
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page, 1), pages)
    return ListPage(rows[(page - 1) * per_page : page * per_page], page, pages, len(rows), per_page)


def batches(items: list[T], size: int) -> Iterator[list[T]]:
    """`items` in consecutive slices of at most `size` (statements' parameter limits, pipelines of writes)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def closing_when_left(rows: Iterable[T]) -> Iterator[T]:
    """The rows of a result read in batches (`yield_per`), its cursor closed however the loop ends: an export
    stopped by its deadline, a download the browser gave up. On PostgreSQL such a result holds a server-side
    cursor, which would otherwise stay open until collected."""
    try:
        yield from rows
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
