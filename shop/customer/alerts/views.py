from oscar.apps.customer.alerts import views
from oscar.apps.customer.alerts.views import *  # noqa: F403

from shop.customer.confirm import ConfirmByPost


class ProductAlertConfirmView(ConfirmByPost, views.ProductAlertConfirmView):
    # Oscar confirms the alert on GET (the link in the e-mail).
    confirm_question = "Voorraadmelding bevestigen?"


class ProductAlertCancelView(ConfirmByPost, views.ProductAlertCancelView):
    # Oscar cancels the alert on GET (the link in the e-mail and on the alerts page).
    confirm_question = "Voorraadmelding opzeggen?"
    confirm_button = "Opzeggen"
