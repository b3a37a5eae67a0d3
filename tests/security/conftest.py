import pytest
from django.test import Client


@pytest.fixture
def client():
    """A browser that asks for English (messages are asserted in English)."""
    return Client(headers={"accept-language": "en"})
