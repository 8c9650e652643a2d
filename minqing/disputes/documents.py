"""Printable documents: the mediation agreement 调解协议书 and the stability assessment report."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from minqing.core import pdf

from .models import Agreement, PartySide, StabilityAssessment


def _parties_block(agreement: Agreement) -> list:
    flowables = []
    for side in (PartySide.APPLICANT, PartySide.RESPONDENT, PartySide.OTHER):
        for party in agreement.dispute.parties.all():
            if party.side == side:
                flowables.append(pdf.paragraph(f"{PartySide(side).label}：{party.basic_facts}"))
    return flowables


def agreement_pdf(agreement: Agreement) -> bytes:
    """The agreement as the parties sign it: article-29 contents, then a signature line for each party."""
    dispute = agreement.dispute
    title = _("人民调解协议书")
    story = [
        pdf.paragraph(title, "title"),
        pdf.paragraph(_("编号：%(n)s") % {"n": agreement.number}, "subtitle"),
        pdf.spacer(4),
        *_parties_block(agreement),
        pdf.paragraph(_("纠纷类型：%(k)s　　纠纷编号：%(n)s") % {"k": dispute.get_kind_display(), "n": dispute.number}),
    ]
    sections = [
        (_("一、纠纷主要事实"), agreement.facts),
        (_("二、争议事项"), agreement.matters_in_dispute),
        (_("三、各方当事人的责任"), agreement.responsibilities),
        (_("四、经调解，各方当事人自愿达成如下协议"), agreement.terms),
        (_("五、履行方式、地点和期限"), _("履行方式：%(m)s\n履行地点：%(p)s\n履行期限：%(d)s前") % {
            "m": agreement.performance_method, "p": agreement.performance_place,
            "d": f"{agreement.performance_deadline:%Y年%m月%d日}"}),
    ]
    if agreement.scope == Agreement.Scope.PARTIAL:
        sections.append((_("六、说明"), _("本协议为部分达成协议，未达成部分当事人可依法另行主张。")))
    for heading, text in sections:
        story += [pdf.paragraph(heading, "heading"), pdf.paragraph(text)]
    story += [
        pdf.spacer(3),
        pdf.paragraph(_("本协议一式%(n)d份，各方当事人、人民调解委员会各执一份。本协议自各方当事人签名、盖章或者按指印，"
                        "人民调解员签名并加盖人民调解委员会印章之日起生效。依照《中华人民共和国人民调解法》第三十一条、"
                        "第三十三条，经人民调解委员会调解达成的调解协议具有法律约束力，当事人应当按照约定履行；"
                        "双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认。") % {"n": agreement.copies},
                      "small"),
        pdf.spacer(6),
    ]
    rows = [[_("当事人"), _("签名（盖章或按指印）"), _("日期")]]
    rows += [[f"{p.get_side_display()}：{p.name}", "", _("　　年　月　日")] for p in dispute.parties.all()]
    rows += [[_("人民调解员：%(m)s") % {"m": agreement.mediator.get_full_name()}, "", _("　　年　月　日")]]
    story += [pdf.table(rows, col_widths=[60 * mm, 70 * mm, 40 * mm]), pdf.spacer(8),
              pdf.paragraph(_("%(c)s（印章）") % {"c": agreement.committee}),
              pdf.paragraph(f"{timezone.localdate(agreement.created_at):%Y年%m月%d日}")]
    return pdf.render(story, title=str(title))


def assessment_pdf(assessment: StabilityAssessment) -> bytes:
    title = _("重大决策社会稳定风险评估报告")
    story = [
        pdf.paragraph(title, "title"),
        pdf.paragraph(assessment.decision, "subtitle"),
        pdf.spacer(3),
        pdf.paragraph(_("决策主体：%(m)s　　涉及地区：%(p)s　　涉及群众：%(n)d人") % {
            "m": assessment.decision_maker, "p": assessment.place.full_name, "n": assessment.affected_people}),
        pdf.paragraph(_("一、决策内容与背景"), "heading"), pdf.paragraph(assessment.background),
        pdf.paragraph(_("二、征求群众意见情况"), "heading"),
    ]
    rows = [[_("方式"), _("日期"), _("参与"), _("赞成"), _("主要意见")]]
    rows += [[c.get_method_display(), c.held_on.isoformat(), c.people_count, c.support_count,
              f"{c.summary}（{c.meeting}）" if c.meeting_id else c.summary]
             for c in assessment.consultations.all()]
    story.append(pdf.table(rows))
    story.append(pdf.paragraph(_("三、风险点识别与评估（可能性×影响程度，各1-5分）"), "heading"))
    rows = [[_("风险点"), _("可能性"), _("影响"), _("分值"), _("防范措施")]]
    rows += [[p.description, p.likelihood, p.impact, p.score, p.measure] for p in assessment.risk_points.all()]
    story.append(pdf.table(rows))
    story += [
        pdf.paragraph(_("四、综合风险等级：%(l)s") % {"l": assessment.get_overall_level_display() or "—"}, "heading"),
        pdf.paragraph(_("五、风险防范化解措施"), "heading"), pdf.paragraph(assessment.measures or "—"),
        pdf.paragraph(_("六、评估结论：%(c)s") % {"c": assessment.get_conclusion_display() or "—"}, "heading"),
        pdf.paragraph(assessment.conclusion_reason or "—"),
        pdf.spacer(8),
        pdf.paragraph(_("签发人：%(s)s　　签发时间：%(t)s") % {
            "s": assessment.signed_by.get_full_name() if assessment.signed_by else _("（未签发）"),
            "t": f"{timezone.localtime(assessment.signed_at):%Y年%m月%d日}" if assessment.signed_at else "—"}),
    ]
    return pdf.render(story, title=str(title))
