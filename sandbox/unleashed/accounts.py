"""Emulated Unleashed accounts: credentials, the records each serves, and planned faults."""

from dataclasses import dataclass, field
from typing import Any

from sandbox.dataset import UnleashedDataset


@dataclass
class PlannedFaults:
    """The next `remaining` authenticated requests answer `status` instead of data."""

    status: int = 0
    remaining: int = 0
    retry_after_seconds: int = 1

    def take(self) -> int | None:
        """The status to fail this request with, or None when no fault is planned."""
        if self.remaining <= 0:
            return None
        self.remaining -= 1
        return self.status


Record = dict[str, Any]
StockKey = tuple[str, str]


@dataclass
class UnleashedAccount:
    """One Unleashed tenant: `api_id` + `api_key`, with records stored as raw wire dicts.

    Records are keyed by their code (products by ProductCode, warehouses by WarehouseCode, customers by
    CustomerCode, stock rows by (ProductCode, WarehouseCode)), so the admin API can plant, replace and
    remove them one at a time; the key comes from the admin route, never from the record, which is kept
    verbatim (tests plant malformed records on purpose).
    """

    api_id: str
    api_key: str
    products: dict[str, Record] = field(default_factory=dict)
    warehouses: dict[str, Record] = field(default_factory=dict)
    customers: dict[str, Record] = field(default_factory=dict)
    stock_on_hand: dict[StockKey, Record] = field(default_factory=dict)
    faults: PlannedFaults = field(default_factory=PlannedFaults)
    requests_served: int = 0

    @classmethod
    def from_dataset(cls, api_id: str, api_key: str, dataset: UnleashedDataset) -> "UnleashedAccount":
        """An account serving a generated dataset."""
        return cls(
            api_id=api_id,
            api_key=api_key,
            products={str(product["ProductCode"]): product for product in dataset.products},
            warehouses={str(warehouse["WarehouseCode"]): warehouse for warehouse in dataset.warehouses},
            customers={str(customer["CustomerCode"]): customer for customer in dataset.customers},
            stock_on_hand={(str(row["ProductCode"]), str(row["WarehouseCode"])): row for row in dataset.stock_on_hand},
        )


class UnleashedAccounts:
    """All emulated accounts, by api id."""

    def __init__(self) -> None:
        self._accounts: dict[str, UnleashedAccount] = {}

    def put(self, account: UnleashedAccount) -> None:
        self._accounts[account.api_id] = account

    def get(self, api_id: str) -> UnleashedAccount | None:
        return self._accounts.get(api_id)
