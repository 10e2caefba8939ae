"""WSGI application for one machine without a media server: Django plus uploaded media.

Static files are served by WhiteNoise's middleware (settings); this wraps the application in a
second WhiteNoise for MEDIA_ROOT (product photos and their thumbnails), so `gunicorn
shop.wsgi_media:application` is the whole shop. With object storage for media, use shop.wsgi.
"""

import os

from django.conf import settings
from whitenoise import WhiteNoise

from shop.wsgi import application as django_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

# Thumbnails are written while pages render, after start-up: look files up per request.
application = WhiteNoise(django_application, autorefresh=True, max_age=60 * 60 * 24 * 30)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
