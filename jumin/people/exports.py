"""Register ledgers (台账). Personal data is masked."""

from openpyxl import Workbook

from jumin.core.exports import workbook, xlsx_response

from .idcard import mask_phone
from .selectors import with_member_tags

CHUNK = 2000

__all__ = ["households_workbook", "residents_workbook", "workbook", "xlsx_response"]


def households_workbook(households) -> Workbook:
    def rows():
        for chunk in _chunks(households.iterator(chunk_size=CHUNK), CHUNK):
            with_member_tags(chunk)  # the 标签 column shows what the list shows, two queries per chunk
            for h in chunk:
                yield (
                    h.compound.name,
                    h.dwelling.address,
                    h.head_name,
                    h.member_count,
                    h.grid.name,
                    "、".join(h.tag_names),
                )

    return workbook("住户台账", ["小区", "门牌", "户主", "在册人数", "网格", "标签"], rows())


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def residents_workbook(residents) -> Workbook:
    rows = (
        (
            r.household.compound.name,
            r.household.dwelling.address,
            r.name,
            r.get_relationship_display(),
            r.get_gender_display(),
            r.age(),
            r.id_masked,
            mask_phone(r.phone),
            "、".join(t.name for t in r.tags.all()),
            r.grid.name,
        )
        for r in residents.iterator(chunk_size=CHUNK)
    )
    # Age, never the birth date: beside the masked ID number it would rebuild it (idcard.mask), and a ledger
    # leaves the system without the audit a reveal leaves.
    header = ["小区", "门牌", "姓名", "与户主关系", "性别", "年龄", "身份证号", "手机号", "标签", "网格"]
    return workbook("居民台账", header, rows)
