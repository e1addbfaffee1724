import uuid

from .context import Actor, acting_as


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a proxy is configured to strip it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id and makes the acting user available to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        actor = Actor(
            user=user if authenticated else None,
            name=user.get_username() if authenticated else "",
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            request_id=request.id,
            via="api" if request.path.startswith("/api/") else "web",
        )
        with acting_as(actor):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request.id)
        return response
