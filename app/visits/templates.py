"""The built-in checklist templates (domain.md §5.2 and §10) as data, and a manager's edited versions.

Texts are English source strings marked with ``N_`` and translated when shown. A job takes a snapshot of
its template when the visit starts, so later edits never change a running visit.
"""

from app.core.i18n import N_

ALL = ["fixed", "unfixed", "declined"]
BEFORE_DECISION = ["fixed", "declined"]
# F15: without a card, the serial lookup's answer is recorded (not free text alone).
LOOKUP_RESULTS = {
    "in_warranty": N_("In warranty"),
    "out_of_warranty": N_("Out of warranty"),
    "not_found": N_("Serial not found"),
}


def _f(name: str, kind: str, label: str, **extra) -> dict:
    return {"name": name, "type": kind, "label": label, **extra}


REPAIR_VISIT = {
    "key": "repair",
    "version": 1,
    "name": N_("Onsite repair visit"),
    "phases": [
        {"key": "arrival", "title": N_("Arrival")},
        {"key": "reproduce", "title": N_("Reproduce")},
        {"key": "repair", "title": N_("Repair")},
        {"key": "verify", "title": N_("Verify")},
        {"key": "signoff", "title": N_("Sign-off")},
    ],
    "steps": [
        {
            "key": "arrive",
            "phase": "arrival",
            "type": "check",
            "title": N_("Arrive"),
            "paths": ALL,
            "hint": N_("Knock three times, introduce yourself, show your badge and offer your card."),
            "fields": [_f("badge_shown", "check", N_("Badge shown and card offered"))],
        },
        {
            "key": "enter",
            "phase": "arrival",
            "type": "consent",
            "title": N_("Enter the site"),
            "paths": ALL,
            "fields": [
                _f("consent_to_enter", "check", N_("Customer invited me in")),
                _f("admitted_by", "text", N_("Who admitted you")),
                _f("shoe_covers", "check", N_("Shoe covers on")),
                _f("site_rules", "text", N_("Site rules"), required=False),
            ],
        },
        {
            "key": "warranty",
            "phase": "arrival",
            "type": "photo",
            "title": N_("Warranty card and packing list"),
            "paths": ALL,
            "min_photos": 1,
            "photos_unless": "lookup_result",
            "hint": N_("Photograph the warranty card and packing list, or look the serial up and say why."),
            "fields": [
                _f("card_checked", "check", N_("Warranty card and packing list checked"), required=False),
                _f(
                    "lookup_result",
                    "choice",
                    N_("No card: what the serial lookup says"),
                    options=LOOKUP_RESULTS,
                    required=False,
                ),
                _f(
                    "lookup_reason",
                    "text",
                    N_("Why there is no card"),
                    when={"field": "lookup_result", "in": list(LOOKUP_RESULTS)},
                ),
            ],
        },
        {
            "key": "repair_order",
            "phase": "arrival",
            "type": "text",
            "title": N_("Repair order"),
            "paths": ALL,
            "fields": [
                _f("fault_in_words", "text", N_("Fault in the customer's words")),
                _f("when_occurs", "text", N_("When it occurs")),
                _f("environment", "text", N_("Environment")),
            ],
        },
        {
            "key": "reproduce",
            "phase": "reproduce",
            "type": "choice",
            "title": N_("Reproduce the fault"),
            "paths": ALL,
            "min_photos": 1,
            "hint": N_("Inspect the whole exterior and the connections; photograph the exterior."),
            "fields": [
                _f(
                    "outcome",
                    "choice",
                    N_("Result"),
                    options={
                        "reproduced": N_("Reproduced"),
                        "not_reproduced": N_("Not reproduced"),
                        "man_made": N_("Man-made"),
                    },
                )
            ],
        },
        {
            "key": "observe",
            "phase": "reproduce",
            "type": "timer",
            "title": N_("Observe for 30 minutes"),
            "paths": ALL,
            "minutes": 30,
            "when": {"step": "reproduce", "field": "outcome", "in": ["not_reproduced"]},
            "fields": [_f("observation", "text", N_("What you observed"))],
        },
        {
            "key": "classify",
            "phase": "reproduce",
            "type": "choice",
            "title": N_("Classify the fault"),
            "paths": BEFORE_DECISION,
            "fields": [
                _f(
                    "fault_class",
                    "choice",
                    N_("Fault class"),
                    options={
                        "hardware": N_("Hardware"),
                        "software": N_("Software (paid service)"),
                        "man_made": N_("Man-made (paid service)"),
                        "third_party": N_("Third-party accessory"),
                    },
                ),
                _f("cause", "text", N_("Faulty part and cause")),
            ],
        },
        {
            "key": "quote",
            "phase": "reproduce",
            "type": "signature",
            "title": N_("Quote accepted by the customer"),
            "paths": BEFORE_DECISION,
            "when": {"flag": "paid"},
            "purpose": "quote",
        },
        {
            "key": "explain",
            "phase": "repair",
            "type": "check",
            "title": N_("Explain and agree"),
            "fields": [_f("explained", "check", N_("Fault and intended fix explained"))],
        },
        {
            "key": "consent_open",
            "phase": "repair",
            "type": "consent",
            "title": N_("Consent to open the device"),
            "fields": [
                _f("consent", "check", N_("Customer agrees to opening the device")),
                _f("consenting_person", "text", N_("Consenting person")),
            ],
        },
        {
            "key": "data_risk",
            "phase": "repair",
            "type": "choice",
            "title": N_("Data risk"),
            "one_of": {"fields": ["backup_location", "waiver"], "when": {"field": "at_risk", "in": ["yes"]}},
            "fields": [
                _f("at_risk", "choice", N_("May data be at risk?"), options={"no": N_("No"), "yes": N_("Yes")}),
                _f("backup_location", "text", N_("Backup done, stored at"), required=False),
                _f("waiver", "check", N_("Customer waives the backup"), required=False),
            ],
        },
        {
            "key": "data_risk_signature",
            "phase": "repair",
            "type": "signature",
            "title": N_("Customer's data-risk consent"),
            "purpose": "data_risk",
            "when": {"step": "data_risk", "field": "at_risk", "in": ["yes"]},
        },
        {
            "key": "authenticity",
            "phase": "repair",
            "type": "check",
            "title": N_("Authenticity of components"),
            "fields": [
                _f("barcodes_checked", "check", N_("Component barcodes checked")),
                _f("mismatch", "check", N_("A barcode does not match"), required=False),
            ],
        },
        {
            "key": "repair",
            "phase": "repair",
            "type": "part_scan",
            "title": N_("Repair"),
            "hint": N_("Software before hardware, easy before hard. Scan each fitted part."),
            "fields": [
                _f("work_done", "text", N_("Work done")),
                _f("fitted_serial", "part_scan", N_("Fitted part serial (scan or type)"), required=False),
                _f("removed_serial", "text", N_("Removed part serial"), required=False),
            ],
        },
        {
            "key": "new_problem",
            "phase": "repair",
            "type": "choice",
            "title": N_("New problem found"),
            "hint": N_("Step away from the customer and report to HQ; extra chargeable work needs new consent."),
            "fields": [
                _f("found", "choice", N_("Did you find a new problem?"), options={"no": N_("No"), "yes": N_("Yes")}),
                _f("note", "text", N_("What you found"), when={"field": "found", "in": ["yes"]}),
            ],
        },
        {
            "key": "extra_quote",
            "phase": "repair",
            "type": "signature",
            "title": N_("Extra work accepted by the customer"),
            "purpose": "quote",
            "when": {"step": "new_problem", "field": "found", "in": ["yes"]},
        },
        {
            "key": "verify",
            "phase": "verify",
            "type": "check",
            "title": N_("Verify with the customer"),
            "min_photos": 1,
            "fields": [
                _f("fault_gone", "check", N_("Original fault gone")),
                _f("parts_working", "check", N_("New parts working; driver matches")),
                _f("cables_sound", "check", N_("Cables sound; dust brushed out")),
                _f("starts_runs", "check", N_("Starts and runs; casing wiped")),
                _f("customer_present", "check", N_("Customer present")),
            ],
        },
        {
            "key": "evaluation",
            "phase": "signoff",
            "type": "choice",
            "title": N_("Customer's evaluation"),
            "fields": [
                _f(
                    "rating",
                    "choice",
                    N_("Evaluation"),
                    options={
                        "satisfied": N_("Satisfied"),
                        "neutral": N_("Neutral"),
                        "dissatisfied": N_("Dissatisfied"),
                    },
                ),
                _f("comments", "text", N_("Opinions and suggestions"), required=False),
            ],
        },
        {
            "key": "unresolved",
            "phase": "signoff",
            "type": "choice",
            "title": N_("Not fixed: next step"),
            "paths": ["unfixed"],
            "min_photos": 1,
            "photos_when": {"field": "next_step", "in": ["take_back"]},
            "fields": [
                _f("reason", "text", N_("Why it is not fixed")),
                _f(
                    "next_step",
                    "choice",
                    N_("Solution offered"),
                    options={"take_back": N_("Take the device back (receipt)"), "revisit": N_("Book another visit")},
                ),
                _f("revisit_date", "date", N_("Revisit date"), when={"field": "next_step", "in": ["revisit"]}),
                _f("accessories", "text", N_("Accessories taken"), when={"field": "next_step", "in": ["take_back"]}),
            ],
        },
        {
            "key": "signature",
            "phase": "signoff",
            "type": "signature",
            "title": N_("Customer signature"),
            "paths": ALL,
            "purpose": "report",
        },
        {
            "key": "cleanup",
            "phase": "signoff",
            "type": "check",
            "title": N_("Clean up and leave"),
            "paths": ALL,
            "fields": [
                _f("site_clean", "check", N_("Site clean, nothing left behind")),
                _f("tools_collected", "check", N_("Tools collected")),
                _f("tip", "text", N_("Maintenance tip given"), required=False),
            ],
        },
    ],
}

INSTALLATION = {
    "key": "installation",
    "version": 1,
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
            "fields": [_f("call_log", "text", N_("Three-call log"))],
        },
        {
            "key": "briefing",
            "phase": "arrival",
            "type": "text",
            "title": N_("Technical briefing"),
            "paths": ALL,
            "fields": [_f("briefing", "text", N_("Content, scope, interfaces, risks, schedule"))],
        },
        {
            "key": "check_in",
            "phase": "arrival",
            "type": "check",
            "title": N_("Daily check-in"),
            "paths": ALL,
            "fields": [_f("checked_in", "check", N_("Checked in on site"))],
        },
        {
            "key": "safety",
            "phase": "execution",
            "type": "check",
            "title": N_("Daily safety checklist"),
            "fields": [
                _f("protective", "check", N_("Protective clothing and helmet")),
                _f("insulated", "check", N_("Insulated gloves and tools where live")),
                _f("barriers", "check", N_("Barriers and safety watcher when testing")),
            ],
        },
        {
            "key": "milestone",
            "phase": "execution",
            "type": "photo",
            "title": N_("Milestone witnessed"),
            "min_photos": 1,
            "fields": [_f("milestone", "text", N_("Milestone")), _f("witness", "text", N_("Customer witness"))],
        },
        {
            "key": "milestone_witness",
            "phase": "execution",
            "type": "signature",
            "title": N_("Milestone confirmed by the customer's witness"),
            "purpose": "witness",
        },
        {
            "key": "tests",
            "phase": "execution",
            "type": "text",
            "title": N_("Tests and measurements"),
            "fields": [_f("results", "text", N_("Test results"))],
        },
        {
            "key": "daily_log",
            "phase": "execution",
            "type": "text",
            "title": N_("Daily work log"),
            "fields": [_f("log", "text", N_("Content, progress, problems"))],
        },
        {
            "key": "self_check",
            "phase": "checks",
            "type": "check",
            "title": N_("Self-check"),
            "fields": [_f("done", "check", N_("Checked against process documents and flow card"))],
        },
        {
            "key": "cross_check",
            "phase": "checks",
            "type": "text",
            "title": N_("Cross-check"),
            "na_allowed": True,
            "hint": N_("Teams of two or more: another team member checks your work. Alone: not applicable."),
            "not_self": "checker",
            "fields": [_f("checker", "text", N_("Cross-checked by"))],
        },
        {
            "key": "handover",
            "phase": "closeout",
            "type": "text",
            "title": N_("Hand-over"),
            "fields": [
                _f("handover_list", "text", N_("Accessories and spares handed over")),
                _f("site_clean", "check", N_("Site and equipment clean")),
            ],
        },
        {
            "key": "training",
            "phase": "training",
            "type": "choice",
            "title": N_("Training"),
            "fields": [
                _f(
                    "offered",
                    "choice",
                    N_("Training"),
                    options={"given": N_("Given"), "declined": N_("Declined by the customer")},
                ),
                _f(
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
            "title": N_("Service receipt signed"),
            "paths": ALL,
            "purpose": "report",
        },
        {
            "key": "check_out",
            "phase": "closeout",
            "type": "check",
            "title": N_("Daily check-out"),
            "paths": ALL,
            "fields": [_f("checked_out", "check", N_("Checked out; departure agreed"))],
        },
    ],
}

BUILT_IN = {"repair": REPAIR_VISIT, "installation": INSTALLATION}
TEMPLATE_FOR_JOB_TYPE = {"ONSITE": "repair", "INSTALL": "installation"}
