"""The production stack's files: docker-compose.yml parses and wires the services
as README.md says, and every variable the settings read is documented."""

import re
from pathlib import Path

import yaml
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((BASE / "docker-compose.yml").read_text())


def test_the_stack_has_its_services_health_checks_and_volumes():
    stack = compose()
    services = stack["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("db", "redis", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        after = services[name]["depends_on"]
        assert after["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DJANGO_DEBUG"] == "false"
    assert {"pgdata", "media", "var"} <= set(stack["volumes"])
    assert any(v.startswith("media:") for v in services["web"]["volumes"])
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])


def variables_read() -> set[str]:
    """Every environment variable the settings, gunicorn's and the compose file read."""
    source = (BASE / "config" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    gunicorn = (BASE / "config" / "gunicorn.conf.py").read_text()
    names |= set(re.findall(r'environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    text = (BASE / "docker-compose.yml").read_text()
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", text))
    return names


def test_every_variable_is_in_env_example_and_the_readme():
    names = variables_read()
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_LOG_FORMAT"} <= names
    example = (BASE / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    assert sorted(names - documented) == []
    readme = (BASE / "README.md").read_text()
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
