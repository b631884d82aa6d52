"""Which desired entity is which entity we manage, and which Shopify object we adopt. Pure.

Every resource plans the same way: an entity we manage is known by its *identities* (a product by the SKUs it
holds, a location by its warehouse code, a customer by its customer code), never by a title or a handle. So a
desired entity is matched to the managed entity that shares most identities with it; one that matches none
may adopt an object already in Shopify that we do not manage (by the resource's adoption keys); the rest are
created; managed entities that no desired entity claimed have left the source.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Desired = TypeVar("Desired")


@dataclass(frozen=True)
class Managed:
    """An entity we manage, as the projected mirror and the Shopify read see it."""

    key: str
    identities: frozenset[str]
    live: bool  # in Shopify (or its create queued) and not archived / deactivated


@dataclass(frozen=True)
class Foreign:
    """An object in Shopify that we do not manage, with the keys adoption matches on."""

    shopify_id: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Match(Generic[Desired]):
    desired: Desired
    managed: Managed | None
    adopted: Foreign | None


@dataclass(frozen=True)
class Matching(Generic[Desired]):
    matches: list[Match[Desired]]
    unclaimed: list[Managed]


def match_entities(
    desired: Sequence[Desired],
    *,
    key_of: Callable[[Desired], str],
    identities_of: Callable[[Desired], frozenset[str]],
    adoption_keys_of: Callable[[Desired], frozenset[str]],
    managed: Sequence[Managed],
    foreign: Sequence[Foreign],
) -> Matching[Desired]:
    """Pair every desired entity with a managed one (most shared identities first; then a live one, then one
    with the same key), else with a foreign object to adopt (most shared adoption keys), else with nothing."""
    holders: dict[str, list[Managed]] = defaultdict(list)
    for entity in managed:
        for identity in entity.identities:
            holders[identity].append(entity)
    candidates: list[tuple[tuple[int, int, int, str, str], int, Managed]] = []
    for index, wanted in enumerate(desired):
        shared: dict[str, int] = defaultdict(int)
        by_key: dict[str, Managed] = {}
        for identity in identities_of(wanted):
            for entity in holders.get(identity, ()):
                shared[entity.key] += 1
                by_key[entity.key] = entity
        for key, count in shared.items():
            entity = by_key[key]
            rank = (-count, 0 if entity.live else 1, 0 if key == key_of(wanted) else 1, key, key_of(wanted))
            candidates.append((rank, index, entity))
    candidates.sort(key=lambda item: item[0])
    chosen: dict[int, Managed] = {}
    claimed: set[str] = set()
    for _rank, index, entity in candidates:
        if index in chosen or entity.key in claimed:
            continue
        chosen[index] = entity
        claimed.add(entity.key)

    adopted = _adopt(
        [(index, adoption_keys_of(wanted)) for index, wanted in enumerate(desired) if index not in chosen], foreign
    )
    matches = [Match(wanted, chosen.get(index), adopted.get(index)) for index, wanted in enumerate(desired)]
    return Matching(matches, [entity for entity in managed if entity.key not in claimed])


def _adopt(wanting: list[tuple[int, frozenset[str]]], foreign: Sequence[Foreign]) -> dict[int, Foreign]:
    holders: dict[str, list[Foreign]] = defaultdict(list)
    for item in foreign:
        for key in item.keys:
            holders[key].append(item)
    candidates: list[tuple[int, str, int, Foreign]] = []
    for index, keys in wanting:
        shared: dict[str, int] = defaultdict(int)
        by_id: dict[str, Foreign] = {}
        for key in keys:
            for item in holders.get(key, ()):
                shared[item.shopify_id] += 1
                by_id[item.shopify_id] = item
        candidates += [(-count, shopify_id, index, by_id[shopify_id]) for shopify_id, count in shared.items()]
    candidates.sort(key=lambda item: (item[0], item[1], item[2]))
    adopted: dict[int, Foreign] = {}
    taken: set[str] = set()
    for _count, shopify_id, index, item in candidates:
        if index in adopted or shopify_id in taken:
            continue
        adopted[index] = item
        taken.add(shopify_id)
    return adopted


def unique_key(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted#2`, `#3`, … while another entity holds it: a new entity never takes the key (and
    so the mirror row) of one we already manage, even when that one was renamed away from it."""
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}#{number}"
    taken.add(candidate)
    return candidate
