"""Password expiry and idle timeout (等保2.0 8.1.4.1 a–b), applied to every authenticated request."""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import SecurityPolicy
from .selectors import password_is_expired


class PasswordExpiryMiddleware:
    """Sends a user whose password has expired to the change page; the API answers 403 instead.

    Also turns the session into an idle timeout: with SESSION_SAVE_EVERY_REQUEST each request
    pushes the expiry `session_idle_minutes` into the future.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        if self._exempt is None:  # URLconf is not loaded when the middleware is built
            self._exempt = (
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("accounts:login"),
                reverse("set_language"),
                reverse("javascript-catalog"),
                settings.STATIC_URL,
            )
        return self._exempt

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        # Once per request, never across requests: a security admin's change applies at once.
        policy = SecurityPolicy.current()
        request.security_policy = policy
        request.session.set_expiry(policy.session_idle_minutes * 60)
        if password_is_expired(user=user, policy=policy) and not request.path.startswith(self.exempt_prefixes()):
            return self.expired_response(request)
        return self.get_response(request)

    def expired_response(self, request):
        message = _("密码已过期或须在首次登录时修改，请先修改密码。")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "password_expired", "message": message}, status=403)
        target = reverse("accounts:password_change")
        if request.method == "GET":
            target += "?next=" + quote(request.get_full_path())
        if getattr(request, "htmx", False):
            response = JsonResponse({"code": "password_expired", "message": message}, status=403)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
