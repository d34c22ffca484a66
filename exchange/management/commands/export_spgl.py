"""`manage.py export_spgl [--full]`: what the periodic task does, by hand."""

from django.core.management.base import BaseCommand

from exchange.export import export_changes, reset_cursors


class Command(BaseCommand):
    help = "导出国家工程建设项目审批管理系统数据共享表（自上次导出后的变更）。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="忽略导出进度，重新导出全部数据。")

    def handle(self, *args, full=False, **options):
        if full:
            reset_cursors()
        files = export_changes()
        for file in files:
            self.stdout.write(f"{file.table}\t{file.rows}\t{file.path}")
        if not files:
            self.stdout.write("没有新的变更。")
