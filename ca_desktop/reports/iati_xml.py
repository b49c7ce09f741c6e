"""Building IATI elements: narratives, dates, and the people-reached results.

Every count of people is given in total and split by sex and age (15-24 or other ages)
with `dimension` elements, one `actual` per cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from lxml import etree

from ca_desktop.domain.records import PARTICIPANT_CELLS, participant_field
from ca_desktop.reports import iati_codes as codes

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def results(el: etree._Element, periods: Iterable[tuple[str, str, Mapping[str, int]]]) -> None:
    """People reached, women reached and youth reached, split by sex and age."""
    periods = list(periods)
    result = sub(el, "result", type=codes.RESULT_OUTPUT, **{"aggregation-status": "1"})
    narrative(sub(result, "title"), "People reached")
    indicators = (
        ("People reached", lambda sex, youth: True),
        ("Women reached", lambda sex, youth: sex.value == "female"),
        ("Youth reached (15-24)", lambda sex, youth: youth),
    )
    for title, keep in indicators:
        ind = sub(result, "indicator", measure=codes.MEASURE_UNIT, ascending="1")
        narrative(sub(ind, "title"), title)
        for start, end, cells in periods:
            period = sub(ind, "period")
            sub(period, "period-start", **{"iso-date": start})
            sub(period, "period-end", **{"iso-date": max(start, end)})
            chosen = [(s, y) for s, y in PARTICIPANT_CELLS if keep(s, y)]
            total = sum(cells.get(participant_field(s, y), 0) for s, y in chosen)
            sub(period, "actual", value=str(total))
            for sex, youth in chosen:
                value = cells.get(participant_field(sex, youth), 0)
                actual = sub(period, "actual", value=str(value))
                sub(actual, "dimension", name="sex", value=codes.SEX_DIMENSION[sex.value])
                sub(actual, "dimension", name="age", value=codes.AGE_DIMENSION[youth])


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


def narrative(parent: etree._Element, text: str) -> None:
    sub(parent, "narrative", text=text)


def activity_date(el: etree._Element, type_: str, iso: str) -> None:
    sub(el, "activity-date", type=type_, **{"iso-date": iso})


def clean(text: str) -> str:
    """Characters XML cannot hold (control characters typed or pasted) are dropped."""
    return _NOT_XML.sub("", str(text))
