"""python bench/places_import.py [--n 10000]: 房屋导入 of N dwellings into an empty community, on a throwaway SQLite
database. Prints the seconds of the dry run, the real import, and a re-import of the same file (all unchanged).
Figures only: nothing passes or fails."""

import argparse
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(tmp: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["SQLITE_PATH"] = str(tmp / "places-bench.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def workbook(n: int) -> bytes:
    from openpyxl import Workbook

    from jumin.places.imports import TEMPLATE_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("房屋")
    sheet.append(TEMPLATE_COLUMNS)
    # 2 stations, 9 grids, 10 compounds, 6 units × 6 floors × 2 rooms = 72 dwellings per building.
    for i in range(n):
        building, rest = divmod(i, 72)
        unit, rest = divmod(rest, 12)
        floor, room = divmod(rest, 2)
        grid = building % 9 + 1
        sheet.append(
            [
                "瑞恒服务站" if grid <= 5 else "玉龙湖服务站",
                f"第{grid}网格",
                f"小区{building % 10 + 1}",
                f"{building // 10 + 1}号楼",
                f"{unit + 1}单元",
                f"{floor + 1}0{room + 1}",
                round(60 + (i % 90) * 0.7, 2),
                "业主甲、业主乙" if i % 3 else "业主丙",
                "商铺" if floor == 0 and room == 0 else "住宅",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from jumin.core.access import scope_for
        from jumin.core.models import Role, User
        from jumin.places.imports import places_import
        from jumin.places.models import Community, Dwelling, Street

        community = Community.objects.create(street=Street.objects.create(name="北镇街道"), name="玉龙湖社区")
        secretary = User.objects.create_user("13900000001", "x", name="书记", role=Role.SECRETARY, community=community)
        content = workbook(args.n)

        def timed(label, dry_run):
            file = BytesIO(content)
            file.name = "房屋.xlsx"
            started = time.perf_counter()
            report = places_import(
                actor=secretary, scope=scope_for(secretary), community=community, file=file, dry_run=dry_run
            )
            seconds = time.perf_counter() - started
            print(
                f"{label}: {seconds:.2f} s — 新增 {report.created:,},更新 {report.updated:,},"
                f"无变化 {report.unchanged:,},错误 {len(report.errors):,}"
            )

        print(f"{args.n:,} 套房屋,{len(content) / 1024:.0f} KB")
        timed("试导入", True)
        timed("正式导入", False)
        timed("再次导入", False)
        print(f"库中房屋 {Dwelling.objects.count():,} 套")


if __name__ == "__main__":
    main()
