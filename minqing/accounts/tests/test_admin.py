"""Django admin writes through the audited services: role grants are assigned, changed and revoked
(never deleted) with one audit row each; passwords never reach the audit trail; history rows (API
tokens, Open311 keys) cannot be deleted, only revoked; bulk deletes are audited."""
import json

import pytest

from minqing.accounts.models import PartnerUnit, Role, RoleAssignment, User
from minqing.accounts.tests.factories import UserFactory
from minqing.api.models import ApiToken
from minqing.api.services import api_token_create
from minqing.core.models import AuditEntry
from minqing.open311.models import Open311Key
from minqing.open311.services import open311_key_create

pytestmark = pytest.mark.django_db


def _user_page(user: User, rows: list[dict], extra: int = 0) -> dict:
    """The user change form as the browser posts it, with one inline row per entry of `rows`."""
    data = {
        "username": user.username, "display_name": user.display_name, "first_name": "", "last_name": "",
        "email": "", "is_active": "on", "date_joined_0": "2026-01-05", "date_joined_1": "08:00:00",
        "assignments-TOTAL_FORMS": str(len(rows)), "assignments-INITIAL_FORMS": str(len(rows) - extra),
        "assignments-MIN_NUM_FORMS": "0", "assignments-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name, value in row.items():
            if value is not None and value is not False:
                data[f"assignments-{i}-{name}"] = "on" if value is True else value
        data[f"assignments-{i}-user"] = str(user.pk)
    return data


def _row(assignment: RoleAssignment, **changes) -> dict:
    row = {"id": str(assignment.pk), "role": assignment.role, "place": str(assignment.place_id),
           "partner_unit": str(assignment.partner_unit_id or ""), "is_active": assignment.is_active}
    row.update(changes)
    return row


def _audits(action: str, obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)))


@pytest.fixture
def admin_client(client, actors):
    client.force_login(actors["admin"])
    return client


def test_the_user_page_adds_a_role_through_role_assign(admin_client, actors, tree):
    worker = actors["worker"]
    grant = worker.assignments.get()
    new = {"role": Role.GRID_WORKER, "place": str(tree["grid_a2"].pk), "partner_unit": "", "is_active": True}
    response = admin_client.post(f"/admin/accounts/user/{worker.pk}/change/",
                                 _user_page(worker, [_row(grant), new], extra=1))
    assert response.status_code == 302, response.content.decode()[:3000]
    added = RoleAssignment.objects.get(user=worker, role=Role.GRID_WORKER)
    [entry] = _audits("role.assign", added)
    assert entry.actor == actors["admin"] and entry.changes["place"] == [None, tree["grid_a2"].code]


def test_the_user_page_changes_a_role_through_role_change_with_before_and_after(admin_client, actors, tree):
    worker = actors["worker"]
    grant = worker.assignments.get()
    response = admin_client.post(f"/admin/accounts/user/{worker.pk}/change/", _user_page(
        worker, [_row(grant, role=Role.COMMUNITY_SECRETARY, place=str(tree["community_b"].pk))]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.role, grant.place) == (Role.COMMUNITY_SECRETARY, tree["community_b"])
    [entry] = _audits("role.change", grant)
    assert entry.changes == {"role": [Role.COMMUNITY_WORKER, Role.COMMUNITY_SECRETARY],
                             "place": [tree["community_a"].code, tree["community_b"].code]}


def test_the_user_page_revokes_by_unticking_active_and_keeps_the_row(admin_client, actors):
    worker = actors["worker"]
    grant = worker.assignments.get()
    response = admin_client.post(f"/admin/accounts/user/{worker.pk}/change/",
                                 _user_page(worker, [_row(grant, is_active=False)]))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.is_active is False
    assert [e.changes for e in _audits("role.revoke", grant)] == [{"is_active": [True, False]}]
    # ticked again: granted again through role_assign, same row
    admin_client.post(f"/admin/accounts/user/{worker.pk}/change/", _user_page(worker, [_row(grant, is_active=True)]))
    grant.refresh_from_db()
    assert grant.is_active and len(_audits("role.assign", grant)) == 1


def test_the_user_page_cannot_delete_a_grant(admin_client, actors):
    worker = actors["worker"]
    grant = worker.assignments.get()
    page = admin_client.get(f"/admin/accounts/user/{worker.pk}/change/").content.decode()
    assert "assignments-0-DELETE" not in page
    admin_client.post(f"/admin/accounts/user/{worker.pk}/change/", _user_page(worker, [_row(grant, DELETE=True)]))
    assert RoleAssignment.objects.filter(pk=grant.pk, is_active=True).exists()


def test_deleting_a_user_still_works_and_is_audited(admin_client, actors):
    # the grants go with the user; the revoke-only rule of the grants' own admin does not block it
    leaver = UserFactory(username="leaver")
    RoleAssignment.objects.create(user=leaver, role=Role.GRID_WORKER, place=actors["grid"].assignments.get().place)
    confirm = admin_client.get(f"/admin/accounts/user/{leaver.pk}/delete/")
    assert confirm.status_code == 200 and "permission" not in confirm.content.decode().lower()
    response = admin_client.post(f"/admin/accounts/user/{leaver.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(username="leaver").exists()
    assert AuditEntry.objects.filter(action="admin.delete", object_type="accounts.user").count() == 1


def test_the_grants_admin_adds_changes_and_revokes_through_the_services(admin_client, actors, tree):
    worker = actors["worker"]
    response = admin_client.post("/admin/accounts/roleassignment/add/", {
        "user": str(worker.pk), "role": Role.GRID_WORKER, "place": str(tree["grid_a1"].pk), "is_active": "on"})
    assert response.status_code == 302
    added = RoleAssignment.objects.get(user=worker, role=Role.GRID_WORKER)
    assert len(_audits("role.assign", added)) == 1
    assert not AuditEntry.objects.filter(action__startswith="admin.", object_type="accounts.roleassignment").exists()
    admin_client.post(f"/admin/accounts/roleassignment/{added.pk}/change/", {
        "role": Role.GRID_WORKER, "place": str(tree["grid_a2"].pk), "is_active": "on"})
    [change] = _audits("role.change", added)
    assert change.changes == {"place": [tree["grid_a1"].code, tree["grid_a2"].code]}
    # no deleting, only the audited revoke action
    assert admin_client.get(f"/admin/accounts/roleassignment/{added.pk}/delete/").status_code == 403
    listing = admin_client.get("/admin/accounts/roleassignment/").content.decode()
    assert "delete_selected" not in listing and "revoke_selected" in listing
    admin_client.post("/admin/accounts/roleassignment/", {"action": "revoke_selected", "_selected_action": [added.pk]})
    added.refresh_from_db()
    assert added.is_active is False and len(_audits("role.revoke", added)) == 1


def test_passwords_never_reach_the_audit_trail(admin_client, actors):
    response = admin_client.post("/admin/accounts/user/add/", {
        "username": "newcomer", "password1": "Clear-text-Pass-2026", "password2": "Clear-text-Pass-2026",
        "usable_password": "true", "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    newcomer = User.objects.get(username="newcomer")
    admin_client.post(f"/admin/accounts/user/{newcomer.pk}/password/", {
        "password1": "Another-Pass-2026x", "password2": "Another-Pass-2026x", "usable_password": "true"})
    newcomer.refresh_from_db()
    assert newcomer.check_password("Another-Pass-2026x")
    rows = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(newcomer.pk))
    assert {"admin.add", "user.change_password"} <= set(rows.values_list("action", flat=True))
    trail = json.dumps([r.changes for r in rows], ensure_ascii=False)
    assert "Clear-text" not in trail and "Another-Pass" not in trail
    assert newcomer.password not in trail and newcomer.password.split("$")[0] not in trail
    assert "******" in trail


def test_api_tokens_and_open311_keys_are_revoked_not_deleted(admin_client, actors):
    actors["admin"].is_superuser = True  # these two admins use Django's model permissions
    actors["admin"].save()
    token, _raw = api_token_create(actor=actors["worker"], name="对接系统")
    key, _secret = open311_key_create(actor=actors["admin"], name="市民热线")
    for url in (f"/admin/api/apitoken/{token.pk}/delete/", f"/admin/open311/open311key/{key.pk}/delete/"):
        assert admin_client.get(url).status_code == 403
    assert "delete_selected" not in admin_client.get("/admin/api/apitoken/").content.decode()
    admin_client.post("/admin/api/apitoken/", {"action": "revoke_selected", "_selected_action": [token.pk]})
    admin_client.post("/admin/open311/open311key/", {"action": "revoke_selected", "_selected_action": [key.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Open311Key.objects.get(pk=key.pk).is_active is False
    assert len(_audits("api_token.revoke", token)) == 1 and len(_audits("open311_key.revoke", key)) == 1


def test_bulk_delete_writes_one_audit_row_per_row(admin_client, tree):
    units = [PartnerUnit.objects.create(name=f"临时单位{i}", kind=PartnerUnit.Kind.HEATING,
                                        service_area=tree["street"]) for i in range(2)]
    response = admin_client.post("/admin/accounts/partnerunit/", {
        "action": "delete_selected", "_selected_action": [u.pk for u in units], "post": "yes"})
    assert response.status_code == 302
    assert not PartnerUnit.objects.filter(name__startswith="临时单位").exists()
    assert AuditEntry.objects.filter(action="admin.delete", object_type="accounts.partnerunit").count() == 2
