"""What the dashboard pages read: every number, table and figure a page shows comes from a function here.

Each function takes the database path first and returns plain data (dicts, frames, plotly figures) that pickles, so
the app can cache it keyed on the file's change time (``app_pages/_cache.py``); nothing here imports Streamlit.  Years
come out in BE where they are shown, in CE where they are values a page passes back in (choices of year).
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd

from indicators.engine.changes import latest_council_batch, status_changes
from indicators.engine.index import HMI
from indicators.engine.progress import WINDOW, classify, ls_fit, projected_year, required_slope
from indicators.engine.tables import (
    _signature,
    equity_table,
    index_table,
    indicator_values,
    progress_table,
    sensitivity_table,
)
from indicators.present import charts
from indicators.present.headline import N_BEHIND, DistrictScore, Headline, fed_text
from indicators.present.i18n import (
    area_label,
    batch_file_label,
    be,
    coverage_text,
    fmt_num,
    fmt_when,
    fmt_year,
    status_word,
)
from indicators.present.map_figure import simplify_shapes
from indicators.present.progress_text import (
    confidence_text,
    pace_text,
    pending_coverage,
    projection_text,
    slope_span,
    span_text,
    status_why,
    years_note,
)
from indicators.present.views import Col, TableView
from indicators.registry import (
    AGENCIES,
    DOMAINS,
    HOME_PROVINCE,
    MODEL_SUBDISTRICT,
    STATUSES,
    load_index_spec,
    load_registry,
)
from indicators.words import t
from loaders.areas import CREDIT
from loaders.geometry import read_shapes
from loaders.store import db_path, get_meta, reader

SCHEMATIC = "schematic demo shapes"
GOOD = ("achieved", "on_track")
LEVEL_ORDER = {"province": 0, "district": 1, "subdistrict": 2}
MAP_TOLERANCE = 0.002  # degrees (~200 m): keeps the map well under 500 KB

Db = str | os.PathLike[str] | None


def data_stamp(db: Db = None) -> tuple[int, int]:
    """The database file's change time (and its write-ahead log's): the key that invalidates cached reads."""
    p = db_path(db)
    wal = p.with_name(p.name + ".wal")
    return (p.stat().st_mtime_ns if p.exists() else 0, wal.stat().st_mtime_ns if wal.exists() else 0)


# ---------------------------------------------------------------------------------------------- areas and meta


def meta(db: Db = None) -> dict:
    """Demo flag, geometry source and whether the shapes are schematic."""
    with reader(db) as con:
        demo = get_meta(con, "demo")
        geometry = get_meta(con, "geometry_source")
    return {"demo": demo, "geometry_source": geometry, "schematic": geometry == SCHEMATIC}


_AREAS: dict[tuple, pd.DataFrame] = {}


def areas(db: Db = None) -> pd.DataFrame:
    """Every area (code, level, parent_code, name_th, name_en), province first, then by code.

    Kept in this process per store state (the signature of :func:`indicators.engine.tables.snapshot`): every page asks
    for it several times, and a country has 8,441 areas.
    """
    sig = _signature(db)
    hit = _AREAS.get(sig) if sig is not None else None
    if hit is None:
        with reader(db) as con:
            df = con.execute("SELECT code, level, parent_code, name_th, name_en FROM areas").df()
        hit = df.assign(_o=df.level.map(LEVEL_ORDER)).sort_values(["_o", "code"]).drop(columns="_o").reset_index(
            drop=True)
        if sig is not None:
            _AREAS.clear()  # one store state at a time
            _AREAS[sig] = hit
    return hit.copy()


def _labels(frame: pd.DataFrame, lang: str) -> dict[str, str]:
    return {code: area_label(th, en, level, lang) for code, th, en, level in
            zip(frame.code, frame.name_th, frame.name_en, frame.level, strict=True)}


def axis_labels(db: Db, codes, lang: str) -> dict[str, str]:
    """Code → label for an axis of areas: the name, with its district where two areas shown share a name
    (ดอนทราย is a subdistrict of two districts)."""
    frame = areas(db)
    labels = _labels(frame, lang)
    parents = dict(zip(frame.code, frame.parent_code, strict=True))
    codes = [str(c) for c in codes]
    shown = [labels.get(c, c) for c in codes]
    repeated = {x for x in shown if shown.count(x) > 1}
    out = {}
    for c, label in zip(codes, shown, strict=True):
        parent = parents.get(c)
        out[c] = f"{label} · {labels[parent]}" if label in repeated and parent in labels else label
    return out


def area_choices(db: Db, lang: str) -> dict[str, str]:
    """Code → label for a chooser: the province, then each district followed by its subdistricts."""
    a = areas(db)
    labels = _labels(a, lang)
    out: dict[str, str] = {}
    for r in a[a.level == "province"].itertuples():
        out[r.code] = labels[r.code]
    subs = a[a.level == "subdistrict"]
    children = subs.groupby("parent_code", sort=False).code.agg(list).to_dict()
    for d in a.loc[a.level == "district", "code"]:
        out[d] = labels[d]
        for s in children.get(d, []):
            out[s] = f"　{labels[s]} · {labels[d]}"
    return out


def district_choices(db: Db, lang: str) -> dict[str, str]:
    a = areas(db)
    return _labels(a[a.level == "district"], lang)


def area_info(db: Db, code: str, lang: str) -> dict | None:
    """Name, level, parent and children of one area; None for an unknown code."""
    a = areas(db)
    row = a[a.code == code]
    if row.empty:
        return None
    r = row.iloc[0]
    labels = _labels(a, lang)
    parent = r.parent_code if isinstance(r.parent_code, str) else None
    return {
        "code": code, "level": r.level, "label": labels[code], "level_label": t(f"level.{r.level}", lang),
        "parent_code": parent, "parent_label": labels.get(parent) if parent else None,
        "children": a.loc[a.parent_code == code, "code"].tolist(),
    }


def province_code(db: Db = None) -> str | None:
    """The province the overview is about: ``$WELLBEING_PROVINCE``, else Phatthalung (93), else the first in the
    store (a store made with ``loaders init --province all`` holds every province)."""
    a = areas(db)
    codes = a.loc[a.level == "province", "code"].tolist()
    for wanted in (os.environ.get("WELLBEING_PROVINCE"), HOME_PROVINCE):
        if wanted in codes:
            return wanted
    return codes[0] if codes else None


def indicator_choices(lang: str, in_index: bool = False) -> dict[str, str]:
    """Indicator id → name, in registry order (grouped by domain)."""
    reg = load_registry()
    return {i.id: i.name.get(lang) for d in DOMAINS for i in reg.indicators.values()
            if i.domain == d and (i.in_index or not in_index)}


def observation_years(db: Db = None) -> list[int]:
    """Years (CE) that have any observation, ascending."""
    with reader(db) as con:
        rows = con.execute("SELECT DISTINCT year FROM observations ORDER BY year").fetchall()
    return [int(r[0]) for r in rows]


# ---------------------------------------------------------------------------------------------- overview


def _hmi(db: Db, area: str | None, level: str | None = None) -> pd.DataFrame:
    frame = index_table(db, level=level, area=area)
    return frame[frame.domain == HMI]


def headline(db: Db, area: str, lang: str) -> dict:
    """The index now and a year before, the latest data year, coverage, and how many indicators are on track."""
    h = _hmi(db, area)
    h = h[h.score.notna() & h.complete].sort_values("year")  # complete years only: a late council is no decline
    out: dict = {"hmi": None, "hmi_year": None, "hmi_delta": None}
    if len(h):
        out.update(hmi=round(float(h.score.iloc[-1]), 1), hmi_year=fmt_year(h.year.iloc[-1], lang),
                   hmi_text=fmt_num(h.score.iloc[-1], 1))
        if len(h) > 1:
            out["hmi_delta"] = round(float(h.score.iloc[-1] - h.score.iloc[-2]), 1)
    years = observation_years(db)
    out["latest_year"] = fmt_year(years[-1], lang) if years else t("word.none", lang)
    out["complete_year"] = out["hmi_year"] or t("word.none", lang)
    a = areas(db).set_index("code")
    level = a.level.get(area)
    # the councils of the area (a district's, a subdistrict's own district's; the province: all in the store)
    district = area if level == "district" else a.parent_code.get(area) if level == "subdistrict" else None
    cov = coverage_summary(db, years[-1], district, lang) if years else None
    out["coverage"] = cov["share_text"] if cov else t("word.none", lang)
    out["coverage_year"] = out["latest_year"]
    out["councils"] = (t("overview.councils_reported", lang, year=out["latest_year"], n=cov["reported"],
                         total=cov["subs"]) if cov else "")
    p = progress_table(db, area=area)
    out["good"] = int(p.status.isin(GOOD).sum())
    out["total"] = len(p)
    return out


def _index_fed(db: Db, year: int, level: str | None = None, area: str | None = None) -> pd.DataFrame:
    """Per area, how many subdistricts fed the index's indicators in ``year`` (their complete values): the fewest and
    the most that reported, the most carried forward (E), of how many (``fed_low``, ``fed_high``, ``fed_estimated``,
    ``fed_expected``), indexed by area code."""
    ids = [i for i, ind in load_registry().indicators.items() if ind.in_index]
    v = indicator_values(db, level=level, area=area)
    v = v[(v.year == year) & v.indicator_id.isin(ids) & v.value.notna() & v.complete.astype(bool)]
    return v.assign(area_code=v.area_code.astype(str)).groupby("area_code").agg(
        fed_low=("n_subdistricts", "min"), fed_high=("n_subdistricts", "max"), fed_estimated=("n_estimated", "max"),
        fed_expected=("n_expected", "max"))


def councils_reported(db: Db, year: int, province: str) -> tuple[int, int]:
    """(subdistricts of ``province`` that sent any council figure for ``year``, all its subdistricts)."""
    a = areas(db)
    districts = a.loc[(a.level == "district") & (a.parent_code == province), "code"]
    subs = a.loc[(a.level == "subdistrict") & a.parent_code.isin(districts), "code"]
    cond, params = _council_figures(None, year)
    with reader(db) as con:
        sent = con.execute(f"SELECT DISTINCT o.area_code FROM observations o JOIN areas s ON s.code = o.area_code "
                           f"WHERE {cond}", params).fetchall()
    return len({r[0] for r in sent} & set(subs)), len(subs)


def overview_headline(db: Db, lang: str) -> Headline | None:
    """The overview's headline numbers for the province (:class:`indicators.present.headline.Headline`).

    The index of the latest complete year against the index target; the pace needed to reach it by the target year
    and the pace kept (the engine's least-squares window and status rule, :mod:`indicators.engine.progress`, applied
    to the index's complete years); every district's index that year, ranked; and the councils that have reported
    the latest year.  None for a store without a province.
    """
    area = province_code(db)
    if area is None:
        return None
    spec = load_index_spec()
    a = areas(db)
    labels = _labels(a, lang)
    years = observation_years(db)
    report: dict = {}
    if years:
        reported, councils = councils_reported(db, years[-1], area)
        report = {"report_year": years[-1], "reported": reported, "councils": councils}
    base = {"area": area, "label": labels.get(area, area), "target": float(spec.target),
            "target_year": int(spec.target_year), **report}
    h = _hmi(db, area)
    h = h[h.score.notna() & h.complete.astype(bool)].sort_values("year")
    if h.empty:
        return Headline(**base)
    year, score = int(h.year.iloc[-1]), float(h.score.iloc[-1])
    prev = h.iloc[-2] if len(h) > 1 else None
    target, target_year = base["target"], base["target_year"]
    needed = float(required_slope(score, target, year, target_year))
    observed, _se, _df = ls_fit(h.year.to_numpy(), h.score.to_numpy())  # the engine's window of WINDOW years
    window = h.year.iloc[-WINDOW:]
    n = len(window)
    status = str(classify(score, target, "higher", observed, needed, n))
    projected = projected_year(score, target, "higher", observed, year)
    # the districts that year, highest first; an incomplete score is drawn but never ranked among those behind
    d = _hmi(db, None, "district")
    d = d[(d.parent_code == area) & (d.year == year) & d.score.notna()].sort_values(["score", "area_code"],
                                                                                      ascending=[False, True])
    fed = _index_fed(db, year, level="district")
    own = _index_fed(db, year, area=area)

    def fed_of(code: str) -> str:
        if code not in fed.index:
            return ""
        r = fed.loc[code]
        return fed_text(int(r.fed_low), int(r.fed_high), int(r.fed_estimated), int(r.fed_expected), lang)

    districts = tuple(DistrictScore(code=str(r.area_code), label=labels.get(str(r.area_code), str(r.area_code)),
                                    score=float(r.score), gap=target - float(r.score), complete=bool(r.complete),
                                    fed=fed_of(str(r.area_code))) for r in d.itertuples())
    behind = tuple(sorted((x for x in districts if x.complete), key=lambda x: (x.score, x.code))[:N_BEHIND])
    counts = own.loc[area] if area in own.index else None
    return Headline(
        **base, year=year, score=score, previous_year=None if prev is None else int(prev.year),
        previous=None if prev is None else float(prev.score), gap=target - score, years_left=target_year - year,
        pace_needed=None if math.isnan(needed) else needed, pace_observed=None if math.isnan(observed) else observed,
        pace_first=int(window.iloc[0]) if n >= 2 else None, pace_last=int(window.iloc[-1]) if n >= 2 else None,
        pace_n=n, status=status, projected_year=None if pd.isna(projected) else int(projected),
        districts=districts, behind=behind,
        **({} if counts is None else {"fed_low": int(counts.fed_low), "fed_high": int(counts.fed_high),
                                      "fed_estimated": int(counts.fed_estimated),
                                      "fed_expected": int(counts.fed_expected)}))


def district_index_figure(db: Db, lang: str):
    """The districts ranked by their index in the headline's year, against the target (the overview's bar)."""
    h = overview_headline(db, lang)
    if h is None or not h.districts:
        return None
    whole = DistrictScore(code=h.area, label=h.label, score=h.score, gap=h.gap, complete=True,
                          fed=fed_text(h.fed_low, h.fed_high, h.fed_estimated, h.fed_expected, lang))
    fig = charts.index_ranking(h.districts, lang, h.target, h.target_year, whole, behind={d.code for d in h.behind})
    return charts.mark_years(fig, [h.year])


def hmi_trend_figure(db: Db, area: str, lang: str):
    spec = load_index_spec()
    frame = index_table(db, area=area)
    return charts.index_trend(frame, lang, spec.target, spec.target_year)


def status_counts(db: Db, area: str) -> pd.Series:
    """How many indicators of ``area`` have each status."""
    p = progress_table(db, area=area)
    counts = p.status.value_counts()
    return counts[counts > 0]


def status_counts_figure(db: Db, area: str, lang: str):
    return charts.status_counts(status_counts(db, area), lang)


def status_heatmap_figure(db: Db, lang: str, parent: str | None = None):
    """Indicators × districts (or a district's subdistricts), coloured by status with the word in each cell.

    Without ``parent`` the model subdistrict is added as the last, framed column.
    """
    reg = load_registry()
    a = areas(db)
    labels = _labels(a, lang)
    if parent is None:  # the districts of the overview's province
        province = province_code(db)
        p = progress_table(db, level="district")
        p = p[p.parent_code == province]
        in_province = MODEL_SUBDISTRICT in set(a.code) and MODEL_SUBDISTRICT.startswith(province or "-")
        model = progress_table(db, area=MODEL_SUBDISTRICT) if in_province else p.iloc[:0]
        cols = a.loc[(a.level == "district") & (a.parent_code == province), "code"].tolist()
    else:
        p = progress_table(db, level="subdistrict")
        p = p[p.parent_code == parent]
        model = p.iloc[:0]
        cols = a.loc[a.parent_code == parent, "code"].tolist()
    p = pd.concat([p, model], ignore_index=True)
    # column heads: bare names (the heading says district or subdistrict), the model subdistrict starred
    bare = {r.code: (r.name_en if lang == "en" else r.name_th) for r in a.itertuples()}
    col_labels = {c: bare[c] for c in cols}
    if len(model):
        cols.append(MODEL_SUBDISTRICT)
    model_label = f"★ {bare[MODEL_SUBDISTRICT]}" if MODEL_SUBDISTRICT in cols else None
    if model_label:
        col_labels[MODEL_SUBDISTRICT] = model_label
    ind_ids = [i for d in DOMAINS for i, ind in reg.indicators.items() if ind.domain == d]
    status = p.pivot_table(index="indicator_id", columns="area_code", values="status", aggfunc="first")
    status = status.reindex(index=ind_ids, columns=cols)
    latest = p.pivot_table(index="indicator_id", columns="area_code", values="latest", aggfunc="first").reindex(
        index=ind_ids, columns=cols)
    year = p.pivot_table(index="indicator_id", columns="area_code", values="latest_year", aggfunc="first").reindex(
        index=ind_ids, columns=cols)
    def grid(col: str) -> pd.DataFrame:
        return p.pivot_table(index="indicator_id", columns="area_code", values=col, aggfunc="first",
                             observed=True).reindex(index=ind_ids, columns=cols)

    sure = grid("confidence").astype(object).to_numpy(dtype=object)
    best = grid("status_best").astype(object).to_numpy(dtype=object)
    worst = grid("status_worst").astype(object).to_numpy(dtype=object)
    uncertain = sure == "uncertain"
    st_arr = status.to_numpy(dtype=object)
    v_arr = latest.to_numpy(dtype=float, na_value=np.nan)
    y_arr = year.to_numpy(dtype=float, na_value=np.nan)
    col_heads = [labels[c] for c in cols]
    words = {s: status_word(s, lang) for s in (*STATUSES, None)}
    rows = []
    for r, i in enumerate(ind_ids):
        ind = reg.indicators[i]
        name, unit = ind.name.get(lang), ind.unit.get(lang)
        rows.append([f"{head}<br>{name}<br><b>{words.get(s, words[None])}</b><br>"
                     f"{fmt_num(v)} {unit} ({fmt_year(y, lang)})"
                     + (f"<br>{span_text(b, w, lang)}" if u else "")
                     for head, s, v, y, u, b, w in zip(col_heads, st_arr[r], v_arr[r], y_arr[r], uncertain[r],
                                                       best[r], worst[r], strict=True)])
    hover = pd.DataFrame(rows, index=ind_ids, columns=cols, dtype=object)
    names = [f"{reg.indicators[i].name.get(lang)}" for i in ind_ids]
    status.index = names
    hover.index = names
    return charts.status_heatmap(status, hover, lang, highlight_col=MODEL_SUBDISTRICT if model_label else None,
                                 col_labels=col_labels, uncertain=uncertain)



def model_summary(db: Db, lang: str) -> dict | None:
    """The model subdistrict's index and how many of its indicators are achieved or on track."""
    info = area_info(db, MODEL_SUBDISTRICT, lang)
    if info is None:
        return None
    h = headline(db, MODEL_SUBDISTRICT, lang)
    return {"code": MODEL_SUBDISTRICT, "name": f"{info['label']} ({info['parent_label']})",
            "text": t("overview.model_text", lang, score=h.get("hmi_text", t("word.none", lang)),
                      year=h["hmi_year"] or t("word.none", lang), good=h["good"], total=h["total"])}


def last_upload(db: Db, lang: str) -> dict | None:
    """The most recent batch that loaded (not undone): what it was and what it covered."""
    with reader(db) as con:
        rows = con.execute(
            """SELECT id, file_name, coalesce(uploaded_by, '–'), uploaded_at, rows_read, rows_loaded,
                      values_changed, kind, undo_of
               FROM batches WHERE status IN ('loaded', 'partial') AND undone_at IS NULL
               ORDER BY uploaded_at DESC, id DESC
               LIMIT 1""").fetchall()
        if not rows:
            return None
        bid, file, who, when, read, loaded, changed, kind, undo_of = rows[0]
        file = batch_file_label(file, kind, undo_of, lang)  # as every batch list says it (an undo, the demo)
        if kind == "demo":
            who = t("batch.demo_by", lang)
        # a council batch's values, or an agency batch's (official_observations; replaced yearly figures listed)
        scope = con.execute(
            """SELECT count(DISTINCT area_code), count(DISTINCT measure_id), min(year), max(year)
               FROM (SELECT area_code, measure_id, year FROM observations WHERE batch_id = ?
                     UNION ALL SELECT area_code, measure_id, year FROM official_observations WHERE batch_id = ?)""",
            [bid, bid]).fetchall()[0]
        replaced = con.execute(
            """SELECT h.area_code, h.measure_id, h.year, h.value AS old_value, o.value AS new_value
               FROM observation_history h LEFT JOIN observations o USING (area_code, measure_id, year)
               WHERE h.replaced_by = ?
               UNION ALL
               SELECT h.area_code, h.measure_id, h.year, h.value, o.value
               FROM official_history h LEFT JOIN official_observations o
                 USING (area_code, measure_id, source, year, month)
               WHERE h.replaced_by = ? AND h.month = 0
               ORDER BY 1, 2, 3 LIMIT 500""", [bid, bid]).df()
    when_text = fmt_when(when)
    text = t("overview.last_batch", lang, file=file, who=who, when=when_text, read=fmt_num(read, 0),
             loaded=fmt_num(loaded, 0), changed=fmt_num(changed, 0))
    years = f"{fmt_year(scope[2], lang)}–{fmt_year(scope[3], lang)}" if scope[2] is not None else "–"
    scope_text = t("overview.batch_scope", lang, areas=scope[0], measures=scope[1], years=years)
    a = areas(db)
    labels = _labels(a, lang)
    reg = load_registry()
    table = TableView(pd.DataFrame({
        "col.area": replaced.area_code.map(lambda c: labels.get(c, c)),
        "col.measure": replaced.measure_id.map(lambda m: reg.measures[m].name.get(lang) if m in reg.measures else m),
        "col.year": replaced.year, "col.old_value": replaced.old_value, "col.new_value": replaced.new_value,
    }), REPLACED_COLS, lang)
    out = {"text": text, "scope": scope_text, "replaced": table, "moved": None, "new_series": 0}
    if bid == latest_council_batch(db):  # a ministry table's batch changes no council figure
        out.update(_moved_view(status_changes(db, bid), labels, reg, lang))
    return out


MOVED_COLS = (
    Col("col.area"), Col("col.indicator"), Col("col.status_before", "status"), Col("col.status_after", "status"),
    Col("col.latest_before", "number"), Col("col.latest_year_before", "year"), Col("col.latest_after", "number"),
    Col("col.latest_year_after", "year"),
)
REPLACED_COLS = (Col("col.area"), Col("col.measure"), Col("col.year", "year"), Col("col.old_value", "number"),
                 Col("col.new_value", "number"))


def _moved_view(changes: pd.DataFrame, labels: dict[str, str], reg, lang: str) -> dict:
    """The statuses a batch moved, and how many series it started."""
    new = changes.status_before.isna()
    moved = changes[~new]
    frame = pd.DataFrame({
        "col.area": moved.area_code.map(lambda c: labels.get(c, c)),
        "col.indicator": moved.indicator_id.map(lambda i: reg.indicators[i].name.get(lang)),
        "col.status_before": moved.status_before, "col.status_after": moved.status_after,
        "col.latest_before": moved.latest_before, "col.latest_year_before": moved.latest_year_before,
        "col.latest_after": moved.latest_after, "col.latest_year_after": moved.latest_year_after,
    })
    return {"moved": TableView(frame, MOVED_COLS, lang), "new_series": int(new.sum())}


# ---------------------------------------------------------------------------------------------- area page


PROGRESS_COLS = (
    Col("col.indicator"), Col("col.domain"), Col("col.status", "status"), Col("col.status_why"),
    Col("col.baseline", "number"),
    Col("col.baseline_year", "year"), Col("col.latest", "number"), Col("col.latest_year", "year"),
    Col("col.target", "number"), Col("col.target_year", "year"), Col("col.progress_pct", "number", 1),
    Col("col.observed_slope", "number", 3), Col("col.slope_se", "number", 3), Col("col.required_slope", "number", 3),
    Col("col.ratio", "number", 2), Col("col.projected_year"), Col("col.confidence"), Col("col.pace"),
    Col("col.n_years", "count"), Col("col.coverage"), Col("col.years_note"), Col("col.unit"), Col("col.direction"),
    Col("col.source"),
)


def progress_view(db: Db, area: str, lang: str) -> TableView:
    """The progress rows of one area: every input of the status, as numbers (years CE, shown in BE)."""
    reg = load_registry()
    p = progress_table(db, area=area)
    order = {i: n for n, i in enumerate(indicator_choices(lang))}
    p = p.assign(_o=p.indicator_id.map(order)).sort_values("_o")
    src = value_sources(db, area).rename(columns={"year": "latest_year"})
    p = p.merge(src, on=["area_code", "indicator_id", "latest_year"], how="left")
    p["source"] = p["source"].fillna(local_source(db))
    vals = indicator_values(db, area=area)
    p["pending_coverage"] = pending_coverage(p, vals, lang)
    p = p.join(slope_span(p, vals))
    rows = []
    for r in p.itertuples():
        ind = reg.indicators[r.indicator_id]
        rows.append({
            "col.indicator": ind.name.get(lang), "col.domain": t(f"domain.{ind.domain}", lang),
            "col.status": r.status, "col.status_why": status_why(r, ind.unit.get(lang), lang),
            "col.baseline": r.baseline, "col.baseline_year": r.baseline_year,
            "col.latest": r.latest, "col.latest_year": r.latest_year, "col.target": r.target,
            "col.target_year": r.target_year, "col.progress_pct": r.progress_pct,
            "col.observed_slope": r.observed_slope, "col.slope_se": r.slope_se, "col.required_slope": r.required_slope,
            "col.ratio": r.ratio, "col.projected_year": projection_text(r, lang),
            "col.confidence": confidence_text(r, lang), "col.pace": pace_text(r, ind.unit.get(lang), lang),
            "col.n_years": r.n_years,
            "col.coverage": coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang),
            "col.years_note": years_note(r, lang), "col.unit": ind.unit.get(lang),
            "col.direction": t(f"direction.{ind.direction}", lang), "col.source": source_word(r.source, lang),
        })
    frame = pd.DataFrame(rows, columns=[c.key for c in PROGRESS_COLS])
    return TableView(frame, PROGRESS_COLS, lang)


def shortfall(db: Db, area: str, lang: str, n: int = 3) -> list[str]:
    """The ``n`` indicators of ``area`` whose observed pace falls furthest short of the pace needed, the gap put in
    index points a year (the pace over the indicator's index bounds) so that units compare; in words."""
    reg = load_registry()
    p = progress_table(db, area=area)
    p = p[~p.status.isin(["achieved", "insufficient_data"]) & p.required_slope.notna()]
    if p.empty:
        return []
    span = p.indicator_id.map(lambda i: reg.indicators[i].bounds.upper - reg.indicators[i].bounds.lower).astype(float)
    sgn = np.where(p.direction == "higher", 1.0, -1.0)
    gap = 100 * sgn * (p.required_slope - p.observed_slope) / span
    p = p.assign(gap=gap.to_numpy())
    p = p[p.gap > 0].sort_values("gap", ascending=False).head(n)
    return [t("area.shortfall_row", lang, indicator=reg.indicators[r.indicator_id].name.get(lang),
              pace=pace_text(r, reg.indicators[r.indicator_id].unit.get(lang), lang), gap=fmt_num(r.gap, 1))
            for r in p.itertuples()]


def trajectory_figures(db: Db, area: str, lang: str) -> list[tuple[str, object]]:
    """One small-multiples figure per domain: each indicator of ``area`` against its straight path to target."""
    reg = load_registry()
    vals = indicator_values(db, area=area)
    prog = progress_table(db, area=area).set_index("indicator_id")
    out = []
    for d in DOMAINS:
        panels = []
        for i, ind in reg.indicators.items():
            if ind.domain != d:
                continue
            series = vals.loc[vals.indicator_id == i, ["year", "value", "complete", "level", "n_subdistricts",
                                                       "n_estimated", "n_expected"]]
            if series.value.notna().sum() == 0 and i not in prog.index:
                continue
            panels.append({"title": ind.name.get(lang), "unit": ind.unit.get(lang), "series": series,
                           "progress": prog.loc[i] if i in prog.index else None})
        if panels:
            out.append((t(f"domain.{d}", lang), charts.trajectory_grid(panels, lang)))
    return out


FLAG_COLS = (Col("col.area"), Col("col.measure"), Col("col.year", "year"), Col("col.value", "number"), Col("col.flag"),
             Col("col.note"))


def flags_view(db: Db, area: str, lang: str) -> TableView:
    """Values in ``area`` (and the areas inside it) that carry a flag (E, P) or a note."""
    with reader(db) as con:
        df = con.execute(
            """SELECT o.area_code, o.measure_id, o.year, o.value, o.flag, o.note
               FROM observations o JOIN areas s ON s.code = o.area_code
               LEFT JOIN areas d ON d.code = s.parent_code
               WHERE (o.flag IS NOT NULL OR o.note IS NOT NULL)
                 AND (s.code = ? OR s.parent_code = ? OR d.parent_code = ?)
               ORDER BY o.area_code, o.measure_id, o.year""", [area, area, area]).df()
    labels = _labels(areas(db), lang)
    reg = load_registry()
    frame = pd.DataFrame({
        "col.area": df.area_code.map(lambda c: labels.get(c, c)),
        "col.measure": df.measure_id.map(lambda m: reg.measures[m].name.get(lang) if m in reg.measures else m),
        "col.year": df.year, "col.value": df.value,
        "col.flag": df.flag.map(lambda f: f"{f} ({t(f'flag.{f}', lang)})" if f in ("E", "P")
                                else (f if isinstance(f, str) else "")),
        "col.note": df.note.fillna(""),
    })
    return TableView(frame, FLAG_COLS, lang)


# ---------------------------------------------------------------------------------------------- compare


def indicator_years(db: Db, indicator: str, level: str = "district") -> list[int]:
    """Years (CE) with a complete value of ``indicator`` at ``level``, ascending (the years a chooser offers: an
    incomplete year is never the one compared)."""
    v = indicator_values(db, level=level, indicator=indicator)
    return sorted(int(y) for y in v.loc[v.value.notna() & v.complete, "year"].unique())


def ranking(db: Db, indicator: str, parent: str | None, year: int | None, lang: str) -> pd.DataFrame:
    """Districts (or a district's subdistricts) ranked on ``indicator`` in ``year``, best first, with status."""
    ind = load_registry().indicators[indicator]
    level = "district" if parent is None else "subdistrict"
    v = indicator_values(db, level=level, indicator=indicator)
    p = progress_table(db, level=level, indicator=indicator)
    within = parent or province_code(db)  # a district's subdistricts, or the province's districts
    v, p = v[v.parent_code == within], p[p.parent_code == within]
    if year is None and (v.value.notna() & v.complete).any():  # the latest year with complete values
        year = int(v.loc[v.value.notna() & v.complete, "year"].max())
    v = v[(v.year == year) & v.value.notna()]
    labels = axis_labels(db, v.area_code, lang)
    df = v[["area_code", "value", "complete", "n_subdistricts", "n_estimated", "n_expected", "level"]].merge(
        p[["area_code", "status"]], on="area_code", how="left")
    df["area_code"] = df.area_code.astype(str)
    df["label"] = df.area_code.map(labels)
    df["coverage"] = [coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang)
                      + ("" if r.complete else f" · {t('coverage.incomplete', lang)}") for r in df.itertuples()]
    df = df.sort_values("value", ascending=ind.direction == "lower").reset_index(drop=True)
    df["rank"] = np.arange(1, len(df) + 1)
    return df[["rank", "area_code", "label", "value", "status", "complete", "coverage"]]


def ranking_figure(db: Db, indicator: str, parent: str | None, year: int | None, lang: str):
    ind = load_registry().indicators[indicator]
    df = ranking(db, indicator, parent, year, lang)
    if df.empty:
        return None
    if year is None:
        year = indicator_years(db, indicator, "district" if parent is None else "subdistrict")[-1]
    ref_area = parent or province_code(db)
    ref = indicator_values(db, area=ref_area, indicator=indicator) if ref_area else None
    ref_value = None
    if ref is not None:
        r = ref[(ref.year == year) & ref.value.notna()]
        ref_value = float(r.value.iloc[0]) if len(r) else None
    fig = charts.ranking_bars(df, lang, ind.unit.get(lang), ref_value)
    if parent is not None and ref_value is not None:
        labels = _labels(areas(db), lang)
        fig.layout.annotations[0].text = f"{labels[parent]} {fmt_num(ref_value)}"
    return charts.mark_years(fig, [year])


MAX_PANELS = 24


def multiples_figure(db: Db, indicator: str, parent: str | None, lang: str):
    """One small panel per district (or subdistrict of ``parent``): the indicator against its path to target."""
    ind = load_registry().indicators[indicator]
    level = "district" if parent is None else "subdistrict"
    v = indicator_values(db, level=level, indicator=indicator)
    p = progress_table(db, level=level, indicator=indicator).set_index("area_code")
    a = areas(db)
    codes = a.loc[(a.level == level) & (a.parent_code == (parent or province_code(db))), "code"].tolist()
    labels = _labels(a, lang)
    total = len(codes)
    if total > MAX_PANELS:  # never hundreds of panels: the best and the worst by latest value, the rest in the ranking
        latest = p.reindex(codes)["latest"].dropna().sort_values(ascending=ind.direction == "lower")
        half = MAX_PANELS // 2
        keep = set(latest.index[:half]) | set(latest.index[-half:])
        codes = [c for c in codes if c in keep]
    cov = ["year", "value", "complete", "level", "n_subdistricts", "n_estimated", "n_expected"]
    panels = [{"title": labels[c], "unit": ind.unit.get(lang), "series": v.loc[v.area_code == c, cov],
               "progress": p.loc[c] if c in p.index else None} for c in codes]
    fig = charts.trajectory_grid(panels, lang, cols=4, panel_height=210, shared_y=True)
    if total > len(codes):
        fig.add_annotation(text=t("compare.multiples_subset", lang, shown=len(codes), total=total), xref="paper",
                           yref="paper", x=0, y=1, yshift=40, showarrow=False, xanchor="left", yanchor="bottom")
    return fig


EQUITY_COLS = (
    Col("col.indicator"), Col("col.year", "year"), Col("col.best"), Col("col.best_value", "number"), Col("col.worst"),
    Col("col.worst_value", "number"), Col("col.gap", "number"), Col("col.province_value", "number"), Col("col.unit"),
)


def equity_view(db: Db, lang: str) -> TableView:
    """Best and worst district on each rate or score indicator, with the gap and the province's value."""
    reg = load_registry()
    e = equity_table(db, province=province_code(db))
    labels = _labels(areas(db), lang)
    frame = pd.DataFrame({
        "col.indicator": e.indicator_id.map(lambda i: reg.indicators[i].name.get(lang)), "col.year": e.year,
        "col.best": e.best_area.map(labels), "col.best_value": e.best_value, "col.worst": e.worst_area.map(labels),
        "col.worst_value": e.worst_value, "col.gap": e.gap, "col.province_value": e.province_value,
        "col.unit": e.indicator_id.map(lambda i: reg.indicators[i].unit.get(lang)),
    })
    return TableView(frame, EQUITY_COLS, lang)


SENSITIVITY_COLS = (
    Col("col.area"), Col("col.year", "year"), Col("col.score_arithmetic", "number", 1),
    Col("col.rank_arithmetic", "count"), Col("col.score_geometric", "number", 1), Col("col.rank_geometric", "count"),
    Col("col.rank_change", "change"),
)


def sensitivity_view(db: Db, lang: str) -> tuple[TableView, object]:
    """District ranks under arithmetic vs geometric aggregation: a table and a slope chart."""
    s = sensitivity_table(db, level="district", parent=province_code(db))
    labels = _labels(areas(db), lang)
    s = s.assign(label=s.area_code.map(labels))
    frame = pd.DataFrame({
        "col.area": s.label, "col.year": s.year, "col.score_arithmetic": s.score_arithmetic,
        "col.rank_arithmetic": s.rank_arithmetic, "col.score_geometric": s.score_geometric,
        "col.rank_geometric": s.rank_geometric, "col.rank_change": s.rank_shift,
    })
    return TableView(frame, SENSITIVITY_COLS, lang), charts.rank_slope(s, lang)


# ---------------------------------------------------------------------------------------------- map


def map_years(db: Db, what: str, level: str) -> list[int]:
    """Years (CE) with values to map for an indicator id or ``"hmi"`` at ``level``."""
    if what == HMI:
        h = _hmi(db, None, level)
        return sorted(int(y) for y in h.loc[h.score.notna() & h.complete, "year"].unique())
    return indicator_years(db, what, level)


def _simple_shapes(db: Db, level: str):
    """The shapes at ``level``: every province, or the districts or subdistricts of the overview's province (a
    national layer of 7,436 subdistricts would be megabytes in the browser)."""
    with reader(db) as con:
        shapes = read_shapes(con, level)
    if level != "province" and len(shapes):
        shapes = shapes[shapes["code"].isin(_within_province(db))]
    return simplify_shapes(shapes, MAP_TOLERANCE) if len(shapes) else shapes


def _within_province(db: Db) -> set[str]:
    """The codes of the overview's province, its districts and their subdistricts."""
    a = areas(db)
    province = province_code(db)
    districts = set(a.loc[(a.level == "district") & (a.parent_code == province), "code"])
    subs = set(a.loc[(a.level == "subdistrict") & a.parent_code.isin(districts), "code"])
    return {province, *districts, *subs}


def map_figure(db: Db, what: str, level: str, year: int | None, colour_by: str, lang: str) -> dict:
    """A choropleth of an indicator (or the index, ``what="hmi"``) at ``level`` in ``year``.

    Returns ``{"figure", "kb" (size of the figure's JSON), "no_data" (areas without a value), "empty"}``.
    """
    shapes = _simple_shapes(db, level)
    if shapes.empty:
        return {"figure": None, "kb": 0, "no_data": 0, "empty": True}
    labels = _labels(areas(db), lang)
    if year is None:
        years = map_years(db, what, level)
        year = years[-1] if years else None
    reg = load_registry()
    statuses: dict[str, str] = {}
    coverage: dict[str, str] = {}
    if what == HMI:
        h = _hmi(db, None, level)
        h = h[(h.year == year) & h.score.notna()]
        values = dict(zip(h.area_code, h.score.astype(float), strict=True))
        unit, reverse, name = t("word.score", lang), False, t("domain.hmi", lang)
        colour_by = "value"
    else:
        ind = reg.indicators[what]
        v = indicator_values(db, level=level, indicator=what)
        v = v[(v.year == year) & v.value.notna()]
        values = dict(zip(v.area_code, v.value.astype(float), strict=True))
        coverage = {r.area_code: coverage_text(r.n_subdistricts, r.n_estimated, r.n_expected, r.level, lang)
                    + ("" if r.complete else f" · {t('coverage.incomplete', lang)}") for r in v.itertuples()}
        p = progress_table(db, level=level, indicator=what)
        statuses = dict(zip(p.area_code, p.status, strict=True))
        unit, reverse, name = ind.unit.get(lang), ind.direction == "lower", ind.name.get(lang)
    hover = {}
    for code in shapes["code"]:
        value = values.get(code)
        line2 = (f"{fmt_num(value)} {unit} ({fmt_year(year, lang)})" if value is not None
                 else t("status.no_data", lang))
        line3 = f"<br>{t('word.status', lang)}: {status_word(statuses.get(code), lang)}" if what != HMI else ""
        line4 = f"<br>{coverage[code]}" if coverage.get(code) else ""
        hover[code] = f"<b>{labels.get(code, code)}</b><br>{name}<br>{line2}{line3}{line4}"
    notes = []
    if meta(db)["schematic"]:
        notes.append(t("map.schematic", lang))
    if any(c not in values for c in shapes["code"]):
        notes.append(t("map.no_data_note", lang))
    note = " · ".join(notes) or None
    if colour_by == "status":
        fig = charts.status_map(shapes, statuses, hover, lang, note)
    else:
        fig = charts.value_map(shapes, values, hover, lang, unit, reverse, note)
    a = areas(db).set_index("code")
    names = {c: (a.at[c, "name_en"] if lang == "en" else a.at[c, "name_th"]) for c in shapes["code"] if c in a.index}
    charts.add_area_names(fig, shapes, names, size=12 if level == "district" else 9)
    charts.mark_years(fig, [year])
    kb = len(fig.to_json().encode("utf-8")) / 1024
    return {"figure": fig, "kb": round(kb, 1), "no_data": sum(c not in values for c in shapes["code"]),
            "empty": False, "year": year, "year_be": fmt_year(year, lang)}


def overview_map_figure(db: Db, lang: str):
    """The index by district in its latest year (small map for the overview)."""
    out = map_figure(db, HMI, "district", None, "value", lang)
    if out["figure"] is not None:
        out["figure"].update_layout(height=480)
    return out


# ---------------------------------------------------------------------------------------------- methods


def status_rules(lang: str) -> pd.DataFrame:
    """The status rules in words (the methods page)."""
    return pd.DataFrame({t("col.status", lang): [status_word(s, lang) for s in STATUSES],
                         t("methods.rule", lang): [t(f"methods.rule.{s}", lang) for s in STATUSES]})


def indicator_catalogue(lang: str, domain: str) -> pd.DataFrame:
    """One row per indicator of ``domain``, generated from the registry."""
    reg = load_registry()
    rows = []
    for ind in reg.indicators.values():
        if ind.domain != domain:
            continue
        unit = ind.unit.get(lang)
        sources = sorted({reg.measures[m].source.get(lang) for m in ind.formula.measures()})
        rows.append({
            t("col.indicator", lang): ind.name.get(lang),
            t("col.id", lang): ind.id,
            t("col.definition", lang): ind.definition.get(lang),
            t("col.unit", lang): unit,
            t("col.formula", lang): ind.formula.text(),
            t("col.direction", lang): t(f"direction.{ind.direction}", lang),
            t("col.baseline_year", lang): str(ind.baseline_year_be),
            t("col.target", lang): ind.target.text(unit),
            t("col.target_year", lang): str(ind.target_year_be),
            t("col.bounds", lang): f"{fmt_num(ind.bounds.lower)} – {fmt_num(ind.bounds.upper)}",
            t("col.bounds_why", lang): ind.bounds.why.get(lang),
            t("col.in_index", lang): t("yes" if ind.in_index else "no", lang),
            t("col.source", lang): "; ".join(sources) + (
                "" if ind.prefer_source == "council"
                else f" ({t('methods.prefers', lang, source=source_word(ind.prefer_source, lang))})"),
        })
    return pd.DataFrame(rows)


def measure_catalogue(lang: str) -> pd.DataFrame:
    reg = load_registry()
    rows = []
    for m in reg.measures.values():
        agg = (t("agg.sum", lang) if m.aggregation == "sum" else t("agg.none", lang) if m.aggregation == "none"
               else t("agg.weighted_mean", lang, weight=reg.measures[m.weight].name.get(lang)))
        if m.monthly_to_yearly == "weighted_mean":
            agg += "; " + t("agg.monthly.weighted_mean", lang, weight=reg.measures[m.monthly_weight].name.get(lang))
        elif m.monthly_to_yearly == "sum":
            agg += "; " + t("agg.monthly.sum", lang)
        elif m.monthly_to_yearly == "mean":
            agg += "; " + t("agg.monthly.mean", lang)
        rows.append({
            t("col.id", lang): m.id, t("col.name", lang): m.name.get(lang),
            t("col.domain", lang): t(f"domain.{m.domain}", lang), t("col.unit", lang): m.unit.get(lang),
            t("col.valid_range", lang): f"{fmt_num(m.valid_range[0])} – {fmt_num(m.valid_range[1])}",
            t("col.aggregation", lang): agg, t("col.source", lang): m.source.get(lang),
        })
    return pd.DataFrame(rows)


EXAMPLE_INDICATORS = ("poor_household_share", "happiness", "participation", "hotel_occupancy")


def worked_example(db: Db, lang: str) -> dict | None:
    """A progress row of the model subdistrict worked through step by step, with its values and chart."""
    reg = load_registry()
    area = MODEL_SUBDISTRICT
    info = area_info(db, area, lang)
    if info is None:
        return None
    prog = progress_table(db, area=area)
    prog = prog[prog.status != "insufficient_data"].set_index("indicator_id")
    pick = next((i for i in EXAMPLE_INDICATORS if i in prog.index), None)
    if pick is None:
        return None
    r = prog.loc[pick]
    ind = reg.indicators[pick]
    vals = indicator_values(db, area=area, indicator=pick)
    vals = vals[vals.value.notna()].sort_values("year")
    n = min(int(r.n_years), 5)
    projected = fmt_year(r.projected_year, lang) if not pd.isna(r.projected_year) else t("word.never", lang)
    text = t("methods.example_steps", lang, baseline_year=fmt_year(r.baseline_year, lang), baseline=fmt_num(r.baseline),
             latest_year=fmt_year(r.latest_year, lang), latest=fmt_num(r.latest), target=fmt_num(r.target),
             target_year=fmt_year(r.target_year, lang), direction=t(f"direction.{ind.direction}", lang),
             progress=fmt_num(r.progress_pct, 1), n_years=n, observed=fmt_num(r.observed_slope, 3),
             required=fmt_num(r.required_slope, 3), ratio=fmt_num(r.ratio, 2), status=status_word(r.status, lang),
             projected=projected)
    named = tuple(f"{ind.name.get(x)} ({ind.unit.get(x)})" for x in ("th", "en"))
    table = TableView(pd.DataFrame({"col.year": vals.year, "value": vals.value}),
                      (Col("col.year", "year"), Col("value", "number", names=named)), lang)
    fig = charts.trajectory_grid([{"title": f"{ind.name.get(lang)} · {info['label']}", "unit": ind.unit.get(lang),
                                   "series": vals[["year", "value"]], "progress": r}], lang, cols=1,
                                 panel_height=320)
    title = t("methods.example", lang, indicator=ind.name.get(lang), area=info["label"])
    return {"title": title, "text": text, "values": table, "figure": fig}


def credits(db: Db, lang: str) -> str:
    m = meta(db)
    geometry = t("methods.schematic", lang) if m["schematic"] else (m["geometry_source"] or t("word.none", lang))
    return t("methods.credits_text", lang, credit=CREDIT, geometry=geometry)


# ---------------------------------------------------------------------------------------------- reporting status


def _subdistricts_in(db: Db, district: str | None) -> pd.DataFrame:
    """The subdistricts of ``district``, or all of them."""
    a = areas(db)
    subs = a[a.level == "subdistrict"]
    return subs[subs.parent_code == district] if district else subs


def _council_figures(district: str | None, year: int | None) -> tuple[str, list]:
    """The WHERE condition (observations ``o`` joined to their subdistrict ``s``) for the councils' figures of a
    district (or all) and a year (or all), and its parameters."""
    measures = list(load_registry().council_measures)
    where, params = ["s.level = 'subdistrict'", "list_contains(?, o.measure_id)"], [measures]
    if district:
        where.append("s.parent_code = ?")
        params.append(district)
    if year is not None:
        where.append("o.year = ?")
        params.append(int(year))
    return " AND ".join(where), params


def _coverage_cells(db: Db, district: str | None, year: int | None = None, per_year: bool = False
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Subdistricts (of ``district`` or all) and their reported council figures, filtered in the database.

    The cells are (area_code, measure_id, year) rows (of one ``year`` when given), or with ``per_year`` one
    (area_code, year, n_measures) row per subdistrict and year: at national scale the observations are millions of
    rows, so only what a view shows leaves the database.
    """
    subs = _subdistricts_in(db, district)
    cond, params = _council_figures(district, year)
    select = ("o.area_code, o.year, count(DISTINCT o.measure_id) AS n_measures" if per_year
              else "o.area_code, o.measure_id, o.year")
    group = " GROUP BY o.area_code, o.year" if per_year else ""
    with reader(db) as con:
        cells = con.execute(f"SELECT {select} FROM observations o JOIN areas s ON s.code = o.area_code "
                            f"WHERE {cond}{group}", params).df()
    return subs, cells


def coverage_summary(db: Db, year: int, district: str | None, lang: str) -> dict:
    """How many of the expected figures (subdistricts × measures) were sent for ``year``."""
    subs, c = _coverage_cells(db, district, year)
    n_measures = len(load_registry().council_measures)
    expected = len(subs) * n_measures
    per_area = c.groupby("area_code").measure_id.nunique()
    complete = int((per_area >= n_measures).sum())
    share = len(c) / expected if expected else math.nan
    return {"sent": len(c), "expected": expected, "share": share, "share_text": f"{fmt_num(100 * share, 1)}%",
            "complete": complete, "subs": len(subs), "reported": int((per_area > 0).sum()),
            "text": t("reporting.summary", lang, year=fmt_year(year, lang), sent=fmt_num(len(c), 0),
                      expected=fmt_num(expected, 0), share=f"{fmt_num(100 * share, 1)}%", complete=complete,
                      subs=len(subs))}


MAX_GRID_ROWS = 120  # more subdistricts than this in scope: the reporting grids show districts, or provinces


def coverage_grid_level(db: Db, district: str | None) -> str:
    """The level of the reporting grids' rows: each subdistrict while they fit on a screen (a province has 65),
    else each district, else each province (a national store has 7,436 subdistricts and 928 districts)."""
    subs = _subdistricts_in(db, district)
    if len(subs) <= MAX_GRID_ROWS:
        return "subdistrict"
    return "district" if subs.parent_code.nunique() <= MAX_GRID_ROWS else "province"


def _coverage_shares(db: Db, district: str | None, level: str, year: int | None) -> pd.DataFrame:
    """Percent of the expected council figures sent, per district or province (rows) and year or, for one ``year``,
    per measure (columns)."""
    a = areas(db)
    subs = _subdistricts_in(db, district)
    parent_of = dict(zip(a.code, a.parent_code, strict=True))
    group = subs.parent_code if level == "district" else subs.parent_code.map(parent_of)
    n_subs = group.value_counts()
    order = [c for c in a.code if c in n_subs.index]
    measures = list(load_registry().council_measures)
    key = "s.parent_code" if level == "district" else "d.parent_code"
    col = "o.measure_id" if year is not None else "o.year"
    cond, params = _council_figures(district, year)
    with reader(db) as con:
        sent = con.execute(
            f"SELECT {key} AS area_code, {col} AS col, count(*) AS sent FROM observations o "
            f"JOIN areas s ON s.code = o.area_code LEFT JOIN areas d ON d.code = s.parent_code "
            f"WHERE {cond} GROUP BY ALL", params).df()
    per = 1 if year is not None else len(measures)
    sent = sent[sent.area_code.isin(n_subs.index)]
    sent["share"] = 100 * sent.sent / (sent.area_code.map(n_subs) * per)
    cols = measures if year is not None else observation_years(db)
    if sent.empty:
        return pd.DataFrame(0.0, index=order, columns=cols)
    return sent.pivot(index="area_code", columns="col", values="share").reindex(index=order, columns=cols).fillna(0)


def coverage_by_year_figure(db: Db, district: str | None, lang: str):
    """Subdistricts × years: how many measures each council sent for each year (or, for many subdistricts, the
    percent of their figures sent, per district or province: :func:`coverage_grid_level`)."""
    level = coverage_grid_level(db, district)
    if level != "subdistrict":
        shares = _coverage_shares(db, district, level, None)
        years = list(shares.columns)
        shares.columns = [str(be(y)) for y in shares.columns]
        return charts.mark_years(charts.coverage_heatmap(shares, lang, total=100,
                                                         labels=axis_labels(db, shares.index, lang)), years)
    subs, cells = _coverage_cells(db, district, per_year=True)
    years = observation_years(db)
    counts = cells.pivot(index="area_code", columns="year", values="n_measures") if len(cells) else pd.DataFrame()
    counts = counts.reindex(index=subs.code.tolist(), columns=years).fillna(0)
    counts.columns = [str(be(y)) for y in counts.columns]
    return charts.mark_years(charts.coverage_heatmap(counts, lang, total=len(load_registry().council_measures),
                                                     labels=axis_labels(db, counts.index, lang)), years)


def coverage_by_measure_figure(db: Db, year: int, district: str | None, lang: str):
    """Subdistricts × measures for one year: sent (✓) or not (✗) (or, for many subdistricts, the percent of
    subdistricts that sent each measure, per district or province: :func:`coverage_grid_level`)."""
    reg = load_registry()
    level = coverage_grid_level(db, district)
    if level != "subdistrict":
        shares = _coverage_shares(db, district, level, year)
        shares.columns = [reg.measures[m].name.get(lang) for m in shares.columns]
        return charts.mark_years(charts.coverage_heatmap(
            shares, lang, total=100, height=max(300, 20 * len(shares.index) + 260), tilted=True,
            labels=axis_labels(db, shares.index, lang)), [year])
    subs, cells = _coverage_cells(db, district, year)
    c = cells.assign(sent=1)
    grid = c.pivot_table(index="area_code", columns="measure_id", values="sent", aggfunc="max")
    grid = grid.reindex(index=subs.code.tolist(), columns=list(reg.council_measures)).fillna(0)
    grid.columns = [reg.measures[m].name.get(lang) for m in grid.columns]
    return charts.mark_years(charts.coverage_heatmap(
        grid, lang, binary=True, height=max(300, 20 * len(grid.index) + 260), labels=axis_labels(db, grid.index, lang)),
        [year])


def missing_view(db: Db, year: int, district: str | None, lang: str) -> pd.DataFrame:
    """Subdistricts that have not sent every measure for ``year``: how many they sent and which are missing."""
    subs, c = _coverage_cells(db, district, year)
    reg = load_registry()
    labels = _labels(areas(db), lang)
    sent = c.groupby("area_code").measure_id.agg(set)
    rows = []
    for s in subs.itertuples():
        got = sent.get(s.code, set())
        missing = [m for m in reg.council_measures if m not in got]
        if missing:
            rows.append({t("col.area", lang): labels[s.code], t("word.district", lang): labels.get(s.parent_code, ""),
                         t("col.sent", lang): f"{len(got)}/{len(reg.council_measures)}",
                         t("col.missing_measures", lang): ", ".join(reg.measures[m].name.get(lang) for m in missing)})
    return pd.DataFrame(rows)



# ---------------------------------------------------------------------------------------------- sources and tourism

def local_source(db: Db = None) -> str:
    """The source of the store's own (non-agency) figures: ``demo`` for the demo store, else ``council``."""
    return "demo" if meta(db)["demo"] else "council"


def source_word(source: str | None, lang: str) -> str:
    """A source's name: an agency's as :data:`indicators.registry.AGENCIES` declares it, else the page's word."""
    if source in AGENCIES:
        return AGENCIES[source].get(lang)
    return t(f"source.{source}", lang) if source in ("council", "demo") else (source or "–")


def value_sources(db: Db, area: str | None = None) -> pd.DataFrame:
    """(area_code, indicator_id, year, source) of every indicator value; agency figures named by their source."""
    from indicators.engine.official import official_cells
    from indicators.engine.tables import snapshot

    reg = load_registry()
    d = snapshot(db, reg, area=area)
    v = indicator_values(db, area=area)[["area_code", "indicator_id", "year"]]
    cells = official_cells(d, area)
    out = v.merge(cells, on=["area_code", "indicator_id", "year"], how="left")
    out["source"] = out["source"].fillna(local_source(db))
    return out


def _official_years(db: Db, area: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from indicators.engine.official import monthly_frame, yearly_frame

    with reader(db) as con:
        monthly = monthly_frame(con, area)
        yearly = yearly_frame(con, area=area)
    return monthly[monthly.source == "ministry"], yearly[yearly.source == "ministry"]


_TOURISM_INDICATORS = {"visitors_thai": "visitors_thai", "visitors_foreign": "visitors_foreign",
                       "visitors_total": "visitors_total", "tourism_revenue": "tourism_revenue",
                       "hotel_occupancy": "occupancy_rate"}


def _council_years(db: Db, area: str, lang: str = "th") -> pd.DataFrame:
    """The councils' tourism figures rolled up to ``area`` by year, with the same coverage rule as every indicator
    (the registry's SQL form, councils' figures only): ``complete`` and, for an incomplete year, ``note``."""
    from indicators.engine.values import fetch_frame, filtered_values_sql

    sql, params = filtered_values_sql(load_registry(), area=area)
    with reader(db) as con:  # the ids are a parameter like every value
        v = fetch_frame(con, f"SELECT * FROM ({sql}) WHERE list_contains(?, indicator_id)",
                        [*params, list(_TOURISM_INDICATORS)])
    cols = ["year", *_TOURISM_INDICATORS.values(), "n_subdistricts", "complete", "note"]
    if v.empty:
        return pd.DataFrame(columns=cols)
    v["measure"] = v.indicator_id.map(_TOURISM_INDICATORS)
    wide = v.pivot_table(index="year", columns="measure", values="value", aggfunc="first")
    total = v[v.indicator_id == "visitors_total"].set_index("year")
    info = v.groupby("year").agg(complete=("complete", "all"))
    out = wide.join(info).reset_index()
    out["n_subdistricts"] = out.year.map(total["n_subdistricts"]).fillna(0).astype(int)
    out["note"] = [None if c else coverage_text(int(total.n_subdistricts.get(y, 0)),
                                                int(total.n_estimated.get(y, 0)),
                                                int(total.n_expected.get(y, 0)) if y in total.index
                                                else int(v.n_expected.max()), "province", lang)
                   for y, c in zip(out.year, out.complete, strict=True)]
    return out.reindex(columns=cols)


def tourism_view(db: Db, lang: str) -> dict:
    """The province's tourism series: the ministry's months and years (partial years marked) and the councils' sums.

    Keys: ``area``, ``label``, ``official`` (bool), ``source`` (text), ``monthly`` and ``yearly`` figures, ``partial``
    notes, ``fall`` (the 2020–2021 fall and the recovery, in words), ``metrics``, ``table`` (by year, with source and
    months), ``compare`` (both sources side by side) and ``progress`` (the tourism indicators, with their source).
    """
    area = province_code(db)
    out: dict = {"area": area, "official": False}
    if area is None:
        return out
    out["label"] = _labels(areas(db), lang)[area]
    monthly, yearly = _official_years(db, area)
    council = _council_years(db, area, lang)
    local = local_source(db)
    if len(monthly):
        out["official"] = True
        wide = monthly.pivot_table(index=["year", "month"], columns="measure_id", values="value").reset_index()
        wide["date"] = pd.to_datetime(dict(year=wide.year, month=wide.month, day=1))
        first, last = wide.iloc[0], wide.iloc[-1]
        out["source"] = t("tourism.source", lang, source=source_word("ministry", lang),
                          first=f"{int(first.month):02d}/{be(first.year)}",
                          last=f"{int(last.month):02d}/{be(last.year)}")
        out["monthly"] = charts.tourism_monthly(wide, lang)
        ywide = yearly.pivot_table(index="year", columns="measure_id", values="value")
        info = yearly.groupby("year").agg(n_months=("n_months", "min"), complete=("complete", "all"))
        ywide = ywide.join(info).reset_index()
        ywide["visitors_total"] = ywide.get("visitors_thai") + ywide.get("visitors_foreign")
        ywide["source"] = "ministry"
    else:
        out["source"] = t("tourism.no_official", lang, source=source_word(local, lang))
        ywide = council.assign(n_months=12, source=local)
    out["yearly_frame"] = ywide
    out["yearly"] = charts.tourism_yearly(ywide, lang) if len(ywide) else None
    out["partial"] = [t("tourism.partial", lang, year=fmt_year(r.year, lang), months=int(r.n_months))
                      if not isinstance(getattr(r, "note", None), str)
                      else t("coverage.pending", lang, year=fmt_year(r.year, lang), coverage=r.note)
                      for r in ywide.itertuples() if not r.complete]
    whole = ywide[ywide.complete & ywide.visitors_total.notna()].sort_values("year")
    out["fall"] = None
    if len(whole) >= 3:
        y0 = whole.iloc[0]
        low = whole.loc[whole.visitors_total.idxmin()]
        after = whole[whole.year > low.year]
        if low.year != y0.year and len(after):
            y2 = after.iloc[-1]
            out["fall"] = t("tourism.fall", lang, v0=fmt_num(y0.visitors_total), y0=fmt_year(y0.year, lang),
                            v1=fmt_num(low.visitors_total), y1=fmt_year(low.year, lang),
                            pct=f"{100 * (low.visitors_total / y0.visitors_total - 1):+.0f}%",
                            v2=fmt_num(y2.visitors_total), y2=fmt_year(y2.year, lang),
                            share=f"{100 * y2.visitors_total / y0.visitors_total:.0f}%")
    out["metrics"] = []
    if len(whole):
        r = whole.iloc[-1]
        prev = whole.iloc[-2] if len(whole) > 1 else None
        for key, col, digits in (("visitors", "visitors_total", 0), ("occupancy", "occupancy_rate", 1),
                                 ("revenue", "tourism_revenue", 1)):
            if col not in whole or pd.isna(r[col]):
                continue
            delta = None if prev is None or pd.isna(prev[col]) else float(r[col] - prev[col])
            out["metrics"].append({"label": t(f"tourism.metric_{key}", lang, year=fmt_year(r.year, lang)),
                                   "value": fmt_num(r[col], digits), "delta": None if delta is None
                                   else fmt_num(delta, digits) if delta < 0 else "+" + fmt_num(delta, digits)})
    out["table"] = _tourism_table(ywide, lang)
    if out["official"] and len(council):
        both = pd.concat([ywide.assign(n_months=ywide.n_months), council.assign(source=local, n_months=12)],
                         ignore_index=True)
        out["compare"] = _tourism_table(both.sort_values(["year", "source"]), lang)
    else:
        out["compare"] = None
    prog = progress_view(db, area, lang)
    if len(prog):  # the source in view, not off to the right
        prog = prog.select(prog.column("col.domain") == t("domain.tourism", lang),
                           first=("col.indicator", "col.source"))
    out["progress"] = prog
    return out


TOURISM_COLS = (
    Col("col.year", "year"), Col("col.note"), Col("col.source"), Col("col.months", "count"),
    Col("col.visitors_thai", "number", 0), Col("col.visitors_foreign", "number", 0),
    Col("col.visitors_total", "number", 0), Col("col.guests", "number", 0), Col("col.occupancy", "number", 1),
    Col("col.revenue", "number", 1),
)


def _tourism_table(frame: pd.DataFrame, lang: str) -> TableView:
    def col(name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series(np.nan, index=frame.index)

    return TableView(pd.DataFrame({
        "col.year": frame.year, "col.note": ["" if c else t("word.partial_year", lang) for c in frame.complete],
        "col.source": frame.source.map(lambda s: source_word(s, lang)), "col.months": frame.n_months,
        "col.visitors_thai": col("visitors_thai"), "col.visitors_foreign": col("visitors_foreign"),
        "col.visitors_total": col("visitors_total"), "col.guests": col("guests_staying"),
        "col.occupancy": col("occupancy_rate"), "col.revenue": col("tourism_revenue"),
    }).reset_index(drop=True), TOURISM_COLS, lang)
