"""`manage.py rotate_keys`: move every encrypted personal value and its lookup hash to the newest key.

Rotation (docs/security.md): put the new key FIRST in MINQING_FIELD_ENCRYPTION_KEY ("new,old"), restart,
run this command, then drop the old key. Until it has run, values still decrypt (every key is tried)
but exact search misses rows hashed with the old key — that was the defect (issue 13.6).

Resumable: rows are taken in id order in small transactions, and a row whose ciphertext already opens
with the newest key is skipped, so an interrupted run simply continues where it stopped.
"""
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from minqing.core import crypto


def sealed_fields(model) -> list[tuple[str, str | None]]:
    """(cipher field, its lookup-hash field or None) pairs of a model: `<x>_cipher` beside `<x>_hash`."""
    names = {f.name for f in model._meta.concrete_fields}
    return [(n, n[:-7] + "_hash" if n[:-7] + "_hash" in names else None)
            for n in sorted(names) if n.endswith("_cipher")]


class Command(BaseCommand):
    help = "Re-encrypt personal data with the newest key and recompute lookup hashes (resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, batch=500, **options):
        crypto._fernet.cache_clear()
        crypto._lookup_key.cache_clear()
        newest = Fernet(settings.MINQING_FIELD_ENCRYPTION_KEY.split(",")[0].strip().encode())
        total = 0
        for model in apps.get_models():
            for cipher_field, hash_field in sealed_fields(model):
                done = self._rotate(model, cipher_field, hash_field, newest, batch)
                total += done
                if done:
                    self.stdout.write(f"{model._meta.label}.{cipher_field}: {done} re-encrypted")
        self.stdout.write(f"rotate_keys: {total} values moved to the newest key")

    def _rotate(self, model, cipher_field, hash_field, newest, batch) -> int:
        done, last_pk = 0, 0
        while True:
            with transaction.atomic():
                rows = list(model._base_manager.select_for_update().filter(pk__gt=last_pk)
                            .exclude(**{cipher_field: ""}).order_by("pk").values_list("pk", cipher_field)[:batch])
                for pk, token in rows:
                    if not self._on_newest(newest, token):
                        plain = crypto.decrypt(token)
                        values = {cipher_field: crypto.encrypt(plain)}
                        if hash_field:
                            values[hash_field] = crypto.lookup_hash(plain)
                        model._base_manager.filter(pk=pk).update(**values)
                        done += 1
            if len(rows) < batch:
                return done
            last_pk = rows[-1][0]

    @staticmethod
    def _on_newest(newest, token: str) -> bool:
        try:
            newest.decrypt(token.encode())
            return True
        except InvalidToken:
            return False
