from pathlib import Path

import pytest

from indicators.loading import load_bundle

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
REFERENCE_DIR = ROOT.parent / "shared" / "reference-data"


@pytest.fixture(scope="session")
def bundle():
    return load_bundle(DATA_DIR)
