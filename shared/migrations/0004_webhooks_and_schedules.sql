-- Shopify webhooks in: every delivery recorded once (by X-Shopify-Webhook-Id) before it is answered, then
-- processed by any producer (claimed under a lease, so a producer that dies leaves nothing unprocessed).
CREATE TABLE webhook_deliveries (
    webhook_id    text PRIMARY KEY,
    domain        text NOT NULL,
    shop          text NOT NULL,
    topic         text NOT NULL,
    triggered_at  timestamptz,
    payload       jsonb NOT NULL,
    -- received → processing → processed (nothing to do, or a repair queued) | failed
    state         text NOT NULL DEFAULT 'received'
                  CHECK (state IN ('received', 'processing', 'processed', 'failed')),
    outcome       text,
    repair_sync_id text,
    attempts      integer NOT NULL DEFAULT 0,
    lease_until   timestamptz,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz
);
CREATE INDEX webhook_deliveries_open ON webhook_deliveries (received_at) WHERE state IN ('received', 'processing');
CREATE INDEX webhook_deliveries_domain ON webhook_deliveries (domain, received_at DESC);

-- Finding what a webhook is about: the mirror row of a Shopify id.
CREATE INDEX shopify_mirror_by_shopify_id ON shopify_mirror (domain, shopify_id);

-- Scheduled syncs: one row per tenant and due time; the producer that inserts it starts the sync, so several
-- producers never start the same scheduled sync twice.
CREATE TABLE scheduled_runs (
    domain      text NOT NULL,
    due_at      timestamptz NOT NULL,
    sync_id     text,  -- NULL: skipped (a sync of the tenant was running), see outcome
    outcome     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, due_at)
);

-- One sync per tenant at a time (a drift repair is not a sync the merchant started, and does not count).
UPDATE syncs SET state = 'failed', finished_at = now()
WHERE state NOT IN ('completed', 'failed') AND sync_id IN (
    SELECT sync_id FROM (
        SELECT sync_id, row_number() OVER (PARTITION BY domain ORDER BY created_at DESC) AS newest
        FROM syncs WHERE state NOT IN ('completed', 'failed')) AS open_syncs
    WHERE newest > 1);
CREATE UNIQUE INDEX syncs_one_open_per_domain ON syncs (domain)
    WHERE state NOT IN ('completed', 'failed') AND kind <> 'repair';
