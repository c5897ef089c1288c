"""The Ministry of Tourism and Sports' monthly provincial tourism table (กระทรวงการท่องเที่ยวและกีฬา).

One row per province and month, as published in the ministry's provincial statistics (and as parsed, e.g., in the
public repository RThaweewat/tourism-domestic): ``date`` (first day of the month), ``province_code`` (DOPA, two
digits), ``province_th``/``province_en`` (names, not stored), visitors Thai/foreign/total (persons), guests staying
in accommodation (persons), the hotel occupancy rate (%, published without room-night counts), and receipts
Thai/foreign/total in **baht** (the registry's unit is million baht: divided by 1,000,000).

The total of visitors is not stored (the registry adds Thai and foreign) but must equal their sum; the total revenue
is stored as ``tourism_revenue`` and its parts as ``tourism_revenue_thai``/``_foreign`` (a part larger than the whole
is a problem).  Rows of provinces the store does not hold are skipped.
"""

from __future__ import annotations

from loaders.sources.spec import TableSpec, TotalColumn, ValueColumn

BAHT_TO_MILLION = 1e-6


def _province_code(text: str) -> str:
    """``"93"``, ``"93.0"`` (a number cell) or ``"TH93"`` → ``"93"``."""
    code = text.strip().upper().removeprefix("TH")
    if code.endswith(".0"):
        code = code[:-2]
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


SPEC = TableSpec(
    name="mots-tourism",
    source="ministry",
    title_th="สถิติการท่องเที่ยวรายจังหวัดรายเดือน กระทรวงการท่องเที่ยวและกีฬา",
    title_en="Ministry of Tourism and Sports, monthly provincial tourism statistics",
    period="month",
    period_headers=("date", "month", "period", "เดือน", "วันที่", "เดือนปี"),
    area_headers=("province_code", "prov_code", "รหัสจังหวัด", "code", "adm1_pcode"),
    area_level="province",
    values=(
        ValueColumn(("no_tourist_thai", "visitors_thai", "ผู้เยี่ยมเยือนชาวไทย"), "visitors_thai"),
        ValueColumn(("no_tourist_foreign", "visitors_foreign", "ผู้เยี่ยมเยือนชาวต่างชาติ"), "visitors_foreign"),
        ValueColumn(("no_tourist_stay", "guests_staying", "ผู้เข้าพัก"), "guests_staying"),
        ValueColumn(("ratio_tourist_stay", "occupancy_rate", "อัตราการเข้าพัก"), "occupancy_rate"),
        ValueColumn(("revenue_all", "tourism_revenue", "รายได้รวม"), "tourism_revenue", BAHT_TO_MILLION),
        ValueColumn(("revenue_thai", "tourism_revenue_thai", "รายได้ชาวไทย"), "tourism_revenue_thai", BAHT_TO_MILLION),
        ValueColumn(("revenue_foreign", "tourism_revenue_foreign", "รายได้ชาวต่างชาติ"), "tourism_revenue_foreign",
                    BAHT_TO_MILLION),
    ),
    totals=(TotalColumn(("no_tourist_all", "visitors_total", "ผู้เยี่ยมเยือนรวม"), ("visitors_thai", "visitors_foreign"),
                        "ผู้เยี่ยมเยือนรวม", "the total of visitors"),),
    ignored_headers=("province_th", "province_en", "province", "จังหวัด"),
    area_code=_province_code,
)
