"""The built-in installation and commissioning visit (domain.md §10) as data."""

from app.core.i18n import N_
from app.visits.checklists.steps import ALL, field

INSTALLATION = {
    "key": "installation",
    "version": 3,
    "name": N_("Installation and commissioning"),
    "phases": [
        {"key": "arrival", "title": N_("Arrival")},
        {"key": "execution", "title": N_("Execution")},
        {"key": "checks", "title": N_("Checks")},
        {"key": "closeout", "title": N_("Close-out")},
        {"key": "training", "title": N_("Training")},
    ],
    "steps": [
        {
            "key": "calls",
            "phase": "arrival",
            "type": "text",
            "title": N_("The three calls"),
            "paths": ALL,
            "fields": [field("call_log", "text", N_("Three-call log"))],
        },
        {
            "key": "briefing",
            "phase": "arrival",
            "type": "text",
            "title": N_("Technical briefing"),
            "paths": ALL,
            "fields": [field("briefing", "text", N_("Content, scope, interfaces, risks, schedule"))],
        },
        {
            "key": "check_in",
            "phase": "arrival",
            "type": "check",
            "title": N_("Daily check-in"),
            "paths": ALL,
            "hint": N_("Checks you in on site for today; on the following days, check in on the job page."),
            "fields": [field("checked_in", "check", N_("Checked in on site"))],
        },
        {
            "key": "safety",
            "phase": "execution",
            "type": "check",
            "title": N_("Daily safety checklist"),
            "fields": [
                field("protective", "check", N_("Protective clothing and helmet")),
                field("insulated", "check", N_("Insulated gloves and tools where live")),
                field("barriers", "check", N_("Barriers and safety watcher when testing")),
            ],
        },
        {
            "key": "milestones",
            "phase": "execution",
            "type": "check",
            "title": N_("Milestones witnessed"),
            "hint": N_(
                "Record each milestone of the plan on the job page on the day it happens: a photo, the customer "
                "witness's name and signature."
            ),
            "fields": [field("all_witnessed", "check", N_("Every milestone of the plan is witnessed"))],
        },
        {
            "key": "tests",
            "phase": "execution",
            "type": "text",
            "title": N_("Tests and measurements"),
            "fields": [field("results", "text", N_("Test results"))],
        },
        {
            "key": "daily_log",
            "phase": "execution",
            "type": "text",
            "title": N_("Daily work log"),
            "fields": [field("log", "text", N_("Content, progress, problems"))],
        },
        {
            "key": "self_check",
            "phase": "checks",
            "type": "check",
            "title": N_("Self-check"),
            "fields": [field("done", "check", N_("Checked against process documents and flow card"))],
        },
        {
            "key": "cross_check",
            "phase": "checks",
            "type": "text",
            "title": N_("Cross-check"),
            "na_allowed": True,
            "hint": N_("Teams of two or more: another team member checks your work. Alone: not applicable."),
            "fields": [field("checker", "team_member", N_("Cross-checked by"))],
        },
        {
            "key": "handover",
            "phase": "closeout",
            "type": "text",
            "title": N_("Hand-over"),
            "fields": [
                field("handover_list", "text", N_("Accessories and spares handed over")),
                field("site_clean", "check", N_("Site and equipment clean")),
            ],
        },
        {
            "key": "training",
            "phase": "training",
            "type": "choice",
            "title": N_("Training"),
            "fields": [
                field(
                    "offered",
                    "choice",
                    N_("Training"),
                    options={"given": N_("Given"), "declined": N_("Declined by the customer")},
                ),
                field(
                    "attendees",
                    "text",
                    N_("Attendees and material version"),
                    when={"field": "offered", "in": ["given"]},
                ),
            ],
        },
        {
            "key": "training_declined",
            "phase": "training",
            "type": "signature",
            "title": N_("Customer signs “training declined”"),
            "purpose": "training_declined",
            "when": {"step": "training", "field": "offered", "in": ["declined"]},
        },
        {
            "key": "signature",
            "phase": "closeout",
            "type": "signature",
            "title": N_("Service receipt signed or stamped"),
            "hint": N_("The customer evaluates the work, then signs, or stamps the receipt and you photograph it."),
            "paths": ALL,
            "purpose": "report",
        },
        {
            "key": "check_out",
            "phase": "closeout",
            "type": "check",
            "title": N_("Daily check-out"),
            "paths": ALL,
            "hint": N_("First check out for today with the daily log on the job page."),
            "fields": [field("checked_out", "check", N_("Checked out; departure agreed"))],
        },
    ],
}
