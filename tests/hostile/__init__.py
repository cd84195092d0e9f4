"""The hostile-input suite (issue 14). A package, so that its conftest does not shadow tests/conftest.py."""
