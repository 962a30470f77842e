from __future__ import annotations

from typing import Any

import pytest

from places.loading import load_default_units


@pytest.fixture
def units(db: None) -> Any:
    """The 65 communes of Khánh Hòa, loaded from the shipped CSV."""
    load_default_units()
