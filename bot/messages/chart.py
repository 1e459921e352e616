"""The digest's chart of meetings per week, as PNG bytes.

Drawn on a bare `Figure` with the Agg canvas rather than through pyplot: pyplot keeps
global state, and the web process may draw two digests at once on different threads.
matplotlib is imported when a chart is drawn (by the clock, weekly): `/mentor-digest`
answers with the figures alone and must not spend a second importing it.
"""

from __future__ import annotations

import datetime as dt
import io

from bot.messages import render

SIZE_INCHES = (6.4, 3.2)
DPI = 100
BAR_COLOUR = "#4A154B"
THIS_WEEK_COLOUR = "#2EB67D"


def chart_words(weeks: list[tuple[dt.date, int]]) -> dict[str, str]:
    """The chart's title, axis labels, tick labels (one per line) and alt text."""
    return render.parts(
        "digest_chart", weeks=[day for day, _ in weeks], counts=[n for _, n in weeks]
    )


def meetings_chart(weeks: list[tuple[dt.date, int]]) -> bytes:
    """A small bar chart of `weeks` (first day, meetings), oldest first, this week last."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    words = chart_words(weeks)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(weeks)))
    colours = [THIS_WEEK_COLOUR if i == len(weeks) - 1 else BAR_COLOUR for i in positions]
    axes.bar(positions, [count for _, count in weeks], color=colours)
    # Plain text: a "$" in a label must not switch matplotlib into maths mode.
    axes.set_title(words["title"], parse_math=False)
    axes.set_ylabel(words["ylabel"], parse_math=False)
    axes.set_xlabel(words["xlabel"], parse_math=False)
    axes.set_xticks(positions, words["ticks"].splitlines(), rotation=45, fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([count for _, count in weeks] + [1]) * 1.1)
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
