from django.conf import settings


def instance(request):
    return {"instance_name": settings.INSTANCE_NAME, "quick_exit_url": settings.QUICK_EXIT_URL}
