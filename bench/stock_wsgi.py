"""WSGI entry point of the stock Oscar peer (gunicorn bench.stock_wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.stock_settings")

application = get_wsgi_application()
