"""Shared fixtures (a local certificate authority, a local fixture site) and the suite's layout:
each test is marked with the folder it lives in, which mirrors a package of the source, so
``pytest -m crawl`` or ``pytest tests/crawl`` runs the tests of one stage."""

from __future__ import annotations

from pathlib import Path

import pytest
import trustme

from tests.fixtures.localserver import LocalSite


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    """A throw-away certificate authority for HTTPS tests (``ca.issue_cert("host")``)."""
    return trustme.CA()


@pytest.fixture
def local_site():
    """A started, empty :class:`LocalSite`; add routes with ``local_site.add(...)``."""
    site = LocalSite().start()
    yield site
    site.stop()


TESTS_DIR = Path(__file__).resolve().parent
# folders whose tests build their artifacts by hand: they must never need Chromium
WITHOUT_BROWSER = frozenset({"checks", "score", "shared"})


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        try:
            folder = Path(str(item.path)).resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:
            continue
        if folder.endswith(".py"):
            continue  # a test of the whole house (tests/test_architecture.py)
        item.add_marker(getattr(pytest.mark, folder))
        if folder in WITHOUT_BROWSER and item.get_closest_marker("browser") is not None:
            raise pytest.UsageError(f"{item.nodeid}: tests/{folder} runs without a browser; "
                                    "a test that needs Chromium belongs in tests/e2e or its stage's folder")
