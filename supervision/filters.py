"""The dashboard's filters once validated: what every figure is narrowed by."""

from dataclasses import dataclass

from .periods import Period


@dataclass(frozen=True)
class Filters:
    period: Period
    stage_id: int | None = None
    department_id: int | None = None
    level: str = ""  # warnings list: "", "red" or "yellow"

    def query(self):
        """The filters as query parameters (for export links)."""
        params = {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()}
        if self.stage_id:
            params["stage"] = self.stage_id
        if self.department_id:
            params["department"] = self.department_id
        if self.level:
            params["level"] = self.level
        return params
