"""Onsite's test suite."""

import os

# Cheap Argon2 for every test user and every server process the tests start; set before the app loads.
os.environ.setdefault("ONSITE_FAST_PASSWORD_HASHING", "1")
# A template that hides a name its view passed (``{% set user = … %}``) fails the render instead of showing
# the wrong record; every page a test renders is checked, in the test process and in servers it starts.
os.environ.setdefault("ONSITE_STRICT_TEMPLATES", "1")
