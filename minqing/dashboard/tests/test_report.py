"""The monthly report: the Excel cells and the PDF text (pdftotext) carry the Chinese headings and
the numbers of the hand-built October."""
import io
import shutil
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from minqing.dashboard.report import monthly_report, report_pdf, report_sections, report_xlsx
from minqing.dashboard.rollups import rollups_rebuild

from .factories import october

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(tree, actors):
    october(tree, actors)
    rollups_rebuild()
    return monthly_report(actor=actors["street"], place_code=tree["street"].code, month="2026-10")


def test_report_content(report):
    assert report.title == "八里庄街道2026年10月诉求办理情况月报"
    assert [r.label for r in report.by_category] == ["水电暖气", "物业", "环境卫生", "未分类"]
    assert report.top_issues[0].label == "水电暖气 / 供暖" and report.top_issues[0].figures["total"] == 6
    assert sorted(a.title for a in report.overdue) == sorted([report.overdue[0].title, report.overdue[1].title])
    assert len(report.overdue) == 2 and len(report.reopened) == 3
    assert report.previous["total"] == 1  # September: D17


def test_the_listed_demands_hold_what_the_tables_show(report):
    """The overdue and reopened lists load only the columns the tables print: printing them reads nothing more."""
    assert report.overdue and report.reopened
    with CaptureQueriesContext(connection) as queries:
        report_sections(report)
        report_xlsx(report)
    assert [q["sql"] for q in queries.captured_queries] == []


def test_excel_cells(report):
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    sheet = book["月报"]
    assert sheet["A1"].value == "八里庄街道2026年10月诉求办理情况月报"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["一、主要指标"] == [v for v in rows[3] if v is not None]
    assert rows[4][:5] == ["指标", "分子", "分母", "本月", "上月"]
    assert rows[5][:3] == ["响应率", 12, 15] and rows[5][3:5] == [pytest.approx(0.8), pytest.approx(1.0)]
    assert sheet.cell(row=6, column=4).number_format == "0.0%"  # rates are numbers shown as percents
    labels = {row[0]: row for row in rows if row[0]}
    assert labels["解决率"][1:4] == [6, 9, pytest.approx(6 / 9)]
    assert labels["满意率"][1:3] == [6.4, 9] and f"{labels['满意率'][3]:.3f}" == "0.711"  # 4 满意 + 0.8 × 3 基本满意
    water = next(r for r in sheet.iter_rows() if r[0].value == "水电暖气")
    assert isinstance(water[2].value, float) and water[2].number_format == "0.0%"
    assert not any(isinstance(v, str) and v.endswith("%") for row in rows for v in row)
    assert labels["水电暖气"][1] == 6 and labels["专线电话"][1] == 7
    assert any(str(v).startswith("七、超期诉求（2 件）") for v in labels)
    numbers = book["指标数值"]
    assert numbers["A2"].value == "响应率" and numbers["D2"].value == pytest.approx(0.8)
    assert numbers["D2"].number_format == "0.0%"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text(report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(report_pdf(report))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("八里庄街道2026年10月诉求办理情况月报", "一、主要指标", "响应率", "80.0%", "解决率", "66.7%",
                     "满意率", "71.1%", "三、分类统计", "水电暖气", "四、渠道统计", "六、突出问题",
                     "七、超期诉求（2 件）", "八、重办诉求（3 件）"):
        assert expected in text, expected
    for demand in report.overdue + report.reopened:
        assert demand.receipt_code in text


def test_download_views(client, report, actors, tree):
    client.force_login(actors["street"])
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(reverse("dashboard:report_download", args=[fmt]),
                              {"place": tree["street"].code, "month": "2026-10"})
        assert response.status_code == 200 and response.content.startswith(magic)
        assert f"monthly-report-{tree['street'].code}-2026-10.{fmt}" in response["Content-Disposition"]
    assert client.get(reverse("dashboard:report_download", args=["doc"])).status_code == 404
    page = client.get(reverse("dashboard:report"), {"place": tree["street"].code, "month": "2026-10"})
    assert page.status_code == 200 and "80.0%" in page.content.decode()


def test_community_staff_cannot_report_on_the_street(client, report, actors, tree):
    client.force_login(actors["worker"])
    response = client.get(reverse("dashboard:report_download", args=["pdf"]),
                          {"place": tree["street"].code, "month": "2026-10"})
    assert response.status_code == 404
    client.force_login(actors["partner"])
    assert client.get(reverse("dashboard:report")).status_code == 404
