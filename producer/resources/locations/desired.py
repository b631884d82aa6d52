"""Unleashed warehouses as Shopify locations should hold them: name, address, country code, active or not.

Pure. A warehouse whose country cannot be resolved to an ISO code is skipped and reported, never guessed.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from producer.pipeline.plan import SkippedRecord, content_hash
from producer.resources.addresses import country_code, province_code
from producer.sources.records import InvalidRecord, flag, text

METAFIELD_NAMESPACE = "unleashed"
WAREHOUSE_CODE_KEY = "warehouse_code"
MAX_NAME = 100


class DesiredLocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # the warehouse code
    name: str
    address: dict[str, str]
    active: bool
    is_default: bool

    @property
    def adoption_keys(self) -> frozenset[str]:
        """A location we do not manage is this warehouse's when it carries its code, or failing that its name."""
        return frozenset({f"code:{self.key}", f"name:{self.name.casefold()}"})

    def location_input(self) -> dict[str, Any]:
        """`LocationAddInput` (and, the same fields, `LocationEditInput`)."""
        return {
            "name": self.name,
            "address": self.address,
            "metafields": [
                {
                    "namespace": METAFIELD_NAMESPACE,
                    "key": WAREHOUSE_CODE_KEY,
                    "type": "single_line_text_field",
                    "value": self.key,
                }
            ],
        }

    def content_hash(self) -> str:
        return content_hash(self.location_input())


def _address(raw: dict[str, Any], reference: str, warnings: list[SkippedRecord]) -> dict[str, str]:
    country = country_code(text(raw, "Country"))
    if country is None:
        raise InvalidRecord(reference, f"Country {raw.get('Country')!r} is not a country we can resolve")
    street = " ".join(part for part in (text(raw, "StreetNo"), text(raw, "AddressLine1")) if part)
    address = {
        "address1": street,
        "address2": " ".join(p for p in (text(raw, "AddressLine2"), text(raw, "Suburb")) if p),
        "city": text(raw, "City") or "",
        "zip": text(raw, "PostCode") or "",
        "countryCode": country,
        "phone": text(raw, "PhoneNumber") or "",
    }
    region = text(raw, "Region")
    province = province_code(country, region)
    if province:
        address["provinceCode"] = province
    elif region:
        warnings.append(
            SkippedRecord(reference=reference, reason=f"Region {region!r} is not a province of {country}; left out")
        )
    return {key: value for key, value in address.items() if value}


def build_desired_locations(
    raw_warehouses: list[Any],
) -> tuple[list[DesiredLocation], list[SkippedRecord], list[SkippedRecord]]:
    """Every warehouse as a location; malformed ones, unknown countries and repeated names skipped and reported
    (first list), regions that are not a province of the country reported and left out (second list)."""
    skipped: list[SkippedRecord] = []
    warnings: list[SkippedRecord] = []
    desired: dict[str, DesiredLocation] = {}
    names: dict[str, str] = {}
    for position, raw in enumerate(raw_warehouses):
        try:
            if not isinstance(raw, dict):
                raise InvalidRecord(f"warehouse #{position}", "is not a JSON object")
            code = text(raw, "WarehouseCode")
            reference = f"warehouse {code!r}" if code else f"warehouse #{position}"
            if code is None:
                raise InvalidRecord(reference, "WarehouseCode is missing")
            if code in desired:
                raise InvalidRecord(reference, "duplicate WarehouseCode")
            name = (text(raw, "WarehouseName") or code)[:MAX_NAME].rstrip()
            if name.casefold() in names:
                # Shopify location names are unique per shop.
                raise InvalidRecord(reference, f"its name {name!r} is also warehouse {names[name.casefold()]!r}'s")
            location = DesiredLocation(
                key=code,
                name=name,
                address=_address(raw, reference, warnings),
                active=not flag(raw, "Obsolete", False),
                is_default=flag(raw, "IsDefault", False),
            )
        except InvalidRecord as invalid:
            skipped.append(SkippedRecord(reference=invalid.reference, reason=invalid.reason))
            continue
        desired[code] = location
        names[name.casefold()] = code
    return sorted(desired.values(), key=lambda location: location.key), skipped, warnings
