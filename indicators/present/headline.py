"""The overview's headline (issue 18): where the province stands against its index target, the pace it needs and has
kept, which districts lag, and how many councils have reported, as typed numbers and as plain sentences.

:func:`indicators.present.queries.overview_headline` fills :class:`Headline` from the engine's tables; the sentences
are made here from the numbers and the words of :mod:`indicators.words` (``headline.*``), never written by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indicators.present.i18n import fmt_num, fmt_year, status_word
from indicators.words import t

SCORE_DIGITS = 1  # the index is shown with one decimal everywhere on the overview
N_BEHIND = 3  # districts named as furthest behind


@dataclass(frozen=True)
class DistrictScore:
    """One district's index in the headline's year: ``gap`` = target − score (≤ 0 once the target is reached);
    ``fed`` says in words how many subdistricts fed its indicators; ``complete`` False: shown, never ranked."""

    code: str
    label: str
    score: float
    gap: float
    complete: bool
    fed: str


@dataclass(frozen=True)
class Headline:
    """The overview's numbers for one area (the province). Years are CE; ``None`` where there is nothing to say.

    ``year``/``score``: the index in the latest *complete* year (a late council never reads as a decline);
    ``previous_year``/``previous``: the complete year before it. ``gap`` = target − score; ``pace_needed`` = gap /
    (target_year − year), points a year; ``pace_observed``: the least-squares slope of the index over
    ``pace_first``–``pace_last`` (the last ``pace_n`` complete years, the engine's window), and ``status`` and
    ``projected_year`` by the engine's rule for indicators. ``districts``: every district's index that year, highest
    first; ``behind``: the :data:`N_BEHIND` complete ones furthest behind, furthest first. ``fed_*``: how many
    subdistricts fed the index's indicators that year (reported, and carried forward as estimates), of
    ``fed_expected``. ``report_year``: the latest year with any council figure; ``reported`` of ``councils``
    subdistricts have sent something for it.
    """

    area: str
    label: str
    target: float
    target_year: int
    year: int | None = None
    score: float | None = None
    previous_year: int | None = None
    previous: float | None = None
    gap: float | None = None
    years_left: int | None = None
    pace_needed: float | None = None
    pace_observed: float | None = None
    pace_first: int | None = None
    pace_last: int | None = None
    pace_n: int = 0
    status: str | None = None
    projected_year: int | None = None
    districts: tuple[DistrictScore, ...] = ()
    behind: tuple[DistrictScore, ...] = ()
    fed_low: int = 0
    fed_high: int = 0
    fed_estimated: int = 0
    fed_expected: int = 0
    report_year: int | None = None
    reported: int = 0
    councils: int = 0

    @property
    def delta(self) -> float | None:
        """The change of the index since the previous complete year."""
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous


def score_text(x: float | None, lang: str = "th") -> str:
    return fmt_num(x, SCORE_DIGITS, lang)


def pace_words(x: float, lang: str, num: Callable[[str], str] = str) -> str:
    """"เพิ่มปีละ 1.8 คะแนน" / "+1.8 points a year" (one decimal, the index's unit; ``num`` wraps the number)."""
    unit = t("headline.points", lang)
    if abs(x) < 0.05:
        return t("pace.flat", lang)
    return t("pace.rise" if x > 0 else "pace.fall", lang, x=num(fmt_num(abs(x), 1, lang)), unit=unit)


def fed_text(low: int, high: int, estimated: int, expected: int, lang: str) -> str:
    """How many subdistricts fed an index: "its indicators come from 49–53 of 65 subdistricts that reported; the
    rest stand in with their latest figure (E)"; "" when nothing is known (a figure for the area itself)."""
    if expected <= 0 or high <= 0:
        return ""
    n = str(low) if low == high else f"{low}–{high}"
    text = t("coverage.index_fed", lang, n=n, expected=expected)
    if estimated:
        text += (" " if lang == "th" else "; ") + t("coverage.index_estimated", lang)
    return text


def fed_short(h: Headline, lang: str) -> str:
    """"49–53 of 65 subdistricts reported" for the headline's index (the card under "latest complete year")."""
    if h.fed_expected <= 0 or h.fed_high <= 0:
        return ""
    n = str(h.fed_low) if h.fed_low == h.fed_high else f"{h.fed_low}–{h.fed_high}"
    key = "overview.fed_short_estimated" if h.fed_estimated else "overview.fed_short"
    return t(key, lang, n=n, expected=h.fed_expected)


def headline_lines(h: Headline, lang: str, num: Callable[[str], str] = str, name: Callable[[str], str] = str
                   ) -> list[str]:
    """The headline as a few plain sentences in ``lang``: the index against the target, the pace needed beside the
    pace kept, the districts furthest behind, the councils that have reported.

    ``num`` wraps every number and ``name`` every name put into the words (a page passes Markdown bold and escaping);
    by default the text is plain.
    """
    area = name(h.label)
    if h.year is None or h.score is None:
        return [t("headline.none", lang, area=area)]
    common = {"year": num(fmt_year(h.year, lang)), "area": area, "score": num(score_text(h.score, lang)),
              "target": num(fmt_num(h.target, None, lang)), "target_year": num(fmt_year(h.target_year, lang))}
    lines = []
    if h.gap is not None and h.gap <= 0:
        lines.append(t("headline.reached", lang, **common))
    else:
        lines.append(t("headline.index", lang, **common, gap=num(score_text(h.gap, lang))))
        if h.years_left is None or h.years_left <= 0 or h.pace_needed is None:
            lines.append(t("headline.late", lang, target_year=common["target_year"]))
        elif h.pace_observed is None or h.pace_first is None:
            lines.append(t("headline.pace_unknown", lang, needed=pace_words(h.pace_needed, lang, num),
                           years_left=num(str(h.years_left))))
        else:
            verdict = num(status_word(h.status, lang))
            when = (t("headline.projected", lang, year=num(fmt_year(h.projected_year, lang)))
                    if h.projected_year is not None else t("headline.never", lang))
            lines.append(t("headline.pace", lang, needed=pace_words(h.pace_needed, lang, num),
                           years_left=num(str(h.years_left)), first=num(fmt_year(h.pace_first, lang)),
                           last=num(fmt_year(h.pace_last, lang)), observed=pace_words(h.pace_observed, lang, num),
                           status=f"{verdict} ({when})"))
    if h.behind:
        sep = ", " if lang == "en" else " "
        lines.append(t("headline.behind", lang, districts=sep.join(
            t("headline.district", lang, name=name(d.label), score=num(score_text(d.score, lang)),
              gap=num(score_text(max(d.gap, 0.0), lang))) for d in h.behind)))
    if h.report_year is not None:
        councils = t("headline.councils", lang, year=num(fmt_year(h.report_year, lang)), n=num(str(h.reported)),
                     total=num(str(h.councils)))
        if h.report_year > h.year:
            councils += " " + t("headline.not_counted", lang, year=num(fmt_year(h.report_year, lang)))
        lines.append(councils)
    return lines


def headline_text(h: Headline, lang: str) -> str:
    """The headline as one plain paragraph (exports, tests, a screen reader's summary)."""
    return " ".join(headline_lines(h, lang))
