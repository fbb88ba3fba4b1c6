"""Shared fixtures: a local certificate authority and a local fixture site."""

from __future__ import annotations

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
