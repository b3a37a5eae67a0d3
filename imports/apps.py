from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Importing a new deployment's history from Excel workbooks (deputies,
    delegations, handling units, past suggestions): templates, a dry run that
    reports every bad row, an all-or-nothing apply (docs/import.md)."""

    name = "imports"
    verbose_name = "imports"
