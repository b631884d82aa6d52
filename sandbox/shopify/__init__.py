"""Emulated Shopify Admin GraphQL API: real schema validation, cost, leaky bucket, an in-memory catalogue."""
