"""The seeded random source of the Unleashed dataset generator, and the wire-shaped values it draws."""

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

Record = dict[str, Any]

_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_SPAN_SECONDS = 2 * 365 * 24 * 3600


class SeededGenerator:
    """Random values for the dataset, all drawn from one seeded `random.Random`."""

    def __init__(self, seed: int | str) -> None:
        """A text seed (e.g. `"7/customers"`) gives an independent stream, the same on every run."""
        self.rng = random.Random(seed)

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def moment(self) -> datetime:
        return _EPOCH + timedelta(seconds=self.rng.randrange(_SPAN_SECONDS))

    def barcode(self) -> str | None:
        if self.rng.random() < 0.15:
            return None
        digits = [self.rng.randrange(10) for _ in range(12)]
        check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10) % 10
        return "".join(map(str, digits)) + str(check)

    def sell_price(self) -> float:
        roll = self.rng.random()
        cents = self.rng.randrange(100, 50_000)
        if roll < 0.15:  # three decimals ending in 5: rounding half-up to cents matters
            return round(cents / 100 + 0.005, 3)
        if roll < 0.2:
            return round(cents / 100 + self.rng.randrange(1, 100) / 10_000, 4)
        return cents / 100

    def price_tiers(self, base: float) -> Record:
        tiers: Record = {}
        for tier in range(1, 11):
            value = None
            if tier <= 3 and self.rng.random() < 0.6:
                value = f"{base * (1 - tier * 0.05):.4f}"
            tiers[f"SellPriceTier{tier}"] = {"Name": f"Sell Price Tier {tier}", "Value": value}
        return tiers
