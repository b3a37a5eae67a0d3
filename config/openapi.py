"""Post-processing of the OpenAPI schema (``SPECTACULAR_SETTINGS``)."""


def drop_parameter_titles(result, generator, request, public):
    """Remove ``title`` from the query parameters' schemas.

    A filter's schema carries its label as ``title``, in the language of the request
    (Chinese by default), and client generators name the enum classes of those
    parameters after it (openapi-python-client made ``SuggestionsList状态``). Without
    it they name them after the operation and the parameter
    (``SuggestionsListStatus``), the same in every language. The label stays in the
    parameter's ``description``.
    """
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema")
                if not isinstance(schema, dict):
                    continue
                schema.pop("title", None)
                items = schema.get("items")
                if isinstance(items, dict):
                    items.pop("title", None)
    return result
