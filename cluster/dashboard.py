"""A staff member's browser, over HTTP, for the cluster's measurements (issue 17): logs in to
Oscar's dashboard on one app server and posts its product form as the page would, every field
the form shows included (its formsets' management forms, categories, stock records, images).

The app servers run the production settings behind a proxy that would terminate TLS: their
cookies are Secure, and are sent back over the cluster's plain HTTP here (as soak/locustfile.py
does).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import requests

STAFF_EMAIL = "cluster-staff@example.nl"
STAFF_PASSWORD = "cluster-staff-" + "p" * 12


class FormFields(HTMLParser):
    """The fields a browser would submit for the form with id `form_id`, as (name, value)
    pairs: checked boxes only, selected options (a single select without one: its first),
    textareas' text; file inputs and buttons are left out."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("file", "submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "chosen": []}
            self._select["first"] = None
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.fields.extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, *text = self._textarea
            # The HTML parser keeps the newline right after <textarea>, which a browser drops.
            self.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def ensure_staff() -> None:
    """The staff account the measurements log in with (django.setup() has run)."""
    # Models only once the caller's django.setup() has run.
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        user_model.objects.create_superuser(
            username="cluster-staff", email=STAFF_EMAIL, password=STAFF_PASSWORD
        )
    elif not user.check_password(STAFF_PASSWORD):
        user.set_password(STAFF_PASSWORD)
        user.save(update_fields=["password"])


class StaffBrowser:
    """A logged-in dashboard session on the app server at `base`."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self._login()

    def _plain_http_cookies(self) -> None:
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str) -> requests.Response:
        answer = self.session.get(self.base + path, timeout=30)
        self._plain_http_cookies()
        answer.raise_for_status()
        return answer

    def post(self, path: str, fields, files=None) -> requests.Response:
        answer = self.session.post(
            self.base + path,
            data=fields,
            files=files,
            headers={"Referer": self.base + path},
            allow_redirects=False,
            timeout=30,
        )
        self._plain_http_cookies()
        return answer

    def _login(self) -> None:
        page = self.get("/dashboard/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = self.post(
            "/dashboard/login/",
            {"csrfmiddlewaretoken": token, "username": STAFF_EMAIL, "password": STAFF_PASSWORD},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"dashboard login failed: {answer.status_code}")

    def save_product(self, pk: int, changes: dict[str, str], files=None) -> requests.Response:
        """Open the product's dashboard form and post it back with `changes` (and `files`, as
        {field: (name, bytes, type)}); the dashboard answers a redirect when it saved."""
        path = f"/dashboard/catalogue/products/{pk}/"
        fields = form_fields(self.get(path).text, "create_update_product_form")
        return self._post_product(path, fields, changes, files)

    def add_product_image(self, pk: int, name: str, data: bytes, caption: str):
        """Upload an image into the product form's first empty image slot."""
        path = f"/dashboard/catalogue/products/{pk}/"
        fields = form_fields(self.get(path).text, "create_update_product_form")
        slot = next(
            field.split("-")[1]
            for field, value in fields
            if re.fullmatch(r"images-\d+-id", field) and not value
        )
        return self._post_product(
            path,
            fields,
            {f"images-{slot}-caption": caption},
            {f"images-{slot}-original": (name, data, "image/png")},
        )

    def _post_product(self, path, fields, changes, files) -> requests.Response:
        fields = [(name, value) for name, value in fields if name not in changes]
        fields += list(changes.items())
        answer = self.post(path, fields, files=files)
        if answer.status_code != 302:
            errors = re.findall(r'class="[^"]*(?:error|invalid)[^"]*"[^>]*>([^<]+)<', answer.text)
            raise RuntimeError(f"product form not saved ({answer.status_code}): {errors[:5]}")
        return answer
