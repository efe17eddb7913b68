import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacuda_portal.settings.production")

application = get_wsgi_application()

# Build the AI-HS nomenclature model in the background as the process starts, so that the first suggestion a user
# asks of this process does not wait the few seconds of loading (BACUDA_AIHS_PRELOAD=0 to switch off).
if os.environ.get("BACUDA_AIHS_PRELOAD", "1") == "1":
    from algorithms.preload import preload_aihs_in_background

    preload_aihs_in_background()
