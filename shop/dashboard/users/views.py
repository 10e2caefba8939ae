from oscar.apps.dashboard.users import views
from oscar.apps.dashboard.users.views import *  # noqa: F403

from shop.dashboard.pagination import BoundedTablePagination


class IndexView(BoundedTablePagination, views.IndexView):
    # ?per_page=0 or a negative size answered 500 (shop.dashboard.pagination).
    pass
