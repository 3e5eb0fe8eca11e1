class NoStoreMiddleware:
    """Personal pages and API answers are never kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or request.path.startswith("/api/")
        if personal and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response
