"""The follow-up call script and complaint areas (domain.md §11.1 Default)."""

from app.core.i18n import N_

QUESTIONS = {
    "reach": N_("Was it easy to reach us?"),
    "speed": N_("How were our response and repair speed?"),
    "skill": N_("How skilled was the engineer, and how good was the repair?"),
    "courtesy": N_("Were staff courteous? Was anyone especially helpful or unhelpful?"),
    "value": N_("Was it good value, and was the work explained?"),
    "improve": N_("What should we improve? (This also covers the cleanliness of our premises and of the device.)"),
}
COMPLAINT_AREAS = {
    "courtesy": N_("Greeting and courtesy"),
    "quality": N_("Repair quality"),
    "pricing": N_("Pricing / value"),
    "timeliness": N_("Timeliness"),
    "cleanliness": N_("Cleanliness of the returned item"),
    "explanation": N_("Explanation at hand-over"),
    "other": N_("Other (e.g. facilities)"),
}
MAX_ATTEMPTS = 3  # unreachable after 3 attempts (Appendix A #19)
TEMPLATE_GLOBALS = {"QUESTIONS": QUESTIONS, "COMPLAINT_AREAS": COMPLAINT_AREAS}
