"""What a generated Promidata product family holds, before it is written out as the feed's JSON.

A family is one JSON file (`{ANumber}/{Sku}.json`, one Import.txt line); its variants are `ChildProducts`.
Texts are kept as vocabulary keys and rendered per language, so a change (a new model name, a new price)
shows in every language at once.
"""

from dataclasses import dataclass

from sandbox.promidata.vocabulary import ADJECTIVES, AXIS_LABELS, COLOURS, NOUNS, Texts, text


@dataclass
class ImageRef:
    """One image: served at `images/{name}.png`; `file_name` is Promidata's `FileName` for it."""

    name: str
    file_name: str
    colour: tuple[int, int, int]


@dataclass
class PriceTier:
    quantity: int
    price: float
    on_request: bool = False


@dataclass
class RegionPrices:
    """One region's `RecommendedSellingPrice` ladder and `GeneralBuyingPrice` ladder (may be empty)."""

    selling: list[PriceTier]
    buying: list[PriceTier]


@dataclass
class Child:
    """One variant (`ChildProducts[]`): its SKUs, configuration values by axis, prices by region, images."""

    sku: str
    supplier_sku: str
    ean: str | None
    options: list[tuple[str, str]]
    prices: dict[str, RegionPrices]
    image: ImageRef
    gallery: list[ImageRef]
    weight_grams: int
    dimensions_mm: tuple[int, int, int]
    colour: str

    def option_value(self, axis: str) -> str | None:
        return next((value for name, value in self.options if name == axis), None)


@dataclass
class Family:
    """One product family: the root object of a family file, with its children."""

    sku: str
    supplier_sku: str
    anumber: str
    languages: list[str]
    model: str
    adjective: str
    noun: str
    brand: str
    material: Texts
    country_of_origin: str
    release_date: str
    axes: list[str]
    children: list[Child]
    hex_in_details: bool
    listed: bool = True
    version: int = 0
    child_serial: int = 0

    @property
    def category(self) -> str:
        return NOUNS[self.noun].category

    def name(self, language: str) -> str:
        """`ProductDetails[lang].Name`: French puts the adjective after the noun."""
        noun = text(NOUNS[self.noun].texts, language)
        adjective = text(ADJECTIVES[self.adjective], language)
        if language == "fr":
            return f"{noun} {adjective} {self.model}"
        return f"{self.model} {adjective} {noun}"

    def names(self) -> dict[str, str]:
        return {language: self.name(language) for language in self.languages}

    def configuration(self, child: Child, language: str) -> list[dict[str, str]]:
        """`ConfigurationFields` of a child in one language, in the family's axis order."""
        fields = []
        for axis, value in child.options:
            fields.append(
                {
                    "ConfigurationName": configuration_name(axis, self.anumber),
                    "ConfigurationNameTranslated": text(AXIS_LABELS[axis], language),
                    "ConfigurationValue": configuration_value(axis, value, language),
                }
            )
        return fields


def configuration_name(axis: str, anumber: str) -> str:
    """Promidata's names are not standard: `Color`, `Size`, and supplier-specific ones like `A23_CONFIG_1`."""
    if axis == "colour":
        return "Color"
    if axis == "size":
        return "Size"
    return f"{anumber}_CONFIG_1"


def configuration_value(axis: str, value: str, language: str) -> str:
    if axis == "colour":
        colour = COLOURS[value]
        return f"{text(colour.texts, language)} (± PMS {colour.pms})"
    return value
