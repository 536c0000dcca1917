"""Run records: what each completed job run did, and where the next run's catch-up starts."""

from __future__ import annotations

from datetime import date

from .models import RunModel


class RunRepository:
    def last_run_before(self, job: str, as_of: date) -> date | None:
        """Return the business date of the latest completed run of `job` before `as_of`."""
        for run in RunModel.query(job, RunModel.as_of < as_of.isoformat(), scan_index_forward=False, limit=1):
            return date.fromisoformat(run.as_of)
        return None

    def record(self, job: str, as_of: date, counts: dict, finished_at: str) -> None:
        RunModel(job=job, as_of=as_of.isoformat(), finished_at=finished_at, counts=counts).save()
