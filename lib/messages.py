"""Flash messages in a cookie that follows the session cookie's name and flags.

Django's cookie storage always calls its cookie "messages"; over HTTPS ours is
"__Host-messages", bound to this exact origin like the session and CSRF cookies. The secure,
HttpOnly and SameSite flags already come from the session cookie's settings.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class HostCookieStorage(CookieStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.SESSION_COOKIE_NAME.startswith("__Host-"):
            self.cookie_name = "__Host-messages"


class HostCookieFallbackStorage(FallbackStorage):
    """As Django's default: the cookie first, the session for what does not fit in it."""

    storage_classes = (HostCookieStorage, SessionStorage)
