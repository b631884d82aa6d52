"""Webhook bodies: the REST Admin API's resources (top-level keys, no wrapper), as Shopify's samples show them.

REST shapes differ from GraphQL: numeric `id`s plus `admin_graphql_api_id`, lowercase `status`, `tags` as
one comma-separated string, prices as strings, timestamps with a numeric offset (the sandbox's shops keep
UTC, so `+00:00`; GraphQL answers the same instants with `Z`). Fields the sandbox does not model are there
with Shopify's value for a plain shop (`inventory_policy: "deny"`, `taxable: true`, no images' sizes, …).
"""

from typing import Any

from sandbox.shopify.catalog import Product, Variant, gid
from sandbox.shopify.customers import Customer, CustomerAddress
from sandbox.shopify.inventory import InventoryLevel
from sandbox.shopify.locations import Location
from sandbox.shopify.plans import CustomPlan, plan_display_name
from sandbox.shopify.regions import country_name, province_name
from sandbox.shopify.shop import Shop

Payload = dict[str, Any]
CURRENCY = "NZD"

_PLAN_NAMES = {"standard": "basic", "advanced": "advanced", "plus": "shopify_plus", "enterprise": "enterprise"}


def rest_time(value: str | None) -> str | None:
    """`2026-01-02T03:04:05Z` (how the sandbox stores instants) as REST writes it: `2026-01-02T03:04:05+00:00`."""
    if value is None:
        return None
    return value[:-1] + "+00:00" if value.endswith("Z") else value


def rest_tags(tags: list[str]) -> str:
    return ", ".join(tags)


def _variant_payload(shop: Shop, product: Product, variant: Variant) -> Payload:
    values = [value for _, value in variant.option_values]
    quantity = shop.inventory.available_total(variant.inventory_item_id)
    return {
        "admin_graphql_api_id": gid("ProductVariant", variant.id),
        "barcode": variant.barcode,
        "compare_at_price": variant.compare_at_price,
        "created_at": rest_time(variant.created_at),
        "id": variant.id,
        "inventory_policy": "deny",
        "position": variant.position,
        "price": variant.price,
        "product_id": product.id,
        "sku": variant.sku,
        "taxable": True,
        "title": variant.title,
        "updated_at": rest_time(variant.updated_at),
        "option1": values[0] if len(values) > 0 else None,
        "option2": values[1] if len(values) > 1 else None,
        "option3": values[2] if len(values) > 2 else None,
        "image_id": None,
        "inventory_item_id": variant.inventory_item_id,
        "inventory_quantity": quantity,
        "old_inventory_quantity": quantity,
    }


def _images(shop: Shop, product: Product) -> list[Payload]:
    files = [shop.media.by_id[number] for number in product.media_ids if number in shop.media.by_id]
    return [
        {
            "id": file.id,
            "admin_graphql_api_id": gid("ProductImage", file.id),
            "product_id": product.id,
            "position": position,
            "alt": file.alt,
            "src": file.original_source,
            "width": None,
            "height": None,
            "variant_ids": [],
            "created_at": rest_time(file.created_at),
            "updated_at": rest_time(file.updated_at),
        }
        for position, file in enumerate(files, start=1)
    ]


def product_payload(shop: Shop, product: Product) -> Payload:
    """`products/create` and `products/update`."""
    variants = shop.catalog.variants_of(product)
    images = _images(shop, product)
    return {
        "admin_graphql_api_id": gid("Product", product.id),
        "body_html": product.description_html,
        "created_at": rest_time(product.created_at),
        "handle": product.handle,
        "id": product.id,
        "product_type": product.product_type,
        "published_at": rest_time(product.created_at) if product.status == "ACTIVE" else None,
        "template_suffix": None,
        "title": product.title,
        "updated_at": rest_time(product.updated_at),
        "vendor": product.vendor,
        "status": product.status.lower(),
        "published_scope": "global",
        "tags": rest_tags(product.tags),
        "variants": [_variant_payload(shop, product, variant) for variant in variants],
        "options": [
            {
                "name": option.name,
                "id": option.id,
                "product_id": product.id,
                "position": option.position,
                "values": [value.name for value in option.values],
            }
            for option in product.options
        ],
        "images": images,
        "image": images[0] if images else None,
        "media": [
            {
                "id": image["id"],
                "admin_graphql_api_id": gid("MediaImage", image["id"]),
                "position": image["position"],
                "alt": image["alt"],
                "media_content_type": "IMAGE",
                "preview_image": {"src": image["src"], "width": None, "height": None},
            }
            for image in images
        ],
        "variant_gids": [
            {"admin_graphql_api_id": gid("ProductVariant", variant.id), "updated_at": rest_time(variant.updated_at)}
            for variant in variants
        ],
        "has_variants_that_requires_components": False,
        "category": None,
    }


def level_gid_of_location(item_id: int, location_id: int) -> str:
    """Shopify's InventoryLevel gid in webhooks: the location's number, the item as a query."""
    return f"{gid('InventoryLevel', location_id)}?inventory_item_id={item_id}"


def level_payload(level: InventoryLevel) -> Payload:
    """`inventory_levels/update`: no SKU, no variant, exactly the sample's five keys."""
    return {
        "inventory_item_id": level.item_id,
        "location_id": level.location_id,
        "available": level.available,
        "updated_at": rest_time(level.updated_at),
        "admin_graphql_api_id": level_gid_of_location(level.item_id, level.location_id),
    }


def location_payload(location: Location) -> Payload:
    """`locations/create`, `locations/update`, `locations/activate`, `locations/deactivate`."""
    address = location.address
    return {
        "id": location.id,
        "name": location.name,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "zip": address.zip,
        "province": province_name(address.country_code, address.province_code),
        "country": address.country_code,
        "phone": address.phone,
        "created_at": rest_time(location.created_at),
        "updated_at": rest_time(location.updated_at),
        "country_code": address.country_code,
        "country_name": country_name(address.country_code),
        "province_code": address.province_code,
        "legacy": False,
        "active": location.is_active,
        "admin_graphql_api_id": gid("Location", location.id),
        "localized_country_name": country_name(address.country_code),
        "localized_province_name": province_name(address.country_code, address.province_code),
    }


def _address_payload(customer: Customer, address: CustomerAddress, default: bool) -> Payload:
    name = " ".join(part for part in (address.first_name, address.last_name) if part)
    return {
        "id": address.id,
        "customer_id": customer.id,
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province": province_name(address.country_code, address.province_code),
        "country": country_name(address.country_code),
        "zip": address.zip,
        "phone": address.phone,
        "name": name,
        "province_code": address.province_code,
        "country_code": address.country_code,
        "country_name": country_name(address.country_code),
        "default": default,
    }


def customer_payload(customer: Customer) -> Payload:
    """`customers/create` and `customers/update`."""
    addresses = [_address_payload(customer, address, index == 0) for index, address in enumerate(customer.addresses)]
    return {
        "id": customer.id,
        "created_at": rest_time(customer.created_at),
        "updated_at": rest_time(customer.updated_at),
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "state": "disabled",
        "note": customer.note,
        "verified_email": True,
        "multipass_identifier": None,
        "tax_exempt": customer.tax_exempt,
        "email": customer.email,
        "phone": customer.phone,
        "currency": CURRENCY,
        "tags": rest_tags(customer.tags),
        "addresses": addresses,
        "tax_exemptions": [],
        "email_marketing_consent": None,
        "sms_marketing_consent": None,
        "admin_graphql_api_id": gid("Customer", customer.id),
        "default_address": addresses[0] if addresses else None,
    }


def customer_deleted_payload(number: int) -> Payload:
    """`customers/delete`: the id and empty personal data."""
    return {
        "id": number,
        "phone": None,
        "addresses": [],
        "tax_exemptions": [],
        "email_marketing_consent": None,
        "sms_marketing_consent": None,
        "admin_graphql_api_id": gid("Customer", number),
    }


def shop_payload(shop: Shop) -> Payload:
    """`app/uninstalled`: the Shop resource (no `admin_graphql_api_id`; the header names the shop too)."""
    primary = shop.locations.primary
    plan = "custom" if isinstance(shop.plan, CustomPlan) else _PLAN_NAMES.get(shop.plan, "partner_test")
    return {
        "id": 1,
        "name": shop.name,
        "email": f"owner@{shop.domain}",
        "domain": shop.domain,
        "province": None,
        "country": shop.country_code,
        "address1": None,
        "zip": None,
        "city": None,
        "source": None,
        "phone": None,
        "latitude": None,
        "longitude": None,
        "primary_locale": "en",
        "address2": None,
        "created_at": rest_time(primary.created_at),
        "updated_at": rest_time(primary.updated_at),
        "country_code": shop.country_code,
        "country_name": country_name(shop.country_code),
        "currency": CURRENCY,
        "customer_email": f"owner@{shop.domain}",
        "timezone": "(GMT+00:00) UTC",
        "iana_timezone": "UTC",
        "shop_owner": shop.name,
        "money_format": "${{amount}}",
        "money_with_currency_format": "${{amount}} NZD",
        "weight_unit": "kg",
        "province_code": None,
        "taxes_included": True,
        "plan_display_name": plan_display_name(shop.plan),
        "plan_name": plan,
        "myshopify_domain": shop.domain,
        "primary_location_id": primary.id,
        "multi_location_enabled": True,
        "password_enabled": False,
        "has_storefront": True,
        "setup_required": False,
        "enabled_presentment_currencies": [CURRENCY],
    }
