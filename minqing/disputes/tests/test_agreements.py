"""The mediation agreement: article-29 contents are required, and the printed PDF carries them."""
import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from minqing.core.errors import ValidationError
from minqing.disputes.documents import agreement_pdf
from minqing.disputes.models import REQUIRED_CONTENTS, Agreement, DisputeParty, Status
from minqing.disputes.services.agreements import agreement_make
from minqing.disputes.services.mediation import mediator_recuse

from .factories import CONTENTS


def contents(**overrides):
    return {**CONTENTS, "performance_deadline": timezone.localdate() + datetime.timedelta(days=10), **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize("missing", list(REQUIRED_CONTENTS))
def test_each_required_content_is_required(make_dispute, actors, missing):
    dispute = make_dispute(Status.MEDIATING)
    with pytest.raises(ValidationError) as caught:
        agreement_make(actor=actors["worker"], dispute_id=dispute.pk, mediator=actors["worker"],
                       committee="渝阳社区人民调解委员会", **contents(**{missing: "" if missing != "performance_deadline" else None}))
    assert list(caught.value.fields) == [missing]
    assert str(REQUIRED_CONTENTS[missing]) in caught.value.fields[missing][0]
    dispute.refresh_from_db()
    assert dispute.status == Status.MEDIATING and not dispute.agreements.exists()


@pytest.mark.django_db
def test_both_sides_must_be_named(make_dispute, actors):
    dispute = make_dispute(Status.MEDIATING, parties=False)
    DisputeParty.objects.create(dispute=dispute, side="applicant", name="张建华")
    with pytest.raises(ValidationError) as caught:
        agreement_make(actor=actors["worker"], dispute_id=dispute.pk, mediator=actors["worker"],
                       committee="渝阳社区人民调解委员会", **contents())
    assert caught.value.fields == {"parties": ["协议书必须载明双方当事人的基本情况：请先登记申请人和被申请人。"]}


@pytest.mark.django_db
def test_a_recused_mediator_cannot_sign_or_mediate(make_dispute, actors):
    dispute = make_dispute(Status.MEDIATING)
    mediator_recuse(actor=actors["secretary"], dispute_id=dispute.pk, mediator=actors["worker"],
                    reason="调解员与被申请人系亲属，申请回避。")
    with pytest.raises(ValidationError) as caught:
        agreement_make(actor=actors["secretary"], dispute_id=dispute.pk, mediator=actors["worker"],
                       committee="渝阳社区人民调解委员会", **contents())
    assert caught.value.fields == {"mediator": ["该调解员已回避本纠纷，请另选调解员。"]}


def pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.mark.django_db
def test_printed_agreement_has_the_required_contents_and_signature_lines(make_dispute, actors, tmp_path):
    dispute = make_dispute(Status.MEDIATING)
    agreement = agreement_make(actor=actors["worker"], dispute_id=dispute.pk, mediator=actors["worker"],
                               committee="渝阳社区人民调解委员会", **contents())
    text = "".join(pdf_text(agreement_pdf(agreement), tmp_path).split())  # CJK lines wrap anywhere
    for expected in ("人民调解协议书", "申请人：张建华", "被申请人：李桂英", "纠纷主要事实", "争议事项", "各方当事人的责任",
                     "自愿达成如下协议", "申请人赔偿被申请人墙面修复费800元", "履行方式", "履行地点：渝阳社区居委会调解室",
                     f"{agreement.performance_deadline:%Y年%m月%d日}前", "签名", "人民调解员", "渝阳社区人民调解委员会（印章）",
                     "司法确认"):
        assert expected in text, expected


@pytest.mark.django_db
def test_pdf_view_and_scope(client, actors, tree, make_dispute):
    dispute = make_dispute(Status.AGREED)
    client.force_login(actors["grid"])
    response = client.get(reverse("disputes:agreement_pdf", args=[dispute.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    other = make_dispute(Status.AGREED, place=tree["grid_a2"])
    assert client.get(reverse("disputes:agreement_pdf", args=[other.pk])).status_code == 404
    no_agreement = make_dispute(Status.MEDIATING)
    assert client.get(reverse("disputes:agreement_pdf", args=[no_agreement.pk])).status_code == 404


@pytest.mark.django_db
def test_partial_agreement_says_so(make_dispute, actors, tmp_path):
    dispute = make_dispute(Status.MEDIATING)
    agreement = agreement_make(actor=actors["worker"], dispute_id=dispute.pk, mediator=actors["worker"],
                               committee="渝阳社区人民调解委员会", scope=Agreement.Scope.PARTIAL, **contents())
    dispute.refresh_from_db()
    assert dispute.status == Status.PARTIAL
    assert "部分达成协议" in "".join(pdf_text(agreement_pdf(agreement), tmp_path).split())
