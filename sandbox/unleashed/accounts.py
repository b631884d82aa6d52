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


@dataclass
class UnleashedAccount:
    """One Unleashed tenant: `api_id` + `api_key`, with records stored as raw wire dicts."""

    api_id: str
    api_key: str
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    warehouses: list[dict[str, Any]] = field(default_factory=list)
    customers: list[dict[str, Any]] = field(default_factory=list)
    stock_on_hand: list[dict[str, Any]] = field(default_factory=list)
    faults: PlannedFaults = field(default_factory=PlannedFaults)
    requests_served: int = 0

    @classmethod
    def from_dataset(cls, api_id: str, api_key: str, dataset: UnleashedDataset) -> "UnleashedAccount":
        """An account serving a generated dataset; products are keyed by their ProductCode."""
        products = {str(product["ProductCode"]): product for product in dataset.products}
        return cls(
            api_id=api_id,
            api_key=api_key,
            products=products,
            warehouses=list(dataset.warehouses),
            customers=list(dataset.customers),
            stock_on_hand=list(dataset.stock_on_hand),
        )


class UnleashedAccounts:
    """All emulated accounts, by api id."""

    def __init__(self) -> None:
        self._accounts: dict[str, UnleashedAccount] = {}

    def put(self, account: UnleashedAccount) -> None:
        self._accounts[account.api_id] = account

    def get(self, api_id: str) -> UnleashedAccount | None:
        return self._accounts.get(api_id)
