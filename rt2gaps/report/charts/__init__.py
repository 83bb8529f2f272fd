"""Charts of a run (matplotlib, Agg), one module per family, all built on ``base``.

``base``: sizes, fonts, header, caption, status legend and grid, palette use, saving.
``matrices``: gap matrices (overview, one per region). ``coverage``: coverage bars and timelines.
``maps``: the world map. ``migrants``: the migrant charts. ``scorecards``: country scorecards.
``accountability``: acceptance of the complaints procedures and the migrants concerned.
``pool``: the list of a run's charts and the worker processes that draw them. The chart modules
import ``base`` only, never each other; this package re-exports what callers and notebooks use.
"""

from rt2gaps.report.charts.accountability import ACCOUNTABILITY_CHARTS, icrmw77_migrants, procedure_acceptance
from rt2gaps.report.charts.base import (
    CHART_FORMATS,
    PNG_DPI,
    chart_stem,
    chart_style,
    region_label,
    save_figure,
    source_label,
    sources_text,
    state_names,
    to_png,
)
from rt2gaps.report.charts.coverage import coverage_bars, decimal_year, parties_over_time, timelines, timelines_of_run
from rt2gaps.report.charts.maps import map_coverage, world_map
from rt2gaps.report.charts.matrices import gap_matrix_overview, gap_matrix_region
from rt2gaps.report.charts.migrants import (
    MIGRANT_CHARTS,
    NOT_PARTY_ORDER,
    build_migrant_charts,
    migrants_not_party,
    migrants_origin_destination,
    migrants_top_destinations,
)
from rt2gaps.report.charts.pool import (
    CHART_WORKERS,
    ChartError,
    ChartJob,
    ChartPool,
    build_charts,
    chart_builders,
    write_charts,
)
from rt2gaps.report.charts.scorecards import Scorecard, ScorecardRenderer, consent_text, scorecard

__all__ = [
    "ACCOUNTABILITY_CHARTS",
    "CHART_FORMATS",
    "CHART_WORKERS",
    "MIGRANT_CHARTS",
    "NOT_PARTY_ORDER",
    "PNG_DPI",
    "ChartError",
    "ChartJob",
    "ChartPool",
    "Scorecard",
    "ScorecardRenderer",
    "build_charts",
    "build_migrant_charts",
    "chart_builders",
    "chart_stem",
    "chart_style",
    "consent_text",
    "coverage_bars",
    "decimal_year",
    "gap_matrix_overview",
    "gap_matrix_region",
    "map_coverage",
    "migrants_not_party",
    "migrants_origin_destination",
    "migrants_top_destinations",
    "parties_over_time",
    "region_label",
    "save_figure",
    "scorecard",
    "source_label",
    "sources_text",
    "state_names",
    "timelines",
    "timelines_of_run",
    "to_png",
    "world_map",
    "write_charts",
    "icrmw77_migrants",
    "procedure_acceptance",
]
