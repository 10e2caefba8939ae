"""shop.release: the release id that versions the fragments cache (pages, cards, listings)."""

from pathlib import Path

from shop.release import release_id


def tree(base: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return base


def test_the_same_sources_give_the_same_release(tmp_path):
    files = {"templates/a.html": "<p>a</p>", "shop/views.py": "x = 1"}
    one = release_id(tree(tmp_path / "one", files))
    assert one == release_id(tree(tmp_path / "two", files))
    assert len(one) == 12


def test_a_changed_template_code_static_or_translation_file_gives_a_new_release(tmp_path):
    base = tree(tmp_path, {"templates/a.html": "<p>a</p>", "shop/views.py": "x = 1"})
    seen = {release_id(base)}
    for name in (
        "templates/a.html",
        "shop/views.py",
        "content/templates/content/b.html",
        "features/perf/static/shop.js",
        "locale/nl/LC_MESSAGES/django.po",
    ):
        tree(base, {name: f"changed {name}"})
        seen.add(release_id(base))
    assert len(seen) == 6


def test_a_renamed_file_gives_a_new_release(tmp_path):
    base = tree(tmp_path, {"templates/a.html": "<p>a</p>"})
    before = release_id(base)
    (base / "templates/a.html").rename(base / "templates/b.html")
    assert release_id(base) != before


def test_compiled_python_and_other_folders_do_not_count(tmp_path):
    base = tree(tmp_path, {"templates/a.html": "<p>a</p>"})
    before = release_id(base)
    tree(base, {"shop/__pycache__/views.cpython-311.pyc": "bytes", "var/cache/x": "y"})
    assert release_id(base) == before
