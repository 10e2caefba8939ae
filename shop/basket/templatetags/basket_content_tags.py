from django import template

from shop.basket import content

register = template.Library()


@register.tag
def storebasketcontent(parser, token):
    """{% storebasketcontent %}…{% endstorebasketcontent %}: renders its content and, when the
    view says so (`basket_content_version`, `basket_content_seconds`), stores it for the
    following requests of this basket state (shop.basket.content)."""
    nodelist = parser.parse(("endstorebasketcontent",))
    parser.delete_first_token()
    return StoreBasketContentNode(nodelist)


class StoreBasketContentNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        version = context.get("basket_content_version")
        if version:
            content.store(version, html, context.get("basket_content_seconds"))
        return html


@register.tag
def cachebyproducts(parser, token):
    """{% cachebyproducts "name" basket %}…{% endcachebyproducts %}: what is inside depends only
    on which products the basket holds (not how many of each) and the catalogue: cached under the
    catalogue version and the basket's product ids (shop.basket.content.by_products)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and a basket")
    nodelist = parser.parse(("endcachebyproducts",))
    parser.delete_first_token()
    return CacheByProductsNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2])
    )


class CacheByProductsNode(template.Node):
    def __init__(self, nodelist, name, basket):
        self.nodelist = nodelist
        self.name = name
        self.basket = basket

    def render(self, context):
        return content.by_products(
            self.name.resolve(context),
            self.basket.resolve(context),
            lambda: self.nodelist.render(context),
        )
