from django.apps import AppConfig

from shop.dashboard import hooks


class ComplianceConfig(AppConfig):
    """Health-claim compliance across catalogue and Kennisbank: the claim gate on the dashboard
    forks (registered as their publish check, so no fork imports content), the claims report,
    the supplement facts and claim panels of the product page (templatetags)."""

    name = "features.compliance"
    label = "compliance"
    verbose_name = "Gezondheidsclaims"

    def ready(self):
        # Imported here: the gate loads models, which need the app registry ready.
        from features.compliance import gates

        hooks.register_publish_check(gates.claim_gate)
