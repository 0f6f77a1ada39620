import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared():
    """../shared (gold and corpus). CI always has it; elsewhere its tests are skipped."""
    if not (SHARED / "gold").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing: CI must have shared/ beside the clone")
        pytest.skip("../shared is not beside this clone")
    return SHARED
