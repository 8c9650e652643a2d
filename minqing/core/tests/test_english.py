"""The English catalog (minqing/locale/en): switching language through /i18n/setlang/ shows English pages."""
import pytest

from minqing.accounts.models import Role
from minqing.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302


def _login(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_login_page_is_english_after_switching_language(client):
    # given
    _english(client)
    # when
    html = client.get("/accounts/login/").content.decode()
    # then
    assert '<html lang="en">' in html
    assert "Log in to Minqing" in html
    assert "After 5 wrong passwords in a row" in html
    assert "登录民情平台" not in html
    assert ">中文</button>" in html  # the switch offers the way back


def test_home_page_and_navigation_are_english_for_a_community_secretary(client, tree):
    # given
    user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="en_secretary")
    _english(client)
    _login(client, "en_secretary")
    # when
    html = client.get("/").content.decode()
    # then
    for english in ["Workbench", "Hello, ", "My roles", "Shortcuts", "Log out", "Change password",
                    "Resident ledger", "My tasks", "Register demand", "Audit log", "Demand tasks",
                    "Response rate", "Beijing time"]:
        assert english in html, english
    for chinese in [">民情<", "工作台", "民情台账", "我的待办", "登记诉求", "审计日志", "退出", "修改密码", "我的岗位",
                    "常用", "社区书记/主任"]:
        assert chinese not in html, chinese


@pytest.mark.parametrize("path, english", [
    ("/appeals/", "No matching demands."),
    ("/appeals/new/", "Register demand"),
    ("/residents/", "Resident ledger"),
    ("/disputes/screening/", "Dispute screening"),
    ("/welfare/", "Welfare review"),
    ("/dashboard/", "Key indicators"),
])
def test_app_pages_are_english(client, tree, path, english):
    # given
    user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="en_secretary")
    _english(client)
    _login(client, "en_secretary")
    # when
    response = client.get(path)
    # then
    assert response.status_code == 200
    assert english in response.content.decode()


def test_switching_back_to_chinese_restores_chinese(client, tree):
    # given
    user_with_role(Role.COMMUNITY_SECRETARY, tree["community_a"], username="en_secretary")
    _english(client)
    _login(client, "en_secretary")
    # when
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    html = client.get("/").content.decode()
    # then
    assert "我的岗位" in html and "My roles" not in html


def test_an_english_browser_still_gets_chinese_until_the_user_chooses(client):
    # given: a browser that prefers English
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    # then: Chinese first
    assert '<html lang="zh-hans">' in html and "登录民情平台" in html
    # when the user chooses English, it sticks
    _english(client)
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html


def test_an_unknown_language_cookie_falls_back_to_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="zh-hans">' in client.get("/accounts/login/").content.decode()
