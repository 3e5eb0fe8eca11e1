from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from insights import charts, words
from insights.figures import Insights, insights_for
from insights.together import together_for
from lib.dates import when


def _period_label(unit: str, start) -> str:
    return when(start, "month_year" if unit == "month" else "day_month")


def _days_after_charts(found: Insights) -> list[dict]:
    shown = []
    for days in found.days_after:
        kind = words.kind_label(days.kind)
        labels = [words.hours_label(m.hours) for m in days.moments]
        shown.append(
            {
                "kind": kind,
                "moments": [(label, m) for label, m in zip(labels, days.moments, strict=True)],
                "chart": charts.scale_chart(
                    f"days-{days.kind}",
                    _("How the days after go: %(kind)s") % {"kind": kind},
                    _("Average pleasantness from 1 to 7, right after and at each follow-up."),
                    labels,
                    [charts.Line([m.average for m in days.moments], "chart-pleasant")],
                ),
            }
        )
    return shown


def _over_time_chart(found: Insights):
    labels = [_period_label(found.unit, p.start) for p in found.periods]
    description = _(
        "Average pleasantness (solid line) and energy (dashed line) from 1 to 7 for each "
        "period; a small diamond above a period where a low came up."
    )
    if found.on_camera:
        description += " " + _("Bars below: how many shows there were.")
    return charts.marks_and_bars(
        "over-time",
        _("Mood and energy over time"),
        description,
        labels,
        [
            charts.Line([p.pleasantness for p in found.periods], "chart-pleasant"),
            charts.Line([p.energy for p in found.periods], "chart-energy"),
        ],
        [p.drops for p in found.periods],
        [p.shows for p in found.periods] if found.on_camera else None,
    )


def _with_words(tendencies) -> list[dict]:
    return [{"care": t, "words": words.tendency_words(t)} for t in tendencies]


@login_required
def insights(request):
    found = insights_for(request.user)
    together = [
        {
            "connection": t.connection,
            "with_name": t.connection.name_for(request.user),
            "ready": t.ready,
            "people": [
                {**who, "care": _with_words(who["person"].care)}
                for who in words.together_for_viewer(t, request.user)
            ],
        }
        for t in together_for(request.user)
    ]
    context = {"found": found, "together": together}
    if not found.is_empty:
        context |= {
            "days_after": _days_after_charts(found),
            "received": _with_words(found.received),
            "given": _with_words(found.given),
            "over_time": _over_time_chart(found),
            "periods": [(_period_label(found.unit, p.start), p) for p in found.periods],
        }
    return render(request, "insights/insights.html", context)
