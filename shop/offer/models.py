from oscar.apps.offer.abstract_models import AbstractCondition


class Condition(AbstractCondition):
    def can_apply_condition(self, line):
        """Oscar's check, remembered per basket line product for the rest of the request.

        Every offer check works on a fresh proxy copy of the condition (Condition.proxy() drops
        the cached range), so Oscar reloads the range and rebuilds its product query (7 queries)
        for each line, each offer and each check: applying offers in the basket middleware, the
        upsell messages and the add-to-basket re-application. Range membership cannot change
        within one request, and the basket object lives for one request, so the answers are
        kept on it, found for all of the basket's products at once.
        """
        if not line.stockrecord_id:
            return False
        basket = line.basket
        known = basket.__dict__.setdefault("_range_membership", {})
        key = (self.range_id, line.product_id)
        if key not in known:
            if self.range.proxy:  # a custom range class answers per product, as in Oscar
                known[key] = self.range.contains_product(line.product)
            else:
                # One query for every line of the basket instead of one per line.
                ids = {other.product_id for other in basket.all_lines()} | {line.product_id}
                inside = set(
                    self.range.all_products().filter(id__in=ids).values_list("id", flat=True)
                )
                known.update({(self.range_id, pk): pk in inside for pk in ids})
        return known[key] and line.product.is_discountable


from oscar.apps.offer.models import *  # noqa: E402, F403  (Oscar's models; ours come first)
