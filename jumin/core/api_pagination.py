"""One page shape for every API list: the items plus what a client needs to page on (count, page, pages, next)."""

import math
from dataclasses import dataclass
from typing import Any

from ninja import Field, Schema
from ninja.pagination import PaginationBase

from jumin.core import dataversion
from jumin.core.schemas import InputSchema

MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Cached:
    """What a list view returns to have its pages cached: the queryset, and a key that already says everything
    the page depends on (a data version from core.dataversion, the scope, the whole query string)."""

    queryset: Any
    key: str
    seconds: int


class Page(PaginationBase):
    """page (from 1) and page_size (1–100, default 20). A page past the end is empty, not an error, so a client
    that raced a deletion still gets a well-formed answer. Subclasses turn model rows into output with `present`."""

    class Input(InputSchema):
        # Bounded so the offset stays far inside the database's 64-bit integers.
        page: int = Field(1, ge=1, le=MAX_PAGE, description="页码,从 1 开始")
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="每页条数,1–100,默认 20")

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="符合条件的总条数")
        page: int = Field(description="当前页码")
        page_size: int = Field(description="每页条数")
        pages: int = Field(description="总页数(没有数据时为 0)")
        next: int | None = Field(description="下一页页码;已是最后一页时为 null")

    def __init__(self, page_size: int = 20, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def present(self, items, request) -> list:
        """The page's rows (a sliced queryset, not yet run: a subclass may narrow it with .values())."""
        return list(items)

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        if not isinstance(queryset, Cached):
            return self._page(queryset, pagination, request)
        return dataversion.cached(
            queryset.key, queryset.seconds, lambda: self._page(queryset.queryset, pagination, request)
        )

    def _page(self, queryset, pagination: Input, request):
        size = pagination.page_size or self.page_size
        count = self._items_count(queryset)
        pages = math.ceil(count / size)
        offset = (pagination.page - 1) * size
        items = self.present(queryset[offset : offset + size], request)
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": pages,
            "next": pagination.page + 1 if pagination.page < pages else None,
        }
