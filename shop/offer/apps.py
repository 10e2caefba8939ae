import oscar.apps.offer.apps as apps


# Forked: Oscar's range checks cost 6 queries per line and check (basket page 31-46, not 9).
class OfferConfig(apps.OfferConfig):
    name = "shop.offer"
