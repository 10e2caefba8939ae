"""Oscar's catalogue models, unchanged: the fork changes the product view only (views.py)."""

from oscar.apps.catalogue.models import *  # noqa: F403
