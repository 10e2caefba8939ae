"""Page sizes from the query string, bounded, for the dashboard's django-tables2 lists."""

from __future__ import annotations

from django.core.paginator import Paginator

MAX_PER_PAGE = 100


class BoundedPaginator(Paginator):
    """django-tables2 takes ?per_page= as any int(): 0 or a negative size answered 500. Here the
    size is kept between 1 and MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
        super().__init__(object_list, per_page, *args, **kwargs)


class BoundedTablePagination:
    """Oscar's list views, paginated with BoundedPaginator."""

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if pagination is False:
            return False
        # Oscar's views answer a dict, or True (paginate with the table's defaults).
        options = pagination if isinstance(pagination, dict) else {}
        return {**options, "paginator_class": BoundedPaginator}
