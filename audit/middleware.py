from .services import current_request, record


class SecurityLogMiddleware:
    """Makes the request known to the log's model signals, and logs every 403
    (views' PermissionDenied, DRF's, CSRF failures) with the path and method."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            record(
                request,
                "permission_denied",
                target=request.path[:255],
                method=request.method,
            )
        return response
