"""`manage.py audit_verify`: walk the audit hash chain and name the first broken row (exit status 1)."""
from django.core.management.base import BaseCommand, CommandError

from minqing.core.auditchain import chain_verify
from minqing.core.models import AuditChainHead, AuditEntry


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; report the first row that was rewritten, removed or inserted."

    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("id").iterator(chunk_size=5000)
        checked, broken, why = chain_verify(entries, head=AuditChainHead.objects.filter(pk=1).first())
        if broken is not None:
            raise CommandError(f"audit chain broken at row id={broken.pk} "
                               f"({broken.created_at:%Y-%m-%d %H:%M:%S} {broken.action}): {why}; "
                               f"{checked} rows before it are intact")
        self.stdout.write(f"audit chain intact: {checked} rows")
