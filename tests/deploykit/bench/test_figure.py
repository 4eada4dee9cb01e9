"""A figure beside its budget: our target (<=) and its limit (<), each marked met or not."""

from deploykit.bench.figure import Figure, bound_cell, not_measured, target_cell
from deploykit.foundation.limits import Budget

SIZE = Budget("image size", "MB", bound=150, target=100)
REBUILD = Budget("rebuild", "s", bound=None, target=15)


def figure(value, budget=SIZE, unit=None, **fields) -> Figure:
    return Figure("image.backend.size", "Images", "backend image", value, unit or (budget.unit if budget else "MB"),
                  "docker image inspect", budget, **fields)


def test_figure_under_its_target_meets_target_and_bound():
    measured = figure(90.0)
    assert (measured.met_target, measured.met_bound) == (True, True)
    assert target_cell(measured) == "≤ 100 MB, met"
    assert bound_cell(measured) == "< 150 MB, met"


def test_figure_between_target_and_bound_misses_only_the_target():
    measured = figure(120.0)
    assert (measured.met_target, measured.met_bound) == (False, True)
    assert target_cell(measured) == "≤ 100 MB, **not met**"


def test_figure_at_the_bound_misses_it_because_the_bound_is_strict():
    assert figure(150.0).met_bound is False
    assert bound_cell(figure(150.0)) == "< 150 MB, **not met**"


def test_figure_at_the_target_meets_it_because_the_target_is_inclusive():
    assert figure(100.0).met_target is True


def test_figure_without_a_limit_shows_a_dash():
    measured = figure(12.0, REBUILD)
    assert measured.met_bound is None
    assert bound_cell(measured) == "—"
    assert target_cell(measured) == "≤ 15 s, met"


def test_figure_without_a_budget_is_not_judged():
    measured = figure(7.1, None)
    assert (measured.met_target, measured.met_bound) == (None, None)
    assert target_cell(measured) == bound_cell(measured) == "—"


def test_not_measured_figure_shows_its_budget_unjudged():
    missing = not_measured("build.backend.cold", "Image builds", "backend, cold", "s", "docker build", "no engine",
                           REBUILD)
    assert missing.shown_value() == "not measured"
    assert (missing.met_target, missing.note) == (None, "no engine")
    assert target_cell(missing) == "≤ 15 s"


def test_shown_value_uses_the_figures_digits_and_unit():
    assert figure(105.234, digits=1).shown_value() == "105.2 MB"
    assert figure(1234.0, None, digits=0, unit="req/s").shown_value() == "1,234 req/s"


def test_as_dict_carries_the_budget_and_the_verdicts():
    data = figure(120.0).as_dict()
    assert data["target"] == 100 and data["bound"] == 150
    assert (data["met_target"], data["met_bound"]) == (False, True)
    assert "extra" not in data
