"""The one text table: every word the dashboard, the report, the exports and the loaders' messages show, in Thai
and English.

Indicator and measure names, units and definitions live in the registry (``Text`` with ``th``/``en``); everything
else comes from :data:`TEXT`, looked up with :func:`t`.  Keys are grouped by prefix: ``problem.<code>`` are the
messages of a file's problems (``loaders.problems``), ``column.<name>`` the headers of exported tables, ``report.``
the district report's own words, ``status.`` the one status vocabulary.  Thai is the default language.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("th", "en")
DEFAULT_LANG = "th"

# key: (Thai, English).  Placeholders in braces are filled by ``t(key, lang, **values)``.
TEXT: dict[str, tuple[str, str]] = {
    # app frame
    "app.title": ("พัทลุงมหานครแห่งความสุข", "Phatthalung, Metropolis of Happiness"),
    "app.subtitle": (
        "ติดตามความก้าวหน้าของทุกอำเภอและตำบลสู่เป้าหมายปี 2575",
        "Every district's and subdistrict's progress toward the 2575 goal",
    ),
    "app.language": ("ภาษา / Language", "ภาษา / Language"),
    "app.demo_banner": (
        "ข้อมูลสาธิต: ตัวเลขทั้งหมดสร้างขึ้นเพื่อทดลองใช้ ไม่ใช่ข้อมูลจริงของจังหวัด",
        "Demo data: every figure here is made up for trying the dashboard out, not the province's real data",
    ),
    "app.footer": (
        "ชื่อและรหัสพื้นที่: {credit} · ปีแสดงเป็นพุทธศักราช (พ.ศ.)",
        "Area names and codes: {credit} · years shown in the Buddhist Era (BE)",
    ),
    "app.no_db": (
        "ยังไม่มีฐานข้อมูล: สร้างข้อมูลสาธิตด้วยคำสั่ง `python -m loaders demo`",
        "No database yet: build the demo with `python -m loaders demo`",
    ),
    "app.busy": ("ฐานข้อมูลกำลังถูกใช้งาน โปรดลองอีกครั้ง", "The database is busy, try again"),
    # faults of the store and the settings (issue 19): said plainly, never a traceback or a server path
    "app.store_full": (
        "พื้นที่ดิสก์ของเซิร์ฟเวอร์เต็ม จึงไม่ได้บันทึกสิ่งใด โปรดแจ้งผู้ดูแลระบบ",
        "The server's disk is full, so nothing was saved: please tell the administrator",
    ),
    "app.store_read_only": (
        "ขณะนี้ฐานข้อมูลเปิดแบบอ่านอย่างเดียว ดูข้อมูลได้ แต่บันทึกไม่ได้ โปรดแจ้งผู้ดูแลระบบ",
        "The database is read-only just now: you can look, but nothing can be saved; please tell the administrator",
    ),
    "app.store_old": (
        "ฐานข้อมูลสร้างด้วยซอฟต์แวร์รุ่นเก่ากว่า ผู้ดูแลระบบต้องปรับรุ่นก่อนด้วยคำสั่ง python -m loaders migrate",
        "The database was written by an older version: the administrator upgrades it with python -m loaders migrate",
    ),
    "app.store_new": (
        "ฐานข้อมูลสร้างด้วยซอฟต์แวร์รุ่นใหม่กว่า โปรดแจ้งผู้ดูแลระบบให้ปรับรุ่นซอฟต์แวร์",
        "The database was written by a newer version of the software: please tell the administrator to upgrade it",
    ),
    "app.store_error": (
        "เปิดฐานข้อมูลไม่ได้ โปรดลองอีกครั้งหรือแจ้งผู้ดูแลระบบ",
        "The database cannot be opened: try again, or tell the administrator",
    ),
    "app.config_error": (
        "การตั้งค่าของเซิร์ฟเวอร์ไม่ถูกต้อง ({setting}) โปรดแจ้งผู้ดูแลระบบ",
        "A server setting is wrong ({setting}): please tell the administrator",
    ),
    "app.no_data": ("ยังไม่มีข้อมูลตัวชี้วัด", "No indicator data yet"),
    # navigation
    "nav.overview": ("ภาพรวม", "Overview"),
    "nav.area": ("อำเภอและตำบล", "Districts and subdistricts"),
    "nav.compare": ("เปรียบเทียบ", "Compare"),
    "nav.map": ("แผนที่", "Map"),
    "nav.methods": ("วิธีการ", "Methods"),
    "nav.reporting": ("สถานะการรายงาน", "Reporting status"),
    # levels, domains
    "level.province": ("จังหวัด", "Province"),
    "level.district": ("อำเภอ", "District"),
    "level.subdistrict": ("ตำบล", "Subdistrict"),
    "level.districts": ("อำเภอ", "Districts"),
    "level.subdistricts": ("ตำบล", "Subdistricts"),
    "prefix.district": ("อ.", ""),
    "prefix.subdistrict": ("ต.", ""),
    "prefix.province": ("จ.", ""),
    "domain.poverty": ("ความยากจน", "Poverty"),
    "domain.tourism": ("การท่องเที่ยว", "Tourism"),
    "domain.resources": ("ทรัพยากรธรรมชาติ", "Resources"),
    "domain.well-being": ("คุณภาพชีวิต", "Well-being"),
    "domain.hmi": ("ดัชนีมหานครแห่งความสุข", "Happiness Metropolis Index"),
    "hmi.short": ("ดัชนีความสุข (HMI)", "HMI"),
    "direction.higher": ("ยิ่งสูงยิ่งดี", "higher is better"),
    "direction.lower": ("ยิ่งต่ำยิ่งดี", "lower is better"),
    # statuses: full words and the short ones written inside heat-map cells
    "status.achieved": ("บรรลุเป้าหมาย", "achieved"),
    "status.on_track": ("ตามเป้า", "on track"),
    "status.moderately_improving": ("ดีขึ้นปานกลาง", "moderately improving"),
    "status.stagnating": ("ทรงตัว", "stagnating"),
    "status.worsening": ("แย่ลง", "worsening"),
    "status.insufficient_data": ("ข้อมูลไม่พอ", "insufficient data"),
    "status.no_data": ("ไม่มีข้อมูล", "no data"),
    "status_short.achieved": ("บรรลุ", "achieved"),
    "status_short.on_track": ("ตามเป้า", "on track"),
    "status_short.moderately_improving": ("ดีขึ้น", "improving"),
    "status_short.stagnating": ("ทรงตัว", "stagnant"),
    "status_short.worsening": ("แย่ลง", "worse"),
    "status_short.insufficient_data": ("ไม่พอ", "too few"),
    "status_short.no_data": ("–", "–"),
    "status.help": (
        "บรรลุ: ถึงเป้าแล้ว · ตามเป้า: อัตราที่เป็นอยู่ ≥ 95% ของอัตราที่ต้องการ · ดีขึ้นปานกลาง: 50–95% · "
        "ทรงตัว: 0–50% · แย่ลง: ห่างจากเป้ามากขึ้น · ข้อมูลไม่พอ: น้อยกว่า 2 ปี",
        "achieved: at or beyond target · on track: observed pace ≥ 95% of the required pace · moderately "
        "improving: 50–95% · stagnating: 0–50% · worsening: moving away · insufficient data: fewer than 2 years",
    ),
    # common words
    "word.year": ("ปี พ.ศ.", "Year (BE)"),
    "word.value": ("ค่า", "Value"),
    "word.status": ("สถานะ", "Status"),
    "word.indicator": ("ตัวชี้วัด", "Indicator"),
    "word.indicators": ("ตัวชี้วัด", "indicators"),
    "word.area": ("พื้นที่", "Area"),
    "word.domain": ("ด้าน", "Domain"),
    "word.unit": ("หน่วย", "Unit"),
    "word.score": ("คะแนน (0–100)", "Score (0–100)"),
    "word.target": ("เป้าหมาย", "Target"),
    "word.baseline": ("ฐาน", "Baseline"),
    "word.latest": ("ล่าสุด", "Latest"),
    "word.rank": ("อันดับ", "Rank"),
    "word.none": ("–", "–"),
    "word.never": ("ไม่ถึงในอัตรานี้", "not at this pace"),
    "projection.interval": ("{year} ({low}–{high})", "{year} ({low}–{high})"),
    "projection.cannot_tell": ("ยังบอกไม่ได้ (เร็วสุด {low})", "cannot tell yet (at the earliest {low})"),
    "projection.too_few": ("{year} (ข้อมูลน้อยเกินกว่าจะบอกช่วงได้)", "{year} (too few years to tell a range)"),
    "projection.too_few_never": ("ข้อมูลน้อยเกินกว่าจะบอกได้", "too few years to tell"),
    "confidence.firm": ("แน่นอน", "firm"),
    "confidence.uncertain": ("ไม่แน่นอน: {statuses}", "uncertain: {statuses}"),
    "confidence.none": ("ข้อมูลน้อยเกินกว่าจะบอกได้", "too few years to tell"),
    "confidence.or": (" หรือ ", " or "),
    "confidence.legend": ("? กรอบจุด: ไม่แน่นอน (ช่วง 80% ครอบคลุมมากกว่าหนึ่งสถานะ)",
                          "? dotted frame: uncertain (the 80 % range spans more than one status)"),
    "pace.rise": ("เพิ่มปีละ {x} {unit}", "+{x} {unit} a year"),
    "pace.fall": ("ลดปีละ {x} {unit}", "−{x} {unit} a year"),
    "pace.flat": ("คงที่", "flat"),
    "pace.text": ("ต้อง{needed} ที่ผ่านมา{observed}", "needs {needed}; has been {observed}"),
    "pace.done": ("ถึงเป้าหมายแล้ว", "target reached"),
    "pace.late": ("เลยปีเป้าหมายแล้ว ที่ผ่านมา{observed}", "target year passed; has been {observed}"),
    "pace.points": ("จุด", "points"),
    "col.confidence": ("ความแน่นอนของสถานะ", "How sure"),
    "col.slope_se": ("ความคลาดเคลื่อนมาตรฐานของแนวโน้ม", "Slope standard error"),
    "col.pace": ("สิ่งที่ต้องทำ", "What it would take"),
    "area.shortfall": ("ตัวชี้วัดที่ยังห่างจากอัตราที่ต้องการมากที่สุด", "Where the pace falls furthest short"),
    "area.shortfall_help": (
        "เทียบอัตราที่ต้องการกับอัตราที่ผ่านมา ปรับเป็นคะแนนดัชนี (0–100) ต่อปีเพื่อให้เทียบข้ามหน่วยได้",
        "The pace needed against the pace observed, in index points (0–100) a year so that units compare"),
    "area.shortfall_row": ("{indicator}: {pace} (ห่าง {gap} คะแนนต่อปี)",
                           "{indicator}: {pace} (short by {gap} index points a year)"),
    "word.band": ("ช่วง 80% ของแนวโน้ม", "80 % range of the trend"),
    "word.count": ("จำนวน", "Count"),
    "word.level": ("ระดับ", "Level"),
    "word.district": ("อำเภอ", "District"),
    "word.measure": ("ข้อมูลที่รายงาน", "Measure"),
    "word.measures": ("รายการ", "measures"),
    "word.model": ("ตำบลต้นแบบ", "model subdistrict"),
    "word.path": ("เส้นทางสู่เป้าหมาย", "path to target"),
    "word.observed": ("ค่าที่วัดได้", "observed"),
    "word.trend": ("แนวโน้ม", "trend"),
    "word.all_districts": ("ทุกอำเภอ", "all districts"),
    "word.province_whole": ("ทั้งจังหวัด", "whole province"),
    "word.flag": ("เครื่องหมาย", "Flag"),
    "word.note": ("หมายเหตุ", "Note"),
    "word.reported": ("ส่งแล้ว", "sent"),
    "coverage.own": ("ข้อมูลของพื้นที่นี้เอง", "figure for the area itself"),
    "coverage.of": ("{n} จาก {expected} ตำบล", "{n} of {expected} subdistricts"),
    "coverage.of_estimated": ("{n} จาก {expected} ตำบลส่งข้อมูล ประมาณการ {est} ตำบล (E)",
                              "{n} of {expected} subdistricts reported, {est} estimated (E)"),
    "coverage.incomplete": ("ยังไม่ครบ ไม่นำมาคำนวณ", "incomplete: not used"),
    "coverage.legend_incomplete": ("ข้อมูลยังไม่ครบ (จุดกลวง ไม่นำมาคำนวณ)", "incomplete (hollow, not used)"),
    "coverage.years_used": ("ใช้ {n} ปีที่ข้อมูลครบ", "{n} complete years used"),
    "coverage.pending": ("ปี {year}: {coverage} ยังไม่ครบ จึงไม่นำมาคำนวณ",
                         "{year}: {coverage}, incomplete, so not used"),
    "coverage.estimated_note": ("มีค่าประมาณการ (E): ตำบลที่ยังไม่ส่งใช้ค่าล่าสุดของตนเอง",
                                "includes estimates (E): a late council's latest figure stands in"),
    "col.coverage": ("ความครอบคลุม", "Coverage"),
    "col.years_note": ("ปีที่ใช้และไม่ใช้", "Years used and not used"),
    "overview.latest_complete": ("ปีล่าสุดที่ข้อมูลครบ", "Latest complete year"),
    "overview.councils_reported": ("สภาองค์กรชุมชนที่ส่งข้อมูลปี {year} แล้ว {n} จาก {total} ตำบล",
                                   "Councils that have reported {year}: {n} of {total} subdistricts"),
    "word.missing": ("ยังไม่ส่ง", "not sent"),
    "word.sources": ("แหล่งข้อมูล", "Sources"),
    "flag.E": ("ประมาณการ", "estimated"),
    "flag.P": ("เบื้องต้น", "provisional"),
    # progress-row columns
    "col.indicator": ("ตัวชี้วัด", "Indicator"),
    "col.domain": ("ด้าน", "Domain"),
    "col.status": ("สถานะ", "Status"),
    "col.baseline": ("ค่าฐาน", "Baseline"),
    "col.baseline_year": ("ปีฐาน", "Baseline year"),
    "col.latest": ("ค่าล่าสุด", "Latest"),
    "col.latest_year": ("ปีล่าสุด", "Latest year"),
    "col.status_before": ("สถานะเดิม", "Status before"),
    "col.status_after": ("สถานะใหม่", "Status now"),
    "col.latest_before": ("ค่าล่าสุดเดิม", "Latest before"),
    "col.latest_after": ("ค่าล่าสุดใหม่", "Latest now"),
    "col.latest_year_before": ("ปีของค่าเดิม", "Year before"),
    "col.latest_year_after": ("ปีของค่าใหม่", "Year now"),
    "col.target": ("เป้าหมาย", "Target"),
    "col.target_year": ("ปีเป้าหมาย", "Target year"),
    "col.progress_pct": ("ความก้าวหน้า (%)", "Progress (%)"),
    "col.observed_slope": ("อัตราที่เป็นอยู่ต่อปี", "Observed slope per year"),
    "col.required_slope": ("อัตราที่ต้องการต่อปี", "Required slope per year"),
    "col.ratio": ("อัตราส่วน (ที่เป็นอยู่/ที่ต้องการ)", "Ratio (observed/required)"),
    "col.projected_year": ("ปีที่คาดว่าจะถึงเป้า", "Projected year"),
    "col.n_years": ("จำนวนปีที่มีข้อมูล", "Years of data"),
    "col.unit": ("หน่วย", "Unit"),
    "col.direction": ("ทิศทาง", "Direction"),
    "col.area": ("พื้นที่", "Area"),
    "col.value": ("ค่า", "Value"),
    "col.rank": ("อันดับ", "Rank"),
    "col.year": ("ปี พ.ศ.", "Year (BE)"),
    "col.measure": ("ข้อมูลที่รายงาน", "Measure"),
    "col.flag": ("เครื่องหมาย", "Flag"),
    "col.note": ("หมายเหตุ", "Note"),
    "col.best": ("ดีที่สุด", "Best"),
    "col.worst": ("แย่ที่สุด", "Worst"),
    "col.best_value": ("ค่าที่ดีที่สุด", "Best value"),
    "col.worst_value": ("ค่าที่แย่ที่สุด", "Worst value"),
    "col.gap": ("ช่องว่าง", "Gap"),
    "col.province_value": ("ค่าทั้งจังหวัด", "Province value"),
    "col.rank_arithmetic": ("อันดับ (ค่าเฉลี่ยเลขคณิต)", "Rank (arithmetic)"),
    "col.rank_geometric": ("อันดับ (ค่าเฉลี่ยเรขาคณิต)", "Rank (geometric)"),
    "col.score_arithmetic": ("คะแนน (เลขคณิต)", "Score (arithmetic)"),
    "col.score_geometric": ("คะแนน (เรขาคณิต)", "Score (geometric)"),
    "col.rank_change": ("อันดับเปลี่ยน", "Rank change"),
    "col.formula": ("สูตร", "Formula"),
    "col.definition": ("คำนิยาม", "Definition"),
    "col.bounds": ("ขอบเขตการปรับคะแนน", "Normalisation bounds"),
    "col.bounds_why": ("เหตุผลของขอบเขต", "Why these bounds"),
    "col.in_index": ("อยู่ในดัชนี", "In the index"),
    "col.source": ("แหล่งข้อมูล", "Source"),
    "col.measures": ("ข้อมูลที่ใช้", "Measures used"),
    "col.valid_range": ("ช่วงค่าที่ยอมรับ", "Valid range"),
    "col.aggregation": ("การรวมระดับพื้นที่", "Aggregation"),
    "col.id": ("รหัส", "Id"),
    "col.name": ("ชื่อ", "Name"),
    "col.sent": ("ส่งแล้ว", "Sent"),
    "col.expected": ("ที่ควรส่ง", "Expected"),
    "col.share": ("ร้อยละที่ส่ง", "% sent"),
    "col.missing_measures": ("ยังไม่ส่ง", "Not sent"),
    "col.old_value": ("ค่าเดิม", "Old value"),
    "col.new_value": ("ค่าใหม่", "New value"),
    "col.n_available": ("ตัวชี้วัดที่มีข้อมูล", "Indicators with data"),
    "yes": ("ใช่", "yes"),
    "no": ("ไม่", "no"),
    "agg.sum": ("ผลรวมของตำบล", "sum over subdistricts"),
    "agg.weighted_mean": ("ค่าเฉลี่ยถ่วงน้ำหนักด้วย {weight}", "mean weighted by {weight}"),
    "methods.prefers": ("ใช้ตัวเลขของ{source}ก่อนเมื่อมีครบทั้งปี", "{source} figures preferred where they cover whole years"),
    "agg.none": ("ไม่รวมข้ามพื้นที่ (อัตราที่เผยแพร่)", "not combined over areas (a published rate)"),
    "agg.monthly.sum": ("รายปี = ผลรวมรายเดือน", "year = sum of months"),
    "agg.monthly.mean": ("รายปี = ค่าเฉลี่ยรายเดือน (ไม่ถ่วงน้ำหนัก)", "year = plain mean of months"),
    "agg.monthly.weighted_mean": ("รายปี = ค่าเฉลี่ยรายเดือนถ่วงน้ำหนักด้วย {weight}",
                                  "year = mean of months weighted by {weight}"),
    # overview
    "overview.title": ("ภาพรวมจังหวัดพัทลุง", "Phatthalung at a glance"),
    "overview.hmi": ("ดัชนีความสุข (HMI) ปี {year}", "Happiness index (HMI), {year}"),
    "overview.hmi_help": (
        "0–100: ค่าเฉลี่ยของ 4 ด้าน แต่ละด้านเฉลี่ยจากตัวชี้วัดที่ปรับเป็นคะแนน 0–100 ตามขอบเขต เป้าหมาย 80 ในปี 2575",
        "0–100: the mean of 4 domains, each the mean of its indicators scaled to 0–100 between their bounds; "
        "target 80 by 2575",
    ),
    "overview.latest_year": ("ปีข้อมูลล่าสุด", "Latest data year"),
    "overview.coverage": ("ข้อมูลที่ส่งแล้ว ปี {year}", "Data sent, {year}"),
    "overview.coverage_help": (
        "ร้อยละของรายการที่ตำบลส่งแล้ว จากที่ควรส่งทั้งหมด (ตำบล × รายการข้อมูล)",
        "Share of expected figures (subdistricts × measures) that were sent",
    ),
    "overview.on_track": ("ตัวชี้วัดที่บรรลุหรือตามเป้า", "Indicators achieved or on track"),
    "overview.trend": ("ดัชนีและ 4 ด้าน รายปี (ทั้งจังหวัด)", "The index and its 4 domains by year (province)"),
    "overview.counts": ("จำนวนตัวชี้วัดตามสถานะ (ทั้งจังหวัด)", "Indicators by status (province)"),
    "overview.heatmap": ("สถานะรายอำเภอ", "Status by district"),
    "overview.heatmap_help": (
        "แต่ละช่องคือสถานะของตัวชี้วัดหนึ่งในอำเภอหนึ่ง มีคำกำกับในช่องสำหรับผู้ที่แยกสีได้ยาก "
        "คอลัมน์ขวาสุดที่มีกรอบ (★) คือตำบลต้นแบบ",
        "Each cell is one indicator's status in one district, with the word written in for colour-blind readers; "
        "the framed column on the right (★) is the model subdistrict",
    ),
    "overview.model": ("ตำบลต้นแบบ: {name}", "Model subdistrict: {name}"),
    "overview.model_text": (
        "ดัชนี {score} ในปี {year} · บรรลุหรือตามเป้า {good} จาก {total} ตัวชี้วัด",
        "Index {score} in {year} · {good} of {total} indicators achieved or on track",
    ),
    "overview.model_link": ("ดูรายละเอียดตำบลต้นแบบ", "Open the model subdistrict"),
    "overview.changes": ("มีอะไรเปลี่ยนตั้งแต่การนำเข้าครั้งล่าสุด", "What changed since the last upload"),
    "overview.last_batch": (
        "นำเข้าครั้งล่าสุด: {file} โดย {who} เมื่อ {when} · อ่าน {read} แถว บันทึก {loaded} แถว เปลี่ยน {changed} ค่า",
        "Last upload: {file} by {who} on {when} · {read} rows read, {loaded} loaded, {changed} values changed",
    ),
    "overview.no_batch": ("ยังไม่มีการนำเข้าข้อมูล", "Nothing uploaded yet"),
    "overview.batch_scope": (
        "ครอบคลุม {areas} ตำบล {measures} รายการ ปี {years}",
        "Covers {areas} subdistricts, {measures} measures, years {years}",
    ),
    "overview.replaced": ("ค่าที่ถูกแทนที่", "Values replaced"),
    "overview.no_replaced": ("การนำเข้าครั้งนี้ไม่ได้แทนที่ค่าเดิม (เป็นข้อมูลใหม่ทั้งหมด)",
                             "This upload replaced no earlier value (all new figures)"),
    "overview.status_moved": ("สถานะที่เปลี่ยนไป", "Statuses that moved"),
    "overview.no_status_moved": ("การนำเข้าครั้งนี้ไม่ได้เปลี่ยนสถานะของตัวชี้วัดใด", "This upload moved no indicator's status"),
    "overview.new_series": ("มีข้อมูลเป็นครั้งแรก {n} รายการ (พื้นที่ × ตัวชี้วัด)",
                            "{n} area × indicator series have figures for the first time"),
    "overview.map": ("ดัชนีรายอำเภอ ปี {year}", "Index by district, {year}"),
    # the overview's headline (issue 18): one plain sentence per point, generated from the numbers
    "headline.index": (
        "ปี {year} ดัชนีความสุขของ {area} อยู่ที่ {score} จากเป้าหมาย {target} ในปี {target_year} ยังขาดอีก {gap} คะแนน",
        "In {year} {area}'s happiness index stood at {score} against the target of {target} by {target_year}: "
        "{gap} points to go.",
    ),
    "headline.reached": (
        "ปี {year} ดัชนีความสุขของ {area} อยู่ที่ {score} ถึงเป้าหมาย {target} ของปี {target_year} แล้ว",
        "In {year} {area}'s happiness index stood at {score}: the target of {target} by {target_year} is reached.",
    ),
    "headline.pace": (
        "ต้อง{needed} ตลอด {years_left} ปีที่เหลือ ที่ผ่านมา ({first}–{last}) {observed}: {status}",
        "That needs {needed} for the {years_left} years left; over {first}–{last} it moved {observed}: {status}.",
    ),
    "headline.pace_unknown": (
        "ต้อง{needed} ตลอด {years_left} ปีที่เหลือ (ปีที่ข้อมูลครบยังไม่ถึง 2 ปี จึงยังบอกแนวโน้มไม่ได้)",
        "That needs {needed} for the {years_left} years left (fewer than 2 complete years: no trend yet).",
    ),
    "headline.late": ("เลยปีเป้าหมาย {target_year} แล้ว", "The target year {target_year} has passed."),
    "headline.projected": ("ถ้ารักษาอัตรานี้ได้ จะถึงเป้าหมายราวปี {year}", "at this pace the target is reached around {year}"),
    "headline.never": ("ในอัตรานี้จะไม่ถึงเป้าหมาย", "at this pace it is never reached"),
    "headline.points": ("คะแนน", "points"),
    "headline.behind": ("อำเภอที่ห่างเป้าหมายมากที่สุด: {districts}", "Districts furthest behind: {districts}."),
    "headline.district": ("{name} {score} (ขาด {gap})", "{name} {score} ({gap} short)"),
    "headline.councils": ("ปี {year} สภาองค์กรชุมชนส่งข้อมูลแล้ว {n} จาก {total} ตำบล",
                          "{year}: {n} of {total} community councils have reported so far."),
    "headline.not_counted": ("ปี {year} ยังไม่ครบ จึงยังไม่นับในดัชนี",
                             "{year} is not complete yet, so the index does not count it."),
    "headline.none": ("ยังไม่มีปีที่ข้อมูลครบพอจะคำนวณดัชนีของ {area}",
                      "No year has complete enough figures for {area}'s index yet."),
    # the ranked district bar
    "overview.ranking": ("ดัชนีรายอำเภอ ปี {year} ห่างเป้าหมาย {target} เท่าไร",
                         "Districts against the target of {target} ({year})"),
    "overview.ranking_help": (
        "แท่งคือดัชนีของแต่ละอำเภอ เส้นทึบคือเป้าหมาย {target} ในปี {target_year} เส้นประคือทั้งจังหวัด "
        "ตัวเลขบนแท่งคือคะแนนที่ยังขาด สีม่วงคือ {n} อำเภอที่ห่างเป้าหมายมากที่สุด",
        "Each bar is a district's index; the solid line is the target of {target} by {target_year}, the dashed line "
        "the whole province; the number on a bar is the points still to go; purple marks the {n} districts furthest "
        "behind",
    ),
    "ranking.gap": ("ขาด {gap}", "{gap} short"),
    "ranking.reached": ("ถึงเป้า", "reached"),
    "ranking.behind": ("{n} อำเภอที่ห่างเป้าหมายมากที่สุด", "the {n} furthest behind"),
    "ranking.others": ("อำเภออื่น", "other districts"),
    "ranking.incomplete": ("ข้อมูลยังไม่ครบ (แท่งลาย ไม่นับในอันดับ)", "incomplete (hatched, not ranked)"),
    # what fed an index: the subdistricts behind its indicators
    "coverage.index_fed": ("ตัวชี้วัดในดัชนีมาจากตำบลที่ส่งข้อมูล {n} จาก {expected} ตำบล",
                           "its indicators come from {n} of {expected} subdistricts that reported"),
    "coverage.index_estimated": ("ที่เหลือใช้ค่าล่าสุดของตำบลนั้น (ประมาณการ E)",
                                 "the rest stand in with their latest figure (E)"),
    "overview.complete_help": (
        "ปีล่าสุดที่ตำบลส่งข้อมูลครบพอ (ยอดรวมต้องครบทุกตำบล อัตราส่วนและค่าเฉลี่ยอย่างน้อย 80% ของตำบล) "
        "ดัชนีและสถานะใช้เฉพาะปีที่ครบ ปีที่ยังไม่ครบแสดงไว้แต่ไม่นำมาคำนวณ",
        "The latest year with complete enough figures (a total needs every subdistrict, a ratio or mean 80 % of "
        "them); the index and the statuses use complete years only, later years are shown but not counted",
    ),
    "overview.fed_short": ("ส่งข้อมูล {n} จาก {expected} ตำบล", "{n} of {expected} subdistricts reported"),
    "overview.fed_short_estimated": ("ส่งข้อมูล {n} จาก {expected} ตำบล ที่เหลือประมาณการ (E)",
                                     "{n} of {expected} subdistricts reported, the rest estimated (E)"),
    "overview.councils_card": ("สภาองค์กรชุมชนที่ส่งแล้ว {n} จาก {total} ตำบล", "{n} of {total} councils reported"),
    "overview.hmi_delta": ("จากปี {year}", "since {year}"),
    # status words explained where they are shown, in plain words
    "legend.lead": (
        "สถานะเทียบความเร็ว 5 ปีล่าสุดกับความเร็วที่ต้องการเพื่อให้ถึงเป้าหมายทันปีเป้าหมาย",
        "A status compares the pace of the last 5 years with the pace needed to reach the target in time",
    ),
    "legend.achieved": ("ค่าล่าสุดถึงเป้าหมายแล้ว", "the latest value has reached the target"),
    "legend.on_track": ("เร็วพอจะถึงเป้าหมายทันเวลา", "fast enough to reach the target in time"),
    "legend.moderately_improving": ("ดีขึ้น แต่ได้เพียงครึ่งหนึ่งถึงเกือบเท่าความเร็วที่ต้องการ",
                                    "improving, at half to nearly all of the pace needed"),
    "legend.stagnating": ("แทบไม่ขยับ ช้ากว่าครึ่งหนึ่งของความเร็วที่ต้องการ", "barely moving: under half the pace needed"),
    "legend.worsening": ("กำลังห่างจากเป้าหมาย", "moving away from the target"),
    "legend.insufficient_data": ("ปีที่ข้อมูลครบน้อยกว่า 2 ปี ยังบอกไม่ได้", "fewer than 2 complete years: cannot tell yet"),
    # why a status and the numbers beside it seem to disagree (issue 18)
    "col.status_why": ("เหตุผลของสถานะ", "Why this status"),
    "why.pace_years": ("ความเร็วคิดจาก {n} ปีล่าสุดที่ข้อมูลครบ ({first}–{last})",
                       "pace from the last {n} complete years ({first}–{last})"),
    "why.baseline_beyond": (
        "ค่าฐานปี {baseline_year} ({baseline}) ถึงเป้าหมาย ({target}) อยู่แล้ว ร้อยละความก้าวหน้าจึงใช้วัดไม่ได้ "
        "สถานะดูจากค่าล่าสุดปี {latest_year} ({latest}) เทียบกับเป้าหมาย",
        "The baseline ({baseline_year}: {baseline}) was already at or beyond the target ({target}), so the progress "
        "% does not apply; the status compares the latest value ({latest_year}: {latest}) with the target",
    ),
    "why.worse_than_baseline": (
        "ความก้าวหน้าติดลบเพราะค่าล่าสุดปี {latest_year} ({latest}) แย่กว่าค่าฐานปี {baseline_year} ({baseline}) "
        "แต่สถานะดูจากแนวโน้ม {n} ปีล่าสุดที่ข้อมูลครบ ({first}–{last}) ซึ่ง{pace} เข้าหาเป้าหมาย",
        "Progress is negative because the latest value ({latest_year}: {latest}) is worse than the baseline "
        "({baseline_year}: {baseline}); the status follows the trend of the last {n} complete years "
        "({first}–{last}), {pace}, toward the target",
    ),
    "why.better_than_baseline": (
        "ค่าล่าสุดปี {latest_year} ({latest}) ดีกว่าค่าฐานปี {baseline_year} ({baseline}) "
        "แต่สถานะดูจากแนวโน้ม {n} ปีล่าสุดที่ข้อมูลครบ ({first}–{last}) ซึ่ง{pace} ห่างจากเป้าหมาย",
        "The latest value ({latest_year}: {latest}) is better than the baseline ({baseline_year}: {baseline}), but "
        "the status follows the trend of the last {n} complete years ({first}–{last}), {pace}, away from the target",
    ),
    # area
    "area.title": ("อำเภอและตำบล", "Districts and subdistricts"),
    "area.choose": ("เลือกพื้นที่", "Choose an area"),
    "area.domain_filter": ("ด้าน", "Domain"),
    "area.all_domains": ("ทุกด้าน", "all domains"),
    "area.hmi": ("ดัชนีความสุข (HMI) ปี {year}", "Happiness index (HMI), {year}"),
    "area.parent": ("อยู่ใน {name}", "In {name}"),
    "area.subdistricts": ("ตำบลในอำเภอนี้", "Subdistricts of this district"),
    "area.trajectories": ("เส้นทางของแต่ละตัวชี้วัดเทียบกับเส้นทางตรงสู่เป้าหมาย",
                          "Each indicator against the straight path from baseline to target"),
    "area.trajectories_help": (
        "เส้นทึบคือค่าที่วัดได้ เส้นประคือเส้นทางตรงจากค่าฐานถึงเป้าหมาย ดาวคือเป้าหมาย",
        "Solid line: observed values; dashed line: the straight path from baseline to target; star: the target",
    ),
    "area.table": ("ตารางความก้าวหน้า (ตรวจสอบสถานะได้ด้วยตนเอง)",
                   "Progress table (every input shown, so a status can be checked by hand)"),
    "area.flags": ("เครื่องหมายและหมายเหตุของข้อมูล", "Flags and notes on values"),
    "area.no_flags": ("ไม่มีค่าที่มีเครื่องหมายหรือหมายเหตุ", "No value carries a flag or a note"),
    "area.counts": ("บรรลุหรือตามเป้า", "Achieved or on track"),
    "area.projected": ("คาดว่าถึงเป้า พ.ศ. {year}", "projected to reach target in {year}"),
    "area.unknown": ("ไม่รู้จักรหัสพื้นที่ {code} แสดงทั้งจังหวัดแทน",
                     "Unknown area code {code}; showing the province instead"),
    "area.report": ("รายงานพื้นที่", "Area report"),
    "area.report_help": ("รายงานฉบับเดียว: ดัชนี ตารางสถานะ กราฟรายตัวชี้วัด และวิธีการ (สร้างเมื่อกด ใช้เวลาไม่กี่วินาที)",
                         "One document: the index, the status table, a chart per indicator and the methods "
                         "(made when clicked, takes a few seconds)"),
    "area.values": ("ค่าตัวชี้วัด", "indicator values"),
    # exports (download menus under every chart and table)
    "export.download": ("ดาวน์โหลด", "Download"),
    "export.chart": ("กราฟสำหรับรายงาน (มีชื่อ หน่วย ปี พ.ศ. และที่มา)",
                     "Chart for reports (with title, units, BE years and source)"),
    "export.table": ("ตารางข้อมูล", "Table"),
    "export.png": ("PNG (ความละเอียด 2 เท่า)", "PNG (2× resolution)"),
    "export.html": ("HTML (โต้ตอบได้ เปิดได้โดยไม่ต้องใช้อินเทอร์เน็ต)", "HTML (interactive, opens offline)"),
    "export.csv": ("CSV (เปิดใน Excel ได้)", "CSV (opens in Excel)"),
    "export.unit": ("หน่วย: {unit}", "Unit: {unit}"),
    "export.years": ("พ.ศ. {years}", "{years} BE"),
    "export.dashboard": ("แดชบอร์ดพัทลุงมหานครแห่งความสุข", "Phatthalung well-being dashboard"),
    "export.source_all": ("ข้อมูลที่สภาองค์กรชุมชนและหน่วยงานรัฐรายงาน ตามทะเบียนตัวชี้วัด",
                          "figures reported by community councils and government agencies, per the indicator "
                          "registry"),
    # compare
    "compare.title": ("เปรียบเทียบพื้นที่", "Compare areas"),
    "compare.indicator": ("ตัวชี้วัด", "Indicator"),
    "compare.scope": ("เปรียบเทียบ", "Compare"),
    "compare.scope_districts": ("อำเภอทั้งหมด", "all districts"),
    "compare.scope_subdistricts": ("ตำบลในอำเภอ", "subdistricts of a district"),
    "compare.district": ("อำเภอ", "District"),
    "compare.year": ("ปี", "Year"),
    "compare.ranking": ("อันดับ ปี {year}", "Ranking, {year}"),
    "compare.multiples": ("แนวโน้มรายพื้นที่", "Trend in each area"),
    "compare.multiples_subset": (
        "แสดง {shown} พื้นที่ที่ดีที่สุดและแย่ที่สุดจาก {total} พื้นที่ (ดูทั้งหมดในอันดับด้านบน)",
        "Showing the {shown} best and worst of {total} areas (all of them are in the ranking above)",
    ),
    "compare.multiples_help": (
        "แต่ละกรอบคือหนึ่งพื้นที่ เส้นประคือเส้นทางตรงสู่เป้าหมาย สีของเส้นคือสถานะ",
        "One panel per area; dashed line: the straight path to the target; line colour: status",
    ),
    "compare.equity": ("ช่องว่างระหว่างอำเภอที่ดีที่สุดและแย่ที่สุด (ไม่ทิ้งใครไว้ข้างหลัง)",
                       "Gap between the best and the worst district (no district left behind)"),
    "compare.sensitivity": ("ความไวของอันดับอำเภอ: ค่าเฉลี่ยเลขคณิตเทียบเรขาคณิต (น้ำหนักเท่ากัน)",
                            "Sensitivity of the district ranking: arithmetic vs geometric mean (equal weights)"),
    "compare.no_values": ("ไม่มีค่าของตัวชี้วัดนี้ในปีที่เลือก", "No value of this indicator for the chosen year"),
    # map
    "map.title": ("แผนที่", "Map"),
    "map.indicator": ("แสดง", "Show"),
    "map.level": ("ระดับพื้นที่", "Level"),
    "map.year": ("ปี", "Year"),
    "map.colour_by": ("ระบายสีตาม", "Colour by"),
    "map.by_value": ("ค่า", "value"),
    "map.by_status": ("สถานะ", "status"),
    "map.schematic": (
        "รูปร่างพื้นที่ในแผนที่นี้เป็นแผนผังที่สร้างขึ้นสำหรับข้อมูลสาธิต ไม่ใช่ขอบเขตจริง",
        "The shapes on this map are schematic demo shapes, not real boundaries",
    ),
    "map.no_shapes": ("ยังไม่มีขอบเขตพื้นที่ในฐานข้อมูล", "No boundaries in the database yet"),
    "map.no_data_note": ("พื้นที่สีเทาคือไม่มีข้อมูล", "Grey areas have no data"),
    # methods
    "methods.title": ("วิธีการ", "Methods"),
    "methods.intro": (
        "ทุกอย่างในหน้านี้สร้างจากทะเบียนตัวชี้วัดชุดเดียวกับที่ใช้คำนวณ ไม่ได้เขียนแยกด้วยมือ",
        "Everything on this page is generated from the same indicator registry the computations use",
    ),
    "methods.progress": ("การวัดความก้าวหน้าสู่ปี 2575", "Measuring progress toward 2575"),
    "methods.progress_text": (
        "สำหรับแต่ละพื้นที่และตัวชี้วัด:\n"
        "- **ค่าฐาน**: ค่าในปีฐาน (ค่าเริ่มต้น พ.ศ. 2568) หรือปีแรกที่ข้อมูลครบ\n"
        "- **ค่าล่าสุด**: ค่าในปีล่าสุดที่ข้อมูลครบ; **เป้าหมาย** และ **ปีเป้าหมาย** จากทะเบียนหรือผู้ดูแลระบบ\n"
        "- **ความก้าวหน้า** = (ค่าล่าสุด − ค่าฐาน) / (เป้าหมาย − ค่าฐาน) เป็นร้อยละ ไม่ตัดค่า (ติดลบคือถอยหลัง)\n"
        "- **อัตราที่เป็นอยู่** = ความชันกำลังสองน้อยที่สุดของ 5 ปีล่าสุดที่มีข้อมูล (อย่างน้อย 2 ปี)\n"
        "- **อัตราที่ต้องการ** = (เป้าหมาย − ค่าล่าสุด) / (ปีเป้าหมาย − ปีล่าสุด)\n"
        "- **อัตราส่วน** = อัตราที่เป็นอยู่ / อัตราที่ต้องการ (กลับเครื่องหมายให้ทิศทางสู่เป้าเป็นบวก)\n"
        "- **ปีที่คาดว่าจะถึงเป้า**: ปีที่แนวโน้มที่เป็นอยู่จะถึงเป้าหมาย หรือไม่มีถ้าไม่ถึงในอัตรานี้\n\n"
        "ใช้ความชันกำลังสองน้อยที่สุด ไม่ใช้อัตราการเติบโตสองจุด เพราะข้อมูลรายตำบลสั้นและแกว่ง "
        "และเป้าหมายความยากจนเป็นศูนย์ซึ่งใช้อัตราการเติบโตแบบทบต้นไม่ได้ "
        "วิธีนี้เหมือนกับ UN SDG Progress Chart, Statistics Canada (Open SDG) และ SDSN SDG Index"
        "\n\n**ความครอบคลุม** ค่าระดับอำเภอและจังหวัดของปีหนึ่งใช้คำนวณเมื่อครบ: ผลรวมต้องมีทุกตำบล อัตราส่วนและค่าเฉลี่ยต้องมีอย่างน้อย"
        " ร้อยละ 80 ของตำบล (หรือเป็นตัวเลขของพื้นที่นั้นเอง) ปีที่ยังไม่ครบแสดงเป็นจุดกลวงพร้อมจำนวนตำบล ไม่ใช้เป็นค่าฐาน ค่าล่าสุด"
        " หรือจุดของแนวโน้ม ตำบลที่ส่งช้าใช้ค่าล่าสุดของตนเองไม่เกิน 2 ปีแทนได้ (ค่าประมาณการ E นับแยก)",
        "For each area and indicator:\n"
        "- **baseline**: the value in the baseline year (2568 BE by default), or the first complete year on record\n"
        "- **latest**: the most recent complete value; **target** and **target year** from the registry or an "
        "administrator's override\n"
        "- **progress** = (latest − baseline) / (target − baseline), in %, not clipped (negative: going backward)\n"
        "- **observed slope** = least-squares slope over the last five years on record (at least two points)\n"
        "- **required slope** = (target − latest) / (target year − latest year)\n"
        "- **ratio** = observed / required, with signs taken so that moving toward the target is positive\n"
        "- **projected year**: when the observed trend reaches the target, or none at this pace\n\n"
        "A least-squares slope rather than a two-point growth rate, because subdistrict series are short and "
        "noisy and poverty targets of zero break compound growth rates. The method mirrors the UN SDG Progress "
        "Chart, Statistics Canada's progress measure (as in Open SDG) and the SDSN SDG Index.\n\n"
        "**Coverage.** A district's or the province's value for a year counts when it is complete: a total needs "
        "every subdistrict, a ratio or mean at least 80 % of them (or the figure is the area's own). Incomplete "
        "years are drawn hollow with their count of subdistricts and are never a baseline, a latest value or a "
        "point of the trend. A late council's own latest figure, at most 2 years old, may stand in (an estimate, "
        "E, counted apart).",
    ),
    "methods.statuses": ("สถานะ", "Statuses"),
    "methods.rule.achieved": ("ค่าล่าสุดถึงหรือเกินเป้าหมายแล้ว", "latest at or beyond the target"),
    "methods.rule.on_track": ("อัตราส่วน ≥ 0.95", "ratio ≥ 0.95"),
    "methods.rule.moderately_improving": ("0.5 ≤ อัตราส่วน < 0.95", "0.5 ≤ ratio < 0.95"),
    "methods.rule.stagnating": ("0 ≤ อัตราส่วน < 0.5", "0 ≤ ratio < 0.5"),
    "methods.rule.worsening": ("อัตราส่วน < 0: ห่างจากเป้าหมาย", "ratio < 0: moving away from the target"),
    "methods.rule.insufficient_data": ("มีข้อมูลน้อยกว่า 2 ปี", "fewer than two years of data"),
    "methods.rule": ("เงื่อนไข", "Rule"),
    "methods.example": ("ตัวอย่างการคำนวณ: {indicator} ของ {area}", "Worked example: {indicator} in {area}"),
    "methods.example_values": ("ค่าที่ใช้", "The values used"),
    "methods.example_steps": (
        "1. ค่าฐาน (พ.ศ. {baseline_year}) = **{baseline}**, ค่าล่าสุด (พ.ศ. {latest_year}) = **{latest}**, "
        "เป้าหมาย (พ.ศ. {target_year}) = **{target}** ({direction})\n"
        "2. ความก้าวหน้า = ({latest} − {baseline}) / ({target} − {baseline}) = **{progress}%**\n"
        "3. อัตราที่เป็นอยู่ = ความชันของ {n_years} ปีล่าสุด = **{observed}** ต่อปี\n"
        "4. อัตราที่ต้องการ = ({target} − {latest}) / ({target_year} − {latest_year}) = **{required}** ต่อปี\n"
        "5. อัตราส่วน = {observed} / {required} = **{ratio}** → **{status}**; คาดว่าจะถึงเป้า: **{projected}**",
        "1. Baseline ({baseline_year}) = **{baseline}**, latest ({latest_year}) = **{latest}**, "
        "target ({target_year}) = **{target}** ({direction})\n"
        "2. Progress = ({latest} − {baseline}) / ({target} − {baseline}) = **{progress}%**\n"
        "3. Observed slope = least-squares slope over the last {n_years} years = **{observed}** per year\n"
        "4. Required slope = ({target} − {latest}) / ({target_year} − {latest_year}) = **{required}** per year\n"
        "5. Ratio = {observed} / {required} = **{ratio}** → **{status}**; projected year: **{projected}**",
    ),
    "methods.index": ("ดัชนีมหานครแห่งความสุข", "The Happiness Metropolis Index"),
    "methods.index_text": (
        "แต่ละตัวชี้วัดที่อยู่ในดัชนีถูกปรับเป็นคะแนน 0–100 ระหว่างขอบเขตล่างและบน (คำนึงถึงทิศทาง และตัดที่ 0 และ 100) "
        "เฉลี่ยตัวชี้วัดภายในด้าน แล้วเฉลี่ย 4 ด้านเป็นดัชนี (น้ำหนักเท่ากันเป็นค่าเริ่มต้น) "
        "ด้านที่มีข้อมูลไม่ถึงครึ่งหนึ่งของตัวชี้วัดจะเว้นว่าง ขอบเขตบนคือเป้าหมายปี 2575 "
        "ขอบเขตล่างคือค่าที่แย่ที่สุดที่เป็นไปได้ตามที่ระบุไว้",
        "Each indicator in the index is scaled to 0–100 between its lower and upper bounds (direction-aware, "
        "clipped); indicators are averaged within a domain and the 4 domains into the index (equal weights by "
        "default). A domain is left blank when under half its indicators have data. The upper bound is the 2575 "
        "target, the lower bound a stated worst plausible value.",
    ),
    "methods.indicators": ("ตัวชี้วัด", "Indicators"),
    "methods.measures": ("ข้อมูลที่ตำบลและหน่วยงานรายงาน", "Measures reported by councils and agencies"),
    "methods.credits": ("แหล่งข้อมูลและการอ้างอิง", "Sources and credits"),
    "methods.credits_text": (
        "- ชื่อและรหัสพื้นที่ (จังหวัด อำเภอ ตำบล ตามรหัสกรมการปกครอง): {credit}\n"
        "- ขอบเขตพื้นที่: {geometry}\n"
        "- ข้อมูลสถิติ: ตามแหล่งของแต่ละรายการในตารางด้านบน (จปฐ., TPMAP, กรมการท่องเที่ยว, กรมควบคุมมลพิษ, "
        "สภาองค์กรชุมชน ฯลฯ)\n"
        "- วิธีวัดความก้าวหน้า: UN SDG Progress Chart, Statistics Canada / Open SDG, SDSN SDG Index",
        "- Area names and codes (province, districts, subdistricts, DOPA codes): {credit}\n"
        "- Boundaries: {geometry}\n"
        "- Statistics: the source of each measure in the table above (BMN, TPMAP, Department of Tourism, "
        "Pollution Control Department, community councils, …)\n"
        "- Progress method: UN SDG Progress Chart, Statistics Canada / Open SDG, SDSN SDG Index",
    ),
    "methods.schematic": ("แผนผังที่โครงการสร้างขึ้นสำหรับข้อมูลสาธิต (ไม่ใช่ขอบเขตจริง)",
                          "schematic shapes made by the project for the demo (not real boundaries)"),
    "methods.no_example": ("ยังไม่มีข้อมูลพอสำหรับตัวอย่าง", "Not enough data for an example yet"),
    # reporting status
    "reporting.title": ("สถานะการรายงานของตำบล", "Reporting status of the councils"),
    "reporting.intro": (
        "ตำบลใดส่งข้อมูลรายการใด ของปีใดแล้วบ้าง (ติดตามการรายงานของสภาองค์กรชุมชน)",
        "Which subdistricts have sent which measures for which year (the council coverage tracker)",
    ),
    "reporting.year": ("ปี", "Year"),
    "reporting.district": ("อำเภอ", "District"),
    "reporting.by_year": ("จำนวนรายการที่ส่งในแต่ละปี", "Measures sent each year"),
    "reporting.by_measure": ("รายการที่ส่งแล้วในปี {year}", "Measures sent for {year}"),
    "reporting.summary": (
        "ปี {year}: ส่งแล้ว {sent} จาก {expected} รายการ ({share}) · ตำบลที่ส่งครบ {complete} จาก {subs} ตำบล",
        "{year}: {sent} of {expected} figures sent ({share}) · {complete} of {subs} subdistricts complete",
    ),
    "reporting.missing": ("ตำบลที่ยังส่งไม่ครบ ปี {year}", "Subdistricts with figures missing for {year}"),
    "reporting.all_complete": ("ทุกตำบลส่งครบแล้ว", "Every subdistrict has sent everything"),
    "reporting.no_obs": ("ยังไม่มีข้อมูลที่ส่งเข้ามา", "Nothing has been sent yet"),
    "reporting.grid_district": (
        "ตำบลมีมากเกินกว่าจะแสดงทีละตำบล: แต่ละแถวคืออำเภอ ตัวเลขคือร้อยละของรายการที่ตำบลในอำเภอส่งแล้ว "
        "(เลือกอำเภอเพื่อดูรายตำบล)",
        "Too many subdistricts to show one by one: each row is a district, and each number the percent of the "
        "figures its subdistricts have sent (choose a district to see each subdistrict)",
    ),
    "reporting.grid_province": (
        "ตำบลมีมากเกินกว่าจะแสดงทีละตำบล: แต่ละแถวคือจังหวัด ตัวเลขคือร้อยละของรายการที่ตำบลในจังหวัดส่งแล้ว "
        "(เลือกอำเภอเพื่อดูรายตำบล)",
        "Too many subdistricts to show one by one: each row is a province, and each number the percent of the "
        "figures its subdistricts have sent (choose a district to see each subdistrict)",
    ),
    # sign-in, roles and accounts (issue 6)
    "nav.upload": ("นำเข้าข้อมูล", "Upload"),
    "nav.admin": ("ผู้ดูแลระบบ", "Administration"),
    "nav.sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "nav.account": ("บัญชีผู้ใช้", "Account"),
    # tourism view and sources (issue 10)
    "nav.tourism": ("การท่องเที่ยว", "Tourism"),
    "tourism.title": ("การท่องเที่ยว {name}", "Tourism in {name}"),
    "tourism.source": ("แหล่งข้อมูล: {source} · รายเดือน {first} ถึง {last}",
                       "Source: {source} · monthly, {first} to {last}"),
    "tourism.no_official": ("ยังไม่มีสถิติการท่องเที่ยวรายเดือนของกระทรวงการท่องเที่ยวและกีฬาในฐานข้อมูล "
                            "(ผู้ดูแลระบบนำเข้าได้ที่หน้าผู้ดูแลระบบ) "
                            "ด้านล่างเป็นตัวเลขรายปีจาก{source}",
                            "No monthly statistics of the Ministry of Tourism and Sports in the store yet (an "
                            "administrator loads them on the Administration page). Below: yearly figures from "
                            "{source}."),
    "tourism.by_month": ("รายเดือน", "By month"),
    "tourism.by_year": ("รายปี", "By year"),
    "tourism.visitors": ("ผู้เยี่ยมเยือน (คน-ครั้ง)", "Visitors"),
    "tourism.occupancy": ("อัตราการเข้าพัก (%)", "Occupancy rate (%)"),
    "tourism.revenue": ("รายได้ (ล้านบาท)", "Revenue (million baht)"),
    "tourism.thai": ("ชาวไทย", "Thai"),
    "tourism.foreign": ("ชาวต่างชาติ", "Foreign"),
    "tourism.covid": ("โควิด-19", "COVID-19"),
    "tourism.partial_mark": ("{months} เดือน", "{months} months"),
    "tourism.partial": ("ปี {year} มีข้อมูลเพียง {months} เดือน: แสดงเป็นปีไม่ครบ (แถบลาย) และไม่นำไปใช้เป็นค่ารายปีของตัวชี้วัด",
                        "{year} has {months} months only: shown as a partial year (hatched) and never used as a "
                        "year by the indicators"),
    "tourism.fall": ("ผู้เยี่ยมเยือนลดลงจาก {v0} ในปี {y0} เหลือ {v1} ในปี {y1} ({pct}) แล้วฟื้นตัวเป็น {v2} ในปี {y2} "
                     "({share} ของปี {y0})",
                     "Visitors fell from {v0} in {y0} to {v1} in {y1} ({pct}), then recovered to {v2} in {y2} "
                     "({share} of {y0})"),
    "tourism.rule": ("ค่ารายปี: ผู้เยี่ยมเยือน ผู้เข้าพัก และรายได้ เป็นผลรวมของ 12 เดือน อัตราการเข้าพักเป็นค่าเฉลี่ยของ 12 เดือน "
                     "(ไม่ถ่วงน้ำหนัก เพราะไม่มีจำนวนห้องพักคืนรายเดือน) รายได้แปลงจากบาทเป็นล้านบาท",
                     "By year: visitors, guests and revenue are sums of the 12 months; occupancy is the plain mean "
                     "of the 12 months (unweighted: monthly room-nights are not published). Revenue converted from "
                     "baht to million baht."),
    "tourism.table": ("ตัวเลขรายปี", "Figures by year"),
    "tourism.compare": ("ตัวเลขจากสองแหล่ง", "Figures from both sources"),
    "tourism.compare_help": ("ตัวเลขของกระทรวงกับผลรวมของตำบลที่สภาองค์กรชุมชนรายงาน แสดงคู่กันโดยไม่รวมกัน "
                             "ตัวชี้วัดระดับจังหวัดใช้ตัวเลขของกระทรวงเมื่อมีครบทั้งปี",
                             "The ministry's figures and the sum of what councils reported for their subdistricts, "
                             "side by side and never combined; province indicators use the ministry's where it has "
                             "whole years."),
    "tourism.progress": ("ความก้าวหน้าตัวชี้วัดการท่องเที่ยว ระดับจังหวัด", "Progress of the tourism indicators, province"),
    "tourism.metric_visitors": ("ผู้เยี่ยมเยือน ปี {year}", "Visitors, {year}"),
    "tourism.metric_occupancy": ("อัตราการเข้าพักเฉลี่ย ปี {year}", "Mean occupancy, {year}"),
    "tourism.metric_revenue": ("รายได้ ปี {year} (ล้านบาท)", "Revenue, {year} (million baht)"),
    "col.months": ("จำนวนเดือน", "Months"),
    "col.guests": ("ผู้เข้าพัก", "Guests staying"),
    "col.visitors_thai": ("ผู้เยี่ยมเยือนชาวไทย", "Thai visitors"),
    "col.visitors_foreign": ("ผู้เยี่ยมเยือนชาวต่างชาติ", "Foreign visitors"),
    "col.visitors_total": ("ผู้เยี่ยมเยือนรวม", "Visitors (total)"),
    "col.occupancy": ("อัตราการเข้าพัก (%)", "Occupancy (%)"),
    "col.revenue": ("รายได้ (ล้านบาท)", "Revenue (million baht)"),
    "word.partial_year": ("ปีไม่ครบ", "partial year"),
    "source.council": ("สภาองค์กรชุมชน (ผลรวมของตำบล)", "community councils (sum of subdistricts)"),
    "source.demo": ("ข้อมูลสาธิต", "demo data"),
    "batch.demo_by": ("ระบบ (สร้างข้อมูลสาธิต)", "the dashboard (it made the demo data)"),
    "batch.demo_file": ("ตัวเลขสมมติที่ระบบสร้าง", "made-up figures from the dashboard"),
    "role.council": ("สภาองค์กรชุมชน", "council"),
    "role.analyst": ("นักวิเคราะห์", "analyst"),
    "role.admin": ("ผู้ดูแลระบบ", "admin"),
    "auth.title": ("เข้าสู่ระบบ", "Sign in"),
    "auth.intro": (
        "การดูแดชบอร์ดไม่ต้องเข้าสู่ระบบ การนำเข้าข้อมูลและการดูแลระบบต้องเข้าสู่ระบบ",
        "Viewing the dashboard needs no sign-in; uploading and administration do",
    ),
    "auth.required": ("โปรดเข้าสู่ระบบเพื่อดูแดชบอร์ด", "Please sign in to see the dashboard"),
    "auth.local": ("บัญชีของระบบ", "Local account"),
    "auth.name": ("ชื่อบัญชี", "Account name"),
    "auth.password": ("รหัสผ่าน", "Password"),
    "auth.new_password": ("รหัสผ่านใหม่", "New password"),
    "auth.new_password_again": ("รหัสผ่านใหม่อีกครั้ง", "New password again"),
    "auth.passwords_differ": ("รหัสผ่านสองช่องไม่ตรงกัน", "The two passwords differ"),
    "auth.password_changed": ("เปลี่ยนรหัสผ่านแล้ว", "Password changed"),
    "auth.change_password": ("เปลี่ยนรหัสผ่าน", "Change password"),
    "auth.sign_in": ("เข้าสู่ระบบ", "Sign in"),
    "auth.sign_out": ("ออกจากระบบ", "Sign out"),
    "auth.oidc": ("เข้าสู่ระบบด้วย {provider}", "Sign in with {provider}"),
    "auth.oidc_misconfigured": (
        "การเข้าสู่ระบบด้วย {provider} ยังตั้งค่าไม่ครบหรือไม่ถูกต้อง ({keys} ใน [auth] ของ .streamlit/secrets.toml): "
        "โปรดแจ้งผู้ดูแลระบบ ระหว่างนี้ใช้บัญชีของระบบได้",
        "Sign-in with {provider} is not set up correctly ({keys} in [auth] of .streamlit/secrets.toml): "
        "tell an administrator; a local account works meanwhile",
    ),
    "auth.oidc_unreachable": (
        "ติดต่อผู้ให้บริการยืนยันตัวตน {provider} ไม่ได้ในขณะนี้: ลองใหม่ภายหลัง หรือใช้บัญชีของระบบ",
        "The identity provider {provider} cannot be reached just now: try again later, or use a local account",
    ),
    "auth.oidc_not_oidc": (
        "ผู้ให้บริการยืนยันตัวตน {provider} ตอบกลับ แต่ไม่ใช่การตั้งค่า OpenID Connect (server_metadata_url ไม่ถูกต้อง): "
        "โปรดแจ้งผู้ดูแลระบบ",
        "The identity provider {provider} answered, but not with an OpenID Connect configuration "
        "(server_metadata_url is wrong): tell an administrator",
    ),
    "auth.account": ("บัญชีผู้ใช้", "Account"),
    "auth.signed_in_as": ("เข้าสู่ระบบเป็น {name} ({role})", "Signed in as {name} ({role})"),
    "auth.scope": ("ขอบเขตพื้นที่: {scope}", "Scope: {scope}"),
    "auth.unknown_identity": (
        "{email} เข้าสู่ระบบแล้ว แต่ยังไม่มีบัญชีในระบบนี้: โปรดติดต่อผู้ดูแลระบบ",
        "{email} is signed in but has no account here: ask an administrator",
    ),
    "auth.needed": ("ต้องเข้าสู่ระบบเพื่อ{what}", "Sign in to {what}"),
    "auth.forbidden": ("บัญชี {name} ({role}) ไม่มีสิทธิ์{what}", "The account {name} ({role}) may not {what}"),
    "auth.what_upload": ("นำเข้าข้อมูล", "upload figures"),
    "auth.what_admin": ("ดูแลระบบ", "administer the dashboard"),
    # upload page
    "upload.title": ("นำเข้าข้อมูลของตำบล", "Upload council figures"),
    "upload.intro": (
        "{name}: นำเข้าได้เฉพาะพื้นที่ {scope} ระบบตรวจทุกแถวก่อนบันทึก",
        "{name}: you may upload figures for {scope}; every row is checked before anything is written",
    ),
    "upload.intro_admin": (
        "{name}: ผู้ดูแลระบบนำเข้าได้ทุกพื้นที่ ระบบตรวจทุกแถวก่อนบันทึก",
        "{name}: administrators may upload for every area; every row is checked before anything is written",
    ),
    "upload.step_template": ("1. ดาวน์โหลดแบบฟอร์ม", "1. Download a template"),
    "upload.step_file": ("2. เลือกไฟล์และตรวจสอบ", "2. Choose a file and check it"),
    "upload.step_confirm": ("3. ยืนยันการนำเข้า", "3. Confirm"),
    "upload.area": ("พื้นที่", "Area"),
    "upload.year": ("ปี พ.ศ.", "Year (BE)"),
    "upload.format": ("รูปแบบ", "Format"),
    "upload.download_template": ("ดาวน์โหลดแบบฟอร์ม", "Download the template"),
    "upload.file": ("ไฟล์ CSV หรือ Excel (.xlsx)", "CSV or Excel (.xlsx) file"),
    "upload.file_help": (
        "ไม่เกิน {mb} MB และ {rows} แถว รองรับ UTF-8, UTF-8 BOM และ Windows-874 คั่นด้วย , ; หรือแท็บ ปี พ.ศ. หรือ ค.ศ. "
        "และเลขไทย",
        "At most {mb} MB and {rows} rows; UTF-8, UTF-8 with BOM or Windows-874; comma, semicolon or tab; years in BE "
        "or CE; Thai digits",
    ),
    "upload.mode": ("เมื่อพบปัญหา", "When there are problems"),
    "upload.mode_all": ("ไม่นำเข้าเลยถ้ามีข้อผิดพลาด (ค่าเริ่มต้น)", "Load all or nothing (default)"),
    "upload.mode_valid": ("นำเข้าเฉพาะแถวที่ถูกต้อง", "Load the valid rows only"),
    "upload.fact_form": ("รูปแบบตาราง: {form}", "layout: {form}"),
    "form.long": ("แบบยาว (พื้นที่ ปี ตัวชี้วัด ค่า)", "long (area, year, measure, value)"),
    "form.wide": ("แบบกว้าง (ตัวชี้วัดเป็นคอลัมน์)", "wide (measures as columns)"),
    "form.years": ("ปีเป็นคอลัมน์", "years as columns"),
    "upload.fact_measure": ("ตัวชี้วัดของคอลัมน์ปี: {measure}", "measure of the year columns: {measure}"),
    "upload.measure_from_column": ("ตามคอลัมน์ตัวชี้วัดในไฟล์", "as the file's measure column says"),
    "upload.choose_measure": ("ตัวชี้วัดของคอลัมน์ปี", "Measure of the year columns"),
    "upload.choose_measure_help": (
        "ไฟล์นี้มีปีเป็นคอลัมน์แต่ไม่ได้ระบุตัวชี้วัด: เลือกตัวชี้วัดของค่าในตาราง (หรือเพิ่มคอลัมน์ตัวชี้วัด "
        "หรือตั้งชื่อชีตเป็นชื่อตัวชี้วัด)",
        "This file has years as columns but names no measure: choose the measure its values are (or add a measure "
        "column, or name the sheet after the measure)",
    ),
    "upload.no_measure": ("— เลือกตัวชี้วัด —", "— choose a measure —"),
    "upload.fact_encoding": ("การเข้ารหัส: {enc}", "encoding: {enc}"),
    "upload.fact_delimiter": ("ตัวคั่น: {delim}", "delimiter: {delim}"),
    "upload.fact_rows": ("{rows} แถว {values} ค่า", "{rows} rows, {values} values"),
    "upload.fact_levels": ("ข้อมูลระดับ: {levels}", "figures for: {levels}"),
    "upload.fact_level_rows": ("{level} {n} แถว", "{level} {n} rows"),
    "upload.level": ("ระดับพื้นที่ในไฟล์", "Level of the file's areas"),
    "upload.level_auto": ("ตามที่ไฟล์ระบุ (หัวคอลัมน์ หรือ อ. ต. จ. หน้าชื่อ)",
                          "As the file says (headers, or อ./ต./จ. before names)"),
    "upload.level_help": ("ชื่อที่เป็นได้ทั้งอำเภอและตำบล (เช่น กงหรา) ต้องระบุระดับ ข้อมูลระดับอำเภอหรือจังหวัดจะใช้แทนผลรวมจากตำบล",
                          "A name that is both a district and a subdistrict (e.g. กงหรา) needs a level; a district's "
                          "or the province's own figure replaces the sum of its subdistricts"),
    "upload.preview": ("ตัวอย่างข้อมูลในไฟล์ ({n} แถวแรก)", "The file's first {n} rows"),
    "upload.problems": ("พบปัญหา {n} รายการในแถวที่จะข้าม", "{n} problem(s) in the rows that will be skipped"),
    "upload.problems_partial": (
        "แสดง {shown} จาก {n} รายการ ระบบตรวจทั้งไฟล์แล้ว",
        "showing {shown} of {n}; the whole file was checked",
    ),
    "upload.fix_or_valid": (
        "แก้ไขไฟล์แล้วเลือกไฟล์ใหม่ หรือเลือก “นำเข้าเฉพาะแถวที่ถูกต้อง”",
        "Fix the file and choose it again, or choose “Load the valid rows only”",
    ),
    "upload.confirm": ("ยืนยันการนำเข้า", "Confirm and load"),
    "upload.result": ("ผลการนำเข้าครั้งล่าสุด", "The last upload"),
    "upload.my_batches": ("ชุดข้อมูลที่ฉันนำเข้า", "My uploads"),
    "upload.no_batches": ("ยังไม่มีชุดข้อมูล", "No uploads yet"),
    "upload.undo": ("ยกเลิก", "Undo"),
    "upload.undone": (
        "ยกเลิกชุดที่ {batch} แล้ว: คืนค่าเดิม {restored} ค่า ลบ {removed} ค่า",
        "Batch {batch} undone: {restored} value(s) restored, {removed} removed",
    ),
    "upload.col_row": ("แถว", "Row"),
    # the check step's preview (indicators.present.upload_preview): what confirming would do
    "upload.what_loads": ("สิ่งที่จะเกิดขึ้นเมื่อยืนยัน", "What confirming will do"),
    "upload.rows_shown": ("ค่าที่จะนำเข้า: ชื่อพื้นที่ → รหัสที่ตรงกัน, ค่าในไฟล์ → ตัวเลขที่อ่านได้", "The values that will load: "
                          "area name → the code it matched, cell → the number read"),
    "upload.rows_listed": ("แสดง {shown} ค่าแรกจาก {n} ค่า", "the first {shown} of {n} values shown"),
    "upload.replacements": ("ค่าเดิมที่จะถูกแทนที่ ({n} ค่า): ค่าเดิม → ค่าใหม่", "Stored values that will be replaced "
                            "({n}): old → new"),
    "upload.replacements_listed": ("แสดง {shown} ค่าแรกจาก {n} ค่า", "the first {shown} of {n} shown"),
    "upload.no_replacements": ("ไม่มีค่าเดิมที่จะถูกแทนที่", "No stored value will be replaced"),
    "upload.warnings": (
        "คำเตือน {n} รายการ: ค่าเหล่านี้นำเข้าได้ แต่ห่างจากค่าเดิมของพื้นที่มาก ตรวจให้แน่ใจก่อนกดยืนยัน",
        "{n} warning(s): these values can load, but they are far from the area's own figures; make sure before "
        "confirming",
    ),
    "upload.warnings_more": ("และอีก {n} รายการ (ดูตารางด้านล่าง)", "and {n} more (see the table below)"),
    "upload.warnings_table": ("คำเตือนทั้งหมด ({n} รายการ)", "Every warning ({n})"),
    "upload.col_area_written": ("ชื่อในไฟล์", "Area as written"),
    "upload.col_area_code": ("รหัสพื้นที่", "Area code"),
    "upload.col_area_matched": ("พื้นที่ที่ตรงกัน", "Matched area"),
    "upload.col_year_ce": ("ปี ค.ศ.", "Year (CE)"),
    "upload.col_value_written": ("ค่าในไฟล์", "Value as written"),
    "upload.col_value_read": ("ค่าที่อ่านได้", "Value as read"),
    "upload.col_stored": ("ค่าที่มีอยู่แล้ว", "Stored now"),
    "upload.col_change_pct": ("เปลี่ยนไป (%)", "Change (%)"),
    "upload.col_warning": ("คำเตือน", "Warning"),
    "upload.flag_implausible": ("⚠ ห่างจากค่าเดิมมาก", "⚠ far from the area's figures"),
    "upload.col_column": ("คอลัมน์", "Column"),
    "upload.col_value": ("ค่าในไฟล์", "Value"),
    "upload.col_problem_th": ("ปัญหา (ไทย)", "Problem (Thai)"),
    "upload.col_problem_en": ("ปัญหา (อังกฤษ)", "Problem (English)"),
    "upload.col_code": ("รหัสปัญหา", "Code"),
    "upload.col_batch": ("ชุดที่", "Batch"),
    "upload.col_file": ("ไฟล์", "File"),
    "upload.col_when": ("เมื่อ", "When"),
    "upload.col_status": ("สถานะ", "Status"),
    "upload.col_changed": ("ค่าที่เปลี่ยน", "Values changed"),
    "upload.col_action": ("ดำเนินการ", "Action"),
    "batch.loading": ("กำลังนำเข้า", "loading"),
    "batch.loaded": ("นำเข้าแล้ว", "loaded"),
    "batch.partial": ("นำเข้าบางแถว", "partly loaded"),
    "batch.rejected": ("ถูกปฏิเสธ", "rejected"),
    "batch.undone": ("ยกเลิกแล้ว", "undone"),
    "batch.undo": ("เป็นการยกเลิก", "an undo"),  # the status shown for a batch of kind undo (never "loaded")
    "batch.undo_of": ("ยกเลิกชุดที่ {batch}", "undo of batch {batch}"),
    "batch_kind.upload": ("ไฟล์ของสภาฯ", "council file"),
    "batch_kind.source": ("ข้อมูลของหน่วยงาน", "agency figures"),
    "batch_kind.undo": ("การยกเลิก", "undo"),
    "batch_kind.demo": ("ข้อมูลสาธิต", "demo data"),
    # the undo of a batch, confirmed in a dialog (app_pages/_undo.py)
    "undo.title": ("ยกเลิกชุดข้อมูลที่ {batch}?", "Undo batch {batch}?"),
    "undo.what": (
        "ไฟล์ **{file}** นำเข้าโดย **{by}** เมื่อ {when}: {rows} แถว ค่าที่เปลี่ยน {values} ค่า",
        "The file **{file}**, loaded by **{by}** on {when}: {rows} row(s), {values} value(s) changed",
    ),
    "undo.effect": (
        "การยกเลิกจะคืนค่าเดิม {restored} ค่า และลบค่าที่ชุดนี้เพิ่มเข้ามา {removed} ค่า "
        "การยกเลิกจะถูกบันทึกไว้เป็นชุดข้อมูลใหม่ ข้อมูลเดิมไม่สูญหาย",
        "Undoing restores {restored} earlier value(s) and removes {removed} value(s) the batch added; the undo is "
        "recorded as a batch of its own and nothing is lost",
    ),
    "undo.changes_listed": ("แสดง {shown} ค่าแรกจาก {n} ค่า", "the first {shown} of {n} values shown"),
    "undo.confirm": ("ยืนยัน ยกเลิกชุดที่ {batch}", "Yes, undo batch {batch}"),
    "undo.cancel": ("ไม่ยกเลิก เก็บไว้ตามเดิม", "No, keep it"),
    "undo.choose": ("— เลือกชุดข้อมูลที่จะยกเลิก —", "— choose the batch to undo —"),
    # administration page
    "admin.title": ("ผู้ดูแลระบบ", "Administration"),
    "admin.intro": ("{name}: ทุกการเปลี่ยนแปลงบันทึกชื่อผู้ทำและเวลา", "{name}: every change records who and when"),
    "admin.tab_targets": ("เป้าหมาย", "Targets"),
    "admin.tab_batches": ("ชุดข้อมูล", "Batches"),
    "admin.tab_users": ("ผู้ใช้", "Users"),
    "admin.tab_boundaries": ("ขอบเขตพื้นที่", "Boundaries"),
    "admin.tab_coverage": ("การรายงาน", "Coverage"),
    "admin.tab_sources": ("ตารางของหน่วยงาน", "Agency tables"),
    "admin.sources": ("นำเข้าตารางสถิติของหน่วยงาน", "Load an agency's statistics table"),
    "admin.sources_help": (
        "ตัวเลขของหน่วยงาน (เช่น สถิติท่องเที่ยวรายเดือนของกระทรวงการท่องเที่ยวและกีฬา) เก็บแยกจากตัวเลขของสภาองค์กรชุมชน "
        "ตรวจสอบก่อนนำเข้าเหมือนไฟล์ของสภาฯ และยกเลิกได้ในแท็บชุดข้อมูล",
        "An agency's figures (e.g. the Ministry of Tourism and Sports' monthly tourism statistics) are kept apart from "
        "the councils'. They are checked before loading like a council's file, and can be undone in the batches tab.",
    ),
    "admin.source_table": ("ตาราง", "Table"),
    "admin.load_source": ("นำเข้า", "Load"),
    "admin.agency_file": ("ตัวเลขของหน่วยงานในไฟล์แบบเดียวกับของสภาฯ", "An agency's figures in a council-shaped file"),
    "admin.agency_file_help": (
        "ไฟล์แบบเดียวกับที่สภาองค์กรชุมชนส่ง (เช่น ประชากรรายตำบลของกรมการปกครองที่มีปีเป็นคอลัมน์) ตรวจสอบเหมือนไฟล์ของสภาฯ "
        "แล้วเก็บเป็นตัวเลขรายปีของหน่วยงานที่เลือก แยกจากตัวเลขของสภาฯ "
        "ตัวชี้วัดใช้ตัวเลขนี้เมื่อทะเบียนระบุว่าเลือกหน่วยงานนั้น",
        "A file laid out as councils send them (e.g. DOPA's population by subdistrict with years as columns), checked "
        "as a council's file, then kept as the chosen agency's yearly figures, apart from the councils'. An indicator "
        "uses them where the registry says it prefers that agency.",
    ),
    "admin.agency_source": ("หน่วยงานเจ้าของตัวเลข", "Agency the figures come from"),
    "admin.load_agency_file": ("นำเข้าเป็นตัวเลขของหน่วยงาน", "Load as the agency's figures"),
    "admin.tab_log": ("บันทึกการเปลี่ยนแปลง", "Write log"),
    "admin.targets": ("เป้าหมายที่ผู้ดูแลกำหนด", "Targets set by administrators"),
    "admin.targets_help": (
        "เป้าหมายที่กำหนดที่นี่แทนเป้าหมายในทะเบียนตัวชี้วัด เป้าหมายของพื้นที่หนึ่งมีผลเหนือเป้าหมายของทุกพื้นที่",
        "A target set here replaces the registry's; a target for one area beats the one for all areas",
    ),
    "admin.no_overrides": ("ยังไม่มีเป้าหมายที่กำหนดเอง ใช้เป้าหมายตามทะเบียน", "No overrides: the registry's targets apply"),
    "admin.registry_targets": ("เป้าหมายตามทะเบียนตัวชี้วัด", "The registry's targets"),
    "admin.all_areas": ("ทุกพื้นที่", "all areas"),
    "admin.col_set_by": ("กำหนดโดย", "Set by"),
    "admin.col_set_at": ("เมื่อ", "Set at"),
    "admin.set_target": ("บันทึกเป้าหมาย", "Set target"),
    "admin.target_needed": ("โปรดใส่ค่าเป้าหมาย", "Enter a target value"),
    "admin.target_set": ("ตั้งเป้าหมาย {indicator} = {target} ภายในปี {year} แล้ว",
                         "Target of {indicator} set to {target} by {year}"),
    "admin.clear_which": ("เป้าหมายที่จะยกเลิก", "Override to clear"),
    "admin.clear_target": ("ใช้เป้าหมายตามทะเบียน", "Clear override"),
    "admin.target_cleared": ("{indicator}: กลับไปใช้เป้าหมายตามทะเบียนแล้ว",
                             "{indicator}: the registry's target applies again"),
    "admin.batches": ("ชุดข้อมูลทั้งหมด", "Every batch"),
    "admin.col_kind": ("ประเภท", "Kind"),
    "admin.col_by": ("โดย", "By"),
    "admin.col_rows": ("แถวที่นำเข้า/อ่าน", "Rows loaded/read"),
    "admin.col_problems": ("ปัญหา", "Problems"),
    "admin.col_undone_by": ("ยกเลิกโดย", "Undone by"),
    "admin.undo_which": ("ชุดข้อมูลที่จะยกเลิก", "Batch to undo"),
    "admin.problems_of": ("ปัญหาของชุดข้อมูล", "Problems of batch"),
    "admin.users": ("บัญชีผู้ใช้และขอบเขตพื้นที่", "Accounts and scopes"),
    "admin.col_role": ("บทบาท", "Role"),
    "admin.col_scope": ("ขอบเขตพื้นที่", "Scope"),
    "admin.col_email": ("อีเมล", "E-mail"),
    "admin.col_password": ("มีรหัสผ่าน", "Password"),
    "admin.col_locked": ("ถูกล็อก", "Locked"),
    "admin.col_last_login": ("เข้าระบบล่าสุด", "Last sign-in"),
    "admin.col_created": ("สร้างเมื่อ · โดย", "Created · by"),
    "admin.add_user": ("เพิ่มบัญชี", "Add account"),
    "admin.edit_user": ("แก้ไขบทบาท ขอบเขต หรืออีเมล", "Change role, scope or e-mail"),
    "admin.save_user": ("บันทึก", "Save"),
    "admin.scope_help": (
        "เฉพาะบทบาทสภาองค์กรชุมชน: รหัสอำเภอหรือตำบล คั่นด้วยจุลภาค เช่น 9303,930501",
        "Council accounts only: district or subdistrict codes, comma-separated, e.g. 9303,930501",
    ),
    "admin.email_help": (
        "ใช้จับคู่การเข้าสู่ระบบผ่านผู้ให้บริการยืนยันตัวตน (OIDC)",
        "Matched against the identity provider's sign-in (OIDC)",
    ),
    "admin.password_help": (
        "อย่างน้อย 8 ตัวอักษร เว้นว่างได้ถ้าบัญชีเข้าระบบผ่าน OIDC เท่านั้น",
        "At least 8 characters; leave empty for an account that signs in through OIDC only",
    ),
    "admin.user_added": ("เพิ่มบัญชี {name} ({role}) แล้ว", "Account {name} ({role}) added"),
    "admin.user_saved": ("บันทึกบัญชี {name} แล้ว", "Account {name} saved"),
    "admin.reset_password": ("ตั้งรหัสผ่านใหม่", "Reset password"),
    "admin.password_reset": ("ตั้งรหัสผ่านใหม่ของ {name} แล้ว", "Password of {name} reset"),
    "admin.remove_which": ("บัญชีที่จะลบ", "Account to remove"),
    "admin.remove_user": ("ลบบัญชี", "Remove"),
    "admin.user_removed": ("ลบบัญชี {name} แล้ว", "Account {name} removed"),
    "admin.boundaries": ("โหลดขอบเขตพื้นที่ใหม่", "Reload boundaries"),
    "admin.boundaries_help": (
        "GeoJSON, GeoPackage หรือ shapefile ใน .zip ระบบพิกัดใดก็ได้ จับคู่กับรหัสหรือชื่อพื้นที่",
        "GeoJSON, GeoPackage or a zipped shapefile in any CRS; features are matched on codes or names",
    ),
    "admin.boundaries_file": ("ไฟล์ขอบเขต", "Boundary file"),
    "admin.load_boundaries": ("โหลดขอบเขต", "Load boundaries"),
    "admin.boundaries_loaded": ("โหลดขอบเขต{level} {n} พื้นที่แล้ว", "{n} {level} shapes loaded"),
    "admin.boundaries_details": ("รายละเอียด", "Details"),
    "admin.boundaries_dry_run": ("ตรวจอย่างเดียว ไม่บันทึก", "Check only (dry run): write nothing"),
    "admin.boundaries_checked": ("ตรวจแล้ว: จะตรงกับ{level} {n} พื้นที่ ยังไม่ได้บันทึก",
                                 "Checked: {n} {level} shapes would be loaded; nothing was written"),
    "admin.boundaries_failed": ("อ่านไฟล์ขอบเขตไม่ได้: {error}", "Could not read the boundary file: {error}"),
    "admin.log": ("บันทึกการเปลี่ยนแปลง", "Write log"),
    "admin.log_help": (
        "ชุดข้อมูลที่นำเข้าและยกเลิก การเปลี่ยนเป้าหมาย บัญชีผู้ใช้ และขอบเขตพื้นที่ ใหม่สุดก่อน",
        "Uploads and undos, target changes, accounts and boundaries, newest first",
    ),
    "admin.col_action": ("การกระทำ", "Action"),
    "admin.col_subject": ("รายการ", "Subject"),
    "admin.col_detail": ("รายละเอียด", "Detail"),
    # the district report's own words (indicators/present/report.py reads them as report.<key>)
    "report.level.province": (
        "จังหวัด",
        "province",
    ),
    "report.level.district": (
        "อำเภอ",
        "district",
    ),
    "report.level.subdistrict": (
        "ตำบล",
        "subdistrict",
    ),
    "report.n_district": (
        "{n} อำเภอ",
        "{n} districts",
    ),
    "report.n_subdistrict": (
        "{n} ตำบล",
        "{n} subdistricts",
    ),
    "report.year_be": (
        "ปี (พ.ศ.)",
        "year (BE)",
    ),
    "report.source": (
        "ที่มา",
        "Source",
    ),
    "report.area_names": (
        "ชื่อและรหัสพื้นที่",
        "Area names and codes",
    ),
    "report.report.title": (
        "รายงานความก้าวหน้าสู่พัทลุงมหานครแห่งความสุข 2575",
        "Progress report: Phatthalung, Metropolis of Happiness by 2575",
    ),
    "report.report.made": (
        "จัดทำเมื่อ",
        "Made on",
    ),
    "report.report.demo": (
        "ข้อมูลสาธิต: ตัวเลขทั้งหมดในรายงานนี้สร้างขึ้นเพื่อทดลองใช้ ไม่ใช่ข้อมูลจริงของจังหวัด",
        "Demo data: every figure in this report is made up for trying the dashboard out, not the "
        "province's real data",
    ),
    "report.index.title": (
        "ดัชนีพัทลุงมหานครแห่งความสุข",
        "Happiness Metropolis Index",
    ),
    "report.index.latest": (
        "ดัชนีปี {year}: {score} จาก 100 (เป้าหมาย {target} ภายในปี {target_year})",
        "Index in {year}: {score} out of 100 (target {target} by {target_year})",
    ),
    "report.index.none": (
        "ยังคำนวณดัชนีไม่ได้ (ข้อมูลไม่พอ)",
        "The index cannot be computed yet (too little data)",
    ),
    "report.index.domains": (
        "คะแนนรายด้าน ปี {year} (0–100)",
        "Domain scores in {year} (0–100)",
    ),
    "report.index.fed": (
        "ตัวชี้วัดที่ใช้",
        "indicators used",
    ),
    "report.index.chart": (
        "ดัชนีและคะแนนรายด้านตามปี",
        "The index and the domain scores by year",
    ),
    "report.status.title": (
        "สถานะตัวชี้วัด",
        "Indicator status",
    ),
    "report.status.counts": (
        "ตัวชี้วัด {n} ตัว: ",
        "{n} indicators: ",
    ),
    "report.col.baseline": (
        "ค่าฐาน (ปี)",
        "Baseline (year)",
    ),
    "report.col.latest": (
        "ค่าล่าสุด (ปี)",
        "Latest (year)",
    ),
    "report.col.target": (
        "เป้าหมาย (ปี)",
        "Target (year)",
    ),
    "report.col.progress": (
        "ความก้าวหน้า",
        "Progress",
    ),
    "report.col.projected": (
        "คาดว่าถึงเป้า",
        "Projected",
    ),
    "report.col.score": (
        "คะแนน",
        "Score",
    ),
    "report.never": (
        "ไม่ถึงในอัตรานี้",
        "not at this pace",
    ),
    "report.no_indicator_data": (
        "ไม่มีข้อมูลตัวชี้วัดนี้สำหรับพื้นที่นี้",
        "No data on this indicator for this area",
    ),
    "report.charts.title": (
        "แนวโน้มรายตัวชี้วัด",
        "Trajectories, indicator by indicator",
    ),
    "report.charts.note": (
        "เส้นทึบ: ค่าที่เกิดขึ้นจริง · เส้นประ: เส้นทางตรงจากค่าฐานสู่เป้าหมาย · เส้นจุด: แนวโน้มปัจจุบัน "
        "· ดาว: เป้าหมาย",
        "Solid line: observed · dashed: the straight path from the baseline to the target · dotted: the "
        "current trend · star: the target",
    ),
    "report.sources.title": (
        "แหล่งข้อมูล",
        "Sources",
    ),
    "report.definition": (
        "นิยาม",
        "Definition",
    ),
    "report.formula": (
        "สูตร",
        "Formula",
    ),
    "report.methods.baseline": (
        "ค่าฐาน คือค่าในปีฐาน (พ.ศ. 2568) หรือปีแรกที่มีข้อมูล ค่าล่าสุด คือค่าของปีล่าสุดที่มีข้อมูล "
        "เป้าหมายและปีเป้าหมาย (2575) มาจากทะเบียนตัวชี้วัด หรือที่ผู้ดูแลระบบกำหนด",
        "The baseline is the value in the baseline year (2568 BE), or the first year on record; the latest is "
        "the most recent value. Targets and the target year (2575 BE) come from the indicator registry or an "
        "administrator's override.",
    ),
    "report.methods.progress": (
        'ความก้าวหน้า = 100 × (ค่าล่าสุด − ค่าฐาน) / (เป้าหมาย − ค่าฐาน) ไม่ตัดปลาย (ติดลบหมายถึงถอยหลัง)',
        'Progress = 100 × (latest − baseline) / (target − baseline), not clipped (negative means going backward).',
    ),
    "report.methods.pace": (
        "แนวโน้มที่เกิดขึ้นจริง คือความชันกำลังสองน้อยที่สุดของ 5 ปีล่าสุดที่มีข้อมูล (อย่างน้อย 2 ปี) "
        "แนวโน้มที่ต้องการ = (เป้าหมาย − ค่าล่าสุด) / (ปีเป้าหมาย − ปีล่าสุด)",
        "The observed pace is the least-squares slope over the last five years on record (at least two); the "
        "required pace = (target − latest) / (target year − latest year).",
    ),
    "report.methods.status": (
        'สถานะตามอัตราส่วน แนวโน้มจริง / แนวโน้มที่ต้องการ (คิดทิศทางให้การเข้าใกล้เป้าเป็นบวก): {statuses}',
        "Status from the ratio observed / required pace (signs taken so that toward the target is positive): "
        "{statuses}",
    ),
    "report.methods.sums": (
        "ค่าระดับอำเภอและจังหวัดคำนวณจากผลรวมของตำบล (เช่น อัตราการเข้าพัก = Σ ห้องที่ขายได้ / Σ ห้องทั้งหมด) "
        "ไม่ใช่ค่าเฉลี่ยของอัตรา คะแนนใช้ค่าเฉลี่ยถ่วงน้ำหนัก",
        "District and province values add up the subdistricts (e.g. occupancy = Σ room-nights sold / Σ "
        "room-nights available), never a mean of rates; scores are weighted means.",
    ),
    "report.methods.coverage": (
        "ความครอบคลุม: ค่าระดับอำเภอและจังหวัดของปีหนึ่งใช้ได้เมื่อข้อมูลครบ คือผลรวมต้องมีทุกตำบล "
        "ส่วนอัตราส่วนและค่าเฉลี่ยต้องมีอย่างน้อยร้อยละ 80 ของตำบล ปีที่ยังไม่ครบแสดงเป็นจุดกลวงพร้อมจำนวนตำบล "
        "และไม่ใช้เป็นค่าฐาน ค่าล่าสุด หรือจุดของแนวโน้ม ตำบลที่ยังไม่ส่งอาจใช้ค่าล่าสุดของตนเองไม่เกิน 2 ปีแทน "
        "(ค่าประมาณการ E นับแยก)",
        "Coverage: a district's or the province's value for a year counts when it is complete: a total needs "
        "every subdistrict, a ratio or mean at least 80 % of them. Incomplete years are drawn hollow with their "
        "count of subdistricts and are never a baseline, a latest value or a point of the trend. A late "
        "council's own latest figure, at most 2 years old, may stand in (an estimate, E, counted apart).",
    ),
    "report.coverage": (
        "ค่าระดับ{level}รวมจากตำบลที่รายงานครบ (ปีล่าสุด {n} ตำบล)",
        "{level} values add up the subdistricts that reported every part ({n} in the latest year)",
    ),
    # everything in one zip (indicators.present.bundle)
    "bundle.readme_title": (
        "พัทลุงมหานครแห่งความสุข: ข้อมูลทั้งหมดของแดชบอร์ด (ไฟล์ CSV เข้ารหัส UTF-8 หัวคอลัมน์ภาษาไทย / อังกฤษ)",
        "Phatthalung, Metropolis of Happiness: every table of the dashboard (CSV in UTF-8, headers in Thai / English)",
    ),
    "bundle.file.progress": (
        "ความก้าวหน้าของทุกพื้นที่และตัวชี้วัดสู่เป้าหมาย: ค่าฐาน ค่าล่าสุด แนวโน้ม สถานะ และความครอบคลุม",
        "progress of every area and indicator toward its target: baseline, latest, pace, status and coverage",
    ),
    "bundle.file.values": (
        "ค่าตัวชี้วัดทุกพื้นที่ทุกปี (ปีเป็น ค.ศ.) พร้อมตัวตั้ง ตัวหาร และจำนวนตำบลที่ใช้คำนวณ",
        "every indicator value of every area and year (years in CE) with numerator, denominator and the "
        "subdistricts that fed it",
    ),
    "bundle.file.index": (
        "ดัชนีความสุขและคะแนนรายด้านของทุกพื้นที่ทุกปี",
        "the happiness index and domain scores of every area and year",
    ),
    "bundle.file.coverage": (
        "จำนวนตำบลที่ส่งข้อมูลของแต่ละพื้นที่ในแต่ละปี เทียบกับจำนวนตำบลทั้งหมด",
        "how many subdistricts of each area sent figures each year, against how many it holds",
    ),
    "bundle.file.indicators": (
        "ทะเบียนตัวชี้วัด: นิยาม สูตร เป้าหมาย และขอบเขต",
        "the indicator registry: definitions, formulas, targets and bounds",
    ),
    "bundle.file.measures": (
        "ข้อมูลที่นำเข้าได้: หน่วย ช่วงค่าที่ยอมรับ และแหล่งที่มา",
        "the measures: units, accepted ranges and sources",
    ),
    "bundle.file.catalogue": (
        "ไฟล์ทะเบียนต้นฉบับ (YAML) ที่ใช้คำนวณทุกตัวเลข",
        "the registry's own files (YAML) every figure is computed from",
    ),
    "bundle.readme_note": (
        "ตัวเลขชุดเดียวกับที่แดชบอร์ดแสดง ณ เวลาที่ดาวน์โหลด วิธีคำนวณอยู่ในหน้าวิธีการ",
        "The same numbers the dashboard shows at the time of download; the methods page says how they are computed.",
    ),
    "methods.download_all": ("ดาวน์โหลดข้อมูลทั้งหมด (zip)", "Download everything (zip)"),
    "methods.download_all_help": (
        "ทุกตาราง (ค่า ความก้าวหน้า ดัชนี ความครอบคลุม) เป็น CSV พร้อมทะเบียนตัวชี้วัด ในไฟล์เดียว",
        "every table (values, progress, index, coverage) as CSV with the indicator registry, in one file",
    ),
    "column.n_reporting": ("จำนวนตำบลที่ส่งข้อมูล", "Subdistricts that sent figures"),
    "column.share_pct": ("ร้อยละของตำบลที่ส่งข้อมูล", "Share of subdistricts (%)"),
    # what loading a file did (loaders.uploads.LoadReport)
    "load.duplicate": (
        "ไฟล์นี้ (sha256 {sha}…) นำเข้าแล้วในชุดที่ {batch}: ไม่มีการเพิ่มข้อมูล",
        "this file (sha256 {sha}…) was already loaded as batch {batch}: nothing added",
    ),
    "load.before": (
        " (ไม่รวม {rows} แถวของไฟล์นี้ที่นำเข้าแล้วตั้งแต่ชุดที่ {batch})",
        " ({rows} row(s) of this file were loaded before, from batch {batch}: left out)",
    ),
    "load.loaded": (
        "นำเข้า {rows} แถว {values} ค่า (ใหม่หรือเปลี่ยนแปลง {changed} ค่า) เป็นชุดที่ {batch}{before}",
        "loaded {rows} row(s), {values} value(s) ({changed} new or changed) as batch {batch}{before}",
    ),
    "load.partial": (
        "นำเข้าเฉพาะแถวที่ถูกต้อง {rows} จาก {read} แถว (ใหม่หรือเปลี่ยนแปลง {changed} ค่า) เป็นชุดที่ {batch}; {n} "
        "ในแถวที่ข้าม{before}",
        "loaded the {rows} valid row(s) of {read} ({changed} value(s) new or changed) as batch {batch}; {n} in the "
        "other rows were skipped{before}",
    ),
    "load.checked": (
        "ตรวจอย่างเดียว: {read} แถว นำเข้าได้ {values} ค่า ยังไม่ได้บันทึก",
        "dry run: {read} row(s), {values} value(s) would load; nothing written",
    ),
    "load.n_problems": ("พบปัญหา {n} รายการ", "{n} problem(s)"),
    "load.rejected": ("ไฟล์ถูกปฏิเสธ ไม่มีการนำเข้าข้อมูล: {n}{kept}", "rejected, nothing loaded: {n}{kept}"),
    "load.would_reject": ("ตรวจอย่างเดียว: ไฟล์จะถูกปฏิเสธ: {n}{kept}", "dry run: would be rejected: {n}{kept}"),
    "load.kept": (" (ชุดที่ {batch} เก็บรายงานไว้)", " (batch {batch} keeps the report)"),
    "load.warnings": (
        "คำเตือน {n} รายการ (ไม่ทำให้ไฟล์ถูกปฏิเสธ): ตรวจว่าค่าเหล่านี้ถูกต้อง",
        "{n} warning(s), which reject nothing: check that these values are right",
    ),
    "load.replaces": (
        "ค่าใหม่ {new} ค่า แทนค่าเดิม {replaced} ค่า เท่าค่าเดิม {same} ค่า",
        "{new} new value(s), {replaced} replacing a stored value, {same} equal to the stored value",
    ),
    # a file's problems (loaders.problems): str.format templates filled with the problem's fields
    # the file as a whole
    "problem.file-too-large": (
        "ไฟล์ใหญ่เกินไป ({size}) เกินขีดจำกัด {limit}",
        "the file is too large ({size}); the limit is {limit}",
    ),
    "problem.too-many-rows": ("ไฟล์มีมากกว่า {limit:,} แถว", "the file has more than {limit:,} rows"),
    "problem.too-many-cells": (
        "ตารางในชีตกว้าง {width:,} คอลัมน์ × สูง {height:,} แถว เกินขีดจำกัด {limit:,} ช่อง",
        "the sheet's table spans {width:,} columns × {height:,} rows, above the limit of {limit:,} cells",
    ),
    "problem.too-many-columns": (
        "ไฟล์มีมากกว่า {limit:,} คอลัมน์ (แถวที่ {row_number})",
        "the file has more than {limit:,} columns (row {row_number})",
    ),
    "problem.file-format": ("{th}", "{en}"),
    "problem.encoding-error": ("{th}", "{en}"),
    "problem.empty-file": ("ไฟล์ไม่มีข้อมูล", "the file holds no data"),
    "problem.missing-column": (
        "ไม่พบคอลัมน์ {what_th} (หัวคอลัมน์ที่รับได้ เช่น {examples})",
        "no {what_en} column (accepted headers include {examples})",
    ),
    "problem.no-values": ("ไม่มีค่าที่นำเข้าได้ในไฟล์", "no value in the file could be loaded"),
    # the check of an uploaded file in a worker process (loaders.workers): a limit stopped it
    "problem.check-time-limit": (
        "ตรวจไฟล์นานเกิน {seconds} วินาทีซึ่งเป็นขีดจำกัด จึงหยุดตรวจ ไม่มีการนำเข้าข้อมูล: แบ่งเป็นไฟล์ที่เล็กลง หรือแจ้งผู้ดูแลระบบ",
        "checking the file took longer than the limit of {seconds} s, so it was stopped and nothing was loaded: "
        "split it into smaller files, or tell the administrator",
    ),
    "problem.check-memory-limit": (
        "การตรวจไฟล์ต้องใช้หน่วยความจำเกินขีดจำกัด {limit} จึงหยุดตรวจ ไม่มีการนำเข้าข้อมูล: แบ่งเป็นไฟล์ที่เล็กลง หรือแจ้งผู้ดูแลระบบ",
        "checking the file needed more memory than the limit of {limit}, so it was stopped and nothing was loaded: "
        "split it into smaller files, or tell the administrator",
    ),
    "problem.check-failed": (
        "การตรวจไฟล์หยุดลงโดยไม่คาดคิด (รหัส {status}) ไม่มีการนำเข้าข้อมูล: ลองอีกครั้ง หรือแจ้งผู้ดูแลระบบ",
        "checking the file stopped unexpectedly (status {status}) and nothing was loaded: try again, or tell the "
        "administrator",
    ),
    "problem.years-as-columns": (
        "หัวคอลัมน์ {years} ({n} คอลัมน์) เป็นปี (ตารางที่มีปีเป็นคอลัมน์) แต่ไม่ได้ระบุว่าเป็นตัวชี้วัดใด: "
        "เพิ่มคอลัมน์ ตัวชี้วัด (measure) ที่มีรหัสหรือชื่อตัวชี้วัดในทุกแถว "
        "หรือตั้งชื่อชีตเป็นรหัสหรือชื่อตัวชี้วัด หรือเลือกตัวชี้วัดตอนนำเข้า (บรรทัดคำสั่ง: --measure "
        "รหัสตัวชี้วัด)",
        "the headers {years} ({n} columns) are years (a table with years as columns) but no measure is named: "
        "add a measure column (ตัวชี้วัด, measure) giving the measure's id or name on every row, name the "
        "sheet after the measure (its id or name), or choose the measure when loading (command line: --measure "
        "ID)",
    ),
    # headers
    "problem.blank-header": (
        "คอลัมน์ที่ {column_number} ไม่มีหัวคอลัมน์ แต่มีข้อมูล",
        "column {column_number} has data but no header",
    ),
    "problem.duplicate-header": (
        "หัวคอลัมน์ '{value}' ซ้ำกับคอลัมน์ที่ {first}",
        "header '{value}' repeats column {first}",
    ),
    # cells and rows
    "problem.extra-cell": (
        "แถวนี้มีข้อมูลเกินจำนวนหัวคอลัมน์ ({cells} ช่อง หัวคอลัมน์มี {width} ช่อง)",
        "this row has more cells ({cells}) than the header ({width})",
    ),
    "problem.missing-cell": (
        "แถวนี้มีข้อมูลน้อยกว่าจำนวนหัวคอลัมน์ ({cells} ช่อง หัวคอลัมน์มี {width} ช่อง)",
        "this row has fewer cells ({cells}) than the header ({width})",
    ),
    "problem.type-error": ("'{value}' ไม่ใช่{what_th}", "'{value}' is not {what_en}"),
    "problem.unknown-area": ("ไม่รู้จักพื้นที่ '{value}'{why_th}", "unknown area '{value}'{why_en}"),
    "problem.ambiguous-area": (
        "ชื่อ '{value}' ตรงกับหลายพื้นที่ ({candidates}) ให้ระบุอำเภอหรือใช้รหัสพื้นที่",
        "the name '{value}' matches several areas ({candidates_en}): add a district or use the code",
    ),
    "problem.ambiguous-level": (
        "ชื่อ '{value}' เป็นได้ทั้งอำเภอและตำบล ({candidates}) ให้เขียน อ. หรือ ต. หน้าชื่อ ใช้รหัสพื้นที่ "
        "หรือระบุระดับพื้นที่ของไฟล์ (หัวคอลัมน์ ตำบล หรือ อำเภอ คอลัมน์ระดับ หรือเลือกระดับตอนนำเข้า)",
        "the name '{value}' fits areas at two levels ({candidates_en}): write อ. (district) or ต. "
        "(subdistrict) before it, use the code, or set the file's level (a column headed ตำบล or อำเภอ, a "
        "level column, or the level chosen when loading)",
    ),
    "problem.unknown-measure": ("ไม่รู้จักตัวชี้วัด '{value}'", "unknown measure '{value}'"),
    "problem.year-out-of-range": ("ปี '{value}' อยู่นอกช่วง พ.ศ. 2540–2600", "year '{value}' is outside 2540–2600 BE"),
    "problem.out-of-range": ("{th}", "{en}"),
    "problem.part-exceeds-whole": (
        "{part_th} ({part}) มากกว่า {whole_th} ({whole}) ของพื้นที่และปีเดียวกัน (แถว {row_whole})",
        "{part_en} ({part}) is larger than {whole_en} ({whole}) for the same area and year (row {row_whole})",
    ),
    "problem.duplicate-row": (
        "พื้นที่ ตัวชี้วัด และปีเดียวกันซ้ำกับแถว {others}",
        "the same area, measure and year appear again in row(s) {others}",
    ),
    "problem.outside-scope": (
        "พื้นที่ '{value}' ({area_code}) อยู่นอกพื้นที่ที่คุณได้รับสิทธิ์",
        "area '{value}' ({area_code}) is outside the areas you may upload for",
    ),
    # warnings (loaders.problems.WARNING_CODES): listed apart, shown before confirming, never rejecting
    "problem.implausible-change": (
        "{measure_th} {area_th} ปี {year}: {old} → {new} ({change}) ห่างจาก{ref_th}ของพื้นที่มาก: ตรวจว่าถูกต้อง",
        "{measure_en}, {area_en}, {year} BE: {old} → {new} ({change}) is far from the area's {ref_en}: check that "
        "it is right",
    ),
    # what an implausible change is compared with (loaders.plausibility)
    "preview.ref_same": ("ค่าเดิม", "value already stored"),
    "preview.ref_year": ("ค่าปี {year} ", "value for {year} BE"),
    # headers of the columns of exported tables (other columns keep their name)

    "column.area_code": ("รหัสพื้นที่", "Area code"),
    "column.area_name": ("พื้นที่", "Area"),
    "column.area_name_th": ("ชื่อพื้นที่ (ไทย)", "Area name (Thai)"),
    "column.area_name_en": ("ชื่อพื้นที่ (อังกฤษ)", "Area name (English)"),
    "column.level": ("ระดับพื้นที่", "Level"),
    "column.parent_code": ("รหัสพื้นที่แม่", "Parent code"),
    "column.indicator_id": ("รหัสตัวชี้วัด", "Indicator id"),
    "column.indicator_name": ("ตัวชี้วัด", "Indicator"),
    "column.unit": ("หน่วย", "Unit"),
    "column.domain": ("ด้าน", "Domain"),
    "column.direction": ("ทิศทางที่ดี", "Better direction"),
    "column.year": ("ปี (ค.ศ.)", "Year (CE)"),
    "column.year_be": ("ปี (พ.ศ.)", "Year (BE)"),
    "column.value": ("ค่า", "Value"),
    "column.numerator": ("ตัวตั้ง", "Numerator"),
    "column.denominator": ("ตัวหาร", "Denominator"),
    "column.n_subdistricts": ("จำนวนตำบลที่ส่งข้อมูล", "Subdistricts reported"),
    "column.n_estimated": ("จำนวนตำบลที่ประมาณการ (E)", "Subdistricts estimated (E)"),
    "column.n_expected": ("จำนวนตำบลทั้งหมดของพื้นที่", "Subdistricts in the area"),
    "column.complete": ("ข้อมูลครบ (ใช้คำนวณ)", "Complete (used)"),
    "column.estimated": ("มีค่าประมาณการ (E)", "Estimated (E)"),
    "column.coverage": ("ความครอบคลุม", "Coverage"),
    "column.n_incomplete": ("จำนวนปีที่ข้อมูลยังไม่ครบ", "Incomplete years"),
    "column.pending_year": ("ปีที่ยังรอข้อมูล (ค.ศ.)", "Year still incomplete (CE)"),
    "column.slope_se": ("ความคลาดเคลื่อนมาตรฐานของแนวโน้ม", "Slope standard error"),
    "column.slope_low": ("แนวโน้มต่อปี ขอบล่าง 80%", "Slope, 80 % low"),
    "column.slope_high": ("แนวโน้มต่อปี ขอบบน 80%", "Slope, 80 % high"),
    "column.ratio_low": ("อัตราส่วนแนวโน้ม ขอบล่าง 80%", "Pace ratio, 80 % low"),
    "column.ratio_high": ("อัตราส่วนแนวโน้ม ขอบบน 80%", "Pace ratio, 80 % high"),
    "column.projected_low": ("ปีที่คาดว่าจะถึงเป้า เร็วสุด (ค.ศ.)", "Projected year, earliest (CE)"),
    "column.projected_high": ("ปีที่คาดว่าจะถึงเป้า ช้าสุด (ค.ศ.)", "Projected year, latest (CE)"),
    "column.projection": ("ลักษณะการคาดการณ์", "Projection"),
    "column.confidence": ("ความแน่นอนของสถานะ", "How sure"),
    "column.status_best": ("สถานะที่ดีที่สุดในช่วง 80%", "Best status in the 80 % range"),
    "column.status_worst": ("สถานะที่แย่ที่สุดในช่วง 80%", "Worst status in the 80 % range"),
    "column.baseline_year": ("ปีฐาน (ค.ศ.)", "Baseline year (CE)"),
    "column.baseline": ("ค่าฐาน", "Baseline"),
    "column.latest_year": ("ปีล่าสุด (ค.ศ.)", "Latest year (CE)"),
    "column.latest": ("ค่าล่าสุด", "Latest"),
    "column.target": ("เป้าหมาย", "Target"),
    "column.target_year": ("ปีเป้าหมาย (ค.ศ.)", "Target year (CE)"),
    "column.progress_pct": ("ความก้าวหน้า (%)", "Progress (%)"),
    "column.observed_slope": ("แนวโน้มที่เกิดขึ้นจริงต่อปี", "Observed slope per year"),
    "column.required_slope": ("แนวโน้มที่ต้องการต่อปี", "Required slope per year"),
    "column.ratio": ("อัตราส่วนแนวโน้ม", "Pace ratio"),
    "column.status": ("สถานะ", "Status"),
    "column.projected_year": ("ปีที่คาดว่าจะถึงเป้า (ค.ศ.)", "Projected year (CE)"),
    "column.n_years": ("จำนวนปีที่ข้อมูลครบ", "Complete years"),
    "column.index": ("ดัชนี", "Index"),
    "column.score": ("คะแนน", "Score"),
    "column.weight": ("น้ำหนัก", "Weight"),
    "column.n_indicators": ("จำนวนตัวชี้วัดทั้งหมด", "Indicators in total"),
    "column.n_available": ("จำนวนที่มีข้อมูล", "With data"),
    "column.batch_id": ("ชุดข้อมูล", "Batch"),
    "column.measure_id": ("รหัสข้อมูล", "Measure id"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Thai unless ``"en"``), with ``{placeholders}`` filled from ``values``."""
    th, en = TEXT[key]
    text = en if lang == "en" else th
    return text.format(**values) if values else text
