"""One shop's customers, with the indexes `customerSet` upserts need: email, phone and unique metafield values.

Email and phone are unique per shop (email ignoring case); a metafield whose definition has unique values
enabled identifies at most one customer (that is what `customerSet(identifier: {customId})` looks up).
"""

from dataclasses import dataclass, field

from sandbox.shopify.catalog import IdSequence, Metafield, parse_gid
from sandbox.shopify.change_journal import ChangeJournal
from sandbox.shopify.search_filters import any_of, contains_text, group_matches, id_matches
from sandbox.shopify.search_query import SearchTerm

CUSTOMER_FIELDS = frozenset({"email", "phone", "id", "first_name", "last_name", "tag", "country"})


@dataclass
class CustomerAddress:
    id: int
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    company: str | None = None
    country_code: str | None = None
    province_code: str | None = None
    zip: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None

    def content(self) -> tuple[str | None, ...]:
        """Everything but the id: two addresses with the same content are the same address."""
        return (
            self.address1,
            self.address2,
            self.city,
            self.company,
            self.country_code,
            self.province_code,
            self.zip,
            self.phone,
            self.first_name,
            self.last_name,
        )


@dataclass
class Customer:
    id: int
    created_at: str
    updated_at: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    tax_exempt: bool = False
    locale: str = "en"
    addresses: list[CustomerAddress] = field(default_factory=list)
    metafields: list[Metafield] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        """First and last name; else the email; else the phone (as Shopify's `displayName`)."""
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return name or self.email or self.phone or ""


class Customers:
    """Customers by number (ascending = creation order); `revision` goes up on every write.

    The `journal` hears of every customer written or removed.
    """

    def __init__(self, ids: IdSequence, journal: ChangeJournal | None = None) -> None:
        self.revision = 0
        self.journal = journal if journal is not None else ChangeJournal()
        self.ids = ids
        self.by_id: dict[int, Customer] = {}
        self._by_email: dict[str, int] = {}
        self._by_phone: dict[str, int] = {}
        self._by_metafield: dict[tuple[str, str, str], int] = {}

    def find(self, customer_gid: object) -> Customer | None:
        return self.by_id.get(parse_gid(customer_gid, "Customer") or -1)

    def with_email(self, email: str) -> Customer | None:
        number = self._by_email.get(email.strip().casefold())
        return None if number is None else self.by_id[number]

    def with_phone(self, phone: str) -> Customer | None:
        number = self._by_phone.get(phone.strip())
        return None if number is None else self.by_id[number]

    def with_metafield(self, namespace: str, key: str, value: str) -> Customer | None:
        number = self._by_metafield.get((namespace, key, value))
        return None if number is None else self.by_id[number]

    def put(self, customer: Customer) -> None:
        previous = self.by_id.get(customer.id)
        if previous is not None:
            self._unindex(previous)
        self.revision += 1
        self.journal.customer(customer.id, existed_before=previous is not None)
        self.by_id[customer.id] = customer
        if customer.email:
            self._by_email[customer.email.casefold()] = customer.id
        if customer.phone:
            self._by_phone[customer.phone] = customer.id
        for metafield in customer.metafields:
            self._by_metafield[(metafield.namespace, metafield.key, metafield.value)] = customer.id

    def remove(self, customer: Customer) -> None:
        """Delete a customer (the merchant's admin can; the app's GraphQL here cannot)."""
        if self.by_id.pop(customer.id, None) is not None:
            self._unindex(customer)
            self.revision += 1
            self.journal.customer(customer.id, existed_before=True)

    def _unindex(self, customer: Customer) -> None:
        for index, key in (
            (self._by_email, (customer.email or "").casefold()),
            (self._by_phone, customer.phone or ""),
        ):
            if index.get(key) == customer.id:
                del index[key]
        for metafield in customer.metafields:
            if self._by_metafield.get((metafield.namespace, metafield.key, metafield.value)) == customer.id:
                del self._by_metafield[(metafield.namespace, metafield.key, metafield.value)]


def customer_term_matches(customer: Customer, term: SearchTerm) -> bool:
    """`email:` and `phone:` match exactly (email ignoring case; `*` alone: has one); free text: name or email."""
    field = term.field
    if field is None:
        return contains_text(term, f"{customer.display_name} {customer.email or ''}")
    if field == "email":
        return any_of(term, [customer.email])
    if field == "phone":
        return any_of(term, [customer.phone])
    if field == "id":
        return id_matches(term, customer.id)
    if field == "first_name":
        return any_of(term, [customer.first_name])
    if field == "last_name":
        return any_of(term, [customer.last_name])
    if field == "tag":
        return any_of(term, list(customer.tags))
    if field == "country":
        return any_of(term, [address.country_code for address in customer.addresses])
    return True


def select_customers(customers: Customers, groups: list[list[SearchTerm]]) -> list[int]:
    if not groups:
        return list(customers.by_id)
    return [
        number
        for number, customer in customers.by_id.items()
        if any(group_matches(customer, group, customer_term_matches) for group in groups)
    ]
