from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def samples() -> Path:
    return ROOT / "samples"


@pytest.fixture(autouse=True, scope="session")
def _template_cache(tmp_path_factory):
    """The compiled-template cache of the test run lives in its own folder, not the user's."""
    import os

    os.environ.setdefault("JUESUAN_CACHE_DIR", str(tmp_path_factory.mktemp("juesuan-cache")))
    yield
