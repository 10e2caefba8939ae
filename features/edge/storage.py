"""Where thumbnails go when media live in a bucket (issue 17)."""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class ThumbnailStorage(S3Storage):
    """The media bucket, writing a thumbnail under its own name: sorl-thumbnail names it after
    its source and options, so one made twice at once (a worker and a page's render) is stored
    once, where the bucket's uploads get a fresh name instead (AWS_S3_FILE_OVERWRITE off)."""

    def __init__(self, **settings):
        super().__init__(**{"file_overwrite": True, **settings})
