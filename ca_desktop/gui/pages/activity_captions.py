"""What the Activities page says about its results: the count and the empty states."""

from __future__ import annotations

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.services.activity_queries import (
    BOUNDED_MATCHES,
    ActivityFilter,
    search_is_bounded,
)


def count_text(filters: ActivityFilter, n: int) -> str:
    """The number of activities listed, and whether a one-letter search looked only at the
    newest (short: it shares a line with the page title and the New button)."""
    count = tr_n("{n} activity", "{n} activities", n, shown=number(n))
    if search_is_bounded(filters.search):
        return tr("{count} (newest matches only)").format(count=count)
    return count


def count_tip(filters: ActivityFilter) -> str:
    """Why a one-letter search lists fewer than it could; empty otherwise."""
    if not search_is_bounded(filters.search):
        return ""
    return tr(
        "A one-letter search looks at the newest {n} matches only. Type another letter to "
        "search every activity."
    ).format(n=number(BOUNDED_MATCHES))


def empty_texts(filters: ActivityFilter) -> tuple[str, str, str]:
    """(title, text, button) when nothing is listed: none recorded yet, or none matches."""
    if filters.is_empty:
        return (
            tr("No activities yet"),
            tr(
                "Record your first forum, training or visit: press Ctrl+N. Participants "
                "are counted by sex and youth, and the paper attendance register can be "
                "typed in."
            ),
            tr("Record an activity"),
        )
    return (
        tr("No activity matches"),
        tr("Try other words or fewer filters. Search finds the start of words too."),
        tr("Clear filters"),
    )
