from .services import current_request, record


class SecurityLogMiddleware:
    """Makes the request known to the log's model signals, and logs every 403
    (views' PermissionDenied, DRF's, CSRF failures) and every 404 a signed-in user
    gets for an object by id (``/suggestions/42/``: a guess at someone else's
    object looks like this), with the path and method."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            self._record(request, "permission_denied")
        elif response.status_code == 404 and self._object_guess(request):
            self._record(request, "not_found")
        return response

    @staticmethod
    def _object_guess(request) -> bool:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        return bool(
            user is not None
            and user.is_authenticated
            and match is not None
            and any(isinstance(value, int) for value in match.kwargs.values())
        )

    @staticmethod
    def _record(request, action: str) -> None:
        record(request, action, target=request.path[:255], method=request.method)
