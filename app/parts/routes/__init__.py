"""Parts: every route of the feature, registered by the app factory."""

from app.parts.routes.centre import ROUTES as CENTRE_ROUTES
from app.parts.routes.counter import ROUTES as COUNTER_ROUTES
from app.parts.routes.stats import ROUTES as STATS_ROUTES
from app.parts.routes.units import ROUTES as UNIT_ROUTES

ROUTES = [*COUNTER_ROUTES, *UNIT_ROUTES, *STATS_ROUTES, *CENTRE_ROUTES]
