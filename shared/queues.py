"""arq queue names, exactly as the product brief names them."""

from enum import StrEnum


class Queue(StrEnum):
    PRODUCTS = "product-mutations"
    LOCATIONS = "location-mutations"
    CUSTOMERS = "customer-mutations"
    INVENTORY = "inventory-mutations"
    MEDIA = "media-mutations"


ALL_QUEUES: tuple[Queue, ...] = tuple(Queue)
