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


IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": (
        "A key of the client's choosing (a UUID, say). The same key from the same "
        "user within 24 hours answers the first request's status and body again "
        "(with `Idempotent-Replayed: true`) and writes nothing; the same key with "
        "another method, path or body, or while the first request is still "
        'running, answers 409 `{"detail", "code": "idempotency_conflict"}`. '
        "Answers 2xx and 4xx are kept; after a 5xx the key may be used again."
    ),
}


def add_idempotency_key(result, generator, request, public):
    """Declare the ``Idempotency-Key`` header on every POST that needs a signed-in
    caller (common/api/idempotency.py honours it on all of them)."""
    for path_item in result.get("paths", {}).values():
        operation = path_item.get("post")
        if not isinstance(operation, dict):
            continue
        if not any(operation.get("security") or ()):
            continue  # anonymous: not keyed
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == "Idempotency-Key" for p in parameters):
            parameters.append(dict(IDEMPOTENCY_KEY_PARAMETER))
    return result
