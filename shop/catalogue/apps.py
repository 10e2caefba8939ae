import oscar.apps.catalogue.apps as apps


# Forked for the product page only (views.ProductDetailView, reads batched); Oscar's ready()
# loads it through get_class("catalogue.views", ...). Models and migrations stay Oscar's
# (models.py re-exports them, settings.MIGRATION_MODULES points at Oscar's migrations).
class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"
