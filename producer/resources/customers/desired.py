"""Unleashed customers as Shopify customers should hold them. Pure.

Names from the contact (else the customer name), email, phone in E.164 (`phonenumbers`, read in the
customer's own country: its first address's, else its currency's), addresses with ISO country and
province codes (`pycountry`), tags, and the customer code in the note. A bad phone, email or address is
dropped from that customer and reported; the customer
still syncs. Emails and phones are unique in a Shopify shop, so one already given to another customer
(by customer code order) is dropped and reported too.
"""

import re
from typing import Any

import phonenumbers
from pydantic import BaseModel, ConfigDict

from producer.pipeline.plan import SkippedRecord, content_hash
from producer.resources.addresses import country_code, province_code
from producer.sources.records import InvalidRecord, flag, text

OWNERSHIP_TAG = "commerce-sync"
OBSOLETE_TAG = "unleashed-obsolete"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class DesiredCustomer(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str  # the customer code
    customer_input: dict[str, Any]

    @property
    def email(self) -> str | None:
        value: str | None = self.customer_input.get("email")
        return value

    @property
    def phone(self) -> str | None:
        value: str | None = self.customer_input.get("phone")
        return value

    @property
    def adoption_keys(self) -> frozenset[str]:
        """A customer we do not manage is this one when it carries the code, else the same email or phone."""
        keys = {f"code:{self.key}"}
        if self.email:
            keys.add(f"email:{self.email}")
        if self.phone:
            keys.add(f"phone:{self.phone}")
        return frozenset(keys)

    def content_hash(self) -> str:
        return content_hash(self.customer_input)


def e164(raw: str | None, country: str | None) -> str | None:
    """The number in Shopify's E.164 form, read as a number of `country` unless it starts with +."""
    if not raw:
        return None
    try:
        number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    formatted: str = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return formatted


def _currency_country(currency: Any) -> str | None:
    """A customer without an address: the country of its currency (ISO 4217 codes start with the ISO 3166 code
    of their country: NZD, AUD, USD; EUR names none), to read national phone numbers in."""
    code = currency.get("CurrencyCode") if isinstance(currency, dict) else None
    return country_code(code[:2]) if isinstance(code, str) and len(code) == 3 else None


def _addresses(raw: dict[str, Any], reference: str, warnings: list[SkippedRecord]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    listed = raw.get("Addresses")
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict) or not (text(item, "StreetAddress") or text(item, "City")):
            continue
        country = country_code(text(item, "Country"))
        if country is None:
            warnings.append(SkippedRecord(reference=reference, reason=f"address in {item.get('Country')!r} left out: "
                                          "not a country we can resolve"))  # fmt: skip
            continue
        address = {
            "address1": text(item, "StreetAddress") or "",
            "address2": " ".join(p for p in (text(item, "StreetAddress2"), text(item, "Suburb")) if p),
            "city": text(item, "City") or "",
            "zip": text(item, "PostalCode") or "",
            "company": text(raw, "CustomerName") or "",
            "countryCode": country,
            "provinceCode": province_code(country, text(item, "Region")) or "",
        }
        address = {key: value for key, value in address.items() if value}
        if address not in found:
            found.append(address)
    return found


def _customer(raw: Any, position: int, warnings: list[SkippedRecord]) -> DesiredCustomer:
    if not isinstance(raw, dict):
        raise InvalidRecord(f"customer #{position}", "is not a JSON object")
    code = text(raw, "CustomerCode")
    reference = f"customer {code!r}" if code else f"customer #{position}"
    if code is None:
        raise InvalidRecord(reference, "CustomerCode is missing")
    addresses = _addresses(raw, reference, warnings)
    home = addresses[0]["countryCode"] if addresses else _currency_country(raw.get("Currency"))
    phone = None
    for field in ("PhoneNumber", "MobileNumber"):
        given = text(raw, field)
        phone = phone or e164(given, home)
        if given and e164(given, home) is None:
            warnings.append(SkippedRecord(reference=reference, reason=f"{field} {given!r} is not a valid phone number"))
    email = (text(raw, "Email") or "").lower() or None
    if email and not _EMAIL.match(email):
        warnings.append(SkippedRecord(reference=reference, reason=f"Email {email!r} is not an email address"))
        email = None
    first, last = text(raw, "ContactFirstName"), text(raw, "ContactLastName")
    if not (first or last):
        last = text(raw, "CustomerName") or code
    obsolete = flag(raw, "Obsolete", False)
    return DesiredCustomer(
        key=code,
        customer_input={
            "firstName": first,
            "lastName": last,
            "email": email,
            "phone": phone,
            "addresses": addresses,
            "note": f"Unleashed customer {code}"
            + (f": {text(raw, 'CustomerName')}" if text(raw, "CustomerName") else ""),
            "tags": [OWNERSHIP_TAG, OBSOLETE_TAG] if obsolete else [OWNERSHIP_TAG],
            "taxExempt": not flag(raw, "Taxable", True),
        },
    )


def build_desired_customers(
    raw_customers: list[Any],
) -> tuple[list[DesiredCustomer], list[SkippedRecord], list[SkippedRecord]]:
    """(customers, skipped records, warnings about what was dropped from customers that still sync)."""
    skipped: list[SkippedRecord] = []
    warnings: list[SkippedRecord] = []
    by_code: dict[str, DesiredCustomer] = {}
    for position, raw in enumerate(raw_customers):
        try:
            customer = _customer(raw, position, warnings)
        except InvalidRecord as invalid:
            skipped.append(SkippedRecord(reference=invalid.reference, reason=invalid.reason))
            continue
        if customer.key in by_code:
            skipped.append(SkippedRecord(reference=f"customer {customer.key!r}", reason="duplicate CustomerCode"))
            continue
        by_code[customer.key] = customer
    return _unique_contacts(sorted(by_code.values(), key=lambda c: c.key), warnings), skipped, warnings


def _unique_contacts(customers: list[DesiredCustomer], warnings: list[SkippedRecord]) -> list[DesiredCustomer]:
    """Shopify keeps one customer per email and per phone: the first customer (by code) keeps them."""
    owner: dict[tuple[str, str], str] = {}
    result = []
    for customer in customers:
        dropped: dict[str, None] = {}
        for field in ("email", "phone"):
            value = customer.customer_input.get(field)
            if not value:
                continue
            if (field, value) in owner:
                warnings.append(
                    SkippedRecord(
                        reference=f"customer {customer.key!r}",
                        reason=f"{field} {value!r} is also customer {owner[(field, value)]!r}'s; left out",
                    )
                )
                dropped[field] = None
            else:
                owner[(field, value)] = customer.key
        result.append(
            customer.model_copy(update={"customer_input": {**customer.customer_input, **dropped}})
            if dropped
            else customer
        )
    return result
