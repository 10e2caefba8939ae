from oscar.apps.offer.abstract_models import AbstractBenefit, AbstractCondition, AbstractRange

from shop.offer import membership

_PROXY_MAPS = {}


class OfferProxies:
    """Oscar makes a fresh proxy instance (CountCondition, PercentageDiscountBenefit, ...) for
    every offer check, from the fields of the condition or benefit:
    - without the range it already read, so each proxy read the range row again (and a new range
      knows none of the membership found for the basket): the proxy gets the same range object;
    - after building its map of proxy classes anew, with a get_class() per type, each trying to
      import a module of this fork that does not exist: the map is built once per process."""

    @property
    def proxy_map(self):
        model = self._meta.concrete_model
        if model not in _PROXY_MAPS:
            _PROXY_MAPS[model] = super().proxy_map
        return _PROXY_MAPS[model]

    def proxy(self):
        proxy = super().proxy()
        field = type(self).range.field
        if proxy is not self and field.is_cached(self):
            field.set_cached_value(proxy, field.get_cached_value(self))
        return proxy


class Condition(OfferProxies, AbstractCondition):
    pass


class Benefit(OfferProxies, AbstractBenefit):
    pass


class Range(AbstractRange):
    def contains_product(self, product):
        # Oscar's rule costs 6 queries per ask, and offers ask per line and per check: here it is
        # answered by shop.offer.membership, which the applicator has asked about all of the
        # basket's products at once (any other product: one query, then cached).
        if self.proxy:
            return super().contains_product(product)
        known = membership.known(self)
        if product.pk not in known:
            membership.prime([self], {product.pk})
        return known[product.pk]


from oscar.apps.offer.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
