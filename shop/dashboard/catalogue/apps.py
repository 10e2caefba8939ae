import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    # Forked for forms.ProductForm: the label-completeness gate for supplements.
    name = "shop.dashboard.catalogue"
