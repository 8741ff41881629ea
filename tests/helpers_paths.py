"""Where the checkout's files are, for tests at any depth under tests/."""

from __future__ import annotations

from pathlib import Path

#: The checkout's root: pyproject.toml, app.py, scenarios/, docs/.
REPO = Path(__file__).resolve().parent.parent
