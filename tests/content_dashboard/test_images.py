"""Uploads: only real JPEG/PNG/WebP, no bombs, no oversized files, stored without EXIF."""

import io
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content.dashboard.images import MAX_BYTES, clean_image
from content.models import Article

pytestmark = pytest.mark.django_db


def png_bomb(width=50_000, height=50_000) -> bytes:
    """A tiny PNG that declares a huge canvas (a few KB on disk, gigabytes decoded)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = zlib.compress(b"\x00" * (width // 8 + 1) * 64, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "teal")
    exif = Image.Exif()
    exif[0x010F] = "Camera BV"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
    b"<script>alert(document.cookie)</script></svg>"
)
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

BAD_UPLOADS = {
    "decompression bomb": ("bom.png", png_bomb(), "te veel pixels"),
    "svg with script": ("logo.svg", SVG, "Alleen JPEG-, PNG- en WebP"),
    "html named jpg": ("foto.jpg", HTML, "Alleen JPEG-, PNG- en WebP"),
    "30 MB file": ("groot.jpg", b"\xff\xd8\xff" + b"\0" * (30 * 1024 * 1024), "te groot"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_unsafe_uploads_are_rejected_with_a_form_error_within_two_seconds(
    client, editor, article, case
):
    name, data, message = BAD_UPLOADS[case]
    client.force_login(editor)
    started = time.monotonic()
    response = client.post(
        f"/dashboard/kennisbank/gidsen/{article.pk}/",
        {
            "title": article.title,
            "slug": article.slug,
            "body": article.body,
            "hero_image": SimpleUploadedFile(name, data, content_type="image/jpeg"),
        },
    )
    elapsed = time.monotonic() - started
    assert elapsed < 2, f"{case} took {elapsed:.2f}s"
    assert response.status_code == 200
    assert message in response.context["form"].errors["hero_image"][0]
    article.refresh_from_db()
    assert not article.hero_image


def test_a_jpeg_with_gps_exif_is_stored_without_exif(client, editor, article):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture really carries EXIF
    client.force_login(editor)
    response = client.post(
        f"/dashboard/kennisbank/gidsen/{article.pk}/",
        {
            "title": article.title,
            "slug": article.slug,
            "body": article.body,
            "hero_image": SimpleUploadedFile("vakantie.jpg", original, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    with article.hero_image.open("rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.size == (64, 48)
    assert not image.getexif()
    assert b"Camera BV" not in data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_keep_their_format(fmt):
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (255, 0, 0, 128)).save(out, fmt)
    cleaned = clean_image(SimpleUploadedFile(f"x.{fmt.lower()}", out.getvalue()))
    assert Image.open(io.BytesIO(cleaned.read())).format == fmt


def test_a_truncated_jpeg_is_reported_as_broken():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="geen geldige afbeelding"):
        clean_image(SimpleUploadedFile("kapot.jpg", jpeg_with_gps()[:200]))


def test_the_size_limit_is_ten_megabytes():
    assert MAX_BYTES == 10 * 1024 * 1024
