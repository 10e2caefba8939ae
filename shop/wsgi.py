import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()

# What start-up loads (Django, Oscar, the apps, the URLconf: about 140,000 objects) lives as long
# as the process. Frozen, it is left out of the garbage collector's full passes, which otherwise
# walk all of it every 60-70 search pages and add more CPU than a whole page (110-170 ms measured
# in-process on a busy machine) to the request that triggers one: the search page's p99 (issue 20).
# gc.freeze() is Python's own tool for this; collection goes on for everything made later.
get_resolver().url_patterns  # noqa: B018 - imports the URLconf now, so it is frozen with the rest
gc.freeze()
