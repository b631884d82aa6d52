"""Shopify webhooks: received and recorded once (`receive`), processed by any producer (`processor`) into drift
repairs (`repair`), listed and replayed through the API, and subscribed to (`subscribe`)."""
