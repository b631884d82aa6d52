"""Seeded Unleashed customers in the wire shape of `GET /Customers` (reference section 1.6).

The mix a customer sync must cope with:

- names in Māori with macrons, accented Latin and a few CJK; about 8 % are companies with no contact name;
- about 85 % with an email (some in mixed case), about 30 % without a phone;
- 0 to 3 addresses: Postal, Physical and extra Delivery ones, the Physical one sometimes identical to the
  Postal one;
- valid phone numbers in several national formats for the customer's country (see `dataset_places`),
  and about 5 % bad ones (too short, letters);
- about 3 % obsolete.
"""

import unicodedata
from datetime import timedelta

from sandbox.dataset_generator import Record, SeededGenerator
from sandbox.dataset_places import CITIES, CURRENCIES, bad_phone_number, phone_number, pick_country, street
from sandbox.unleashed.wire_dates import to_wire_date

_FIRST_NAMES = (
    "Aroha",
    "James",
    "Mere",
    "Oliver",
    "Charlotte",
    "Wiremu",
    "Isla",
    "Jack",
    "Amelia",
    "Noah",
    "Mārama",
    "Tāne",
    "Hēmi",
    "Kōtuku",
    "Rāwiri",
    "José",
    "Zoë",
    "François",
    "Søren",
    "Chloé",
    "Renée",
    "Łukasz",
)
_LAST_NAMES = (
    "Smith",
    "Ngata",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "Parata",
    "Walker",
    "Clarke",
    "Tūhoe",
    "Te Whāiti",
    "Müller",
    "García",
    "Øvergård",
    "Lefèvre",
)
_CJK_NAMES = (("伟", "王"), ("芳", "李"), ("翔太", "佐藤"), ("美咲", "鈴木"), ("민준", "김"))
_COMPANY_WORDS = ("Trading", "Ltd", "& Co", "Holdings", "Supplies", "Collective", "Limited")
_SECOND_LINES = ("RD 2", "Unit 4", "Level 3", "PO Box 112", "Flat 1")


def _name(gen: SeededGenerator) -> tuple[str, str]:
    rng = gen.rng
    if rng.random() < 0.04:
        return rng.choice(_CJK_NAMES)
    return rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _email(gen: SeededGenerator, first: str, last: str, number: int) -> str | None:
    rng = gen.rng
    if rng.random() >= 0.85:
        return None
    local = f"{_ascii(first)}.{_ascii(last)}".strip(".") or "customer"
    domain = rng.choice(("example.com", "example.co.nz", "example.com.au", "mail.example.org"))
    email = f"{local}{number}@{domain}"
    return email.title() if rng.random() < 0.1 else email


def _address(gen: SeededGenerator, kind: str, country: str) -> Record:
    rng = gen.rng
    city = rng.choice(CITIES[country])
    line1 = street(gen)
    return {
        "AddressType": kind,
        "AddressName": line1,
        "StreetAddress": line1,
        "StreetAddress2": rng.choice(_SECOND_LINES) if rng.random() < 0.25 else None,
        "Suburb": "",
        "City": city.name,
        "Region": city.region,
        "Country": city.country,
        "PostalCode": city.post_code,
    }


def _addresses(gen: SeededGenerator, country: str) -> list[Record]:
    rng = gen.rng
    roll = rng.random()
    count = 0 if roll < 0.1 else 1 if roll < 0.35 else 2 if roll < 0.8 else 3
    if count == 0:
        return []
    postal = _address(gen, "Postal", country)
    if count == 1:
        return [postal] if rng.random() < 0.6 else [{**postal, "AddressType": "Physical"}]
    physical = {**postal, "AddressType": "Physical"} if rng.random() < 0.5 else _address(gen, "Physical", country)
    addresses = [postal, physical]
    if count == 3:
        addresses.append(_address(gen, "Delivery", country if rng.random() < 0.8 else pick_country(gen)))
    return addresses


def _phones(gen: SeededGenerator, country: str) -> tuple[str | None, str | None]:
    """(PhoneNumber, MobileNumber): about 30 % without a phone, about 5 % bad ones."""
    rng = gen.rng
    if rng.random() < 0.05:
        return bad_phone_number(gen), None
    phone = phone_number(gen, country, mobile=rng.random() < 0.5) if rng.random() < 0.7 else None
    mobile = phone_number(gen, country, mobile=True) if rng.random() < 0.2 else None
    return phone, mobile


def _customer(gen: SeededGenerator, number: int) -> Record:
    rng = gen.rng
    country = pick_country(gen)
    first, last = _name(gen)
    company = rng.random() < 0.08
    created = gen.moment()
    currency_code, currency_name = CURRENCIES[country]
    phone, mobile = _phones(gen, country)
    return {
        "Addresses": _addresses(gen, country),
        "CustomerCode": f"CUST-{number:05d}",
        "CustomerName": f"{last} {rng.choice(_COMPANY_WORDS)} {number}" if company else f"{first} {last}",
        "ContactFirstName": None if company else first,
        "ContactLastName": None if company else last,
        "Email": _email(gen, first, last, number),
        "EmailCC": None,
        "PhoneNumber": phone,
        "MobileNumber": mobile,
        "Website": None,
        "GSTVATNumber": None,
        "Notes": rng.choice((None, None, None, "Prefers delivery before noon", "Account on hold in 2023")),
        "Taxable": rng.random() < 0.95,
        "Currency": {"CurrencyCode": currency_code, "Description": currency_name, "Guid": gen.guid()},
        "CustomerType": rng.choice(("Cash", "Wholesale", "Retail")),
        "DiscountRate": 0,
        "StopCredit": False,
        "Obsolete": rng.random() < 0.03,
        "SellPriceTier": "",
        "CreatedBy": "admin",
        "CreatedOn": to_wire_date(created),
        "Guid": gen.guid(),
        "LastModifiedOn": to_wire_date(created + timedelta(days=rng.randrange(0, 200))),
    }


def generate_customers(gen: SeededGenerator, count: int) -> list[Record]:
    """`count` customers, CUST-00001 onwards."""
    return [_customer(gen, number) for number in range(1, count + 1)]
