import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    # Forked because Oscar requires the parent dashboard app to be forked with a child one
    # (shop.dashboard.catalogue); URLs and views are Oscar's.
    name = "shop.dashboard"
