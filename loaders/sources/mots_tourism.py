"""The Ministry of Tourism and Sports' monthly provincial tourism table (กระทรวงการท่องเที่ยวและกีฬา).

One row per province and month, as published in the ministry's provincial statistics (and as parsed, e.g., in the
public repository RThaweewat/tourism-domestic): ``date`` or ``travel_date`` (first day of the month),
``province_code`` (DOPA, two digits) or, without codes, the province's name in Thai or English (``province_th``,
``province_en``, ``province`` …: trimmed, any case, จังหวัด/จ. allowed, the ministry's romanisations such as
"Lopburi", "Chainat", "Phang Nga", "Sisaket" as well as the official ones), visitors Thai/foreign/total (persons),
guests staying in accommodation (persons), the hotel occupancy rate (%, published without room-night counts), and
receipts Thai/foreign/total in **baht** (the registry's unit is million baht: divided by 1,000,000).

The same figures are also republished long, one row per province, month and variable
(``date, province, variable, value``, variables named as the wide headers: ``no_tourist_all``,
``ratio_tourist_stay``, ``revenue_all`` …; region columns are ignored): they load as the same values.

The total of visitors is not stored (the registry adds Thai and foreign) but must equal their sum; the total revenue
is stored as ``tourism_revenue`` and its parts as ``tourism_revenue_thai``/``_foreign`` (a part larger than the whole
is a problem).  Rows of provinces the store does not hold are skipped.
"""

from __future__ import annotations

import re
from functools import cache

from loaders.area_names import normalise_name
from loaders.sources.spec import LongLayout, TableSpec, TotalColumn, ValueColumn

BAHT_TO_MILLION = 1e-6

# Spellings that geothai's Thai and English names (matched without spaces, hyphens and case: "Lop Buri" is
# "Lopburi", "Phang-nga" is "Phang Nga") do not cover: short forms, and the misspellings the ministry's own sheets
# carry (the republished parse corrects ประจวบศีรีขันธ์ and ศรีษะเกษ).
ALIASES = {
    "Ayutthaya": "14", "Krung Thep Maha Nakhon": "10", "Bangkok Metropolis": "10", "กรุงเทพ": "10",
    "กรุงเทพฯ": "10", "กทม.": "10", "ประจวบศีรีขันธ์": "77", "ศรีษะเกษ": "33", "Srisaket": "33", "Bungkan": "38",
}
_CODE = re.compile(r"(?:TH)?(\d{1,2})(?:\.0)?", re.IGNORECASE)


def _province_code(text: str) -> str:
    """``"93"``, ``"93.0"`` (a number cell) or ``"TH93"`` → ``"93"``."""
    code = text.strip().upper().removeprefix("TH")
    if code.endswith(".0"):
        code = code[:-2]
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


@cache
def _names() -> dict[str, str]:
    import geothai

    out = {normalise_name(n): p.code for p in geothai.provinces() for n in (p.name_th, p.name_en)}
    return out | {normalise_name(n): code for n, code in ALIASES.items()}


@cache
def province_by_name(text: str) -> str | None:
    """The DOPA code of a province named in Thai or English (or given by its code), or None."""
    if m := _CODE.fullmatch(text.strip()):
        return m.group(1).zfill(2)
    key = normalise_name(text)
    return _names().get(key) or _names().get(key.removesuffix("province"))


SPEC = TableSpec(
    name="mots-tourism",
    source="ministry",
    title_th="สถิติการท่องเที่ยวรายจังหวัดรายเดือน กระทรวงการท่องเที่ยวและกีฬา",
    title_en="Ministry of Tourism and Sports, monthly provincial tourism statistics",
    period="month",
    period_headers=("date", "travel_date", "month", "period", "เดือน", "วันที่", "เดือนปี"),
    area_headers=("province_code", "prov_code", "รหัสจังหวัด", "code", "adm1_pcode"),
    area_level="province",
    values=(
        ValueColumn(("no_tourist_thai", "visitors_thai", "ผู้เยี่ยมเยือนชาวไทย"), "visitors_thai"),
        ValueColumn(("no_tourist_foreign", "visitors_foreign", "ผู้เยี่ยมเยือนชาวต่างชาติ"), "visitors_foreign"),
        ValueColumn(("no_tourist_stay", "guests_staying", "ผู้เข้าพัก", "no_tourist_occupied"), "guests_staying"),
        ValueColumn(("ratio_tourist_stay", "occupancy_rate", "อัตราการเข้าพัก"), "occupancy_rate"),
        ValueColumn(("revenue_all", "tourism_revenue", "รายได้รวม"), "tourism_revenue", BAHT_TO_MILLION),
        ValueColumn(("revenue_thai", "tourism_revenue_thai", "รายได้ชาวไทย"), "tourism_revenue_thai", BAHT_TO_MILLION),
        ValueColumn(("revenue_foreign", "tourism_revenue_foreign", "รายได้ชาวต่างชาติ"), "tourism_revenue_foreign",
                    BAHT_TO_MILLION),
    ),
    totals=(TotalColumn(("no_tourist_all", "visitors_total", "ผู้เยี่ยมเยือนรวม"), ("visitors_thai", "visitors_foreign"),
                        "ผู้เยี่ยมเยือนรวม", "the total of visitors"),),
    ignored_headers=("region_thai", "region_eng", "region", "ภาค"),
    area_code=_province_code,
    area_name_headers=("province_th", "province_thai", "จังหวัด", "ชื่อจังหวัด", "province", "province_name",
                       "province_en", "province_eng"),
    area_by_name=province_by_name,
    area_name_th="ชื่อจังหวัด",
    area_name_en="province name",
    long=LongLayout(variable_headers=("variable", "ตัวแปร", "รายการ"), value_headers=("value", "ค่า", "จำนวน")),
)
