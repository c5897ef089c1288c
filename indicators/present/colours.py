"""The one colour scheme and font of every chart, table and report (colour-blind safe: Okabe–Ito).

Every status colour is shown together with the status word; ``STATUS_TEXT`` is the ink written on each colour.
"""

from __future__ import annotations

from indicators.registry import STATUSES

FONT = "Noto Sans Thai, Noto Sans, sans-serif"
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#0072B2",  # blue
    "on_track": "#009E73",  # bluish green
    "moderately_improving": "#F0E442",  # yellow
    "stagnating": "#E69F00",  # orange
    "worsening": "#D55E00",  # vermillion
    "insufficient_data": "#BBBBBB",  # grey
    "no_data": "#EEEEEE",  # lighter grey: no row at all
}
STATUS_TEXT: dict[str, str] = {
    "achieved": "#FFFFFF", "on_track": "#FFFFFF", "moderately_improving": "#000000", "stagnating": "#000000",
    "worsening": "#FFFFFF", "insufficient_data": "#000000", "no_data": "#555555",
}
ALL_STATUSES: tuple[str, ...] = (*STATUSES, "no_data")
DOMAIN_COLOURS = {"poverty": "#882255", "tourism": "#44AA99", "resources": "#117733", "well-being": "#AA4499",
                  "hmi": "#000000"}
INK = "#222222"  # text, observed series, target star
PATH = "#777777"  # the straight path from the baseline to the target
TREND = "#0072B2"  # the observed trend and its 80 % band
BAND = "rgba(0, 114, 178, 0.15)"


def status_colour(status: str | None) -> str:
    """The colour of a status; a missing or unknown one is "no data"."""
    return STATUS_COLOURS.get(status or "no_data", STATUS_COLOURS["no_data"])


def status_text_colour(status: str | None) -> str:
    """The ink that keeps contrast on :func:`status_colour`."""
    return STATUS_TEXT.get(status or "no_data", STATUS_TEXT["no_data"])
