"""Fixtures of the deterrence tests."""

import pytest

import gametheory as gt


@pytest.fixture(scope="session")
def direct():
    return gt.models.get("direct")
