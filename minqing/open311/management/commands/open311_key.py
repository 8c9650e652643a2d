from django.core.management.base import BaseCommand, CommandError

from minqing.accounts.models import User
from minqing.core.errors import ApplicationError
from minqing.open311.services import open311_key_create


class Command(BaseCommand):
    help = ("Create an Open311 api_key for a submitting system and print it (last line). Without --user the "
            "system submits as residents do on the public page; with --user it submits as that account.")

    def add_arguments(self, parser):
        parser.add_argument("name", help="the submitting system, e.g. 'FixMyStreet 市民端'")
        parser.add_argument("--user", help="username the system submits as (its roles decide where)")
        parser.add_argument("--channel", default="web", help="web (default) or transfer, phone, …")

    def handle(self, *args, name, user, channel, **options):
        account = None
        if user:
            account = User.objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"no active user {user!r}")
        try:
            key, raw = open311_key_create(actor="命令行 open311_key", name=name, user=account, channel=channel)
        except ApplicationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items()) or str(exc)) from exc
        self.stdout.write(f"Open311 key for {key.name} (prefix {key.prefix}); store it now, it is not shown again:")
        self.stdout.write(raw)
