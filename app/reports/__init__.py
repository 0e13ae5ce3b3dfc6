"""Management reports: the KPI report over a period (F49), its charts and CSV export (F50).

Not to be confused with the signed *service report* of a visit, which lives in ``app/visits`` (``service_report_*``).
"""
