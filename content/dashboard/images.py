"""Images uploaded by staff: sniffed by content, bounded in bytes and pixels, re-encoded.

Re-encoding writes only the pixels, so EXIF (camera, GPS location), XMP and comments never
reach the media storage, and a polyglot file (an image that is also HTML or a script) loses
whatever was hidden next to its pixels.
"""

from __future__ import annotations

import io
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 8000 x 5000: far beyond any hero image, far below a bomb
MAX_SIDE = 10_000

# Magic numbers, checked before Pillow parses anything: the name and the browser's
# Content-Type are chosen by the uploader, the first bytes are not.
SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

ERROR_TOO_BIG = "Het bestand is te groot: maximaal 10 MB."
ERROR_TYPE = "Alleen JPEG-, PNG- en WebP-afbeeldingen zijn toegestaan."
ERROR_BOMB = "De afbeelding heeft te veel pixels (maximaal 40 megapixel)."
ERROR_BROKEN = "Het bestand is geen geldige afbeelding of is beschadigd."


def sniff_format(head: bytes) -> str | None:
    """ "JPEG", "PNG" or "WEBP" when the first bytes say so, else None."""
    for name, prefixes in SIGNATURES.items():
        if head.startswith(prefixes):
            return name
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _reencode(image: Image.Image, fmt: str) -> bytes:
    # Apply the EXIF orientation to the pixels first, since the tag itself is dropped.
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=88)
    return out.getvalue()


def clean_image(upload) -> ContentFile:
    """The upload re-encoded without metadata; ValidationError with a Dutch message if unsafe."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError(ERROR_TOO_BIG, code="too_big")
    upload.seek(0)
    fmt = sniff_format(upload.read(16))
    if fmt is None:
        raise ValidationError(ERROR_TYPE, code="type")
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its two bomb limits; treat the warning as the error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[fmt]) as image:
                width, height = image.size
                # The header is read, the pixels are not: refuse before decompressing.
                if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                    raise ValidationError(ERROR_BOMB, code="bomb")
                image.load()
                data = _reencode(image, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(ERROR_BOMB, code="bomb") from exc
    except (OSError, ValueError, SyntaxError, EOFError, Image.UnidentifiedImageError) as exc:
        raise ValidationError(ERROR_BROKEN, code="broken") from exc
    stem = slugify(PurePath(getattr(upload, "name", "") or "afbeelding").stem)[:80] or "afbeelding"
    return ContentFile(data, name=f"{stem}.{EXTENSIONS[fmt]}")


class SafeImageField(forms.FileField):
    """A file field that accepts only safe JPEG, PNG and WebP images and returns them re-encoded."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        # False means "clear", the initial FieldFile means "unchanged": nothing to check.
        if not value or value is initial or not hasattr(value, "seek"):
            return value
        return clean_image(value)
