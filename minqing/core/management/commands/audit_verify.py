"""`manage.py audit_verify`: walk the audit hash chain and name the first broken row (exit status 1)."""
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router

from minqing.core.auditchain import chain_verify
from minqing.core.models import AuditChainHead, AuditEntry


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; report the first row that was rewritten, removed or inserted."

    def handle(self, *args, **options):
        head_catch_up(connections[router.db_for_write(AuditChainHead)])
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=5000)
        checked, broken, why = chain_verify(entries, head=AuditChainHead.objects.filter(pk=1).first())
        if broken is not None:
            raise CommandError(f"audit chain broken at row id={broken.pk} "
                               f"({broken.created_at:%Y-%m-%d %H:%M:%S} {broken.action}): {why}; "
                               f"{checked} rows before it are intact")
        self.stdout.write(f"audit chain intact: {checked} rows")


def head_catch_up(connection) -> None:
    """On PostgreSQL the head follows the newest row at commit (migration 0005). Run inside an open
    transaction that has appended (a test, a shell session), the verdict is about the rows it can see, so
    the head is moved to them first; later appends in that transaction are deferred again."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS core_auditchainhead_follow IMMEDIATE")
        cursor.execute("SET CONSTRAINTS core_auditchainhead_follow DEFERRED")
