"""Who may call which route: read back from the guards the server runs, plus the short list of public routes.

Every guard carries ``admits`` (the roles it lets through, see ``app/accounts/auth.py``), so this table cannot drift
from what is enforced. A route with no guard must be listed in ``PUBLIC_ROUTES``; otherwise its policy is
undeclared, and the authorization matrix test (tests/integration/test_authorization_matrix.py) fails."""

from collections.abc import Iterator
from dataclasses import dataclass

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from app.accounts.models import Role

ANONYMOUS = "anonymous"
EVERY_ROLE = frozenset(role.value for role in Role)
EVERYONE = EVERY_ROLE | {ANONYMOUS}
# Methods Litestar answers by itself (no handler of ours runs).
AUTOMATIC_METHODS = {"OPTIONS", "HEAD"}

# (method, path) → why it needs nobody signed in.
PUBLIC_ROUTES = {
    ("GET", "/"): "sends the visitor to sign in, or a signed-in user to their home page",
    ("GET", "/login"): "the sign-in page",
    ("POST", "/login"): "signing in",
    ("POST", "/logout"): "signing out (harmless without a session)",
    ("GET", "/sw.js"): "the service worker must load before sign-in",
    ("GET", "/manifest.webmanifest"): "the PWA manifest",
    ("GET", "/offline"): "the offline page the service worker shows",
    ("GET", "/favicon.ico"): "the icon",
    ("GET", "/livez"): "liveness probe",
    ("GET", "/healthz"): "readiness probe (says only which part is ok or not, and how fast)",
    ("GET", "/metrics"): "Prometheus: the handler answers only loopback or a holder of ONSITE_METRICS_TOKEN",
    ("GET", "/r/{token:str}"): "the customer's copy of a signed report, by its signed link",
    ("GET", "/r/{token:str}/pdf"): "the PDF of the customer's copy, by the same signed link",
    ("GET", "/static/{file_path:path}"): "scripts, styles and icons",
}


@dataclass(frozen=True)
class RoutePolicy:
    method: str
    path: str
    handler: HTTPRouteHandler
    admits: frozenset[str] | None  # None: nobody declared who may call it

    @property
    def path_params(self) -> list[str]:
        return [part[1:-1].split(":")[0] for part in self.path.split("/") if part.startswith("{")]


def admitted(handler: HTTPRouteHandler, method: str, path: str) -> frozenset[str] | None:
    """The roles (and ``ANONYMOUS``) the route admits: the intersection of what its guards admit, everyone for a
    listed public route, None for an unguarded route nobody listed."""
    guards = [getattr(guard, "func", guard) for guard in handler.resolve_guards()]
    if guards:
        sets = [getattr(guard, "admits", None) for guard in guards]
        if any(admits is None for admits in sets):
            return None  # a guard that does not say whom it admits
        return frozenset.intersection(*sets)
    return EVERYONE if (method, path) in PUBLIC_ROUTES else None


def route_policies(app: Litestar) -> Iterator[RoutePolicy]:
    """Every (method, path) of the app with the roles it admits."""
    for route in app.routes:
        for method, handler in getattr(route, "route_handler_map", {}).items():
            handler = handler[0] if isinstance(handler, tuple) else handler
            if method in AUTOMATIC_METHODS:
                continue
            yield RoutePolicy(method, route.path, handler, admitted(handler, method, route.path))
