"""The flags a job shows on every list it appears in: red when overdue or unfinished (INV-8, F08), amber when
due soon or changed late, and what sets it apart (escalated, paid, urgent, a repeat repair).

Flags are codes; their words come from ``texts.flag_label`` when a page is drawn.
"""

from dataclasses import dataclass
from datetime import datetime

SERIOUS_LEVELS = frozenset({"L1", "L2"})


@dataclass(frozen=True)
class Flag:
    code: str  # also the badge's data-flag
    tone: str = ""  # "danger", "warn" or plain
    level: str = ""  # the fault level of an escalated job


def is_unfinished(job, now: datetime) -> bool:
    """Open past the end of its committed day (INV-8, F08): shown red until completed."""
    return bool(job.is_open and job.unfinished_after and job.unfinished_after < now)


def is_overdue(job, now: datetime) -> bool:
    """Open past its next deadline."""
    return bool(job.is_open and job.next_due_at and job.next_due_at < now)


def is_near(job, now: datetime) -> bool:
    """Past its next deadline's warning time, neither overdue nor unfinished yet."""
    return bool(
        job.is_open
        and job.next_warn_at
        and job.next_warn_at < now
        and not is_overdue(job, now)
        and not is_unfinished(job, now)
    )


def job_flags(job, now: datetime) -> list[Flag]:
    """The job's flags at ``now``, most urgent first."""
    flags = []
    if is_unfinished(job, now):
        flags.append(Flag("unfinished", "danger"))
    if is_overdue(job, now):
        flags.append(Flag("overdue", "danger"))
    if is_near(job, now):
        flags.append(Flag("near", "warn"))
    if job.late_change:
        flags.append(Flag("late-change", "warn"))
    if job.fault_level:
        flags.append(Flag("escalated", "danger" if job.fault_level in SERIOUS_LEVELS else "", job.fault_level))
    if job.paid:
        flags.append(Flag("paid"))
    if job.priority == "urgent":
        flags.append(Flag("urgent", "danger"))
    if job.repeat_repair:
        flags.append(Flag("repeat-repair", "warn"))
    return flags
