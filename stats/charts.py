"""Horizontal bar charts as data for templates/stats/includes/chart.html (inline SVG).

Server-rendered so the page needs no JavaScript and passes the CSP: colours are SVG
presentation attributes, never style attributes. Colours keep at least 3:1 contrast
with the white background (WCAG 1.4.11) and each one comes with its own pattern and
a printed value, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format

# (colour, pattern) pairs; patterns: solid, stripes, dots, cross-hatch, lines.
BLUE, GREEN, AMBER, RED, PURPLE, GREY = (
    ("#1d5c96", "solid"),
    ("#2e7031", "stripes"),
    ("#8a5300", "dots"),
    ("#9b1c1c", "cross"),
    ("#5b3f8c", "lines"),
    ("#4d5560", "lines"),
)
# Status order: new, accepted, in progress, resolved (green), rejected (red).
STATUS_PALETTE = [GREY, BLUE, AMBER, GREEN, RED]
PALETTE = [
    ("#1d5c96", "solid"),
    ("#2e7031", "stripes"),
    ("#8a5300", "dots"),
    ("#9b1c1c", "cross"),
    ("#5b3f8c", "lines"),
    ("#4d5560", "stripes"),
]
WIDTH = 320
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 10
VALUE_ROOM = 64
LEFT = 4


def _wrap(label: str, width: int = 34) -> list[str]:
    """Split a long label (an agency's name) into lines that fit the chart."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def vn_number(value: float | int | None, decimals: int | None = None) -> str:
    """183766 -> '183.766' and 3.5 -> '3,5' whatever language is active."""
    if value is None:
        return "—"
    from django.utils import translation

    with translation.override("vi"):
        return number_format(
            value, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )


@dataclass
class Series:
    label: str
    colour: str = ""
    pattern: str = ""


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    fill: str
    value_text: str
    text_x: int
    text_y: int


@dataclass
class Chart:
    id: str
    title: str
    row_header: str
    series: list[Series]
    rows: list[tuple[str, list[int]]]
    vary_rows: bool = False
    palette: list[tuple[str, str]] = field(default_factory=lambda: PALETTE)
    layout: dict[str, Any] = field(default_factory=dict)

    def styles(self) -> list[dict[str, str]]:
        count = len(self.rows) if self.vary_rows else len(self.series)
        return [
            {"id": f"{self.id}-p{i}", "colour": self.palette[i % len(self.palette)][0],
             "pattern": self.palette[i % len(self.palette)][1]}
            for i in range(max(count, 1))
        ]  # fmt: skip

    def build(self) -> Chart:
        styles = self.styles()
        maximum = max((v for _label, values in self.rows for v in values), default=0)
        scale = (WIDTH - LEFT - VALUE_ROOM) / maximum if maximum else 0
        y = 0
        legend = []
        if not self.vary_rows:
            # One legend entry per series, wrapped to a new line when it would not
            # fit (text width estimated at 8 units a character).
            x = LEFT
            for i, series in enumerate(self.series):
                item_width = 30 + 8 * len(series.label)
                if x > LEFT and x + item_width > WIDTH:
                    x, y = LEFT, y + 22
                legend.append(
                    {"x": x, "y": y + 2, "fill": f"url(#{styles[i]['id']})",
                     "text_x": x + 20, "text_y": y + 14, "label": series.label}
                )  # fmt: skip
                x += item_width
            y += 30
        rows = []
        for r, (label, values) in enumerate(self.rows):
            lines = []
            for line in _wrap(label):
                lines.append({"text": line, "y": y + 14})
                y += LABEL_HEIGHT
            bars = []
            for s, value in enumerate(values):
                style = styles[r if self.vary_rows else s]
                width = round(value * scale)
                bars.append(
                    Bar(x=LEFT, y=y, width=max(width, 1) if value else 0,
                        height=BAR_HEIGHT, fill=f"url(#{style['id']})",
                        value_text=vn_number(value), text_x=LEFT + width + 6,
                        text_y=y + 14)
                )  # fmt: skip
                y += BAR_HEIGHT + BAR_GAP
            rows.append({"label": label, "lines": lines, "bars": bars})
            y += ROW_GAP
        self.layout = {
            "width": WIDTH,
            "height": max(y, 40),
            "legend": legend,
            "rows": rows,
            "styles": styles,
            "summary": "; ".join(
                f"{label}: " + ", ".join(
                    (f"{self.series[i].label} " if len(self.series) > 1 else "")
                    + vn_number(v) for i, v in enumerate(values)
                )
                for label, values in self.rows
            ),
            "table": [
                {"label": label, "values": [vn_number(v) for v in values]}
                for label, values in self.rows
            ],
        }  # fmt: skip
        return self


def status_chart(figures: dict[str, Any], chart_id: str = "chart-status") -> Chart:
    from django.utils.translation import gettext as _

    from feedback.models import Status

    return Chart(
        id=chart_id,
        title=_("Biểu đồ thống kê kết quả xử lý"),
        row_header=_("Trạng thái"),
        series=[Series(_("Số phản ánh"))],
        rows=[
            (str(Status(code).label), [count])
            for code, count in figures["by_status"].items()
        ],
        vary_rows=True,
        palette=STATUS_PALETTE,
    ).build()


def all_charts(figures: dict[str, Any]) -> list[Chart]:
    from django.utils.translation import gettext as _

    months = [
        (f"{row['month'][5:]}/{row['month'][:4]}", [row["count"]])
        for row in figures["by_month"]
    ]
    return [
        status_chart(figures),
        Chart(
            id="chart-timeliness",
            title=_("Trả lời đúng hạn và trễ hạn"),
            row_header=_("Kết quả"),
            series=[Series(_("Số phản ánh"))],
            rows=[
                (_("Đúng hạn"), [figures["on_time"]]),
                (_("Trễ hạn"), [figures["late"]]),
                (_("Đang quá hạn"), [figures["overdue"]]),
            ],
            vary_rows=True,
            palette=[GREEN, AMBER, RED],
        ).build(),
        Chart(
            id="chart-category",
            title=_("Phản ánh theo lĩnh vực"),
            row_header=_("Lĩnh vực"),
            series=[Series(_("Số phản ánh"))],
            rows=[
                (row["category"] or _("Chưa phân loại"), [row["count"]])
                for row in figures["by_category"]
            ],
        ).build(),
        Chart(
            id="chart-agency",
            title=_("Kết quả theo cơ quan xử lý"),
            row_header=_("Cơ quan"),
            series=[
                Series(_("Đã xử lý")),
                Series(_("Đang xử lý")),
                Series(_("Quá hạn")),
            ],
            palette=[GREEN, AMBER, RED],
            rows=[
                (row["agency"], [row["resolved"], row["in_progress"], row["overdue"]])
                for row in figures["by_agency"]
            ],
        ).build(),
        Chart(
            id="chart-month",
            title=_("Phản ánh nhận được theo tháng (12 tháng gần nhất)"),
            row_header=_("Tháng"),
            series=[Series(_("Số phản ánh"))],
            rows=months,
        ).build(),
    ]
