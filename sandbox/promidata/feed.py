"""One emulated Promidata feed: its families, what Import.txt lists, planned faults, and request counters.

What the real feed does: `Import/Import.txt` lists one `<family JSON URL>|<40 hex hash>` line per family,
after a first line naming the category file (`CAT.csv`); consumers fetch a family again only when its hash
changed. Here the hash is the uppercase SHA-1 of the family file as served with one fixed base URL
(`CANONICAL_BASE`), so it changes exactly when the family's JSON does, whichever host or feed name the
family is read through. A content fault (invalid JSON, no children, a bad price, a huge file)
changes the file and so its hash; `404`, `timeout` and `no_hash_line` do not.
"""

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from sandbox.promidata.families import Family, ImageRef
from sandbox.promidata.family_generator import GenerationSettings, generate_family
from sandbox.promidata.family_json import family_document
from sandbox.promidata.feed_changes import ChangeKind, apply_change
from sandbox.promidata.vocabulary import CATEGORIES, LANGUAGES

FaultKind = Literal["404", "timeout", "invalid_json", "no_children", "bad_price", "huge", "no_hash_line"]
ImportMode = Literal["normal", "empty", "truncated"]

CANONICAL_BASE = "https://promi-dl.de/Profiles/Live/00000000-0000-0000-0000-000000000000"
HUGE_BYTES = 12 * 1024 * 1024
CATEGORY_HEADER = "CategoryCode;CategoryNameDE;CategoryNameEN;CategoryNameNL"
_CONTENT_FAULTS = frozenset({"invalid_json", "no_children", "bad_price", "huge"})
_FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


@dataclass(frozen=True)
class FeedSettings:
    generation: GenerationSettings
    families: int
    category_hash: bool = False
    crlf: bool = False


@dataclass
class FamilyFault:
    kind: FaultKind
    seconds: float = 30.0


@dataclass
class ImageFault:
    """The image answers `status`; with a 200 status and a `content_type`, a non-image body of that type."""

    status: int
    content_type: str | None = None


@dataclass
class RequestCounts:
    import_txt: int = 0
    cat_csv: int = 0
    families: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "Import.txt": self.import_txt,
            "CAT.csv": self.cat_csv,
            "families": dict(self.families),
            "images": dict(self.images),
        }


def _encoded(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def category_csv() -> str:
    """CAT.csv: `;`-separated, a header row, then key path, German, English and Dutch name paths."""
    rows = [CATEGORY_HEADER]
    for key, texts in CATEGORIES.items():
        by_language = dict(zip(LANGUAGES, texts, strict=True))
        rows.append(";".join((key, by_language["de"], by_language["en"], by_language["nl"])))
    return "\n".join(rows) + "\n"


class PromidataFeed:
    """A feed named `name`, served under `/promidata/{name}/`; families are kept by root SKU.

    Families removed from Import.txt (`listed` false) keep their file, as a stale file on the real
    storage would; only Import.txt stops naming them.
    """

    def __init__(self, name: str, settings: FeedSettings) -> None:
        self.name = name
        self.settings = settings
        self.families: dict[str, Family] = {}
        self.images: dict[str, ImageRef] = {}
        self.import_mode: ImportMode = "normal"
        self.truncated_lines = 3
        self.faults: dict[str, FamilyFault] = {}
        self.image_faults: dict[str, ImageFault] = {}
        self.requests = RequestCounts()
        self.changes_rng = random.Random(f"{settings.generation.seed}/changes")
        self._generated = 0
        self._hashes: dict[str, str] = {}
        self.add_families(settings.families)

    # --- families -----------------------------------------------------------------------------------------

    def add_families(self, count: int) -> list[Family]:
        added = []
        for _ in range(count):
            family = generate_family(self.settings.generation, self._generated, set(self.families))
            self._generated += 1
            self.families[family.sku] = family
            self._remember_images(family)
            added.append(family)
        return added

    def listed(self) -> list[Family]:
        return [family for family in self.families.values() if family.listed]

    def change(self, family: Family, kind: ChangeKind) -> ChangeKind:
        applied = apply_change(self.changes_rng, family, kind)
        family.version += 1
        self._forget(family.sku)
        self._remember_images(family)
        return applied

    def set_fault(self, sku: str, fault: FamilyFault | None) -> None:
        if fault is None:
            self.faults.pop(sku, None)
        else:
            self.faults[sku] = fault
        self._forget(sku)

    def _forget(self, sku: str) -> None:
        self._hashes.pop(sku, None)

    def _remember_images(self, family: Family) -> None:
        for child in family.children:
            for image in (child.image, *child.gallery):
                self.images[image.name] = image

    # --- what is served -----------------------------------------------------------------------------------

    def base_url(self, origin: str) -> str:
        """The feed's base URL on a host, e.g. `http://127.0.0.1:8090/promidata/demo`."""
        return f"{origin}/promidata/{self.name}"

    @staticmethod
    def family_url(base: str, family: Family) -> str:
        return f"{base}/{family.anumber}/{family.sku}.json"

    def _content_fault(self, family: Family) -> str:
        fault = self.faults.get(family.sku)
        return fault.kind if fault is not None and fault.kind in _CONTENT_FAULTS else ""

    def body(self, family: Family, base: str) -> bytes:
        """The family file as served from `base`, with a planned content fault applied.

        Rendered on each request (about a millisecond a family), so only the hashes are kept in memory.
        """
        return self._render(family, base, self._content_fault(family))

    def _render(self, family: Family, base: str, kind: str) -> bytes:
        document = family_document(family, base)
        if kind == "invalid_json":
            encoded = _encoded(document)
            return encoded[: len(encoded) // 2]
        if kind == "no_children":
            document["ChildProducts"] = []
        elif kind == "bad_price":
            priced = document["ChildProducts"][0] if document["ChildProducts"] else document
            first_region = next(iter(priced["ProductPriceCountryBased"].values()))
            first_region["RecommendedSellingPrice"][0]["Price"] = "abc"
        elif kind == "huge":
            details = next(iter(document["ProductDetails"].values()))
            details["Description"] += _FILLER * (HUGE_BYTES // len(_FILLER) + 1)
        return _encoded(document)

    def family_hash(self, family: Family) -> str:
        """Import.txt's hash of a family: SHA-1 of its file as served from the canonical base URL."""
        if family.sku not in self._hashes:
            canonical = self._render(family, CANONICAL_BASE, self._content_fault(family))
            self._hashes[family.sku] = hashlib.sha1(canonical).hexdigest().upper()
        return self._hashes[family.sku]

    def import_lines(self, base: str) -> list[str]:
        """Import.txt's lines for the current mode: the category file, then one line per listed family."""
        if self.import_mode == "empty":
            return []
        category = f"{base}/CAT.csv"
        if self.settings.category_hash:
            category += "|" + hashlib.sha1(category_csv().encode()).hexdigest().upper()
        lines = [category]
        for family in self.listed():
            fault = self.faults.get(family.sku)
            url = self.family_url(base, family)
            lines.append(
                url if fault is not None and fault.kind == "no_hash_line" else f"{url}|{self.family_hash(family)}"
            )
        return lines[: self.truncated_lines] if self.import_mode == "truncated" else lines

    def import_text(self, base: str) -> str:
        lines = self.import_lines(base)
        newline = "\r\n" if self.settings.crlf else "\n"
        return newline.join(lines) + newline if lines else ""


class PromidataFeeds:
    """All emulated feeds, by name."""

    def __init__(self) -> None:
        self._feeds: dict[str, PromidataFeed] = {}

    def put(self, feed: PromidataFeed) -> None:
        self._feeds[feed.name] = feed

    def get(self, name: str) -> PromidataFeed | None:
        return self._feeds.get(name)

    def names(self) -> list[str]:
        return sorted(self._feeds)
