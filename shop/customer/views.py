from oscar.apps.customer import views
from oscar.apps.customer.views import *  # noqa: F403

from shop.customer.confirm import ConfirmByPost


class AddressChangeStatusView(ConfirmByPost, views.AddressChangeStatusView):
    # Oscar sets the default address on GET.
    confirm_question = "Dit adres als standaardadres gebruiken?"


class OrderLineView(views.OrderLineView):
    # Oscar's re-order view has no page: a GET answered 500 (missing template) instead of 405.
    http_method_names = ["post", "options"]
