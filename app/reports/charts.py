"""Simple horizontal bar charts, laid out here and drawn as SVG by the templates (no JavaScript)."""

from dataclasses import dataclass

BAR_HEIGHT = 22
LABEL_WIDTH = 170
CHART_WIDTH = 600


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float
    late: bool = False

    @property
    def share(self) -> float:
        """The bar's length as a percentage of the longest possible bar (for HTML bars)."""
        return min(100.0, 100 * self.width / (CHART_WIDTH - LABEL_WIDTH - 60))


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH


def bar_chart(
    title: str, items: list[tuple[str, float, str]], *, maximum: float | None = None, late_below: float | None = None
) -> Chart:
    """``items`` are (label, value, shown text); bars scale to ``maximum`` (default: the largest value)."""
    top = maximum if maximum is not None else max((value for _label, value, _text in items), default=0)
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            label,
            value,
            text,
            index * (BAR_HEIGHT + 6),
            span * value / top if top else 0,
            late_below is not None and value < late_below,
        )
        for index, (label, value, text) in enumerate(items)
    ]
    return Chart(title, bars, max(len(bars), 1) * (BAR_HEIGHT + 6))
