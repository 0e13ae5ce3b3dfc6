"""KPI calculations against a hand-computed fixture (domain.md §11.4), on both databases (the KPIs are SQL)."""

from datetime import UTC, datetime

import pytest

import app.models  # noqa: F401 - every table on the metadata
from app.accounts.models import Office, User
from app.followups.models import Complaint, FollowUpCall
from app.jobs.models import Customer, Device, Job, JobDeadline, JobEvent
from app.reports import kpis
from app.reports.periods import Period

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


class KpiRows:
    """Rows for one office; each helper adds and returns one row."""

    def __init__(self, db) -> None:
        self.db = db
        self.office = Office(code="T", name="Test")
        self.user = User(
            office_id=self.office.id,
            username="e1",
            display_name="Li Wei",
            role="engineer",
            password_hash="x",
            created_at=NOW,
            updated_at=NOW,
        )
        self.customer = Customer(office_id=self.office.id, name="C", created_at=NOW)
        self.device = Device(office_id=self.office.id, customer_id=self.customer.id, model="XR-200", serial="S1")
        db.add_all([self.office, self.user, self.customer, self.device])
        self.count = 0

    def job(
        self,
        created: datetime,
        state: str,
        *,
        completed: datetime | None = None,
        job_type: str = "ONSITE",
        outcome: str = "",
        zone: str = "IN_AREA",
        parent: Job | None = None,
    ) -> Job:
        self.count += 1
        job = Job(
            number=f"T-{self.count}",
            office_id=self.office.id,
            job_type=job_type,
            state=state,
            channel="phone",
            customer_id=self.customer.id,
            device_id=self.device.id,
            device_serial="S1",
            site_address="a",
            zone=zone,
            contact_name="c",
            contact_phone="1",
            warranty_status="unknown",
            warranty_basis="none",
            fault_description="f",
            fault_judgement="unclear",
            requested_at=created,
            created_at=created,
            created_by_id=self.user.id,
            engineer_id=self.user.id,
            updated_at=created,
            completed_at=completed,
            outcome=outcome,
            parent_job_id=parent.id if parent else None,
            repeat_repair=parent is not None,
        )
        self.db.add(job)
        return job

    def deadline(self, job: Job, rule: str, due: datetime, met: datetime | None = None) -> None:
        self.db.add(JobDeadline(job_id=job.id, rule=rule, due_at=due, met_at=met))

    def revisit(self, job: Job, when: datetime) -> None:
        self.db.add(
            JobEvent(job_id=job.id, at=when, kind="transition", from_state="PARTS_CONFIRMED", to_state="SCHEDULED")
        )

    def call(
        self, job: Job, when: datetime, *, reached: bool, satisfied: bool | None = None, score: int | None = None
    ) -> FollowUpCall:
        call = FollowUpCall(
            office_id=self.office.id,
            job_id=job.id,
            caller_id=self.user.id,
            called_at=when,
            reached=reached,
            satisfied=satisfied,
            score=score,
        )
        self.db.add(call)
        return call

    def complaint(self, job: Job, when: datetime, area: str) -> None:
        self.db.add(
            Complaint(
                office_id=self.office.id,
                job_id=job.id,
                opened_at=when,
                opened_by_id=self.user.id,
                area=area,
                description="d",
            )
        )


@pytest.fixture
async def kpi_rows(db) -> KpiRows:
    w = KpiRows(db)
    j1 = w.job(at(2), "FOLLOWED_UP", completed=at(5))  # first-time fix
    j2 = w.job(at(28, month=10), "COMPLETED", completed=at(10), zone="WITHIN_80KM")  # spans months; revisited
    w.revisit(j2, at(3))
    j3 = w.job(at(3), "COMPLETED", completed=at(6))  # comeback 14 days later
    await db.flush()
    w.job(at(20), "NEW", parent=j3)
    j5 = w.job(at(4), "COMPLETED", completed=at(8), outcome="declined")
    w.job(at(25), "RECEIVED", job_type="CARRY_IN")
    w.job(at(2, month=12), "NEW")  # next month
    old = w.job(at(1, month=9), "CLOSED", completed=at(2, month=9))
    await db.flush()
    child = w.job(at(15), "NEW", parent=old)  # a comeback 2 months later is not within 30 days
    await db.flush()
    # S3: delays 0, 1800, 3600 and 26 h (still open, past due); one not yet due; one due in October.
    w.deadline(j1, "S3", at(2, 10), at(2, 9, 50))
    w.deadline(j3, "S3", at(2, 10), at(2, 11))
    w.deadline(j5, "S3", at(3, 10), at(3, 10, 30))
    w.deadline(child, "S3", at(29, 10))
    w.deadline(child, "S4", at(30, 18))
    w.deadline(j2, "S3", at(31, 10, month=10), at(31, 12, month=10))
    # Promises: S5 met, S12 met early and S12 a day late -> 1 carry-over in 3.
    w.deadline(j1, "S5", at(5, 17), at(5, 11))
    w.deadline(j3, "S12", at(10, 17), at(9, 12))
    w.deadline(j5, "S12", at(12, 17), at(13, 17))
    w.call(j1, at(6), reached=True, satisfied=True, score=5)
    w.call(j3, at(7), reached=True, satisfied=False, score=2)
    w.call(j5, at(9), reached=False)
    w.call(j5, at(1, month=12), reached=True, satisfied=True, score=4)  # next month
    w.complaint(j3, at(7), "quality")
    w.complaint(j3, at(20, month=10), "pricing")  # October
    await db.commit()
    return w


def november(kpi_rows: KpiRows, **filters) -> kpis.Scope:
    start, end = Period(2026, 11).bounds(UTC)
    return kpis.Scope(office_id=kpi_rows.office.id, start=start, end=end, now=NOW, **filters)


async def test_it_counts_jobs_received_in_the_period_by_type_and_state(db, kpi_rows):
    assert await kpis.volumes(db, november(kpi_rows)) == {
        ("ONSITE", "FOLLOWED_UP"): 1,
        ("ONSITE", "COMPLETED"): 2,
        ("ONSITE", "NEW"): 2,
        ("CARRY_IN", "RECEIVED"): 1,
    }


async def test_it_computes_on_time_rate_median_and_p90_delay_per_rule(db, kpi_rows):
    by_rule = {r.rule: r for r in await kpis.sla_compliance(db, november(kpi_rows))}
    s3 = by_rule["S3"]
    assert (s3.total, s3.on_time) == (4, 1) and s3.on_time_rate == 0.25
    assert s3.median_delay_s == pytest.approx(1800, abs=1)
    assert s3.p90_delay_s == pytest.approx(26 * 3600, abs=1)
    assert "S4" not in by_rule  # not yet due
    s12 = by_rule["S12"]
    assert (s12.total, s12.on_time) == (2, 1)
    assert s12.median_delay_s == 0 and s12.p90_delay_s == pytest.approx(86400, abs=1)


async def test_it_counts_first_time_fixes_among_jobs_completed_in_the_period(db, kpi_rows):
    # Completed in November: j1 (fixed), j2 (revisited, created in October), j3 (comeback), j5 (declined).
    assert await kpis.fixes(db, november(kpi_rows)) == (4, 1, 1)


async def test_it_computes_carry_over_against_the_promised_dates(db, kpi_rows):
    assert await kpis.carry_over(db, november(kpi_rows)) == (3, 1)
    report = await kpis.build_kpi_report(db, november(kpi_rows))
    assert report.carry_over_rate == pytest.approx(1 / 3) and report.carry_over_rate > kpis.CARRY_OVER_TARGET


async def test_it_computes_satisfaction_and_complaints(db, kpi_rows):
    assert await kpis.satisfaction(db, november(kpi_rows)) == (2, 1, 3.5, 1)
    assert await kpis.complaints_by_area(db, november(kpi_rows)) == {"quality": 1}


async def test_it_reports_no_parts_hit_rate_when_nothing_was_borrowed(db, kpi_rows):
    parts = (await kpis.build_kpi_report(db, november(kpi_rows))).parts
    assert parts["hit_rate"] is None and parts["borrowed"] == 0 and parts["borrow_failures"] == 0


async def test_it_reports_nothing_for_a_period_without_jobs(db, kpi_rows):
    start, end = Period(2025, 1).bounds(UTC)
    report = await kpis.build_kpi_report(db, kpis.Scope(office_id=kpi_rows.office.id, start=start, end=end, now=NOW))
    assert report.volumes == {} and report.sla == [] and report.completed == 0
    assert report.first_time_fix_rate is None and report.carry_over_rate is None
    assert report.satisfaction_rate is None and report.average_score is None and report.complaints == {}


async def test_it_filters_by_zone_and_breaks_down_by_dimension(db, kpi_rows):
    assert await kpis.fixes(db, november(kpi_rows, zone="WITHIN_80KM")) == (1, 0, 0)
    by_zone = {r.key: r for r in await kpis.breakdown(db, november(kpi_rows), "zone")}
    assert (by_zone["IN_AREA"].received, by_zone["IN_AREA"].completed, by_zone["IN_AREA"].first_time_fixes) == (6, 3, 1)
    assert (by_zone["WITHIN_80KM"].received, by_zone["WITHIN_80KM"].completed) == (0, 1)
    [engineer] = await kpis.breakdown(db, november(kpi_rows), "engineer")
    assert engineer.key == "Li Wei" and engineer.completed == 4
    [model] = await kpis.breakdown(db, november(kpi_rows), "model")
    assert model.key == "XR-200" and model.received == 6


async def test_it_gives_the_monthly_trend_of_complaints_and_satisfaction(db, kpi_rows):
    from app.reports.service import trend_months

    months = trend_months(Period(2026, 11), UTC, count=3)
    assert [label for label, _start, _end in months] == ["2026-09", "2026-10", "2026-11"]
    points = await kpis.monthly_trend(db, november(kpi_rows), months)
    assert [(p.complaints, p.satisfaction_rate) for p in points] == [(0, None), (1, None), (1, 0.5)]
    assert not kpis.is_rising(points)
    assert kpis.is_rising([kpis.TrendPoint("a", 1, None), kpis.TrendPoint("b", 2, None), kpis.TrendPoint("c", 4, None)])


async def test_the_monthly_report_counts_arrivals_inside_the_agreed_window(db, kpi_rows):
    """S18: arrivals in the period, and those by the end of the agreed window (by the phone's time if given)."""
    w = kpi_rows
    kept, late, unagreed, december = (w.job(at(10), "ON_SITE") for _i in range(4))
    for job in (kept, late, december):
        job.appointment_start, job.appointment_end = at(12, 9), at(12, 11)
    await db.flush()
    arrivals = [
        (kept, at(12, 10, 30), None),
        (late, at(12, 10, 50), at(12, 11, 30)),  # sent before the end, but the phone says it arrived late
        (unagreed, at(12, 10), None),
        (december, at(1, 10, month=12), None),
    ]
    for job, when, device_at in arrivals:
        db.add(JobEvent(job_id=job.id, at=when, device_at=device_at, kind="transition", to_state="ON_SITE"))
    await db.commit()
    assert await kpis.appointments(db, november(kpi_rows)) == (3, 1)
    report = await kpis.build_kpi_report(db, november(kpi_rows))
    assert report.appointment_rate == pytest.approx(1 / 3)
