from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Kennisbank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: the providers import the models, which need the app registry.
        from content.search import GuideProvider, QuestionProvider
        from shop.search import providers

        # Guides first: a rebuild indexes them before the FAQs (as the services do).
        providers.register(GuideProvider())
        providers.register(QuestionProvider())
