"""Media as GraphQL objects (`MediaImage`, `Product.media`/`mediaCount`/`featuredMedia`) and as inspection JSON.

`MediaImage.image` (and `preview.image`) is null until `status` is `READY`, as the schema says; then its
`url` is a Shopify CDN URL under the file's name. `originalSource.url` answers the URL the media was
created from (Shopify answers a short-lived copy of the original; the sandbox keeps the source visible).
"""

from typing import Any

from graphql import GraphQLResolveInfo

from sandbox.shopify.catalog import Catalog, Product, gid
from sandbox.shopify.connections import PageRequest, connection
from sandbox.shopify.media_library import MediaFile, MediaLibrary
from sandbox.shopify.metafield_objects import GraphObject


def _errors(file: MediaFile, typename: str) -> list[GraphObject]:
    problem = file.problem
    if problem is None:
        return []
    return [{"__typename": typename, "code": problem.code, "message": problem.message, "details": problem.details}]


def media_image_object(file: MediaFile) -> GraphObject:
    image = None
    if file.status == "READY":
        image = {
            "__typename": "Image",
            "id": gid("ImageSource", file.id),
            "url": file.cdn_url,
            "src": file.cdn_url,
            "originalSrc": file.cdn_url,
            "transformedSrc": file.cdn_url,
            "altText": file.alt,
            "width": None,
            "height": None,
            "thumbhash": None,
        }
    return {
        "__typename": "MediaImage",
        "id": file.gid,
        "alt": file.alt,
        "status": file.status,
        "fileStatus": file.status,
        "mediaContentType": "IMAGE",
        "mediaErrors": _errors(file, "MediaError"),
        "fileErrors": _errors(file, "FileError"),
        "mediaWarnings": [],
        "createdAt": file.created_at,
        "updatedAt": file.updated_at,
        "mimeType": file.mime_type,
        "image": image,
        "originalSource": {
            "__typename": "MediaImageOriginalSource",
            "url": file.original_source,
            "fileSize": file.file_size,
        },
        "preview": {"__typename": "MediaPreviewImage", "image": image, "status": file.status},
    }


def _attached(library: MediaLibrary, product: Product) -> list[int]:
    return [number for number in product.media_ids if number in library.by_id]


def product_media_resolvers(library: MediaLibrary, product: Product) -> GraphObject:
    """`media(first:, after:, sortKey:)` (POSITION by default, or ID), `mediaCount`, `featuredMedia`."""

    def media(_info: GraphQLResolveInfo, **args: Any) -> GraphObject:
        numbers = _attached(library, product)
        by_id = args.get("sortKey") == "ID"
        return connection(
            sorted(numbers) if by_id else numbers,
            PageRequest.from_args(args),
            lambda number: media_image_object(library.by_id[number]),
            ascending=by_id,
        )

    def media_count(_info: GraphQLResolveInfo) -> GraphObject:
        return {"__typename": "Count", "count": len(_attached(library, product)), "precision": "EXACT"}

    def featured_media(_info: GraphQLResolveInfo) -> GraphObject | None:
        numbers = _attached(library, product)
        return media_image_object(library.by_id[numbers[0]]) if numbers else None

    return {"media": media, "mediaCount": media_count, "featuredMedia": featured_media}


def _file_json(file: MediaFile) -> dict[str, Any]:
    return {
        "id": file.gid,
        "alt": file.alt,
        "status": file.status,
        "originalSource": file.original_source,
        "filename": file.filename,
        "mimeType": file.mime_type,
        "mediaErrors": [{"code": p.code, "message": p.message} for p in ([file.problem] if file.problem else [])],
    }


def product_media_json(library: MediaLibrary, product: Product) -> list[dict[str, Any]]:
    """A product's media for `/_sandbox/shops/{shop}/products`, in order, with 1-based positions."""
    return [
        {**_file_json(library.by_id[number]), "position": position}
        for position, number in enumerate(_attached(library, product), start=1)
    ]


def files_json(library: MediaLibrary, catalog: Catalog) -> list[dict[str, Any]]:
    """Every file of the shop in creation order, detached ones included, with the products listing it."""
    holders: dict[int, list[str]] = {}
    for product in catalog.products.values():
        for number in product.media_ids:
            holders.setdefault(number, []).append(gid("Product", product.id))
    return [{**_file_json(file), "products": holders.get(file.id, [])} for file in library.by_id.values()]
