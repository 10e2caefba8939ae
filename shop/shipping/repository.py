from oscar.apps.shipping import repository

from shop.shipping.methods import Pickup, Standard


class Repository(repository.Repository):
    # The shop's two delivery options instead of Oscar's single free method.
    methods = (Standard(), Pickup())
