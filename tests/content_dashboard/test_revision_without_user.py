"""A revision written by a command (the seed import, import_article) has no user: the editor and
the history still open. Found by the GET fuzz test: Django raises for a missing variable in a
filter's argument (`|default:revision.user.email`), so these pages answered 500."""

import pytest

from content import demo as content_demo
from content.dashboard.models import Revision

pytestmark = pytest.mark.django_db


def test_editor_and_history_open_for_a_guide_revised_by_a_command(admin_client):
    article = content_demo.load_seed_guide()
    assert Revision.objects.for_object(article).filter(user=None).exists()
    editor = admin_client.get(f"/dashboard/kennisbank/gidsen/{article.pk}/")
    assert editor.status_code == 200
    assert "onbekend" in editor.content.decode()
