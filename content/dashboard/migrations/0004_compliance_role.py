"""The "Compliance" role: may publish an item despite error-level claim findings, per item and
with a written reason (content_dashboard.override_claims), and reach every gated edit page."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Compliance"
PERMISSIONS = [
    ("content_dashboard", "override_claims"),
    ("content_dashboard", "add_claimoverride"),
    ("content_dashboard", "view_claimoverride"),
    ("content_dashboard", "view_revision"),
    ("content_dashboard", "add_revision"),
    ("content", "view_article"),
    ("content", "change_article"),
    ("content", "view_faq"),
    ("content", "change_faq"),
    ("catalogue", "view_product"),
    ("catalogue", "change_product"),
    ("catalogue", "view_category"),
    ("catalogue", "change_category"),
    ("reviews", "view_productreview"),
    ("reviews", "change_productreview"),
]


def create_role(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    create_group(apps)


def create_group(apps):
    """The group and its permissions (also used by tests that flush the database)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ROLE)
    group.permissions.add(
        *[
            permission
            for app_label, codename in PERMISSIONS
            for permission in Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        ]
    )


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content_dashboard", "0003_claim_override"),
        ("content_dashboard", "0002_roles"),
        ("reviews", "0005_productreview_code"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
