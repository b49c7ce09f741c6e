"""What the Activities page says about its results: the count and the empty states."""

from __future__ import annotations

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.services.activity_queries import (
    BOUNDED_MATCHES,
    COUNTED_MATCHES,
    ActivityFilter,
    counted_every_match,
    listed,
    search_query,
)


def count_text(filters: ActivityFilter, n: int) -> str:
    """How many activities match, and how many of them a search lists when that is fewer
    (short: it shares a line with the page title and the New button)."""
    shown = listed(filters, n)
    if not counted_every_match(filters, n):  # a search stopped counting (common words)
        return tr("More than {n} activities, the newest {listed} listed").format(
            n=number(COUNTED_MATCHES), listed=number(shown)
        )
    count = tr_n("{n} activity", "{n} activities", n, shown=number(n))
    if shown < n:
        return tr("{count}, the newest {listed} listed").format(count=count, listed=number(shown))
    return count


def count_tip(filters: ActivityFilter) -> str:
    """Why a search may list fewer activities than match; empty without a search."""
    if not search_query(filters.search):
        return ""
    return tr(
        "A search lists the newest {n} matching activities at most, in the order you "
        "choose. Add a word or a filter to narrow it."
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
