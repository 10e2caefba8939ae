"""Vouchers that became unusable after they were put in a basket (issue 14).

Oscar keeps such a voucher attached: its discount silently stops, the basket page no longer shows
it (nor a way to remove it) and placing the order fails with a generic error. Here the basket
page and the order preview say which code no longer counts and why; placing the order removes it
(basket_remove_unusable_vouchers) and shows the preview again with the new total.
"""

from __future__ import annotations

from django.db import transaction


def unusable_voucher_reason(voucher, *, user) -> str | None:
    """Why `voucher` can no longer be used by `user`, in Dutch, or None when it can."""
    code = voucher.code
    if voucher.is_expired():
        return f"Kortingscode {code} is verlopen."
    if not voucher.is_active():
        return f"Kortingscode {code} is nog niet of niet meer geldig."
    available, _message = voucher.is_available_to_user(user=user)
    if not available:
        if user is None or not user.is_authenticated:
            return f"Kortingscode {code} is al gebruikt of alleen voor ingelogde klanten."
        return f"Kortingscode {code} is al gebruikt."
    for offer in voucher.offers.all():
        if offer.is_suspended:
            return f"Kortingscode {code} hoort bij een actie die is gepauzeerd."
        if not offer.is_available(user=user):
            return (
                f"Kortingscode {code} hoort bij een actie die is afgelopen of het maximale "
                "aantal keer is gebruikt."
            )
    return None


def unusable_vouchers(*, basket, user) -> list[tuple[object, str]]:
    """The vouchers of `basket` that `user` can no longer use, each with the reason."""
    if not basket.id:
        return []
    found = []
    for voucher in basket.vouchers.all():
        reason = unusable_voucher_reason(voucher, user=user)
        if reason:
            found.append((voucher, reason))
    return found


def basket_remove_unusable_vouchers(*, basket, user) -> list[str]:
    """Take the unusable vouchers out of `basket`; returns a Dutch message for each."""
    removed = unusable_vouchers(basket=basket, user=user)
    if not removed:
        return []
    with transaction.atomic():
        basket.vouchers.remove(*[voucher for voucher, _reason in removed])
    basket.reset_offer_applications()
    return [f"{reason} Hij is uit je winkelmand verwijderd." for _voucher, reason in removed]


def unusable_voucher_warnings(*, basket, user) -> list[str]:
    """Dutch warnings for the basket page and the preview (which only read)."""
    return [
        f"{reason} De korting telt niet meer mee; bij het afrekenen wordt de code verwijderd."
        for _voucher, reason in unusable_vouchers(basket=basket, user=user)
    ]
