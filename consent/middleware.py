from consent.services import remembered_for_request


class ConsentOnceMiddleware:
    """Consent is looked up at most once per request, however many gates and services ask.

    The answer is kept for this request only, so a consent withdrawn in another tab or on
    another device counts from the next request on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remembered_for_request():
            return self.get_response(request)
