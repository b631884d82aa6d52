"""The one table of the mutator: for each kind of entity and action, which document is sent and how its
answer is read into mirror rows. Every resource adds its entries here; `apply` has no resource-specific path."""

from mutator.effects.base import Effect, UserErrors
from mutator.effects.bulk import BULK_EFFECTS
from mutator.effects.customers import CUSTOMER_EFFECTS
from mutator.effects.inventory import INVENTORY_EFFECTS
from mutator.effects.locations import LOCATION_EFFECTS
from mutator.effects.media import MEDIA_EFFECTS
from mutator.effects.products import PRODUCT_EFFECTS
from shared.models import EntityKind, MutationAction

EFFECTS: dict[tuple[EntityKind, MutationAction], Effect] = {
    **PRODUCT_EFFECTS,
    **LOCATION_EFFECTS,
    **CUSTOMER_EFFECTS,
    **INVENTORY_EFFECTS,
    **MEDIA_EFFECTS,
    **BULK_EFFECTS,
}

__all__ = ["EFFECTS", "Effect", "UserErrors"]
