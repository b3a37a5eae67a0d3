from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo congress (``load_demo``) and the benchmark's generated archives
    (``generate_load``): they drive every other app, and nothing imports them."""

    name = "demo"
    verbose_name = "demo"
