from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jumin.core.access import request_scope, require
from jumin.core.errors import DomainError
from jumin.core.exports import xlsx_response
from jumin.core.forms import add_domain_error
from jumin.core.pagination import paginate
from jumin.core.views import office_required, run_and_tell, safe_next

from . import rules, selectors, services
from .exports import books_workbook, loans_workbook
from .forms import BookFilterForm, BookForm, LoanFilterForm


def _back(request, fallback: str):
    return redirect(safe_next(request, fallback))


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---- residents (phone first) --------------------------------------------------------------------------------


@login_required
def catalogue(request):
    """好家风阅览室: search the catalogue, see what is on the shelf, queue for what is out."""
    if request.user.is_office:
        return redirect("library:book-list")
    q = request.GET.get("q", "")[:50]
    page = paginate(request, selectors.books_for(request.user, q=q))
    state = selectors.my_book_state(request.user, page.object_list)
    rows = [
        {
            "book": b,
            "on_loan_to_me": b.pk in state["loans"],
            "on_hold": b.pk in state["holds"],
            "can_hold": rules.book_can_hold(
                b, request.user, has_live_hold=b.pk in state["holds"], has_open_loan=b.pk in state["loans"]
            ),
        }
        for b in page.object_list
    ]
    popular = [] if q else list(selectors.books_for(request.user, sort="popular").filter(loan_count__gt=0)[:10])
    return render(request, "library/catalogue.html", {"page": page, "rows": rows, "q": q, "popular": popular})


@login_required
def my_loans(request):
    """我借的书: open loans with due dates (renew), holds (cancel), and what was read before."""
    if request.user.is_office:
        return redirect("library:loan-list")
    open_loans = [
        {
            "loan": loan,
            "overdue": rules.loan_is_overdue(loan),
            "can_renew": rules.loan_can_renew(loan, request.user, waiting=loan.someone_waiting),
        }
        for loan in selectors.loans_for(request.user, state="open")
    ]
    history = paginate(request, selectors.loans_for(request.user, state="returned"))
    holds = list(selectors.holds_of(request.user))
    return render(request, "library/my_loans.html", {"open_loans": open_loans, "history": history, "holds": holds})


@login_required
@require_POST
def hold_place(request, book_uuid):
    book = selectors.book_get(request.user, book_uuid)
    run_and_tell(
        request,
        lambda: services.hold_place(actor=request.user, book=book),
        f"已预约《{book.title}》,有人还书后会在“消息”里通知您来取",
    )
    return _back(request, reverse("library:catalogue"))


@login_required
@require_POST
def hold_cancel(request, hold_uuid):
    hold = selectors.hold_get(request.user, hold_uuid)
    run_and_tell(
        request, lambda: services.hold_cancel(actor=request.user, hold=hold), f"已取消预约《{hold.book.title}》"
    )
    return _back(request, reverse("library:my-loans"))


@login_required
@require_POST
def loan_renew(request, loan_uuid):
    loan = selectors.loan_get(request.user, loan_uuid)
    run_and_tell(
        request,
        lambda: services.loan_renew(actor=request.user, loan=loan),
        lambda renewed: f"已续借《{loan.book.title}》,请在 {_date(renewed.due_on)} 前归还",
    )
    return _back(request, reverse("library:my-loans"))


# ---- the desk and the back office ---------------------------------------------------------------------------


@office_required
@require("library.desk")
def desk(request):
    """借还台: scan an ISBN (or type a title) and find the reader to lend; scan again to take a book back."""
    scope = request_scope(request)
    if request.method == "POST":
        book = selectors.book_get(request.user, request.POST.get("book"))
        reader = selectors.reader_get(scope, request.POST.get("reader"))
        ok = run_and_tell(
            request,
            lambda: services.loan_create(actor=request.user, book=book, resident=reader),
            lambda loan: f"已借出《{book.title}》给 {reader.name},应还日期 {_date(loan.due_on)}",
        )
        return redirect("library:desk") if ok else redirect(f"{reverse('library:desk')}?{request.POST.urlencode()}")
    book_q = request.GET.get("book_q", "")[:50]
    reader_q = request.GET.get("reader_q", "")[:50]
    return_q = request.GET.get("return_q", "")[:50]
    books = selectors.desk_books(request.user, scope, book_q)
    readers = selectors.desk_readers(scope, reader_q)
    context = {
        "book_q": book_q,
        "reader_q": reader_q,
        "return_q": return_q,
        "books": books,
        "readers": readers,
        "can_lend": bool(books) and bool(readers),
        "returns": selectors.open_loans_of(scope, return_q),
    }
    return render(request, "library/desk.html", context)


@office_required
@require_POST
def loan_return(request, loan_uuid):
    loan = selectors.loan_get(request.user, loan_uuid)
    run_and_tell(
        request,
        lambda: services.loan_return(actor=request.user, loan=loan),
        f"已还书:《{loan.book.title}》({loan.resident.name})",
    )
    return _back(request, reverse("library:desk"))


@office_required
@require("library.view")
def book_list(request):
    scope = request_scope(request)
    filter_form = BookFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.books_for(request.user, scope, **filters))
    context = {
        "page": page,
        "filter_form": filter_form,
        "filtered": bool(filters["q"]),
        "can_add": rules.can_work_desk(request.user) and request.user.community_id is not None,
    }
    template = "library/partials/book_rows.html" if request.htmx else "library/book_list.html"
    return render(request, template, context)


@office_required
@require("library.view")
def book_export(request):
    filters = BookFilterForm(request.GET).filters()
    return xlsx_response(
        books_workbook(selectors.books_for(request.user, request_scope(request), **filters)), "阅览室图书台账"
    )


@office_required
@require("library.desk")
def book_new(request):
    community = request.user.community
    if community is None:
        raise PermissionDenied("请在社区工作人员账号下登记图书")
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            book = services.book_add(actor=request.user, community=community, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记《{book.title}》,现有 {book.copies} 册")
            return redirect("library:book-list")
    return render(request, "library/book_new.html", {"form": form})


@office_required
@require("library.view")
def loan_list(request):
    scope = request_scope(request)
    filter_form = LoanFilterForm(request.GET)
    filters = filter_form.filters()
    page = paginate(request, selectors.loans_for(request.user, scope, **filters))
    rows = [
        {"loan": loan, "overdue": rules.loan_is_overdue(loan), "can_return": rules.loan_can_return(loan, request.user)}
        for loan in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "filter_form": filter_form,
        "filtered": any(filters.values()),
        "can_remind": rules.can_work_desk(request.user) and len(scope.community_ids) == 1,
    }
    template = "library/partials/loan_rows.html" if request.htmx else "library/loan_list.html"
    return render(request, template, context)


@office_required
@require("library.view")
def loan_export(request):
    filters = LoanFilterForm(request.GET).filters()
    return xlsx_response(
        loans_workbook(selectors.loans_for(request.user, request_scope(request), **filters)), "借阅台账"
    )


@office_required
@require_POST
@require("library.desk")
def remind_overdue(request):
    scope = request_scope(request)
    if len(scope.community_ids) != 1:
        raise PermissionDenied("请先选择一个社区")
    run_and_tell(
        request,
        lambda: services.loans_remind_overdue(actor=request.user, community_id=scope.community_ids[0]),
        lambda sent: f"已向 {sent} 位逾期读者发送提醒(3 天内提醒过的不再重复)",
    )
    return redirect(f"{reverse('library:loan-list')}?state=overdue")
