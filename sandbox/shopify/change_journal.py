"""Which records of a shop a request touched, in the order it first touched them, for the webhooks they cause.

The shop's stores (catalogue, inventory, locations, customers) note every record they write or remove here,
with whether the record existed before that first touch. After a GraphQL request or a merchant's admin
edit, the webhook publisher drains the journal and compares each record as it is now with what it sent
last time (see `webhook_events`), so a request that changes nothing a payload shows sends nothing.
"""

from dataclasses import dataclass
from typing import Literal

RecordKind = Literal["product", "level", "location", "customer"]
# A product, location or customer number; an inventory level is (inventory item number, location number).
RecordKey = tuple[RecordKind, int | tuple[int, int]]


@dataclass(frozen=True)
class Touch:
    """One record touched since the journal was last drained."""

    kind: RecordKind
    number: int | tuple[int, int]
    existed_before: bool


class ChangeJournal:
    """Touched records in first-touch order; a record touched again keeps its first `existed_before`."""

    def __init__(self) -> None:
        self._touched: dict[RecordKey, bool] = {}

    def touch(self, kind: RecordKind, number: int | tuple[int, int], existed_before: bool) -> None:
        self._touched.setdefault((kind, number), existed_before)

    def product(self, number: int, existed_before: bool = True) -> None:
        self.touch("product", number, existed_before)

    def level(self, item_id: int, location_id: int, existed_before: bool = True) -> None:
        self.touch("level", (item_id, location_id), existed_before)

    def location(self, number: int, existed_before: bool = True) -> None:
        self.touch("location", number, existed_before)

    def customer(self, number: int, existed_before: bool = True) -> None:
        self.touch("customer", number, existed_before)

    def drain(self) -> list[Touch]:
        """Everything touched since the last drain, oldest first; the journal is empty afterwards."""
        touched = [Touch(kind, number, existed) for (kind, number), existed in self._touched.items()]
        self._touched = {}
        return touched
