"""Hot issues 热点问题: group messages that speak of the same matter, then rank the groups by a heat index.

Similarity is TF-IDF cosine over character bigrams of the title (weighted) and the body; two messages are
linked when they are very alike, or fairly alike and name the same specific place (a 小区, 学院, 路…).
Linked messages form an issue (connected components of the sparse similarity graph, union–find). The heat
index is defined in docs/insight.md and computed by `heat_index`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from .features import FeatureSpec, fit_vectorizer
from .similarity import pairs_above, union_groups

# Named spots a resident points at; the generic admin level (A市, A5区) is too broad to tie two messages.
_SPOT = re.compile(r"[\u4e00-\u9fa5\w]{2,12}?(?:小区|花园|家园|公寓|新村|新城|广场|商城|市场|苑|学院|大学|中学|小学|"
                   r"幼儿园|医院|公司|集团|工厂|车站|高铁站|地铁站|村|镇|街道|社区|大道|路|街|湖|山|桥)")
# Within a match, keep what follows the last admin unit or road: "劳动东路魅力之城小区" → "魅力之城小区".
_SPOT_TRIM = re.compile(r"^.*(?:[市区县镇]|路|街|号|栋)(?=[\u4e00-\u9fa5]{2,}.*(?:小区|花园|家园|公寓|苑|学院|大学|中学|"
                        r"小学|医院|公司|集团|广场|市场))")
# Only spots the size of an estate or an institution tie two messages; a road or a town is too broad.
_BUILDING = re.compile(r"(?:小区|花园|家园|公寓|新村|新城|广场|商城|市场|苑|学院|大学|中学|小学|幼儿园|医院|公司|集团|工厂)$")
_ADMIN = re.compile(r"[A-Z]\d{0,2}[市区县]")
_URGENT = re.compile(r"紧急|危险|隐患|安全|伤亡|死亡|火灾|塌|倒塌|漏水|停水|停电|中毒|污染|扰民|噪音|恶臭|"
                     r"拖欠|欠薪|讨薪|强制|威胁|投诉无果|多次反映|一直没有|至今未")

# Words that show a regex match is a clause, not a name ("我们小区", "导致大量油烟排入小区").
_NOT_A_NAME = re.compile(r"我|们|请|本|该|这|的|被|去|为|对|了|导致|严重|领导|部门|相关")
MAX_SPOT_GROUP = 300  # a spot named this often (a city, a big road) says nothing about the matter

SPEC = FeatureSpec(max_n=2, min_n=2, head_chars=0, head_weight=0.0, min_df=1, max_df=0.3)
RECENCY_DAYS = 30  # a message's weight in "recent activity" falls to 1/e after this many days
TITLE_REPEAT = 2  # the title says what the matter is; the body adds the detail


@dataclass(frozen=True)
class HotMessage:
    id: str
    author: str
    title: str
    body: str
    time: datetime | None
    supports: int = 0
    opposes: int = 0


@dataclass
class HotIssue:
    messages: list[HotMessage]
    heat: float = 0.0
    places: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def start(self) -> datetime | None:
        times = [m.time for m in self.messages if m.time]
        return min(times) if times else None

    @property
    def end(self) -> datetime | None:
        times = [m.time for m in self.messages if m.time]
        return max(times) if times else None

    @property
    def people(self) -> int:
        return len({m.author for m in self.messages})


def extract_places(text: str) -> list[str]:
    """Specific spots named in a text, in order, admin codes (A5区) after them."""
    spots = [_SPOT_TRIM.sub("", m.group(0)) for m in _SPOT.finditer(text)]
    spots = [s for s in spots if len(s) <= 10 and not _NOT_A_NAME.search(s)]
    return list(dict.fromkeys(spots + _ADMIN.findall(text)))


def spot_keys(text: str) -> set[str]:
    """Comparable keys of the specific spots: the last six characters, so 万科魅力之城小区 = 魅力之城小区."""
    return {p[-6:] for p in extract_places(text) if _BUILDING.search(p) and len(p) >= 4}


def cluster(messages: list[HotMessage], *, strong: float = 0.5, with_place: float = 0.12) -> list[list[int]]:
    """Groups of message indices: linked when cosine ≥ strong, or ≥ with_place and naming the same spot."""
    documents = [" ".join([m.title] * TITLE_REPEAT + [m.body[:300]]) for m in messages]
    # A frequency cap only means something over many messages; a handful share their topic words by design.
    spec = SPEC if len(documents) >= 200 else replace(SPEC, max_df=1.0)
    matrix = fit_vectorizer(documents, spec).transform(documents).to_scipy()
    links = [(i, j) for i, j, _ in pairs_above(matrix, strong)]
    by_spot: dict[str, list[int]] = {}
    for i, m in enumerate(messages):
        for key in spot_keys(m.title + " " + m.body[:200]):
            by_spot.setdefault(key, []).append(i)
    for members in by_spot.values():
        if 2 <= len(members) <= MAX_SPOT_GROUP:
            sub = (matrix[members] @ matrix[members].T).toarray()
            rows, cols = np.nonzero(np.triu(sub >= with_place, k=1))
            links.extend((members[r], members[c]) for r, c in zip(rows, cols))
    return union_groups(len(messages), links)


def heat_components(issue: HotIssue, now: datetime) -> dict[str, float]:
    """The five inputs of the heat index, kept so the ranking can be explained."""
    times = [m.time for m in issue.messages if m.time]
    return {
        "people": issue.people,
        "supports": sum(m.supports for m in issue.messages) + 0.5 * sum(m.opposes for m in issue.messages),
        "recency": sum(math.exp(-max((now - t).days, 0) / RECENCY_DAYS) for t in times),
        "span_days": (max(times) - min(times)).days if times else 0,
        "urgency": float(np.mean([bool(_URGENT.search(m.title + m.body)) for m in issue.messages])),
    }


def heat_index(issue: HotIssue, now: datetime) -> float:
    """Heat = 100·[ln(1+P) + 0.5·ln(1+S) + 0.5·ln(1+R) + 0.25·ln(1+D/7) + U] — see docs/insight.md."""
    c = heat_components(issue, now)
    return round(100 * (math.log1p(c["people"]) + 0.5 * math.log1p(c["supports"]) + 0.5 * math.log1p(c["recency"])
                        + 0.25 * math.log1p(c["span_days"] / 7) + c["urgency"]), 1)


def describe(issue: HotIssue) -> str:
    """The title of the message sharing the most bigrams with the others: a short, representative line."""
    titles = [m.title for m in issue.messages]
    grams = [set(t[i:i + 2] for i in range(len(t) - 1)) for t in titles]
    common = Counter(g for s in grams for g in s)
    scores = [sum(common[g] for g in s) / (1 + len(s)) ** 0.5 for s in grams]
    return titles[int(np.argmax(scores))]


def hot_issues(messages: list[HotMessage], *, now: datetime | None = None, top: int | None = None,
               min_size: int = 2) -> list[HotIssue]:
    """Issues of at least min_size messages, hottest first."""
    now = now or max((m.time for m in messages if m.time), default=datetime.now())
    issues = []
    for group in cluster(messages):
        if len(group) < min_size:
            continue
        issue = HotIssue([messages[i] for i in group])
        issue.heat = heat_index(issue, now)
        places = Counter(p for m in issue.messages for p in extract_places(m.title))
        issue.places = [p for p, _ in places.most_common(3)]
        issue.description = describe(issue)
        issues.append(issue)
    issues.sort(key=lambda i: -i.heat)
    return issues[:top] if top else issues
