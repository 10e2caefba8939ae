"""Oscar's JSON lookups for the dashboard's select2 pickers, with their query string checked."""

from __future__ import annotations

MAX_PAGE = 10_000
MAX_PAGE_LIMIT = 100


def _bounded_int(value: str | None, *, default: int, upper: int) -> int:
    """`value` as a whole number from 1 to `upper`, or `default` when it is anything else."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return default
    return min(max(int(value), 1), upper)


class CheckedLookupArgs:
    """Oscar's ObjectLookupView reads `page` and `page_limit` with int() and filters on the
    `initial` ids as given, so `page=x`, `page=-1` or `initial=abc` answered 500. Here a bad number
    falls back to the default, sizes are bounded and `initial` keeps only its numeric ids."""

    def get_args(self):
        params = self.request.GET
        return (
            params.get("initial"),
            params.get("q"),
            _bounded_int(params.get("page"), default=1, upper=MAX_PAGE),
            _bounded_int(params.get("page_limit"), default=20, upper=MAX_PAGE_LIMIT),
        )

    def initial_filter(self, qs, value):
        ids = [part.strip() for part in value.split(",")]
        return qs.filter(
            pk__in=[int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 10]
        )
