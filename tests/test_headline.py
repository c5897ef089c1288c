"""The overview's headline (issue 18) and the words of progress rows whose status and progress seem to disagree.

The headline's sentences are checked on hand-built :class:`Headline` values (every number typed in here); the status
notes on hand-made rows and on a small store whose series are worked out by hand in the comments.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from indicators.present import queries
from indicators.present.headline import DistrictScore, Headline, fed_short, fed_text, headline_lines, headline_text
from indicators.present.progress_text import status_why, years_note
from tests._store import put

S1 = "930101"  # a subdistrict of Mueang Phatthalung (9301)


def _district(code: str, label: str, score: float, complete: bool = True) -> DistrictScore:
    return DistrictScore(code=code, label=label, score=score, gap=80 - score, complete=complete, fed="")


# Index 69.04 in 2026 (2569 BE), 2032 the target year: gap 10.96, 6 years left, needed 10.96 / 6 = 1.83 a year;
# kept 4.08 a year over 2022–2026 (2565–2569): on track, reached around 2029 (2572).
HAND = Headline(
    area="93", label="Phatthalung", target=80.0, target_year=2032, year=2026, score=69.04, previous_year=2025,
    previous=66.66, gap=10.96, years_left=6, pace_needed=10.96 / 6, pace_observed=4.08, pace_first=2022,
    pace_last=2026, pace_n=5, status="on_track", projected_year=2029,
    districts=(_district("9301", "Mueang Phatthalung", 72.8), _district("9305", "Khuan Khanun", 63.1),
               _district("9310", "Pa Phayom", 60.5), _district("9307", "Si Banphot", 52.06)),
    behind=(_district("9307", "Si Banphot", 52.06), _district("9310", "Pa Phayom", 60.5),
            _district("9305", "Khuan Khanun", 63.1)),
    fed_low=49, fed_high=53, fed_estimated=16, fed_expected=65, report_year=2026, reported=55, councils=65,
)


def test_the_headline_says_the_index_the_gap_the_paces_the_laggards_and_the_councils_in_english():
    assert headline_lines(HAND, "en") == [
        "In 2569 Phatthalung's happiness index stood at 69.0 against the target of 80 by 2575: 11.0 points to go.",
        "That needs +1.8 points a year for the 6 years left; over 2565–2569 it moved +4.1 points a year: on track "
        "(at this pace the target is reached around 2572).",
        "Districts furthest behind: Si Banphot 52.1 (27.9 short), Pa Phayom 60.5 (19.5 short), "
        "Khuan Khanun 63.1 (16.9 short).",
        "2569: 55 of 65 community councils have reported so far.",
    ]


def test_the_headline_in_thai():
    h = dataclasses.replace(HAND, label="จ.พัทลุง", behind=(_district("9307", "อ.ศรีบรรพต", 52.06),))
    assert headline_lines(h, "th") == [
        "ปี 2569 ดัชนีความสุขของ จ.พัทลุง อยู่ที่ 69.0 จากเป้าหมาย 80 ในปี 2575 ยังขาดอีก 11.0 คะแนน",
        "ต้องเพิ่มปีละ 1.8 คะแนน ตลอด 6 ปีที่เหลือ ที่ผ่านมา (2565–2569) เพิ่มปีละ 4.1 คะแนน: ตามเป้า "
        "(ถ้ารักษาอัตรานี้ได้ จะถึงเป้าหมายราวปี 2572)",
        "อำเภอที่ห่างเป้าหมายมากที่สุด: อ.ศรีบรรพต 52.1 (ขาด 27.9)",
        "ปี 2569 สภาองค์กรชุมชนส่งข้อมูลแล้ว 55 จาก 65 ตำบล",
    ]
    assert headline_text(h, "th") == " ".join(headline_lines(h, "th"))


def test_numbers_and_names_can_be_marked_for_a_page():
    lines = headline_lines(HAND, "en", num=lambda x: f"<{x}>", name=lambda x: x.upper())
    assert lines[0].startswith("In <2569> PHATTHALUNG's happiness index stood at <69.0>")
    assert "SI BANPHOT <52.1> (<27.9> short)" in lines[2]


def test_a_newer_incomplete_year_is_said_not_counted_and_a_slow_pace_never_arrives():
    h = dataclasses.replace(HAND, report_year=2027, reported=20, pace_observed=-0.5, status="worsening",
                            projected_year=None)
    lines = headline_lines(h, "en")
    assert "it moved −0.5 points a year: worsening (at this pace it is never reached)." in lines[1]
    assert lines[-1] == ("2570: 20 of 65 community councils have reported so far. 2570 is not complete yet, so the "
                         "index does not count it.")


def test_a_reached_target_one_complete_year_and_no_index_at_all():
    reached = dataclasses.replace(HAND, score=81.2, gap=-1.2, behind=())
    assert headline_lines(reached, "en")[0] == ("In 2569 Phatthalung's happiness index stood at 81.2: the target of "
                                                "80 by 2575 is reached.")
    one = dataclasses.replace(HAND, pace_observed=None, pace_first=None, pace_last=None, pace_n=1)
    assert headline_lines(one, "en")[1] == ("That needs +1.8 points a year for the 6 years left (fewer than 2 "
                                            "complete years: no trend yet).")
    late = dataclasses.replace(HAND, years_left=0, pace_needed=None)
    assert headline_lines(late, "en")[1] == "The target year 2575 has passed."
    empty = Headline(area="93", label="Phatthalung", target=80.0, target_year=2032)
    assert headline_lines(empty, "en") == ["No year has complete enough figures for Phatthalung's index yet."]
    assert empty.delta is None and HAND.delta == pytest.approx(69.04 - 66.66)


def test_what_fed_the_index_in_words():
    assert fed_text(49, 53, 16, 65, "en") == ("its indicators come from 49–53 of 65 subdistricts that reported; the "
                                              "rest stand in with their latest figure (E)")
    assert fed_text(65, 65, 0, 65, "th") == "ตัวชี้วัดในดัชนีมาจากตำบลที่ส่งข้อมูล 65 จาก 65 ตำบล"
    assert fed_text(0, 0, 0, 0, "en") == ""
    assert fed_short(HAND, "en") == "49–53 of 65 subdistricts reported, the rest estimated (E)"


# ---------------------------------------------------------------------------------------------- status notes


def _row(**values) -> SimpleNamespace:
    base = dict(status="on_track", direction="higher", baseline_year=2025, baseline=130.0, latest_year=2026,
                latest=120.0, target=182.0, progress_pct=-19.23, observed_slope=17.0, slope_first=2022,
                slope_last=2026, slope_n=5, n_years=5, pending_year=None, estimated=False)
    return SimpleNamespace(**{**base, **values})


def test_a_status_that_agrees_with_its_progress_needs_no_note():
    assert status_why(_row(progress_pct=30.0, latest=145.6), "visits", "en") == ""
    assert status_why(_row(status="worsening", progress_pct=-5.0, observed_slope=-3.0), "visits", "en") == ""
    assert status_why(_row(status="insufficient_data"), "visits", "en") == ""


def test_negative_progress_on_track_says_the_trend_years():
    assert status_why(_row(), "visits", "en") == (
        "Progress is negative because the latest value (2569: 120) is worse than the baseline (2568: 130); the "
        "status follows the trend of the last 5 complete years (2565–2569), +17 visits a year, toward the target")
    assert status_why(_row(), "คน-ครั้ง", "th") == (
        "ความก้าวหน้าติดลบเพราะค่าล่าสุดปี 2569 (120) แย่กว่าค่าฐานปี 2568 (130) แต่สถานะดูจากแนวโน้ม 5 ปีล่าสุด"
        "ที่ข้อมูลครบ (2565–2569) ซึ่งเพิ่มปีละ 17 คน-ครั้ง เข้าหาเป้าหมาย")
    # lower is better: a rise is worse, and the trend falls toward the target
    low = _row(direction="lower", baseline=10.0, latest=11.0, target=0.0, progress_pct=-10.0, observed_slope=-2.0)
    assert "(2569: 11) is worse than the baseline (2568: 10)" in status_why(low, "%", "en")
    assert "−2 points a year, toward the target" in status_why(low, "%", "en")


def test_positive_progress_worsening_and_a_baseline_beyond_the_target():
    worse = _row(status="worsening", latest=110.0, baseline=100.0, target=200.0, progress_pct=10.0,
                 observed_slope=-26.0)
    assert status_why(worse, "visits", "en").endswith("(2565–2569), −26 visits a year, away from the target")
    # Khok Muang's hotel occupancy: baseline 75.5 beyond the target 75, latest 77.1: "achieved" beside −366 %
    beyond = _row(status="achieved", baseline=75.46, latest=77.14, target=75.0, progress_pct=-366.0)
    assert status_why(beyond, "%", "en") == (
        "The baseline (2568: 75.5) was already at or beyond the target (75), so the progress % does not apply; the "
        "status compares the latest value (2569: 77.1) with the target")
    assert years_note(_row(n_years=12), "en") == ("12 complete years used · pace from the last 5 complete years "
                                                  "(2565–2569)")


# A subdistrict store, worked by hand (CE years; BE = CE + 543). Every figure is the subdistrict's own, complete.
# Thai visitors 2022–2026: 60, 80, 100, 130, 120. Baseline 2025 = 130, latest 2026 = 120, target +40 % = 182.
#   progress = (120 − 130) / (182 − 130) = −19.2 %; slope over 2022–2026 (x = −2…2): (−120 − 80 + 0 + 130 + 240) / 10
#   = 17 a year; required = (182 − 120) / (2032 − 2026) = 10.33; ratio 1.65: on track.
# Foreign visitors 2022–2026: 200, 180, 150, 100, 110. Baseline 100, latest 110, target ×2 = 200: progress +10 %;
#   slope (−400 − 180 + 0 + 100 + 220) / 10 = −26 a year: worsening.
# Hotel occupancy: 1,000 room-nights a year, sold 700, 720, 760, 800, 820: 70 … 82 %. Baseline 80 already beyond the
#   target 75: achieved, progress (82 − 80) / (75 − 80) = −40 %.
SERIES = {"visitors_thai": [60, 80, 100, 130, 120], "visitors_foreign": [200, 180, 150, 100, 110],
          "room_nights_sold": [700, 720, 760, 800, 820], "room_nights_available": [1000] * 5}


def test_progress_rows_of_a_hand_built_store_say_why(tree_db):
    db = tree_db(S1)
    put(db, [(S1, m, 2022 + k, float(v)) for m, values in SERIES.items() for k, v in enumerate(values)])
    view = queries.progress_view(db, S1, "en")
    rows = {r["col.indicator"]: r for r in view.frame.to_dict("records")}
    thai, foreign, hotel = rows["Thai visitors"], rows["Foreign visitors"], rows["Hotel occupancy rate"]
    assert thai["col.status"] == "on_track" and thai["col.progress_pct"] == pytest.approx(-10 / 52 * 100)
    assert thai["col.observed_slope"] == pytest.approx(17.0)
    assert thai["col.status_why"].startswith("Progress is negative because the latest value (2569: 120) is worse "
                                             "than the baseline (2568: 130)")
    assert "(2565–2569), +17 visits" in thai["col.status_why"]
    assert foreign["col.status"] == "worsening" and foreign["col.progress_pct"] == pytest.approx(10.0)
    assert foreign["col.status_why"].endswith("(2565–2569), −26 visits a year, away from the target")
    assert hotel["col.status"] == "achieved" and hotel["col.progress_pct"] == pytest.approx(-40.0)
    assert hotel["col.status_why"].startswith("The baseline (2568: 80) was already at or beyond the target (75)")
    assert thai["col.years_note"] == "5 complete years used · pace from the last 5 complete years (2565–2569)"
    # the note sits beside the status, in the page's words and in the export's
    shown = view.shown()
    assert list(shown.columns[2:4]) == ["Status", "Why this status"]
    th = queries.progress_view(db, S1, "th").shown()
    assert th.loc[th["ตัวชี้วัด"] == "อัตราการเข้าพักโรงแรม", "เหตุผลของสถานะ"].iloc[0].startswith("ค่าฐานปี 2568 (80)")
