from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared infrastructure every other app may use: domain errors, the services'
    clock, the REST API kit and the on-commit enqueue helper. It imports none of
    the project's other apps."""

    name = "common"
    verbose_name = "common"
