"""The words generated families are made of, in Promidata's languages (`de`, `en`, `fr`, `nl`).

Every table row lists its texts in `LANGUAGES` order. Categories use the key paths Promidata puts in
`NonLanguageDependedProductDetails.Category` (`BAGS/SHOPPING_BAGS`), with a name path per language as CAT.csv
carries them.
"""

from dataclasses import dataclass

LANGUAGES = ("de", "en", "fr", "nl")

Texts = tuple[str, str, str, str]


def text(texts: Texts, language: str) -> str:
    return texts[LANGUAGES.index(language)]


@dataclass(frozen=True)
class Noun:
    texts: Texts
    category: str


NOUNS: dict[str, Noun] = {
    "tote": Noun(("Tragetasche", "Tote bag", "Sac cabas", "Draagtas"), "BAGS/SHOPPING_BAGS"),
    "backpack": Noun(("Rucksack", "Backpack", "Sac à dos", "Rugzak"), "BAGS/BACKPACKS"),
    "bottle": Noun(("Trinkflasche", "Water bottle", "Gourde", "Drinkfles"), "DRINKWARE/BOTTLES"),
    "mug": Noun(("Becher", "Mug", "Mug", "Mok"), "DRINKWARE/MUGS"),
    "pen": Noun(("Kugelschreiber", "Ballpoint pen", "Stylo à bille", "Balpen"), "WRITING/BALLPOINT_PENS"),
    "notebook": Noun(("Notizbuch", "Notebook", "Carnet", "Notitieboek"), "OFFICE/NOTEBOOKS"),
    "umbrella": Noun(("Regenschirm", "Umbrella", "Parapluie", "Paraplu"), "RAIN/UMBRELLAS"),
    "cap": Noun(("Kappe", "Cap", "Casquette", "Pet"), "TEXTILE/CAPS"),
    "tshirt": Noun(("T-Shirt", "T-shirt", "T-shirt", "T-shirt"), "TEXTILE/T_SHIRTS"),
    "towel": Noun(("Handtuch", "Towel", "Serviette", "Handdoek"), "HOME/TOWELS"),
    "powerbank": Noun(("Powerbank", "Power bank", "Batterie externe", "Powerbank"), "TECHNOLOGY/POWERBANKS"),
    "lunchbox": Noun(("Brotdose", "Lunch box", "Boîte à lunch", "Lunchbox"), "KITCHEN/LUNCH_BOXES"),
}

ADJECTIVES: dict[str, Texts] = {
    "eco": ("Öko", "Eco", "éco", "Eco"),
    "classic": ("Classic", "Classic", "classique", "Klassieke"),
    "compact": ("Kompakt", "Compact", "compact", "Compacte"),
    "premium": ("Premium", "Premium", "premium", "Premium"),
    "sport": ("Sport", "Sport", "sport", "Sport"),
    "travel": ("Reise", "Travel", "de voyage", "Reis"),
    "bamboo": ("Bambus", "Bamboo", "en bambou", "Bamboe"),
    "thermo": ("Thermo", "Insulated", "isotherme", "Thermo"),
}

MODELS = ("Renew", "Aware", "Nordic", "Terra", "Vista", "Bolt", "Coast", "Drift", "Ember", "Fjord", "Halo", "Orbit")

BRANDS = ("XD Collection", "Mid Ocean Brands", "Bullet", "Elevate", "Marksman", "Stricker", "Stanley/Stella")

SUPPLIERS = ("A23", "A36", "A113", "A389", "A461")

COUNTRIES_OF_ORIGIN = ("CHN", "DEU", "NLD", "IND", "VNM", "TUR", "PRT")

# Category key path → name path per language (parents first, so CAT.csv lists every level).
CATEGORIES: dict[str, Texts] = {
    "BAGS": ("Taschen & Reise", "Bags & Travel", "Sacs & Voyage", "Tassen & Reizen"),
    "BAGS/SHOPPING_BAGS": (
        "Taschen & Reise/Einkaufstaschen",
        "Bags & Travel/Shopping bags",
        "Sacs & Voyage/Sacs shopping",
        "Tassen & Reizen/Boodschappentassen",
    ),
    "BAGS/BACKPACKS": (
        "Taschen & Reise/Rucksäcke",
        "Bags & Travel/Backpacks",
        "Sacs & Voyage/Sacs à dos",
        "Tassen & Reizen/Rugzakken",
    ),
    "DRINKWARE": ("Trinkgefäße", "Drinkware", "Articles à boire", "Drinkgerei"),
    "DRINKWARE/BOTTLES": (
        "Trinkgefäße/Flaschen",
        "Drinkware/Bottles",
        "Articles à boire/Gourdes",
        "Drinkgerei/Flessen",
    ),
    "DRINKWARE/MUGS": ("Trinkgefäße/Becher", "Drinkware/Mugs", "Articles à boire/Mugs", "Drinkgerei/Mokken"),
    "WRITING": ("Schreibgeräte", "Writing", "Écriture", "Schrijfwaren"),
    "WRITING/BALLPOINT_PENS": (
        "Schreibgeräte/Kugelschreiber",
        "Writing/Ballpoint pens",
        "Écriture/Stylos à bille",
        "Schrijfwaren/Balpennen",
    ),
    "OFFICE": ("Büro", "Office", "Bureau", "Kantoor"),
    "OFFICE/NOTEBOOKS": ("Büro/Notizbücher", "Office/Notebooks", "Bureau/Carnets", "Kantoor/Notitieboeken"),
    "RAIN": ("Regen", "Rain", "Pluie", "Regen"),
    "RAIN/UMBRELLAS": ("Regen/Regenschirme", "Rain/Umbrellas", "Pluie/Parapluies", "Regen/Paraplu's"),
    "TEXTILE": ("Textil", "Textile", "Textile", "Textiel"),
    "TEXTILE/CAPS": ("Textil/Kappen", "Textile/Caps", "Textile/Casquettes", "Textiel/Petten"),
    "TEXTILE/T_SHIRTS": ("Textil/T-Shirts", "Textile/T-shirts", "Textile/T-shirts", "Textiel/T-shirts"),
    "HOME": ("Haushalt", "Home", "Maison", "Huishouden"),
    "HOME/TOWELS": ("Haushalt/Handtücher", "Home/Towels", "Maison/Serviettes", "Huishouden/Handdoeken"),
    "TECHNOLOGY": ("Technik", "Technology", "Technologie", "Technologie"),
    "TECHNOLOGY/POWERBANKS": (
        "Technik/Powerbanks",
        "Technology/Power banks",
        "Technologie/Batteries externes",
        "Technologie/Powerbanks",
    ),
    "KITCHEN": ("Küche", "Kitchen", "Cuisine", "Keuken"),
    "KITCHEN/LUNCH_BOXES": ("Küche/Brotdosen", "Kitchen/Lunch boxes", "Cuisine/Boîtes à lunch", "Keuken/Lunchboxen"),
}


@dataclass(frozen=True)
class Colour:
    texts: Texts
    code: str
    pms: str
    hex: str


COLOURS: dict[str, Colour] = {
    "black": Colour(("schwarz", "black", "noir", "zwart"), "001", "Black", "000000"),
    "white": Colour(("weiß", "white", "blanc", "wit"), "002", "White", "FFFFFF"),
    "navy": Colour(("navy blau", "navy", "bleu marine", "donkerblauw"), "410", "navy", "1F2A44"),
    "royal": Colour(("königsblau", "royal blue", "bleu royal", "koningsblauw"), "450", "2935C", "0057B8"),
    "red": Colour(("rot", "red", "rouge", "rood"), "500", "485C", "DA291C"),
    "orange": Colour(("orange", "orange", "orange", "oranje"), "520", "021C", "FE5000"),
    "yellow": Colour(("gelb", "yellow", "jaune", "geel"), "600", "116C", "FFCD00"),
    "green": Colour(("grün", "green", "vert", "groen"), "700", "348C", "00843D"),
    "grey": Colour(("grau", "grey", "gris", "grijs"), "320", "Cool Gray 8C", "888B8D"),
    "purple": Colour(("lila", "purple", "violet", "paars"), "800", "2597C", "582C83"),
}

SIZES = ("XS", "S", "M", "L", "XL", "XXL")
CAPACITIES = ("250 ml", "350 ml", "500 ml", "750 ml", "1000 ml")

# The configuration axes a family can vary on: Promidata's `ConfigurationName`, and its translations.
COLOUR_AXIS, SIZE_AXIS, CAPACITY_AXIS = "colour", "size", "capacity"
AXIS_LABELS: dict[str, Texts] = {
    COLOUR_AXIS: ("Farbe", "Colour", "Couleur", "Kleur"),
    SIZE_AXIS: ("Größe", "Size", "Taille", "Maat"),
    CAPACITY_AXIS: ("Inhalt", "Capacity", "Contenance", "Inhoud"),
}
AXIS_VALUES: dict[str, tuple[str, ...]] = {
    COLOUR_AXIS: tuple(COLOURS),
    SIZE_AXIS: SIZES,
    CAPACITY_AXIS: CAPACITIES,
}

MATERIAL_LABEL: Texts = ("Material", "Material", "Matériel", "Materiaal")
MATERIALS: tuple[Texts, ...] = (
    ("PET - recycelt", "rPET", "rPET", "rPET"),
    ("Baumwolle", "Cotton", "Coton", "Katoen"),
    ("Edelstahl", "Stainless steel", "Acier inoxydable", "Roestvrij staal"),
    ("Bambus", "Bamboo", "Bambou", "Bamboe"),
    ("Polyester", "Polyester", "Polyester", "Polyester"),
)
PACKAGING_LABEL: Texts = (
    "Verpackungsinformationen",
    "Packaging Information",
    "Information sur l'emballage",
    "Verpakkingsinformatie",
)
PACKAGING_VALUE: Texts = ("Bulk", "Bulk", "Vrac", "Bulk")
DESCRIPTION_SENTENCES: Texts = (
    "Robust und praktisch, gemacht für den täglichen Gebrauch. Ideal für Ihr Logo.",
    "Durable and practical, made for everyday use. Ideal for your logo.",
    "Robuste et pratique, conçu pour un usage quotidien. Idéal pour votre logo.",
    "Duurzaam en praktisch, gemaakt voor dagelijks gebruik. Ideaal voor uw logo.",
)
