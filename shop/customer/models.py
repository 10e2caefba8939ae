from oscar.apps.customer.models import *  # noqa: F403  (Oscar's models; custom ones must come before this line)
