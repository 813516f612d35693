"""manage.py rotate_keys: re-encrypt every 身份证号 under JUMIN_ID_KEY and rebuild the blind index (README「密钥轮换」)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jumin.people.keys import rotate_id_keys


class Command(BaseCommand):
    help = "用新密钥重新加密全部身份证号并重建盲索引;分批提交,中断后再次运行即可继续。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的居民数(默认 500)")
        parser.add_argument("--after-id", type=int, default=0, help="从这个居民编号之后开始(默认从头)")

    def handle(self, *args, batch_size, after_id, **options):
        if batch_size < 1:
            raise CommandError("--batch-size 至少为 1")
        if settings.ID_KEY_FROM_SECRET_KEY:
            self.stdout.write(
                self.style.WARNING(
                    "注意:没有设置 JUMIN_ID_KEY,身份证号仍用 DJANGO_SECRET_KEY 加密;"
                    "请先设置 JUMIN_ID_KEY(见 README「密钥轮换」),否则以后更换 DJANGO_SECRET_KEY 会读不出身份证号。"
                )
            )

        def progress(result, last_id):
            self.stdout.write(f"  已检查 {result.checked:,} 条(到编号 {last_id}),重新加密 {result.reencrypted:,} 条")

        result = rotate_id_keys(
            batch_size=batch_size, after_id=after_id, progress=progress if options["verbosity"] > 1 else None
        )
        self.stdout.write(
            f"检查 {result.checked:,} 条身份证号:重新加密 {result.reencrypted:,} 条,盲索引更新 {result.reindexed:,} 条。"
        )
        if result.unreadable:
            shown = "、".join(str(pk) for pk in result.unreadable[:20])
            raise CommandError(
                f"{len(result.unreadable):,} 条无法用当前密钥或备用密钥解密(居民编号 {shown} …):"
                "请把加密它们的旧密钥放进 JUMIN_ID_KEY_FALLBACKS 后重新运行。在此之前不要去掉任何备用密钥。"
            )
        self.stdout.write(
            self.style.SUCCESS(
                "全部完成:现在可以从 JUMIN_ID_KEY_FALLBACKS、JUMIN_BLIND_INDEX_KEY_FALLBACKS 中去掉旧密钥并重启。"
            )
        )
