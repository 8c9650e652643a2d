import pytest

from minqing.notifications.services import outbox_enqueue

pytestmark = pytest.mark.django_db


def test_admin_sees_the_outbox_and_job_locks_read_only(client, actors):
    outbox_enqueue(phone="13912345678", text="【民情】测试")
    client.force_login(actors["admin"])
    page = client.get("/admin/notifications/outboxmessage/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert client.get("/admin/jobs/joblock/").status_code == 200
    assert client.get("/admin/notifications/outboxmessage/add/").status_code == 403
    client.force_login(actors["worker"])  # Django admin is for system administrators only
    assert client.get("/admin/notifications/outboxmessage/").status_code == 302
