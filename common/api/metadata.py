from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    """``OPTIONS``: the view's name, description and formats. Input fields are
    described by the OpenAPI schema (/api/v1/schema/), not here: most views have one
    input serializer per action and no ``serializer_class`` to describe."""

    def determine_metadata(self, request, view):
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request, view):
        return {}
