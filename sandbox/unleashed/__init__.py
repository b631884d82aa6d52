"""Emulated Unleashed API: signed GET listings of products, warehouses, customers and stock on hand."""
