import operator

from oscar.apps.offer.abstract_models import AbstractBenefit, AbstractCondition
from oscar.core.loading import get_class

from shop.offer import membership

unit_price = get_class("offer.utils", "unit_price")


_PROXY_MAPS = {}


class OfferProxies:
    """Oscar makes a fresh proxy instance (CountCondition, PercentageDiscountBenefit, ...) for
    every offer check, from the fields of the condition or benefit:
    - without the range it already read, so each proxy read the range row again: the proxy gets
      the same range object;
    - after building its map of proxy classes anew, with a get_class() per type, each trying to
      import a module of ours that does not exist (3-8 failed imports per check, about a third
      of applying the offers): the map is built once per process."""

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
    def can_apply_condition(self, line):
        """Oscar's check, with range membership from shop.offer.membership: found for all of
        the basket's products at once and remembered, instead of 6 queries per line per check."""
        if not line.stockrecord_id:
            return False
        return membership.contains(line.basket, self.range, line.product) and (
            line.product.is_discountable
        )


class Benefit(OfferProxies, AbstractBenefit):
    # pylint: disable=redefined-builtin
    def get_applicable_lines(self, offer, basket, range=None):
        """Oscar's, with range membership from shop.offer.membership (see Condition)."""
        if range is None:
            range = self.range
        if range is None:  # Oscar's error for a custom benefit without a range
            return super().get_applicable_lines(offer, basket, range)
        line_tuples = []
        for line in basket.all_lines():
            if not membership.contains(basket, range, line.product):
                continue
            if not self.can_apply_benefit(line):
                continue
            price = unit_price(offer, line)
            if not price:  # Avoid zero price products
                continue
            line_tuples.append((price, line))
        # Cheapest first, for consistent applications (as Oscar)
        return sorted(line_tuples, key=operator.itemgetter(0))


from oscar.apps.offer.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
