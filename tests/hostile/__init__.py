"""The hostile-input suite (a package, so that its conftest does not shadow tests/conftest.py)."""
