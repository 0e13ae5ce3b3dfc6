"""What tests import: factories, clients, servers and waits. ``conftest.py`` files hold only fixtures."""
