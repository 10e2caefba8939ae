"""Oscar's Applicator, reading the offers once per request and the site offers once per catalogue
version.

Oscar asks for the site offers and the basket's vouchers (and their offers, conditions, benefits
and ranges, one by one) each time offers are applied or listed: the basket middleware, the
upsell messages of the basket page and the re-application after an add. Here:
- the site offers, with their conditions, benefits and ranges, are kept in the cache under the
  catalogue version (any write to an offer, range, product or voucher moves it); which of them
  are running is decided per request from their dates and status, as Oscar's `active` manager;
- a basket's vouchers are read with their offers once per basket object;
- range membership for all offers and all products of the basket is found in one go
  (shop.offer.membership) whenever the offers are asked for.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.timezone import now
from oscar.apps.offer import applicator
from oscar.core.loading import get_model

from shop.cache.pagecache import current_version
from shop.offer import membership

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")

SITE_OFFERS_KEY = "shop:offer:site:{version}"


def _offers_with_rules():
    # One join for the condition, the benefit and both ranges (Oscar's comment that this "doesn't
    # seem to work" predates Django's handling of two relations to one model).
    return ConditionalOffer.objects.select_related("condition__range", "benefit__range")


def _open_site_offers() -> list:
    """Every open site offer that has not ended, read once per catalogue version: one that
    starts later is kept too, and becomes active by the date check of running() without a
    catalogue change."""
    key = SITE_OFFERS_KEY.format(version=current_version())
    offers = caches["fragments"].get(key)
    if offers is None:
        offers = list(
            _offers_with_rules()
            .filter(offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN)
            .exclude(end_datetime__lt=now())
        )
        caches["fragments"].set(key, offers, settings.SHOP_PAGE_CACHE_SECONDS)
    return offers


def running(offers) -> list:
    """The offers that have started and not ended (as Oscar's ConditionalOffer.active)."""
    moment = now()
    return [
        offer
        for offer in offers
        if (offer.start_datetime is None or offer.start_datetime <= moment)
        and (offer.end_datetime is None or offer.end_datetime >= moment)
    ]


class Applicator(applicator.Applicator):
    def get_offers(self, basket, user=None, request=None):
        # The site offers are read once per basket object (one request), also when the cache
        # is off; which of them run is decided on each call.
        self._basket = basket  # pylint: disable=attribute-defined-outside-init
        offers = super().get_offers(basket, user, request)
        membership.prime(
            [r for offer in offers for r in (offer.condition.range, offer.benefit.range)],
            {line.product_id for line in basket.all_lines()},
        )
        return offers

    def get_site_offers(self):
        basket = getattr(self, "_basket", None)
        if basket is None:
            return running(_open_site_offers())
        # getattr/setattr, not __dict__: request.basket is a lazy object around the basket.
        if getattr(basket, "_open_site_offers", None) is None:
            basket._open_site_offers = _open_site_offers()
        return running(basket._open_site_offers)

    def get_basket_offers(self, basket, user):
        if basket.id and user:
            # Skipped by Django when the basket knows its vouchers already (Basket.all_lines).
            prefetch_related_objects(
                [basket],
                Prefetch(
                    "vouchers",
                    queryset=Voucher.objects.prefetch_related(
                        Prefetch("offers", queryset=_offers_with_rules())
                    ),
                ),
            )
        return super().get_basket_offers(basket, user)
