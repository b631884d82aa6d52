"""A family as Promidata writes its file: the real sample's keys, nesting and quirks, with generated values.

Modelled on `A23-100804.json` (see shared/reference/upstreams): root keys in file order, children with the
same keys minus `ChildProducts`, `ChildHasErrors`, `DefaultProducts` and `ImprintReferences`. Quirks kept:

- the root's `ProductPriceCountryBased` holds one tier per region (the default child's lowest price, at its
  largest quantity); children hold the full quantity ladder; `Price: 0.0` with `OnRequest: true` is a
  price on request; `GeneralBuyingPrice` may be `[]`;
- the root's `ProductDetails` have `ConfigurationFields: null`, `MediaGalleryImages: null`, the default
  child's `Image`; its `NonLanguageDependedProductDetails` have `SearchColor: "Undefined"`, zero weight and
  dimensions, `CountryOfOrigin: null`, `SecondaryCategories: []`; `Ean` is null at the root;
- children without configuration have `ConfigurationFields: null`; `HexColor` sits in
  `ProductDetails[lang].UnstructuredInformation` (no `#`) for some families and is null elsewhere.
"""

from typing import Any

from sandbox.promidata.families import Child, Family, ImageRef, PriceTier, RegionPrices
from sandbox.promidata.vocabulary import (
    CATEGORIES,
    COLOURS,
    DESCRIPTION_SENTENCES,
    MATERIAL_LABEL,
    PACKAGING_LABEL,
    PACKAGING_VALUE,
    text,
)

Json = dict[str, Any]


def image_url(base: str, image: ImageRef) -> str:
    return f"{base}/images/{image.name}.png"


def _image(base: str, image: ImageRef) -> Json:
    return {"Url": image_url(base, image), "Description": "", "FileName": image.file_name}


def _tiers(tiers: list[PriceTier]) -> list[Json]:
    return [
        {"Price": tier.price, "Quantity": tier.quantity, "OnRequest": tier.on_request, "Valuta": "EURO"}
        for tier in tiers
    ]


def _region(prices: RegionPrices) -> Json:
    return {
        "RecommendedSellingPrice": _tiers(prices.selling),
        "GeneralBuyingPrice": _tiers(prices.buying),
        "QuantityIncrements": 1,
        "VatPercentage": 0,
        "MinimumOrderQuantity": prices.selling[0].quantity if prices.selling else 1,
        "VatSettingId": 1,
    }


def _root_prices(default: Child) -> Json:
    return {
        region: _region(RegionPrices(prices.selling[-1:], prices.buying[-1:]))
        for region, prices in default.prices.items()
    }


def description(family: Family, language: str) -> str:
    return f"{family.name(language)}. {text(DESCRIPTION_SENTENCES, language)}<br /><br />PVC free: true"


def _details(family: Family, child: Child, language: str, base: str, at_root: bool) -> Json:
    colour = COLOURS[child.colour]
    unstructured: Json = {
        "SupplierMainCategory": text(CATEGORIES[family.category], language),
        "SupplierSearchColor": text(colour.texts, language),
        "PMSValue": colour.pms,
    }
    if family.hex_in_details and not at_root:
        unstructured["HexColor"] = colour.hex
    return {
        "Name": family.name(language),
        "Description": description(family, language),
        "ShortDescription": None,
        "MetaName": None,
        "MetaDescription": None,
        "MetaKeywords": None,
        "Image": _image(base, child.image),
        "MediaGalleryImages": None if at_root else [_image(base, image) for image in child.gallery],
        "InformationFiles": None if at_root else [],
        "IsActive": True,
        "ConfigurationFields": None if at_root or not child.options else family.configuration(child, language),
        "UnstructuredInformation": unstructured,
        "WebShopInformation": {
            "Material": {
                "InformationLabel": text(MATERIAL_LABEL, language),
                "InformationValue": text(family.material, language),
            },
            "PackagingInformation": {
                "InformationLabel": text(PACKAGING_LABEL, language),
                "InformationValue": text(PACKAGING_VALUE, language),
            },
        },
        "PIMV1Information": None,
        "ImportantInformation": None,
    }


def _outer_carton(child: Child) -> Json:
    """The carton fields only children carry, numbers plus the sample's text copies (comma decimals)."""
    per_carton = max(1, 12_000 // max(child.weight_grams, 1))
    net = round(per_carton * child.weight_grams / 1000, 1)
    return {
        "OuterCartonLengthCM": 47.0,
        "OuterCartonWidthCM": 37.0,
        "OuterCartonHeightCM": 39.0,
        "OuterCartonWeightNetKG": net,
        "OuterCartonWeightGrossKG": round(net + 1.0, 1),
        "OuterCartonQuantityPerCarton": per_carton,
        "WebShopInformation": {
            "OuterCartonDimension": "47 x 37 x 39 cm",
            "OuterCartonQuantityPerCarton": str(per_carton),
            "OuterCartonWeightNetKG": f"{net}".replace(".", ","),
            "OuterCartonWeightGrossKG": f"{round(net + 1.0, 1)}".replace(".", ","),
        },
    }


def _non_language(family: Family, child: Child | None) -> Json:
    length, width, height = child.dimensions_mm if child else (0, 0, 0)
    return {
        "LogoToolImageDefined": None,
        "SearchColor": COLOURS[child.colour].texts[1].title() if child else "Undefined",
        "HexColor": None,
        "Fragile": False,
        "Category": family.category,
        "SecondaryCategories": None if child else [],
        "CountryOfOrigin": family.country_of_origin if child else None,
        "ProductFiltersByGroup": {"Eco": "True"} if child else None,
        "Weight": child.weight_grams if child else 0,
        "DimensionsLength": length,
        "DimensionsHeight": height,
        "DimensionsDiameter": 0,
        "DimensionsWidth": width,
        "DimensionsDepth": 0,
        "Brand": family.brand,
        "USBItem": False,
        "CustomsTariffNumber": "4202929190" if child else None,
        **(_outer_carton(child) if child else {}),
    }


def _imprint_positions(family: Family, child: Child) -> list[Json]:
    """One print position with one option and its setup cost, as the sample's children carry (abridged)."""
    sku = f"{family.anumber}-SCREEN_PRINT_1C"
    prices = {region: _region(RegionPrices([PriceTier(1, 0.85)], [])) for region in child.prices}
    setup = {region: _region(RegionPrices([PriceTier(1, 37.0)], [])) for region in child.prices}
    texts = {language: {"Name": "Screen print 1 colour", "Description": None} for language in family.languages}
    return [
        {
            "PositionCode": "item front_60x40mm",
            "ImprintLocationTexts": {
                language: {"Images": [], "Name": "item front (max 60 x 40 mm)", "Description": None}
                for language in family.languages
            },
            "UnstructuredInformation": {"MaxPrintArea": "60 x 40 mm"},
            "ImprintOptions": [
                {
                    "ImprintTexts": texts,
                    "Sku": sku,
                    "SupplierSku": sku[len(family.anumber) + 1 :],
                    "ProductPriceRegionBased": None,
                    "ProductPriceCountryBased": prices,
                    "PrintColor": 0,
                    "ImprintCosts": [
                        {
                            "Sku": f"{sku}_S",
                            "SupplierSku": f"{sku[len(family.anumber) + 1 :]}_S",
                            "Texts": {lang: {"Name": "Setup costs", "Description": None} for lang in family.languages},
                            "ProductPriceRegionBased": None,
                            "ProductPriceCountryBased": setup,
                            "CalculationType": "Unique",
                            "CalculationAmount": 1,
                            "Requirement": None,
                        }
                    ],
                }
            ],
        }
    ]


def _common(family: Family, child: Child | None, base: str, default: Child) -> Json:
    shown = child or default
    return {
        "ProductDetails": {
            language: _details(family, shown, language, base, at_root=child is None) for language in family.languages
        },
        "ProductCosts": None,
        "ProductPriceRegionBased": None,
        "ProductPriceCountryBased": {region: _region(p) for region, p in child.prices.items()}
        if child
        else _root_prices(default),
        "SamplePriceCountryBased": None,
        "NonLanguageDependedProductDetails": _non_language(family, child),
        "BatteryInformation": None,
        "ImprintPositions": _imprint_positions(family, child) if child else None,
        "Ean": child.ean if child else None,
        "VideoUrl": None,
        "Sku": child.sku if child else family.sku,
        "SupplierSku": child.supplier_sku if child else family.supplier_sku,
        "ANumber": family.anumber,
        "UnstructuredInformation": {"ReleaseDate": family.release_date, "LeakPrevention": "True"},
        "ForbiddenRegions": None,
        "RequiredCertificates": None,
        "ProductCertificates": None,
        "Errors": {},
        "Warnings": {},
    }


def family_document(family: Family, base: str) -> Json:
    """The family file's JSON, with image URLs under `base` (the feed's URL, e.g. `http://host/promidata/f`)."""
    default = family.children[0]
    root = _common(family, None, base, default)
    details = root.pop("ProductDetails")
    return {
        "ChildProducts": [_common(family, child, base, default) for child in family.children],
        "ChildHasErrors": False,
        "DefaultProducts": {region: default.sku for region in default.prices},
        "ImprintReferences": None,
        "ProductDetails": details,
        **root,
    }
