from django import template

from content.dashboard.usage import ProductUsage, product_usage

register = template.Library()


@register.simple_tag
def usage_of(product) -> ProductUsage | None:
    """The guides and FAQs linking to `product`, for the dashboard's product page."""
    if product is None or product.pk is None:
        return None
    return product_usage(product)
