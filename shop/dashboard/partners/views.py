"""Views of Oscar's partners dashboard that change (the app itself is Oscar's: get_class finds this
module through the forked parent dashboard app, shop.dashboard)."""

from oscar.apps.dashboard.partners import views


class PartnerUserLinkView(views.PartnerUserLinkView):
    """Oscar's, without its GET, which linked a user to a partner (for the "Undo" link of an
    unlink message), so a link or an <img> in a message opened by an admin gave a customer
    dashboard access (issue 14). Linking takes a POST with a CSRF token."""

    http_method_names = ["post", "options"]
