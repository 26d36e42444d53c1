"""WSGI entry point (used by ``xuncha serve`` through waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
application = get_wsgi_application()
