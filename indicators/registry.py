"""The registry: measures and indicators, declared once in YAML under ``catalogue/`` and validated by pydantic.

Everything else (templates, upload validation, SQL, the methods page, exports) is derived from :func:`load_registry`.
A mistake in a catalogue file fails loudly, naming the file, the entry and the field.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
BE_OFFSET = 543  #: a CE year + 543 is the Buddhist Era year shown everywhere
HOME_PROVINCE = "93"  #: Phatthalung: the province the dashboard is for (a store may hold more)
MODEL_SUBDISTRICT = "930307"  #: Khok Muang, Khao Chaison: the province's model subdistrict (DESIGN §1)
TIMEZONE = "Asia/Bangkok"  #: every time is shown in Thailand's time
#: the statuses of progress toward a target, best first (their words: ``status.*`` in indicators.present.i18n)
STATUSES: tuple[str, ...] = ("achieved", "on_track", "moderately_improving", "stagnating", "worsening",
                             "insufficient_data")
#: Share of an area's subdistricts a rolled-up ratio or mean needs to count as a complete year (DESIGN §5).
DEFAULT_MIN_COVERAGE = 0.8
#: Oldest figure (years) that ``impute: carry_forward`` may carry into a later year.
DEFAULT_MAX_AGE = 2

Domain = Literal["poverty", "tourism", "resources", "well-being"]
DOMAINS: tuple[str, ...] = ("poverty", "tourism", "resources", "well-being")


class RegistryError(ValueError):
    """A catalogue file is wrong; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """A text in Thai and English."""

    th: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.th


class Source(Text):
    pass


#: The agencies whose published figures an administrator may load (``official_observations.source``, the batch's
#: source, ``prefer_source``), with their names: declared here once.  ``ministry`` is the Ministry of Tourism and
#: Sports (its monthly tourism table, :mod:`loaders.sources.mots_tourism`).
AGENCIES: dict[str, Text] = {
    "ministry": Text(th="กระทรวงการท่องเที่ยวและกีฬา", en="Ministry of Tourism and Sports"),
    "dopa": Text(th="กรมการปกครอง", en="Department of Provincial Administration (DOPA)"),
    "nso": Text(th="สำนักงานสถิติแห่งชาติ", en="National Statistical Office (NSO)"),
    "tpmap": Text(th="ระบบ TPMAP (คนจนเป้าหมาย)", en="TPMAP (Thai People Map and Analytics Platform)"),
}
#: Where figures come from: council uploads, an agency's published figures, or the seeded demo.
SOURCES: tuple[str, ...] = ("council", *AGENCIES, "demo")
#: What an indicator may prefer: the councils' figures or one agency's.
PreferSource = Literal[("council", *AGENCIES)]  # type: ignore[valid-type]  # built from AGENCIES: declared once


class Measure(_Strict):
    """A raw figure that councils and agencies upload."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    definition: Text
    domain: Domain
    unit: Text
    # rate: a rate published as such, without its parts (an agency's occupancy %): never summed over areas
    kind: Literal["count", "amount", "score", "rate"]
    valid_range: tuple[float, float]
    aggregation: Literal["sum", "weighted_mean", "none"]  # none: a published rate is never combined over areas
    weight: str | None = None
    part_of: str | None = None
    source: Source
    # how monthly figures make a year: sum (counts, money), mean (plain mean of the months), or weighted_mean
    # (weighted by ``monthly_weight`` of the same area, source and month); None: not published by month
    monthly_to_yearly: Literal["sum", "mean", "weighted_mean"] | None = None
    monthly_weight: str | None = None
    # False for figures only agencies publish (not in council templates or the coverage tracker)
    councils_report: bool = True

    @model_validator(mode="after")
    def _check(self) -> Measure:
        lo, hi = self.valid_range
        if lo > hi:
            raise ValueError(f"valid_range reversed: {lo} > {hi}")
        if (self.aggregation == "weighted_mean") != (self.weight is not None):
            raise ValueError("weight is required for, and only for, aggregation: weighted_mean")
        if (self.monthly_to_yearly == "weighted_mean") != (self.monthly_weight is not None):
            raise ValueError("monthly_weight is required for, and only for, monthly_to_yearly: weighted_mean")
        if self.kind == "rate" and (self.monthly_to_yearly == "sum" or self.aggregation == "sum"):
            raise ValueError("a rate cannot be summed (over months or areas): aggregation none, a mean by month")
        return self


class Formula(_Strict):
    """How an indicator is computed from measures at any level."""

    kind: Literal["ratio", "total", "weighted_mean"]
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = Field(default_factory=list)
    scale: float = 1.0

    @model_validator(mode="after")
    def _check(self) -> Formula:
        if self.kind == "ratio" and not self.denominator:
            raise ValueError("a ratio needs a denominator")
        if self.kind != "ratio" and self.denominator:
            raise ValueError(f"a {self.kind} has no denominator")
        if self.kind == "weighted_mean" and len(self.numerator) != 1:
            raise ValueError("a weighted_mean takes exactly one measure")
        return self

    @staticmethod
    def term(term: str) -> tuple[int, str]:
        """``"-youth_out"`` → ``(-1, "youth_out")``."""
        return (-1, term[1:]) if term.startswith("-") else (1, term)

    def measures(self) -> list[str]:
        """Every measure the formula reads, in order, without signs."""
        return [self.term(t)[1] for t in [*self.numerator, *self.denominator]]

    def text(self) -> str:
        """A readable formula, e.g. ``100 × Σ room_nights_sold / Σ room_nights_available``."""

        def side(terms: list[str]) -> str:
            out = ""
            for i, t in enumerate(terms):
                sign, m = self.term(t)
                out += ("− " if sign < 0 else "+ " if i else "") + m + " "
            return "Σ(" + out.strip() + ")" if len(terms) > 1 else "Σ " + out.strip()

        if self.kind == "weighted_mean":
            return f"Σ({self.numerator[0]} × weight) / Σ weight"
        if self.kind == "total":
            return side(self.numerator)
        scale = "" if self.scale == 1 else f"{self.scale:g} × "
        return f"{scale}{side(self.numerator)} / {side(self.denominator)}"


class Target(_Strict):
    """Exactly one of: an absolute value, growth in % over the baseline, or a change added to the baseline."""

    value: float | None = None
    growth_pct: float | None = None
    change: float | None = None

    @model_validator(mode="after")
    def _one(self) -> Target:
        given = [k for k in ("value", "growth_pct", "change") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of value, growth_pct, change (got {given or 'none'})")
        return self

    def resolve(self, baseline: float | None) -> float | None:
        """The target value for an area whose baseline is ``baseline`` (None if it cannot be known)."""
        if self.value is not None:
            return self.value
        if baseline is None:
            return None
        if self.growth_pct is not None:
            return baseline * (1 + self.growth_pct / 100)
        return baseline + (self.change or 0.0)

    def text(self, unit: str = "") -> str:
        if self.value is not None:
            return f"{self.value:g} {unit}".strip()
        if self.growth_pct is not None:
            return f"+{self.growth_pct:g}% vs baseline"
        return f"baseline {self.change:+g} {unit}".strip()


class Bounds(_Strict):
    """Normalisation bounds for the index, with the reason for them."""

    lower: float
    upper: float
    why: Text

    @model_validator(mode="after")
    def _order(self) -> Bounds:
        if not self.lower < self.upper:
            raise ValueError(f"bounds reversed or empty: lower {self.lower} must be below upper {self.upper}")
        return self


class _Years(_Strict):
    """A baseline and a target year, written in BE; the CE years are properties."""

    baseline_year_be: int = Field(ge=2540, le=2600)
    target_year_be: int = Field(ge=2540, le=2600)

    @model_validator(mode="after")
    def _years(self):
        if self.target_year_be <= self.baseline_year_be:
            raise ValueError("target_year_be must come after baseline_year_be")
        return self

    @property
    def baseline_year(self) -> int:
        """Baseline year in CE."""
        return self.baseline_year_be - BE_OFFSET

    @property
    def target_year(self) -> int:
        """Target year in CE."""
        return self.target_year_be - BE_OFFSET


class Indicator(_Years):
    """A figure computed from measures at any area level, with its target for 2575."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    definition: Text
    domain: Domain
    unit: Text
    formula: Formula
    direction: Literal["higher", "lower"]  # required: no default on purpose
    target: Target
    bounds: Bounds
    in_index: bool
    # the source whose figures the indicator uses where it has them (at the areas it publishes for, whole years
    # only); elsewhere the council roll-up. Sources are never mixed within one area and year.
    prefer_source: PreferSource = "council"
    # a measure of kind rate that the preferred source publishes as the indicator's value (no parts), e.g. the
    # ministry's provincial occupancy rate for hotel_occupancy
    published_rate: str | None = None
    # coverage (DESIGN §5): a district's or the province's ratio or weighted mean is usable (complete) when the
    # subdistricts that fed it are at least this share of the area's subdistricts; a total needs all of them
    min_coverage: float = Field(default=DEFAULT_MIN_COVERAGE, gt=0, le=1)
    # estimates: carry_forward fills a subdistrict's missing figure with its latest earlier one, at most ``max_age``
    # years old, in roll-ups only (the value is flagged estimated and the estimates are counted apart)
    impute: Literal["none", "carry_forward"] = "none"
    max_age: int = Field(default=DEFAULT_MAX_AGE, ge=1, le=10)


class Registry(_Strict):
    """Every measure and indicator, by id."""

    measures: dict[str, Measure]
    indicators: dict[str, Indicator]

    def measure(self, measure_id: str) -> Measure:
        return self.measures[measure_id]

    @property
    def council_measures(self) -> dict[str, Measure]:
        """The measures councils report (templates, the coverage tracker)."""
        return {k: m for k, m in self.measures.items() if m.councils_report}

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]


def _load_list(path: Path, model: type[BaseModel]) -> list:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise RegistryError(f"{path}: expected a list of entries")
    items = []
    for i, entry in enumerate(raw):
        ident = entry.get("id", f"#{i + 1}") if isinstance(entry, dict) else f"#{i + 1}"
        try:
            items.append(model.model_validate(entry))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(entry)'}: {err['msg']}" for err in exc.errors()
            )
            raise RegistryError(f"{path}: entry {ident}: {problems}") from exc
    return items


def build_registry(measures_file: Path, indicators_file: Path) -> Registry:
    """Read and cross-check two catalogue files; raise RegistryError naming the file and field."""
    measures = _load_list(measures_file, Measure)
    indicators = _load_list(indicators_file, Indicator)
    by_id: dict[str, Measure] = {}
    for m in measures:
        if m.id in by_id:
            raise RegistryError(f"{measures_file}: entry {m.id}: id: duplicate measure id")
        by_id[m.id] = m
    for m in measures:
        for field in ("weight", "part_of", "monthly_weight"):
            ref = getattr(m, field)
            if ref is not None and ref not in by_id:
                raise RegistryError(f"{measures_file}: entry {m.id}: {field}: unknown measure '{ref}'")
    ind_by_id: dict[str, Indicator] = {}
    for ind in indicators:
        if ind.id in ind_by_id:
            raise RegistryError(f"{indicators_file}: entry {ind.id}: id: duplicate indicator id")
        for m in ind.formula.measures():
            if m not in by_id:
                raise RegistryError(f"{indicators_file}: entry {ind.id}: formula: unknown measure '{m}'")
        if ind.published_rate is not None and (ind.published_rate not in by_id
                                               or by_id[ind.published_rate].kind != "rate"):
            raise RegistryError(
                f"{indicators_file}: entry {ind.id}: published_rate: '{ind.published_rate}' is not a measure "
                "of kind rate"
            )
        if ind.formula.kind == "weighted_mean" and by_id[ind.formula.numerator[0]].weight is None:
            raise RegistryError(
                f"{indicators_file}: entry {ind.id}: formula: measure '{ind.formula.numerator[0]}' has no weight"
            )
        ind_by_id[ind.id] = ind
    return Registry(measures=by_id, indicators=ind_by_id)


class IndexSpec(_Years):
    """The Happiness Metropolis Index: default domain weights and its own target (``catalogue/index.yaml``)."""

    name: Text
    definition: Text
    weights: dict[Domain, float]
    target: float = Field(ge=0, le=100)
    geometric_floor: float = Field(default=1.0, gt=0, le=100)

    @field_validator("weights")
    @classmethod
    def _weights(cls, weights: dict[str, float]) -> dict[str, float]:
        missing = [d for d in DOMAINS if d not in weights]
        if missing:
            raise ValueError(f"a weight is needed for every domain (missing {missing})")
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")
        return weights



def build_index_spec(index_file: Path, registry: Registry) -> IndexSpec:
    """Read the index file and check that every weighted domain has at least one indicator in the index."""
    try:
        raw = yaml.safe_load(index_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{index_file}: not valid YAML: {exc}") from exc
    try:
        spec = IndexSpec.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}" for err in exc.errors()
        )
        raise RegistryError(f"{index_file}: {problems}") from exc
    for domain, weight in spec.weights.items():
        if weight > 0 and not any(i.in_index and i.domain == domain for i in registry.indicators.values()):
            raise RegistryError(f"{index_file}: weights.{domain}: no indicator of this domain is in_index")
    return spec


@cache
def load_index_spec() -> IndexSpec:
    """The project's index settings (cached)."""
    return build_index_spec(CATALOGUE / "index.yaml", load_registry())


@cache
def load_registry() -> Registry:
    """The project's registry (cached; the catalogue files ship with the package)."""
    return build_registry(CATALOGUE / "measures.yaml", CATALOGUE / "indicators.yaml")
