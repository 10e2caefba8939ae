import oscar.apps.dashboard.reviews.apps as apps


class ReviewsDashboardConfig(apps.ReviewsDashboardConfig):
    # Forked for the claim gate (content.dashboard.gate): approving a review makes its text
    # public, so forms.py and views.py refuse to approve one with error-level claims.
    name = "shop.dashboard.reviews"
