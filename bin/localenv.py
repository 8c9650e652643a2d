"""Create `.env` with fresh local keys on first run. Keys never enter the repository (.env is ignored)."""
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

env_file = Path(__file__).resolve().parent.parent / ".env"
if not env_file.exists():
    env_file.write_text(
        "# Local keys made by `make run` on first start. Keep this file: without the encryption key\n"
        "# the ID numbers and phones in var/minqing.sqlite3 cannot be read.\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"MINQING_FIELD_ENCRYPTION_KEY={Fernet.generate_key().decode()}\n"
    )
    env_file.chmod(0o600)
    print(f"created {env_file.name} with new local keys")
