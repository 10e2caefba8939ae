"""The staff roles as Django groups with the model permissions Oscar's dashboard checks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = [
    "topic", "article", "faq", "articleproduct", "articlecategory", "faqproduct", "faqcategory",
]
ALL = ("add", "change", "delete", "view")

ROLES = {
    # Content editors: everything about guides, FAQs, topics and their images; the catalogue
    # only to look at (and to pick products and categories from), never prices/stock/orders.
    "Redactie": [
        *[("content", f"{action}_{model}") for model in CONTENT_MODELS for action in ALL],
        ("content_dashboard", "view_revision"),
        ("content_dashboard", "add_revision"),
        ("catalogue", "view_product"),
        ("catalogue", "view_category"),
    ],
    "Catalogusbeheer": [
        *[
            ("catalogue", f"{action}_{model}")
            for model in [
                "product", "productclass", "category", "productcategory", "productattribute",
                "productattributevalue", "attributeoption", "attributeoptiongroup", "option",
                "productimage", "productrecommendation",
            ]
            for action in ALL
        ],
        *[("partner", f"{action}_{model}") for model in ["stockrecord", "stockalert"] for action in ALL],
        ("partner", "view_partner"),
    ],
    "Orderverwerking": [
        *[
            ("order", f"{action}_{model}")
            for model in [
                "order", "line", "lineattribute", "lineprice", "ordernote", "orderstatuschange",
                "communicationevent", "shippingaddress", "billingaddress", "paymentevent",
                "paymenteventquantity", "shippingevent", "shippingeventquantity", "orderdiscount",
            ]
            for action in ("add", "change", "view")
        ],
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate (post_migrate); create them now so the
    # groups get them on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_groups(apps)


def create_groups(apps):
    """The groups and their permissions (also used by tests that flush the database)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = [
            permission
            for app_label, codename in wanted
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        ]
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
        ("catalogue", "__latest__"),
        ("partner", "__latest__"),
        ("order", "__latest__"),
        # Pinned: "__latest__" moved with every later content migration and made databases
        # that already ran this one inconsistent (content 0002_search_document).
        ("content", "0001_initial"),
        ("content_dashboard", "0001_revision"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
