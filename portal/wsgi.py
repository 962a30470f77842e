import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# What the app loaded lives as long as the process: out of the garbage
# collector's full passes, which otherwise walk it all (~40 ms, measured at a
# page in ~20,000) while every request waits.
gc.freeze()
