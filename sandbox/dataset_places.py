"""Places and phone numbers for the seeded Unleashed dataset: cities by country, streets, and phone numbers
written the way people write them in each country ("09 555 0100", "(02) 9999 1234", "+64 21 123 4567").

Every valid number follows its country's real numbering plan (area codes, mobile prefixes, lengths), so a
phone library given the customer's country turns it into E.164. Unleashed's `Region` is free text: New
Zealand sites use region names, Australian ones mostly state codes (as Unleashed's own example, "VIC").
"""

from dataclasses import dataclass

from sandbox.dataset_generator import SeededGenerator


@dataclass(frozen=True)
class City:
    name: str
    region: str
    country: str
    post_code: str


CITIES: dict[str, tuple[City, ...]] = {
    "NZ": (
        City("Auckland", "Auckland", "New Zealand", "1010"),
        City("Wellington", "Wellington", "New Zealand", "6011"),
        City("Christchurch", "Canterbury", "New Zealand", "8011"),
        City("Hamilton", "Waikato", "New Zealand", "3204"),
        City("Tauranga", "Bay of Plenty", "New Zealand", "3110"),
        City("Dunedin", "Otago", "New Zealand", "9016"),
        City("Palmerston North", "Manawatū-Whanganui", "New Zealand", "4410"),
        City("Napier", "Hawke's Bay", "New Zealand", "4110"),
        City("Nelson", "Nelson", "New Zealand", "7010"),
        City("Whangārei", "Northland", "New Zealand", "0110"),
        City("Queenstown", "Otago", "New Zealand", "9300"),
        City("Invercargill", "Southland", "New Zealand", "9810"),
    ),
    "AU": (
        City("Sydney", "NSW", "Australia", "2000"),
        City("Melbourne", "VIC", "Australia", "3000"),
        City("Brisbane", "QLD", "Australia", "4000"),
        City("Perth", "WA", "Australia", "6000"),
        City("Adelaide", "SA", "Australia", "5000"),
        City("Hobart", "TAS", "Australia", "7000"),
        City("Canberra", "ACT", "Australia", "2600"),
        City("Darwin", "NT", "Australia", "0800"),
        City("Newcastle", "New South Wales", "Australia", "2300"),
        City("Geelong", "Victoria", "Australia", "3220"),
        City("Gold Coast", "Queensland", "Australia", "4217"),
    ),
    "US": (
        City("Los Angeles", "CA", "United States", "90021"),
        City("Seattle", "WA", "United States", "98108"),
        City("Chicago", "IL", "United States", "60607"),
    ),
    "GB": (
        City("Manchester", "Greater Manchester", "United Kingdom", "M1 1AE"),
        City("London", "London", "United Kingdom", "E1 6AN"),
    ),
    "CA": (City("Vancouver", "BC", "Canada", "V6B 1A1"),),
    "SG": (City("Singapore", "", "Singapore", "018956"),),
}
COUNTRY_NAMES = {code: cities[0].country for code, cities in CITIES.items()}
CURRENCIES = {
    "NZ": ("NZD", "New Zealand, Dollars"),
    "AU": ("AUD", "Australia, Dollars"),
    "US": ("USD", "United States of America, Dollars"),
    "GB": ("GBP", "United Kingdom, Pounds"),
    "CA": ("CAD", "Canada, Dollars"),
    "SG": ("SGD", "Singapore, Dollars"),
}
STREETS = (
    "Queen Street",
    "High Street",
    "Victoria Street",
    "George Street",
    "Carbine Road",
    "Great South Road",
    "Te Rapa Road",
    "Hobson Street",
    "Lambton Quay",
    "Colombo Street",
    "Collins Street",
    "Pitt Street",
    "Industrial Avenue",
    "Harbour Drive",
    "Station Road",
)
_US_AREAS = ("212", "415", "206", "312", "213")
_BAD_PHONES = ("12345", "021 CALL ME", "N/A", "0800 FLOWERS", "ext 42", "+64", "555-01", "phone me")


def pick_country(gen: SeededGenerator) -> str:
    """New Zealand and Australia mostly, a few others."""
    roll = gen.rng.random()
    if roll < 0.45:
        return "NZ"
    if roll < 0.88:
        return "AU"
    return gen.rng.choice(("US", "GB", "CA", "SG"))


def street(gen: SeededGenerator) -> str:
    return f"{gen.rng.randint(1, 400)} {gen.rng.choice(STREETS)}"


def _digits(gen: SeededGenerator, count: int, first: str = "0123456789") -> str:
    return gen.rng.choice(first) + "".join(gen.rng.choice("0123456789") for _ in range(count - 1))


def _nz(gen: SeededGenerator, mobile: bool) -> str:
    rng = gen.rng
    if mobile:
        prefix, rest = rng.choice(("21", "22", "27")), _digits(gen, 7, "2345689")
        return rng.choice(
            (
                f"0{prefix} {rest[:3]} {rest[3:]}",
                f"+64 {prefix} {rest[:3]} {rest[3:]}",
                f"0{prefix}-{rest[:3]}-{rest[3:]}",
            )
        )
    area, rest = rng.choice("34679"), _digits(gen, 7, "3456789")
    return rng.choice(
        (f"0{area} {rest[:3]} {rest[3:]}", f"(0{area}) {rest[:3]} {rest[3:]}", f"+64 {area} {rest[:3]} {rest[3:]}")
    )


def _au(gen: SeededGenerator, mobile: bool) -> str:
    rng = gen.rng
    if mobile:
        rest = "4" + _digits(gen, 8, "0123456789")
        return rng.choice((f"0{rest[:3]} {rest[3:6]} {rest[6:]}", f"+61 {rest[:3]} {rest[3:6]} {rest[6:]}"))
    area, rest = rng.choice("2378"), _digits(gen, 8, "3456789")
    return rng.choice(
        (f"(0{area}) {rest[:4]} {rest[4:]}", f"0{area} {rest[:4]} {rest[4:]}", f"+61 {area} {rest[:4]} {rest[4:]}")
    )


def _elsewhere(gen: SeededGenerator, country: str) -> str:
    rng = gen.rng
    if country in ("US", "CA"):
        area = rng.choice(_US_AREAS) if country == "US" else rng.choice(("604", "778"))
        exchange, line = _digits(gen, 3, "23456789"), _digits(gen, 4)
        if exchange[1:] == "11":
            exchange = exchange[0] + "20"
        return rng.choice((f"({area}) {exchange}-{line}", f"+1 {area} {exchange} {line}"))
    if country == "GB":
        rest = "7" + _digits(gen, 7)
        return rng.choice((f"020 {rest[:4]} {rest[4:]}", f"+44 20 {rest[:4]} {rest[4:]}"))
    rest = _digits(gen, 8, "689")
    return rng.choice((f"{rest[:4]} {rest[4:]}", f"+65 {rest[:4]} {rest[4:]}"))


def phone_number(gen: SeededGenerator, country: str, mobile: bool = False) -> str:
    """A valid number for the country, in one of the ways people there write it."""
    if country == "NZ":
        return _nz(gen, mobile)
    if country == "AU":
        return _au(gen, mobile)
    return _elsewhere(gen, country)


def bad_phone_number(gen: SeededGenerator) -> str:
    """Too short, or letters: what a phone library refuses."""
    return gen.rng.choice(_BAD_PHONES)
