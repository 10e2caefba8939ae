"""The cluster's staff browser posts a form as a browser would (cluster.dashboard)."""

from cluster.dashboard import form_fields

FORM = """
<form id="other"><input name="elsewhere" value="x"></form>
<form id="product_form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="t0ken">
  <input type="text" name="title" value="Magnesium &amp; zink">
  <textarea name="description">
Eerste regel
tweede</textarea>
  <input type="checkbox" name="is_public" checked>
  <input type="checkbox" name="images-0-DELETE">
  <input type="file" name="images-1-original">
  <select name="partner"><option value="1">A</option><option value="2">B</option></select>
  <select name="form" multiple><option value="a" selected>a</option><option value="b">b</option>
    <option value="c" selected>c</option></select>
  <select name="category"><option value="">---</option><option value="7" selected>7</option>
  </select>
  <button type="submit" name="action" value="save">Opslaan</button>
</form>
"""


def test_the_fields_of_one_form_as_a_browser_submits_them():
    assert form_fields(FORM, "product_form") == [
        ("csrfmiddlewaretoken", "t0ken"),
        ("title", "Magnesium & zink"),
        ("description", "Eerste regel\ntweede"),
        ("is_public", "on"),
        ("partner", "1"),
        ("form", "a"),
        ("form", "c"),
        ("category", "7"),
    ]
