"""The built-in visit checklists (domain.md §5.2 and §10) as data; a manager's edited versions are stored as
``ChecklistTemplate`` rows.

Texts are English source strings marked with ``N_`` and translated when shown. A job takes a snapshot of
its checklist when the visit starts, so later edits never change a running visit.
"""

from app.visits.checklists.installation import INSTALLATION
from app.visits.checklists.repair import REPAIR_VISIT

BUILT_IN_CHECKLISTS = {"repair": REPAIR_VISIT, "installation": INSTALLATION}
CHECKLIST_FOR_JOB_TYPE = {"ONSITE": "repair", "INSTALL": "installation"}
