"""Customers and their mailing addresses as GraphQL objects, and as inspection JSON."""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.catalog import gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.customers import Customer, CustomerAddress
from sandbox.shopify.metafield_objects import GraphObject, metafield_resolvers, metafields_json
from sandbox.shopify.regions import country_name, province_name
from sandbox.shopify.shop import Shop


def address_gid(address: CustomerAddress) -> str:
    """Shopify's customer address ids: a MailingAddress gid with the model name as its query."""
    return f"{gid('MailingAddress', address.id)}?model_name=CustomerAddress"


def _address_fields(address: CustomerAddress) -> dict[str, Any]:
    country = country_name(address.country_code)
    province = province_name(address.country_code, address.province_code)
    name = " ".join(part for part in (address.first_name, address.last_name) if part) or None
    area = ", ".join(part for part in (address.city, province, country) if part) or None
    return {
        "id": address_gid(address),
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "company": address.company,
        "country": country,
        "countryCodeV2": address.country_code,
        "countryCode": address.country_code,
        "province": province,
        "provinceCode": address.province_code,
        "zip": address.zip,
        "phone": address.phone,
        "firstName": address.first_name,
        "lastName": address.last_name,
        "name": name,
        "formattedArea": area,
    }


def mailing_address_object(address: CustomerAddress) -> GraphObject:
    fields = _address_fields(address)
    lines = [fields["address1"], fields["address2"], " ".join(p for p in (address.city, address.zip) if p)]

    def formatted(_info: GraphQLResolveInfo, withName: bool = False, withCompany: bool = True) -> list[str]:
        head = [fields["name"] if withName else None, address.company if withCompany else None]
        return [line for line in (*head, *lines, fields["country"]) if line]

    return {
        "__typename": "MailingAddress",
        **fields,
        "formatted": formatted,
        "coordinatesValidated": False,
        "latitude": None,
        "longitude": None,
        "timeZone": None,
        "validationResultSummary": None,
    }


def customer_object(shop: Shop, customer: Customer) -> GraphObject:
    addresses = list(customer.addresses)

    def addresses_v2(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        by_id = {address.id: address for address in addresses}
        return connection(
            [address.id for address in addresses],
            PageRequest.from_args(args),
            lambda number: mailing_address_object(by_id[number]),
            ascending=False,
        )

    return {
        "__typename": "Customer",
        "id": gid("Customer", customer.id),
        "legacyResourceId": str(customer.id),
        "firstName": customer.first_name,
        "lastName": customer.last_name,
        "displayName": customer.display_name,
        "email": customer.email,
        "phone": customer.phone,
        "defaultEmailAddress": None if customer.email is None else {"emailAddress": customer.email},
        "defaultPhoneNumber": None if customer.phone is None else {"phoneNumber": customer.phone},
        "note": customer.note,
        "tags": list(customer.tags),
        "taxExempt": customer.tax_exempt,
        "taxExemptions": [],
        "locale": customer.locale,
        "state": "DISABLED",
        "verifiedEmail": True,
        "validEmailAddress": customer.email is not None,
        "canDelete": True,
        "dataSaleOptOut": False,
        "numberOfOrders": "0",
        "amountSpent": {"amount": "0.0", "currencyCode": "NZD"},
        "createdAt": customer.created_at,
        "updatedAt": customer.updated_at,
        "addresses": lambda _info, first=None: [mailing_address_object(a) for a in addresses[:first]],
        "addressesV2": addresses_v2,
        "defaultAddress": mailing_address_object(addresses[0]) if addresses else None,
        **metafield_resolvers(customer.metafields, "CUSTOMER"),
    }


def customers_json(shop: Shop) -> list[dict[str, Any]]:
    """Every customer with all fields, addresses and metafields, for `GET /_sandbox/shops/{shop}/customers`."""
    return [
        {
            "id": gid("Customer", c.id),
            "firstName": c.first_name,
            "lastName": c.last_name,
            "displayName": c.display_name,
            "email": c.email,
            "phone": c.phone,
            "note": c.note,
            "tags": list(c.tags),
            "taxExempt": c.tax_exempt,
            "locale": c.locale,
            "createdAt": c.created_at,
            "updatedAt": c.updated_at,
            "addresses": [_address_fields(address) for address in c.addresses],
            "metafields": metafields_json(c.metafields),
        }
        for c in shop.customers.by_id.values()
    ]
