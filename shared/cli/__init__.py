"""`commerce-sync`, the operator's command line: tenants in Redis, and syncs, queues and dead letters through the
producer's HTTP API (typer for the commands, rich for tables and progress bars). See `app.py`."""
