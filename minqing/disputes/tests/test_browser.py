"""A community worker, on a phone, files a dispute and mediates it to a printed mediation agreement."""
import datetime
import subprocess

import pytest
from django.utils import timezone

from minqing.disputes.models import Dispute, Status
from minqing.core.tests.browser import fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_action(page, name):
    page.click(f"details[data-action={name}] > summary")
    return f"details[data-action={name}] "


def test_file_and_mediate_a_dispute_to_a_printed_agreement(phone_page, live_server, browser_login, flushable_audit,
                                                           tree, actors,
                                                           tmp_path):
    page, worker, secretary = phone_page, actors["worker"], actors["secretary"]
    csp_violations = []
    page.on("console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None)
    browser_login(page, "t_worker")

    # file the dispute
    page.goto(f"{live_server.url}/disputes/")
    page.click("[data-testid=report-dispute]")
    page.select_option("#id_place", str(tree["grid_a1"].pk))
    page.fill("#id_title", "3栋楼上漏水纠纷")
    page.select_option("#id_kind", "neighbour")
    page.fill("#id_description", "楼上卫生间漏水，楼下墙面受损，双方争吵。")
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=dispute-status]")
    assert page.inner_text("[data-testid=dispute-status]") == "已登记"

    # both parties (outside the ledger here)
    for side, name in (("applicant", "李桂英"), ("respondent", "张建华")):
        scope = open_action(page, "party")
        page.select_option(scope + "[name=side]", side)
        page.fill(scope + "[name=name]", name)
        page.fill(scope + "[name=address]", "A社区1号楼")
        page.click(scope + "button[type=submit]")
        page.wait_for_selector(f"[data-testid=parties] >> text={name}")

    # 三定四包
    scope = open_action(page, "accept")
    page.select_option(scope + "[name=leader]", str(secretary.pk))
    page.select_option(scope + "[name=staff]", str(worker.pk))
    page.fill(scope + "[name=deadline]", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.click(scope + "button[type=submit]")
    page.wait_for_selector("#duties")
    assert page.inner_text("[data-testid=dispute-status]") == "已受理"
    assert page.locator("#duties .duties li").count() == 4

    # a mediation session
    scope = open_action(page, "session")
    page.select_option(scope + "[name=mediator]", str(worker.pk))
    page.fill(scope + "[name=participants]", "双方当事人、楼栋长")
    page.fill(scope + "[name=notes]", "双方同意按物业鉴定结果处理。")
    page.click(scope + "button[type=submit]")
    page.wait_for_selector("#sessions")
    assert page.inner_text("[data-testid=dispute-status]") == "调解中"

    # the agreement: first without the performance place → told exactly what is missing
    scope = open_action(page, "agree")
    page.fill(scope + "[name=facts]", "楼上卫生间防水老化漏水，致楼下墙面受损。")
    page.fill(scope + "[name=matters_in_dispute]", "维修与赔偿费用的承担。")
    page.fill(scope + "[name=responsibilities]", "楼上住户负主要责任。")
    page.fill(scope + "[name=terms]", "楼上住户重做防水并赔偿墙面修复费1200元。")
    page.fill(scope + "[name=performance_method]", "现金当面支付")
    page.fill(scope + "[name=performance_deadline]", (timezone.localdate() + datetime.timedelta(days=10)).isoformat())
    page.select_option(scope + "[name=mediator]", str(worker.pk))
    page.click(scope + "button[type=submit]")
    page.wait_for_selector(".error[data-field=performance_place]")
    scope = "details[data-action=agree] "
    page.fill(scope + "[name=performance_place]", "A社区居委会调解室")
    page.click(scope + "button[type=submit]")
    page.wait_for_selector("[data-testid=agreement-pdf]")
    assert page.inner_text("[data-testid=dispute-status]") == "达成协议"

    # print it
    href = page.get_attribute("[data-testid=agreement-pdf]", "href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(response.body())
    text = "".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                   .stdout.split())
    for expected in ("人民调解协议书", "申请人：李桂英", "被申请人：张建华", "赔偿墙面修复费1200元", "履行地点：A社区居委会调解室"):
        assert expected in text
    assert Dispute.objects.get().status == Status.AGREED
    # nothing overflows the 375-px screen
    assert fits_phone(page)
    assert csp_violations == []
