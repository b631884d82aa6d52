"""`customerSet`: create, update or upsert one customer, as its schema description says.

- No `identifier`: create (or update by the deprecated `input.id`, refused with `ID_NOT_ALLOWED` beside an
  identifier). `identifier.id`: update that customer (`NOT_FOUND`).
- `identifier.email` / `identifier.phone`: upsert by that value. The input must carry the same field
  (`MISSING_FIELD_REQUIRED`, the enum's "input field corresponding to the identifier is required") with the
  same value (`INPUT_MISMATCH`; email ignoring case).
- `identifier.customId`: upsert by a metafield value. It needs a CUSTOMER metafield definition with that
  namespace and key and unique values enabled (else `INVALID`); a created customer carries the metafield,
  so the same call again finds and updates it.
- Input rules: email shaped like an address (`INVALID`), unique ignoring case (`TAKEN`); phone in E.164,
  `+` and 8 to 15 digits (`INVALID`), unique (`TAKEN`); a customer keeps at least one of first name, last
  name, email, phone (`BLANK`). `addresses` replaces the list (each address's `provinceCode` must belong to
  its country where the sandbox knows the provinces); `tags` replace; omitted fields stay as they were.

Any user error changes nothing; an update that sets what is already there changes nothing either.
"""

import copy
import re
from typing import Any

from sandbox.shopify.catalog import Metafield, now_iso
from sandbox.shopify.customer_objects import customer_object
from sandbox.shopify.customers import Customer, CustomerAddress
from sandbox.shopify.input_rules import clean_tags, user_error
from sandbox.shopify.metafield_definitions import APP_NAMESPACE, MetafieldDefinition
from sandbox.shopify.metafield_objects import GraphObject
from sandbox.shopify.regions import country_code_for_name, normalised_province
from sandbox.shopify.shop import Shop

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_IDENTIFIERS = ("id", "email", "phone", "customId")
_TEXT_FIELDS = (("firstName", "first_name"), ("lastName", "last_name"), ("note", "note"))
_ADDRESS_FIELDS = (
    ("address1", "address1"),
    ("address2", "address2"),
    ("city", "city"),
    ("company", "company"),
    ("zip", "zip"),
    ("phone", "phone"),
    ("firstName", "first_name"),
    ("lastName", "last_name"),
)

UserErrors = list[dict[str, Any]]
CustomId = tuple[MetafieldDefinition, str]


def _upsert_key_problem(given: dict[str, Any], field: str, wanted: str) -> dict[str, Any] | None:
    if given.get(field) is None:
        message = "The input field corresponding to the identifier is required."
        return user_error(["input", field], message, "MISSING_FIELD_REQUIRED")
    same = given[field].strip().casefold() == wanted.strip().casefold() if field == "email" else given[field] == wanted
    if not same:
        message = "The identifier value does not match the value of the corresponding field in the input."
        return user_error(["input", field], message, "INPUT_MISMATCH")
    return None


def _target(
    shop: Shop, identifier: dict[str, Any], given: dict[str, Any], errors: UserErrors
) -> tuple[Customer | None, CustomId | None]:
    """(customer to update or None to create, the customId metafield a created customer must carry)."""
    chosen = [name for name in _IDENTIFIERS if identifier.get(name) is not None]  # one at most: a @oneOf input
    customers = shop.customers
    if chosen and given.get("id") is not None:
        errors.append(
            user_error(["input", "id"], "The id field is not allowed if identifier is provided.", "ID_NOT_ALLOWED")
        )
        return None, None
    kind = chosen[0] if chosen else ("id" if given.get("id") is not None else None)
    if kind is None:
        return None, None
    if kind == "id":
        path = ["identifier", "id"] if chosen else ["input", "id"]
        found = customers.find(identifier.get("id") or given.get("id"))
        if found is None:
            errors.append(user_error(path, "Resource matching the identifier was not found.", "NOT_FOUND"))
        return found, None
    if kind in ("email", "phone"):
        problem = _upsert_key_problem(given, kind, str(identifier[kind]))
        if problem is not None:
            errors.append(problem)
            return None, None
        value = str(identifier[kind])
        return (customers.with_email(value) if kind == "email" else customers.with_phone(value.strip())), None
    custom = identifier["customId"]
    namespace = custom.get("namespace") or APP_NAMESPACE
    definition = shop.definitions.find("CUSTOMER", namespace, custom["key"])
    if definition is None or not definition.unique_values:
        message = (
            f"No CUSTOMER metafield definition with unique values enabled exists for namespace '{namespace}' "
            f"and key '{custom['key']}'."
        )
        errors.append(user_error(["identifier", "customId"], message, "INVALID"))
        return None, None
    return customers.with_metafield(namespace, custom["key"], custom["value"]), (definition, custom["value"])


def _contact_problems(shop: Shop, given: dict[str, Any], target: Customer | None) -> UserErrors:
    errors: UserErrors = []
    own_id = None if target is None else target.id
    email, phone = given.get("email"), given.get("phone")
    if email:
        if not _EMAIL.match(email.strip()):
            errors.append(user_error(["input", "email"], "Email is invalid", "INVALID"))
        elif (holder := shop.customers.with_email(email)) is not None and holder.id != own_id:
            errors.append(user_error(["input", "email"], "Email has already been taken", "TAKEN"))
    if phone:
        if not _E164.match(phone.strip()):
            errors.append(user_error(["input", "phone"], "Phone is invalid", "INVALID"))
        elif (holder := shop.customers.with_phone(phone)) is not None and holder.id != own_id:
            errors.append(user_error(["input", "phone"], "Phone has already been taken", "TAKEN"))
    for key, _ in _TEXT_FIELDS[:2]:
        if isinstance(given.get(key), str) and len(given[key]) > 255:
            errors.append(user_error(["input", key], "is too long (maximum is 255 characters)", "TOO_LONG"))
    return errors


def _planned_addresses(inputs: list[dict[str, Any]], errors: UserErrors) -> list[CustomerAddress]:
    planned = []
    for index, given in enumerate(inputs):
        country = given.get("countryCode") or country_code_for_name(given.get("country"))
        province, valid = normalised_province(country, given.get("provinceCode"))
        if not valid:
            path: list[str | int] = ["input", "addresses", index, "provinceCode"]
            errors.append(user_error(path, "Province code is not valid for the country", "INVALID"))
        address = CustomerAddress(id=0, country_code=country, province_code=province)
        for key, attribute in _ADDRESS_FIELDS:
            setattr(address, attribute, given.get(key))
        planned.append(address)
    return planned


def _tags(given: list[str]) -> list[str]:
    """Tags may come as a list or as comma-separated text."""
    return clean_tags([part for tag in given for part in tag.split(",")])


def _apply(shop: Shop, customer: Customer, given: dict[str, Any], addresses: list[CustomerAddress] | None) -> None:
    for key, attribute in _TEXT_FIELDS:
        if key in given:
            setattr(customer, attribute, given[key])
    for key in ("email", "phone"):
        if key in given:
            setattr(customer, key, (given[key] or "").strip() or None)
    if given.get("locale") is not None:
        customer.locale = given["locale"]
    if given.get("taxExempt") is not None:
        customer.tax_exempt = bool(given["taxExempt"])
    if given.get("tags") is not None:
        customer.tags = _tags(given["tags"])
    if addresses is not None:
        kept = {address.content(): address.id for address in customer.addresses}
        for address in addresses:
            address.id = kept.pop(address.content(), 0) or shop.customers.ids.next_id("MailingAddress")
        customer.addresses = addresses


def customer_set(shop: Shop, identifier: dict[str, Any] | None, given: dict[str, Any]) -> GraphObject:
    errors: UserErrors = []
    target, custom_id = _target(shop, identifier or {}, given, errors)
    if errors:
        return {"customer": None, "userErrors": errors}
    errors.extend(_contact_problems(shop, given, target))
    addresses = _planned_addresses(given["addresses"], errors) if given.get("addresses") is not None else None
    now = now_iso()
    customer = copy.deepcopy(target) if target is not None else Customer(id=0, created_at=now, updated_at=now)
    _apply(shop, customer, given, addresses)
    if not any((customer.first_name, customer.last_name, customer.email, customer.phone)):
        message = "Customer must have a name, phone number or email address"
        errors.append(user_error(["input"], message, "BLANK"))
    if errors:
        return {"customer": None, "userErrors": errors}
    if target is None:
        customer.id = shop.customers.ids.next_id("Customer")
        if custom_id is not None:
            definition, value = custom_id
            metafield_id = shop.customers.ids.next_id("Metafield")
            customer.metafields.append(
                Metafield(metafield_id, definition.namespace, definition.key, definition.type, value)
            )
    if customer != target:
        customer.updated_at = now
        shop.customers.put(customer)
    return {"customer": customer_object(shop, customer), "userErrors": []}
