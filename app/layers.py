"""The layers of ``app``, lowest first. A module imports only from its own package and from packages in lower
layers: never up, never sideways into another package of its own layer (``tests/unit/test_layers.py``).

- ``core``: the web and database machinery every feature uses; it knows no feature.
- ``media``, ``accounts``, ``audit``: photos, users and their offices, the audit log of views and exports.
- ``jobs``: the job, its states, clocks, events and board log; the base that knows no feature built on it.
- the features, each knowing only those below it: ``sync`` (the phone's deliveries and status), ``retention``
  (what is past its keep time), ``parts``, ``visits``, then ``followups``, ``carryin``, ``pwa``,
  ``installs`` (planning an installation) ``conduct`` (the daily conduct card) and ``shifts``
  (staff check-ins, the duty rota) side by side,
  then ``callbacks`` (the hotline's call-back tasks; it reuses the carry-in desks' form ids),
  then ``notify`` (messages and the scheduler), then the management ``reports``.
- ``desk``: the pages that combine features (the job page, the board, completion gates).
- the application: ``demo`` data, ``operations`` (backup, restore, health, metrics), the ``cli``, the metadata
  of every table (``models``), ``main``.
"""

LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(layer.split())
    for layer in (
        "core",
        "media",
        "accounts",
        "audit",
        "jobs",
        "sync",
        "retention",
        "parts",
        "visits",
        "followups carryin pwa installs conduct shifts",
        "callbacks",
        "notify",
        "reports",
        "desk",
        "demo",
        "operations",
        "models",
        "cli",
        "main",
    )
)
