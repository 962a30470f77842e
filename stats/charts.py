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
PALETTE = [
    ("#1d5c96", "solid"),
    ("#2e7031", "stripes"),
    ("#8a5300", "dots"),
    ("#9b1c1c", "cross"),
    ("#5b3f8c", "lines"),
    ("#4d5560", "stripes"),
]
WIDTH = 420
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
BAR_GAP = 4
ROW_GAP = 10
VALUE_ROOM = 64
LEFT = 4


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
    layout: dict[str, Any] = field(default_factory=dict)

    def styles(self) -> list[dict[str, str]]:
        count = len(self.rows) if self.vary_rows else len(self.series)
        return [
            {"id": f"{self.id}-p{i}", "colour": PALETTE[i % len(PALETTE)][0],
             "pattern": PALETTE[i % len(PALETTE)][1]}
            for i in range(max(count, 1))
        ]  # fmt: skip

    def build(self) -> Chart:
        styles = self.styles()
        maximum = max((v for _label, values in self.rows for v in values), default=0)
        scale = (WIDTH - LEFT - VALUE_ROOM) / maximum if maximum else 0
        y = 0
        legend = []
        if not self.vary_rows:
            x = LEFT
            for i, series in enumerate(self.series):
                legend.append(
                    {"x": x, "y": y, "fill": f"url(#{styles[i]['id']})",
                     "text_x": x + 20, "text_y": y + 12, "label": series.label}
                )  # fmt: skip
                x += 28 + 7 * len(series.label)
                if x > WIDTH - 100:
                    x, y = LEFT, y + 20
            y += 26 if x > LEFT else 6
        rows = []
        for r, (label, values) in enumerate(self.rows):
            label_y = y + 13
            y += LABEL_HEIGHT
            bars = []
            for s, value in enumerate(values):
                style = styles[r if self.vary_rows else s]
                width = round(value * scale)
                bars.append(
                    Bar(x=LEFT, y=y, width=max(width, 1) if value else 0,
                        height=BAR_HEIGHT, fill=f"url(#{style['id']})",
                        value_text=vn_number(value), text_x=LEFT + width + 6,
                        text_y=y + 12)
                )  # fmt: skip
                y += BAR_HEIGHT + BAR_GAP
            rows.append({"label": label, "label_y": label_y, "bars": bars})
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
                (_("Đúng hạn"), [figures["answered_on_time"]]),
                (_("Trễ hạn"), [figures["answered_late"]]),
                (_("Đang quá hạn"), [figures["overdue"]]),
            ],
            vary_rows=True,
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
