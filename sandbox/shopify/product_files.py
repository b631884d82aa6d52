"""`ProductSetInput.files`: the product's media become exactly this list, in this order.

Each `FileSetInput` either names an existing file by `id` (kept; its `alt`, `filename` or `originalSource`
may change with it) or creates an image from `originalSource` (an http or https URL Shopify downloads
itself). The name is `filename`, else the last segment of the source URL; a name already in the shop is
handled by `duplicateResolutionMode`: `APPEND_UUID` (default) makes it unique, `RAISE_ERROR` is a user
error, `REPLACE` re-sources that existing file in place (same id), which is what makes a retried call
idempotent. Files left out are detached from the product, not deleted. Messages and rules follow the
schema's `FilesErrorCode` descriptions; productSet reports them with `ProductSetUserErrorCode` codes.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from sandbox.shopify.catalog import Product
from sandbox.shopify.input_rules import user_error
from sandbox.shopify.media_library import MediaFile, MediaLibrary, unique_filename

MAX_PRODUCT_MEDIA = 250
MAX_ALT_LENGTH = 512
_SAME_EXTENSIONS = {".jpeg": ".jpg"}

UserErrors = list[dict[str, Any]]


@dataclass
class PlannedFile:
    """One entry of the list: the file it keeps or replaces (None: a new one), and what changes."""

    existing: MediaFile | None
    source: str | None
    filename: str | None
    alt: str | None
    alt_given: bool


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.casefold()
    return _SAME_EXTENSIONS.get(suffix, suffix)


def _source_problem(source: object) -> str | None:
    if not isinstance(source, str):
        return "Invalid image source url value provided."
    parts = urlsplit(source.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "Invalid image source url value provided."
    return None


def _filename_problem(filename: str, source: str | None) -> str | None:
    if not filename.strip() or "/" in filename or filename in (".", ".."):
        return "The provided filename is invalid."
    source_extension = _extension(unquote(urlsplit(source).path)) if source else ""
    if source_extension and _extension(filename) != source_extension:
        return "Cannot create file with custom filename which does not match original source extension."
    return None


class _Planner:
    def __init__(self, library: MediaLibrary, errors: UserErrors) -> None:
        self.library = library
        self.errors = errors
        self.used_ids: set[int] = set()
        self.claimed_names: set[str] = set()

    def error(self, index: int, field: str, message: str, code: str = "INVALID_INPUT") -> None:
        self.errors.append(user_error(["input", "files", index, field], message, code))

    def use(self, index: int, file: MediaFile, field: str) -> bool:
        if file.id in self.used_ids:
            self.error(index, field, "The same file is given more than once.", "DUPLICATED_VALUE")
            return False
        self.used_ids.add(file.id)
        return True

    def name_is_free(self, name: str, holder: MediaFile | None) -> bool:
        if name in self.claimed_names:
            return False
        other = self.library.with_filename(name)
        return other is None or other is holder

    def plan(self, index: int, entry: dict[str, Any]) -> PlannedFile | None:
        source = entry.get("originalSource")
        if source is not None and (problem := _source_problem(source)):
            self.error(index, "originalSource", problem)
            return None
        filename = entry.get("filename")
        if filename is not None and (problem := _filename_problem(filename, source)):
            self.error(index, "filename", problem)
            return None
        alt = entry.get("alt")
        if alt is not None and len(alt) > MAX_ALT_LENGTH:
            self.error(index, "alt", f"The alt value exceeds the maximum limit of {MAX_ALT_LENGTH} characters.")
            return None
        if entry.get("id") is not None:
            return self.plan_kept(index, entry, source, filename)
        return self.plan_new(index, entry, source, filename)

    def plan_kept(
        self, index: int, entry: dict[str, Any], source: str | None, filename: str | None
    ) -> PlannedFile | None:
        file = self.library.find(entry["id"])
        if file is None:
            self.error(index, "id", "File does not exist.")
            return None
        if not self.use(index, file, "id"):
            return None
        if filename is not None and not self.name_is_free(filename, file):
            self.error(index, "filename", "The provided filename already exists.", "DUPLICATED_VALUE")
            return None
        self.claimed_names.add(filename or file.filename)
        return PlannedFile(file, source, filename, entry.get("alt"), "alt" in entry)

    def plan_new(
        self, index: int, entry: dict[str, Any], source: str | None, filename: str | None
    ) -> PlannedFile | None:
        if source is None:
            self.error(index, "originalSource", "An originalSource is required to create a file.")
            return None
        mode = entry.get("duplicateResolutionMode") or "APPEND_UUID"
        if mode == "REPLACE" and filename is None:
            message = "Duplicate resolution mode REPLACE cannot be used without specifying filename."
            self.error(index, "filename", message)
            return None
        name = filename or PurePosixPath(unquote(urlsplit(source).path)).name or "image"
        existing = None
        if not self.name_is_free(name, None):
            if mode == "APPEND_UUID":
                name = unique_filename(name)
            elif mode == "RAISE_ERROR" or name in self.claimed_names:
                self.error(index, "filename", "The provided filename already exists.", "DUPLICATED_VALUE")
                return None
            else:
                existing = self.library.with_filename(name)
                if existing is None or not self.use(index, existing, "filename"):
                    return None
        self.claimed_names.add(name)
        return PlannedFile(existing, source, name, entry.get("alt"), "alt" in entry)


def plan_files(library: MediaLibrary, entries: list[dict[str, Any]], errors: UserErrors) -> list[PlannedFile]:
    """The list checked entry by entry; every problem is added to `errors`."""
    if len(entries) > MAX_PRODUCT_MEDIA:
        errors.append(user_error(["input", "files"], "Exceeded the limit of media per product.", "INVALID_INPUT"))
        return []
    planner = _Planner(library, errors)
    for index, entry in enumerate(entries):
        content_type = entry.get("contentType")
        if content_type not in (None, "IMAGE"):
            planner.error(index, "contentType", "The sandbox implements image media only (contentType IMAGE).")
    planned = [planner.plan(index, entry) for index, entry in enumerate(entries)]
    return [plan for plan in planned if plan is not None]


def apply_files(library: MediaLibrary, product: Product, plans: list[PlannedFile]) -> None:
    """Create, re-source, rename or re-describe the files, then make them the product's media in order."""
    numbers = []
    for plan in plans:
        file = plan.existing
        if file is None:
            assert plan.source is not None and plan.filename is not None
            file = library.create(plan.filename, plan.source, plan.alt)
        else:
            if plan.filename is not None and plan.filename != file.filename:
                library.rename(file, plan.filename)
            if plan.alt_given and plan.alt != file.alt:
                library.set_alt(file, plan.alt)
            if plan.source is not None:
                library.resource(file, plan.source)
        numbers.append(file.id)
    if numbers != product.media_ids:
        product.media_ids = numbers
        library.revision += 1
