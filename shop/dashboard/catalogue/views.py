from django.contrib import messages
from oscar.apps.dashboard.catalogue import views

from shop.dashboard import hooks
from shop.dashboard.lookup import CheckedLookupArgs
from shop.dashboard.pagination import BoundedTablePagination


class ProductCreateUpdateView(views.ProductCreateUpdateView):
    # Adds one thing: the registered warnings (shop.dashboard.hooks) when a public product is
    # hidden, e.g. the Kennisbank's about published guides linking to it.
    def forms_valid(self, form, formsets):
        was_public = (
            not self.creating
            and type(self.object).objects.filter(pk=self.object.pk, is_public=True).exists()
        )
        response = super().forms_valid(form, formsets)
        for warning in hooks.hidden_warnings(self.object) if was_public else []:
            messages.warning(self.request, warning)
        return response


class ProductLookupView(CheckedLookupArgs, views.ProductLookupView):
    # A bad page, page_limit or initial answered 500 (shop.dashboard.lookup).
    pass


# The list views: ?per_page=0 or a negative size answered 500 (shop.dashboard.pagination).
class ProductListView(BoundedTablePagination, views.ProductListView):
    pass


class CategoryListView(BoundedTablePagination, views.CategoryListView):
    pass


class CategoryDetailListView(BoundedTablePagination, views.CategoryDetailListView):
    pass


class AttributeOptionGroupListView(BoundedTablePagination, views.AttributeOptionGroupListView):
    pass


class OptionListView(BoundedTablePagination, views.OptionListView):
    pass
