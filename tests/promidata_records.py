"""Promidata family records for the pure tests: the real sample file, and small families built to order."""

import copy
import json
from pathlib import Path
from typing import Any

from producer.resources.promidata.family import family_record

SAMPLE = Path(__file__).resolve().parent / "data" / "A23-100804.json"


def sample_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return document


def sample_record(feed_hash: str = "A" * 40) -> dict[str, Any]:
    return family_record(sample_document(), sku="A23-100804", url="https://promi-dl.de/x/A23/A23-100804.json",
                         feed_hash=feed_hash)  # fmt: skip


def child(
    sku: str,
    price: Any = 9.5,
    *,
    config: dict[str, str] | None = None,
    image: str | None = None,
    regions: tuple[str, ...] = ("BENELUX",),
    ean: str | None = None,
    weight: Any = 100,
) -> dict[str, Any]:
    fields = [{"ConfigurationName": name, "ConfigurationNameTranslated": name.title(), "ConfigurationValue": value}
              for name, value in (config or {}).items()]  # fmt: skip
    details = {"Name": f"Child {sku}", "ConfigurationFields": fields,
               "Image": {"Url": image, "Description": "", "FileName": "x.jpg"} if image else None}  # fmt: skip
    ladder = [{"Price": price, "Quantity": 1, "OnRequest": False, "Valuta": "EURO"}]
    return {
        "Sku": sku,
        "Ean": ean,
        "ProductDetails": {"en": details},
        "NonLanguageDependedProductDetails": {"Weight": weight},
        "ProductPriceCountryBased": {region: {"RecommendedSellingPrice": copy.deepcopy(ladder)} for region in regions},
    }


def family(sku: str, children: list[dict[str, Any]], *, names: dict[str, str] | None = None,
           image: str | None = None, feed_hash: str = "B" * 40) -> dict[str, Any]:  # fmt: skip
    details = {language: {"Name": name, "Description": f"<p>{name}</p>",
                          "Image": {"Url": image, "Description": "front"} if image else None}
               for language, name in (names or {"en": f"Family {sku}"}).items()}  # fmt: skip
    physical = {"Brand": "Acme", "Category": "BAGS/TOTES", "Weight": 0}
    document = {"Sku": sku, "ProductDetails": details, "ChildProducts": children,
                "NonLanguageDependedProductDetails": physical}  # fmt: skip
    return family_record(document, sku=sku, url=f"https://promi-dl.de/x/{sku}.json", feed_hash=feed_hash)
