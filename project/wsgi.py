import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    # gunicorn.conf.py checks the settings before any worker starts; a server started
    # without it still gets one line per worker, not a traceback (exit 3: gunicorn stops).
    sys.stderr.write(f"Configuration error: {exc}\n")
    sys.exit(3)
