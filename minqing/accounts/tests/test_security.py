"""Login, throttling, language, password change, CSP, the admin site, deploy checks."""
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_login_shows_the_roles_home_page(client, actors):
    response = client.post("/accounts/login/", {"username": "t_grid", "password": "correct-horse-battery"}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200
    assert "网格员" in body and "A社区1网格" in body


def test_repeated_failures_lock_the_account_and_are_recorded(client, actors):
    from axes.models import AccessAttempt

    for _ in range(5):
        client.post("/accounts/login/", {"username": "t_grid", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "t_grid", "password": "correct-horse-battery"})
    assert locked.status_code == 429
    assert "已暂时锁定" in locked.content.decode()
    assert AccessAttempt.objects.get(username="t_grid").failures_since_start >= 5


def test_interface_is_chinese_by_default_with_an_english_switch(client, actors):
    assert "登录民情平台" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "<html lang=\"en\">" in client.get("/accounts/login/").content.decode()


def test_pages_carry_a_content_security_policy(client):
    header = client.get("/accounts/login/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in header and "script-src 'self'" in header


def test_the_kept_policy_is_django_csps_and_follows_the_settings(client, settings, actors):
    """core.middleware.KeptPolicyCSPMiddleware builds the header once; it must be the one django-csp builds, on a
    page and on an API answer, and a changed setting must show."""
    from dataclasses import asdict

    from csp.middleware import CSPMiddleware, build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    expected = build_policy(**asdict(CSPMiddleware(lambda r: HttpResponse()).get_policy_parts(request, HttpResponse())))
    assert client.get("/accounts/login/").headers["Content-Security-Policy"] == expected
    assert client.get("/api/v1/appeals").headers["Content-Security-Policy"] == expected
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/accounts/login/").headers["Content-Security-Policy"] == "default-src 'none'"


def test_password_change_requires_the_old_password(client, actors):
    client.force_login(actors["worker"])
    wrong = client.post("/accounts/password/", {"old_password": "nope", "new_password": "Stronger-pass-2026",
                                                "new_password_again": "Stronger-pass-2026"})
    assert "原密码不正确" in wrong.content.decode()
    ok = client.post("/accounts/password/", {"old_password": "correct-horse-battery",
                                             "new_password": "Stronger-pass-2026",
                                             "new_password_again": "Stronger-pass-2026"})
    assert ok.status_code == 302
    actors["worker"].refresh_from_db()
    assert actors["worker"].check_password("Stronger-pass-2026")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(django_user_model):
    user = django_user_model.objects.create_user("argon", password="a-long-enough-password")
    assert isinstance(identify_hasher(user.password), Argon2PasswordHasher)


@pytest.mark.parametrize("role,status", [("admin", 200), ("street", 302), ("supervisor", 302)])
def test_django_admin_is_for_admins_only(client, actors, role, status):
    actors[role].is_staff = True  # even staff status does not open it without the admin role
    actors[role].save()
    client.force_login(actors[role])
    assert client.get("/admin/").status_code == status


def test_home_navigation_differs_by_role(client, actors):
    client.force_login(actors["supervisor"])
    supervisor_home = client.get("/").content.decode()
    client.force_login(actors["building"])
    building_home = client.get("/").content.decode()
    assert "审计日志" in supervisor_home and "审计日志" not in building_home


def test_the_bar_kept_per_roles_follows_a_change_of_roles_and_of_language(client, actors):
    """The bar is kept per process for each set of roles (accounts.navigation.nav_for): a grant given or taken
    shows at the next page, and each language has its own labels."""
    building = actors["building"]
    client.force_login(building)
    assert "审计日志" not in client.get("/").content.decode()
    grant = building.assignments.create(role="supervisor", place=building.assignments.first().place)
    page = client.get("/appeals/").content.decode()
    assert "审计日志" in page
    assert '<a href="/appeals/" aria-current="page">' in page and 'href="/" aria-current' not in page
    grant.delete()
    assert "审计日志" not in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert ">Resident ledger</a>" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert ">民情台账</a>" in client.get("/").content.decode()


def test_check_deploy_is_clean_under_production_settings():
    env = {
        "DJANGO_SETTINGS_MODULE": "minqing.settings.production",
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-grade-secret-key-0123456789-abcdef",
        "MINQING_FIELD_ENCRYPTION_KEY": "dGVzdC1vbmx5LWtleS1ub3QtZm9yLXByb2R1Y3Rpb24=",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_ALLOWED_HOSTS": "minqing.example.gov.cn",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
