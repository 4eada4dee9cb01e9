"""One measured figure, with the budget it is judged against (from deploykit.foundation.limits) and a line
on how it was measured; and the way its budget is shown and marked in the report."""

from dataclasses import dataclass, field

from deploykit.foundation.limits import Budget


@dataclass
class Figure:
    key: str  # stable identifier in bench.json, e.g. "image.backend.size"
    group: str  # the report section it belongs to
    name: str  # what a reader sees in the table
    value: float | None  # None: not measured, and note says why
    unit: str
    how: str  # one phrase: what was timed or read, and how often
    budget: Budget | None = None
    note: str = ""  # context shown beside the value: the spread, a count, a limit
    digits: int = 2
    extra: dict = field(default_factory=dict)  # raw numbers for bench.json only

    @property
    def met_target(self) -> bool | None:
        if self.budget is None or self.value is None:
            return None
        return self.budget.met_target(self.value)

    @property
    def met_bound(self) -> bool | None:
        if self.budget is None or self.budget.bound is None or self.value is None:
            return None
        return self.budget.met_bound(self.value)

    def shown_value(self) -> str:
        if self.value is None:
            return "not measured"
        return f"{self.value:,.{self.digits}f} {self.unit}".rstrip()

    def as_dict(self) -> dict:
        return {
            "key": self.key, "group": self.group, "name": self.name,
            "value": None if self.value is None else round(self.value, max(self.digits, 3)),
            "unit": self.unit, "how": self.how, "note": self.note,
            "target": self.budget.target if self.budget else None,
            "bound": self.budget.bound if self.budget else None,
            "met_target": self.met_target, "met_bound": self.met_bound,
            **({"extra": self.extra} if self.extra else {}),
        }


def not_measured(key: str, group: str, name: str, unit: str, how: str, why: str,
                 budget: Budget | None = None) -> Figure:
    """A figure whose measurement failed: it still appears in the report, saying why."""
    return Figure(key, group, name, None, unit, how, budget, note=why)


def mark(met: bool | None) -> str:
    if met is None:
        return ""
    return "met" if met else "**not met**"


def target_cell(figure: Figure) -> str:
    """e.g. "≤ 100 MB, met"; empty when the figure has no target."""
    if figure.budget is None:
        return "—"
    text = f"≤ {figure.budget.target:g} {figure.budget.unit}"
    return f"{text}, {mark(figure.met_target)}" if figure.value is not None else text


def bound_cell(figure: Figure) -> str:
    """e.g. "< 150 MB, met"; a dash when the figure has no limit."""
    if figure.budget is None or figure.budget.bound is None:
        return "—"
    text = f"< {figure.budget.bound:g} {figure.budget.unit}"
    return f"{text}, {mark(figure.met_bound)}" if figure.value is not None else text
