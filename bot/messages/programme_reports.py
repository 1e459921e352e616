"""The end-of-programme report for coordinators, and its chart of meetings per pair.
Built from `EndFigures` alone (counts), so nobody's words can reach it."""

from __future__ import annotations

import io
from collections import Counter

from bot.messages import render
from bot.messages.blocks import Message, Upload, context, header, message, section
from bot.messages.chart import BAR_COLOUR, DPI, SIZE_INCHES
from bot.services.programme_reports import EndFigures


def _parts(figures: EndFigures) -> dict[str, str]:
    median = figures.median_meetings
    return render.parts(
        "programme_report",
        programme=figures.programme,
        ends_on=figures.ends_on,
        pairs_started=figures.pairs_started,
        closed_early=figures.closed_early,
        on_their_own=figures.on_their_own,
        old_enough=figures.old_enough,
        met_regularly=figures.met_regularly,
        median=f"{median:g}",
        fewest=figures.fewest_meetings,
        most=figures.most_meetings,
        goals_done=figures.goals_done,
        pulses=figures.pulses,
        ready_again=figures.ready_again,
    )


def end_report(figures: EndFigures) -> Message:
    parts = _parts(figures)
    blocks = [
        header(parts["title"][:150]),
        section(parts["text"]),
        section(parts["pairs"]),
        section(parts["pulses"]),
        context(parts["ready"]),
    ]
    return message(parts["fallback"], blocks)


def end_chart(figures: EndFigures) -> Upload:
    """A bar chart: for each number of meetings, how many pairs had it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    parts = _parts(figures)
    counts = Counter(figures.meetings_per_pair)
    xs = list(range(figures.most_meetings + 1))
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.bar(xs, [counts.get(x, 0) for x in xs], color=BAR_COLOUR)
    axes.set_title(parts["chart_title"], parse_math=False)
    axes.set_xlabel(parts["chart_x"], parse_math=False)
    axes.set_ylabel(parts["chart_y"], parse_math=False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return Upload(
        content=buffer.getvalue(),
        filename=f"meetings-per-pair-{figures.ends_on.isoformat()}.png",
        title=parts["chart_title"],
        alt_txt=parts["chart_alt"],
    )
