"""Seeded generator of an Unleashed account's records in the wire shape, for tests, demos and benchmarks.

Products come from `sandbox.dataset_products` (about 60 % in groups sharing `AttributeSet["ProductTitle"]`
by default, see `grouped_share`), warehouses from `sandbox.dataset_warehouses`, customers from
`sandbox.dataset_customers`; stock on hand is made here. Every value depends only on the seed and the
arguments, so the same call always yields the same dataset. Products and the fixed warehouses are drawn
first from the seed itself; generated warehouses, customers and stock each draw from their own stream
(seeded with the seed and their name), so asking for more customers changes neither stock nor warehouses.
"""

from dataclasses import dataclass

from sandbox.dataset_customers import generate_customers
from sandbox.dataset_generator import Record, SeededGenerator
from sandbox.dataset_products import DEFAULT_GROUPED_SHARE, generate_products
from sandbox.dataset_warehouses import MAX_WAREHOUSES, generate_warehouses

MIN_SIZE = 10
MAX_SIZE = 20_000
__all__ = ["MAX_SIZE", "MAX_WAREHOUSES", "MIN_SIZE", "UnleashedDataset", "generate_unleashed_dataset"]


@dataclass(frozen=True)
class UnleashedDataset:
    """Raw records of one account, each list in Unleashed's JSON wire shape."""

    products: list[Record]
    warehouses: list[Record]
    customers: list[Record]
    stock_on_hand: list[Record]


def _stock_on_hand(
    gen: SeededGenerator, products: list[Record], warehouses: list[Record], share: float
) -> list[Record]:
    """A row for about `share` of the (sellable product, active warehouse) pairs."""
    rng = gen.rng
    active = [warehouse for warehouse in warehouses if not warehouse["Obsolete"]]
    rows = []
    for product in products:
        if product["IsComponent"] or not product["IsSellable"]:
            continue
        for warehouse in active:
            if share < 1.0 and rng.random() >= share:
                continue
            on_hand = float(rng.randrange(0, 500))
            allocated = float(rng.randrange(0, int(on_hand) + 1)) if on_hand and rng.random() < 0.3 else 0.0
            cost = float(product["DefaultPurchasePrice"])
            rows.append(
                {
                    "Guid": gen.guid(),
                    "ProductGuid": product["Guid"],
                    "ProductCode": product["ProductCode"],
                    "ProductDescription": product["ProductDescription"],
                    "ProductGroupName": product["ProductGroup"]["GroupName"],
                    "WarehouseId": warehouse["Guid"],
                    "WarehouseCode": warehouse["WarehouseCode"],
                    "Warehouse": warehouse["WarehouseName"],
                    "QtyOnHand": on_hand,
                    "AllocatedQty": allocated,
                    "AvailableQty": on_hand - allocated,
                    "OnPurchase": 0.0,
                    "AvgCost": cost,
                    "TotalCost": round(cost * on_hand, 2),
                    "DaysSinceLastSale": rng.randrange(0, 365) if rng.random() < 0.8 else None,
                    "LastModifiedOn": product["LastModifiedOn"],
                }
            )
    return rows


def generate_unleashed_dataset(
    seed: int,
    size: int,
    *,
    grouped_share: float = DEFAULT_GROUPED_SHARE,
    warehouses: int = 4,
    customers: int | None = None,
    stock_share: float = 1.0,
) -> UnleashedDataset:
    """`size` products (10..20,000), `warehouses` warehouses, customers and stock rows.

    - `grouped_share` (0..1): about the share of products that come in groups sharing a ProductTitle.
    - `warehouses` (1..500): the 4 fixed sites (MAIN, AKL, SYD, OLD obsolete) first, then generated ones.
    - `customers`: how many; None gives `size // 10`, at least 5.
    - `stock_share` (0..1): the share of (sellable product, active warehouse) pairs with a StockOnHand row.
    """
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size must be between {MIN_SIZE} and {MAX_SIZE}, not {size}")
    if not 0.0 <= grouped_share <= 1.0:
        raise ValueError(f"grouped_share must be between 0 and 1, not {grouped_share}")
    if not 1 <= warehouses <= MAX_WAREHOUSES:
        raise ValueError(f"warehouses must be between 1 and {MAX_WAREHOUSES}, not {warehouses}")
    if customers is not None and customers < 0:
        raise ValueError(f"customers must not be negative, not {customers}")
    if not 0.0 <= stock_share <= 1.0:
        raise ValueError(f"stock_share must be between 0 and 1, not {stock_share}")
    gen = SeededGenerator(seed)
    products = generate_products(gen, size, grouped_share)
    sites = generate_warehouses(gen, SeededGenerator(f"{seed}/warehouses"), warehouses)
    people = generate_customers(
        SeededGenerator(f"{seed}/customers"), max(5, size // 10) if customers is None else customers
    )
    stock = _stock_on_hand(SeededGenerator(f"{seed}/stock"), products, sites, stock_share)
    return UnleashedDataset(products, sites, people, stock)
