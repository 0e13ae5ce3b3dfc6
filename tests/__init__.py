"""Onsite's test suite."""

import os

# Cheap Argon2 for every test user and every server process the tests start; set before the app loads.
os.environ.setdefault("ONSITE_FAST_PASSWORD_HASHING", "1")
