"""Server-rendered SVG charts: stacked monthly bars, no script, no chart service, labels escaped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

# Colour-blind-safe palette (Okabe & Ito); presentation attributes only, as the CSP forbids inline style.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_W, _H = 640, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 40, 150, 16, 40


def _nice_max(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^k at or above ``value`` (at least 1), for round gridlines."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return max(1, step * factor)
        step *= 10


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_label(month: str) -> tuple[str, str]:
    """ "2026-03" -> ("Mar", "2026"); anything else is shown as it is."""
    year, _, number = month.partition("-")
    if number.isdigit() and 1 <= int(number) <= 12:
        return _MONTHS[int(number) - 1], year
    return month, ""


def stacked_bars(counts: Mapping[str, Mapping[str, int]], months: Sequence[str], *, title: str) -> str:
    """``counts[series][month]`` as one stacked bar per month, a legend per series; returns SVG markup."""
    series = [name for name in counts if any(counts[name].get(m, 0) for m in months)]
    totals = [sum(counts[s].get(m, 0) for s in series) for m in months]
    top = _nice_max(max(totals, default=0))
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" role="img" '
             f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>']
    for i in range(5):
        value = top * i / 4
        y = _TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        label = f"{value:g}"
        parts.append(f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#555">{label}</text>')
    if not months or not series:
        parts.append(f'<text x="{_LEFT + plot_w / 2}" y="{_TOP + plot_h / 2}" text-anchor="middle" '
                     f'font-size="13" fill="#555">No requests yet</text>')
    slot = plot_w / max(1, len(months))
    bar_w = max(2.0, min(48.0, slot * 0.7))
    label_every = max(1, len(months) // 12)
    for index, month in enumerate(months):
        x = _LEFT + slot * index + (slot - bar_w) / 2
        y = float(_TOP + plot_h)
        for s_index, name in enumerate(series):
            n = counts[name].get(month, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(name)}, {escape(month)}: {n}</title></rect>')
        if index % label_every == 0:
            name, year = _month_label(month)
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{_TOP + plot_h + 15}" text-anchor="middle" '
                         f'font-size="11" fill="#333">{escape(name)}</text>')
            if index == 0 or name == "Jan":
                parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{_TOP + plot_h + 29}" text-anchor="middle" '
                             f'font-size="10" fill="#555">{escape(year)}</text>')
    for s_index, name in enumerate(series[:12]):
        y = _TOP + 6 + s_index * 18
        colour = PALETTE[s_index % len(PALETTE)]
        parts.append(f'<rect x="{_W - _RIGHT + 12}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{_W - _RIGHT + 30}" y="{y + 10}" font-size="12" fill="#333">'
                     f'{escape(name[:20])}</text>')
    parts.append("</svg>")
    return "".join(parts)
