"""好家风阅览室 in the API: the catalogue of the caller's community and loans (a reader's own, or the desk's)."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jumin.core.api_pagination import Page
from jumin.core.schemas import InputSchema

from . import rules, selectors

router = Router(tags=["好家风阅览室"])


class BookOut(Schema):
    uuid: str
    title: str
    author: str
    isbn: str
    shelf: str = Field(description="书架位置")
    copies: int = Field(description="册数")
    available: int = Field(description="在架可借")
    loan_count: int = Field(description="借阅次数")


class LoanOut(Schema):
    uuid: str
    book: str = Field(description="图书编号")
    title: str
    reader: str = Field(description="读者姓名")
    lent_at: datetime.datetime
    due_on: datetime.date
    renewals: int
    returned_at: datetime.datetime | None
    overdue: bool


class BookFilters(InputSchema):
    q: str | None = Field(None, max_length=50, description="书名、作者或 ISBN(扫码得到的 10 或 13 位)")
    sort: str | None = Field(None, pattern="^popular$", description="popular:按借阅次数(最常借阅榜)")


class LoanFilters(InputSchema):
    state: str | None = Field(
        None, pattern="^(open|overdue|returned)$", description="open 借阅中,overdue 已逾期,returned 已归还"
    )
    q: str | None = Field(None, max_length=50, description="工作人员:书名、读者或 ISBN")


class BookPage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": str(b.uuid),
                "title": b.title,
                "author": b.author,
                "isbn": b.isbn,
                "shelf": b.shelf,
                "copies": b.copies,
                "available": b.available,
                "loan_count": b.loan_count,
            }
            for b in items
        ]


class LoanPage(Page):
    def present(self, items, request):
        return [
            {
                "uuid": str(loan.uuid),
                "book": str(loan.book.uuid),
                "title": loan.book.title,
                "reader": loan.resident.name,
                "lent_at": loan.lent_at,
                "due_on": loan.due_on,
                "renewals": loan.renewals,
                "returned_at": loan.returned_at,
                "overdue": rules.loan_is_overdue(loan),
            }
            for loan in items
        ]


@router.get(
    "/library/books",
    response=list[BookOut],
    summary="阅览室图书(分页、可搜索)",
    description="本社区好家风阅览室的图书目录,按书名排序;q 搜书名、作者或 ISBN;sort=popular 为最常借阅榜。",
)
@paginate(BookPage)
def book_list(request, filters: Query[BookFilters]):
    return selectors.books_for(request.auth, **filters.dict())


@router.get(
    "/library/loans",
    response=list[LoanOut],
    summary="借阅记录:居民看自己的,工作人员看本社区的",
    description="新的在前;state 可筛选借阅中、已逾期、已归还。",
)
@paginate(LoanPage)
def loan_list(request, filters: Query[LoanFilters]):
    return selectors.loans_for(request.auth, **filters.dict())
