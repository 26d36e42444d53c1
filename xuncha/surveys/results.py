"""Results of a questionnaire: counts, shares with Wilson confidence intervals, rates, groups, text.

知晓率 / 满意度 / 好评率 is the share of the answers to a question that chose one of its options marked
as positive (知道; 满意、比较满意; 好、较好). Each share carries its 95% Wilson score interval, which
stays inside [0, 1] and is sound for the small samples of a round (30 residents, 39 forms).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .models import Answer, Question, Survey

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval of k successes in n trials; (0, 0) when n is 0."""
    if n <= 0:
        return (0.0, 0.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Share:
    label: str
    count: int
    n: int
    positive: bool = False

    @property
    def share(self) -> float:
        return self.count / self.n if self.n else 0.0

    @property
    def ci(self) -> tuple[float, float]:
        return wilson(self.count, self.n)

    @property
    def percent(self) -> str:
        return pct(self.share) if self.n else "—"

    @property
    def ci_text(self) -> str:
        lo, hi = self.ci
        return f"{pct(lo)}～{pct(hi)}" if self.n else "—"


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


@dataclass
class QuestionResult:
    number: int
    question: Question
    answered: int
    options: list[Share] = field(default_factory=list)
    rate: Share | None = None
    texts: list[str] = field(default_factory=list)
    by_group: list[tuple[str, list[Share], Share | None]] = field(default_factory=list)
    chart: str = ""


@dataclass
class SurveyResult:
    survey: Survey
    total: int
    online: int
    paper: int
    groups: list[tuple[str, int]]
    questions: list[QuestionResult]
    group: str = ""


def _shares(q: Question, answers: list[Answer]) -> tuple[list[Share], Share | None]:
    n = len(answers)
    counts = Counter(c for a in answers for c in a.choices)
    options = [Share(label, counts.get(i, 0), n, i in q.positive) for i, label in enumerate(q.options)]
    rate = None
    if q.positive:
        k = sum(1 for a in answers if set(a.choices) & set(q.positive))
        rate = Share("、".join(q.options[i] for i in q.positive if i < len(q.options)), k, n, True)
    return options, rate


def survey_result(survey: Survey, group: str = "") -> SurveyResult:
    responses = survey.responses.all()
    if group:
        responses = responses.filter(group=group)
    all_groups = Counter(survey.responses.values_list("group", flat=True))
    answers_by_q: dict[int, list[Answer]] = defaultdict(list)
    group_of = dict(responses.values_list("pk", "group"))
    for a in Answer.objects.filter(response__in=responses).only("question_id", "choices", "text", "response_id"):
        answers_by_q[a.question_id].append(a)
    names = list(survey.groups) + sorted(g for g in all_groups if g and g not in survey.groups)
    results = []
    for number, q in enumerate(survey.questions.all(), start=1):
        answers = answers_by_q.get(q.pk, [])
        r = QuestionResult(number, q, len(answers))
        if q.has_options:
            r.options, r.rate = _shares(q, answers)
            if not group:
                for g in names + ([""] if all_groups.get("") else []):
                    mine = [a for a in answers if group_of.get(a.response_id) == g]
                    if mine:
                        opts, rate = _shares(q, mine)
                        r.by_group.append((g or "未填类别", opts, rate))
            r.chart = bar_chart(r.options)
        else:
            r.texts = [a.text for a in answers if a.text]
        results.append(r)
    channels = Counter(responses.values_list("channel", flat=True))
    return SurveyResult(survey=survey, total=responses.count(), online=channels.get("online", 0),
                        paper=channels.get("paper", 0),
                        groups=[(g or "未填类别", all_groups[g]) for g in names + [""] if all_groups.get(g)],
                        questions=results, group=group)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def bar_chart(shares: list[Share], width: int = 560) -> str:
    """A horizontal bar chart as inline SVG (drawn on the server: no script, prints as it shows).

    Each bar is an option's share; the thin line across its end is the 95% Wilson interval.
    """
    label_w, bar_w, row_h = 150, width - 150 - 110, 26
    height = row_h * len(shares) + 8
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="各选项比例">']
    for i, s in enumerate(shares):
        y = 4 + i * row_h
        w = round(bar_w * s.share, 1)
        lo, hi = s.ci
        colour = "#b5272d" if s.positive else "#6b7a8f"
        label = s.label if len(s.label) <= 10 else s.label[:9] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13">{_esc(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="16" fill="{colour}"><title>'
                     f'{_esc(s.label)}：{s.count}（{s.percent}，95%置信区间{s.ci_text}）</title></rect>')
        if s.n:
            x1, x2 = label_w + bar_w * lo, label_w + bar_w * hi
            parts.append(f'<line x1="{x1:.1f}" y1="{y + 11}" x2="{x2:.1f}" y2="{y + 11}" stroke="#222" '
                         f'stroke-width="1.5"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 16}" font-size="13">{s.count}（{s.percent}）</text>')
    parts.append("</svg>")
    return "".join(parts)
