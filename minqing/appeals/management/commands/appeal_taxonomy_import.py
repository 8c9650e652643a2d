from django.core.management.base import BaseCommand, CommandError

from minqing.accounts.models import User
from minqing.appeals.taxonomy_services import category_import_csv
from minqing.core.errors import ApplicationError


class Command(BaseCommand):
    help = ("Import a category tree CSV (一级分类,二级分类[,三级分类]) as two levels, e.g. "
            "../shared/data/tipdm2020/taxonomy.csv. The file is read where it lies, never copied.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as-user", default="admin", help="the administrator the audit trail names")

    def handle(self, *args, path, as_user, **options):
        actor = User.objects.filter(username=as_user).first()
        if actor is None:
            raise CommandError(f"no user {as_user!r}")
        try:
            tops, children = category_import_csv(actor=actor, path=path)
        except (ApplicationError, OSError) as exc:
            raise CommandError(str(getattr(exc, "fields", "") or exc)) from exc
        self.stdout.write(f"新增一级分类 {tops} 个，二级分类 {children} 个。")
