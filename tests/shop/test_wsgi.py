"""The WSGI start-up (shop.wsgi, gunicorn's entry point) freezes what it loaded out of the garbage
collector's full passes (issue 20: they set the search page's p99)."""

import gc
import importlib

import shop.wsgi


def test_start_up_freezes_the_objects_it_loaded():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0

    importlib.reload(shop.wsgi)

    assert gc.get_freeze_count() > 50_000  # Django, Oscar, the apps and the URLconf
    gc.unfreeze()
