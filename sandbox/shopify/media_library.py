"""The shop's image files (Shopify's Files section), which products reference as media.

A `MediaImage` is at once a File of the shop and a Media of every product that lists it; a product
detaching it (leaving it out of `productSet`'s `files`) leaves the file in the library. Filenames are unique
in the shop. Shopify downloads a media's `originalSource` itself after the mutation has answered: a new or
re-sourced file waits here as `UPLOADED` until the background fetcher takes it (`PROCESSING`), then becomes
`READY` or `FAILED`. Each new source gets a new `source_version`, so the outcome of a superseded download
is dropped.
"""

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from sandbox.shopify.catalog import IdSequence, gid, now_iso, parse_gid

MediaStatus = Literal["UPLOADED", "PROCESSING", "READY", "FAILED"]
CDN_ROOT = "https://cdn.shopify.com/s/files/1/0000/0001/files"


@dataclass
class MediaProblem:
    """A `MediaError`: why processing failed (`IMAGE_DOWNLOAD_FAILURE`, `UNSUPPORTED_IMAGE_FILE_TYPE`, …)."""

    code: str
    message: str
    details: str | None = None


@dataclass
class MediaFile:
    id: int
    filename: str
    original_source: str
    alt: str | None
    created_at: str
    updated_at: str
    status: MediaStatus = "UPLOADED"
    mime_type: str | None = None
    file_size: int | None = None
    problem: MediaProblem | None = None
    source_version: int = 1

    @property
    def gid(self) -> str:
        return gid("MediaImage", self.id)

    @property
    def cdn_url(self) -> str:
        """Where Shopify serves the processed image from once it is READY."""
        return f"{CDN_ROOT}/{self.filename}?v={self.source_version}"


def unique_filename(wanted: str) -> str:
    """`APPEND_UUID`: `name_{uuid}.ext`."""
    path = PurePosixPath(wanted)
    return f"{path.stem}_{uuid.uuid4()}{path.suffix}"


class MediaLibrary:
    """Files by number (ascending = creation order) and by filename; `revision` goes up on every write."""

    def __init__(self, ids: IdSequence) -> None:
        self.ids = ids
        self.revision = 0
        self.by_id: dict[int, MediaFile] = {}
        self._by_filename: dict[str, int] = {}
        self._pending: list[tuple[int, int]] = []

    def find(self, media_gid: object) -> MediaFile | None:
        return self.by_id.get(parse_gid(media_gid, "MediaImage") or -1)

    def with_filename(self, filename: str) -> MediaFile | None:
        number = self._by_filename.get(filename)
        return None if number is None else self.by_id.get(number)

    def create(self, filename: str, source: str, alt: str | None) -> MediaFile:
        now = now_iso()
        file = MediaFile(self.ids.next_id("MediaImage"), filename, source, alt, now, now)
        self.by_id[file.id] = file
        self._by_filename[filename] = file.id
        self._pending.append((file.id, file.source_version))
        self.revision += 1
        return file

    def rename(self, file: MediaFile, filename: str) -> None:
        self._by_filename.pop(file.filename, None)
        self._by_filename[filename] = file.id
        file.filename = filename
        self._touch(file)

    def resource(self, file: MediaFile, source: str) -> None:
        """A new `originalSource`: processing starts over, and an older download's outcome no longer counts."""
        file.original_source = source
        file.source_version += 1
        file.status, file.mime_type, file.file_size, file.problem = "UPLOADED", None, None, None
        self._pending.append((file.id, file.source_version))
        self._touch(file)

    def set_alt(self, file: MediaFile, alt: str | None) -> None:
        file.alt = alt
        self._touch(file)

    def _touch(self, file: MediaFile) -> None:
        file.updated_at = now_iso()
        self.revision += 1

    def take_pending(self) -> list[tuple[int, int]]:
        """(file number, source version) of every source waiting to be downloaded, once each."""
        pending, self._pending = self._pending, []
        return pending

    def current(self, number: int, version: int) -> MediaFile | None:
        """The file, if that source version is still the one it holds."""
        file = self.by_id.get(number)
        return file if file is not None and file.source_version == version else None

    def start_processing(self, file: MediaFile) -> None:
        file.status = "PROCESSING"
        self.revision += 1

    def finish(self, file: MediaFile, mime_type: str | None, size: int | None, problem: MediaProblem | None) -> None:
        file.status = "FAILED" if problem else "READY"
        file.mime_type, file.file_size, file.problem = mime_type, size, problem
        file.updated_at = now_iso()
        self.revision += 1
