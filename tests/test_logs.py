"""Log lines are JSON and carry no secret, whatever key or text it hides in."""

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from shared.logs import configure_logging, get_logger, redact_text


@pytest.fixture
def json_logging() -> Iterator[None]:
    """configure_logging as a service does; the test's stdout capture is undone afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    configure_logging("tests")
    yield
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    structlog.reset_defaults()


@pytest.mark.usefixtures("json_logging")
def test_secrets_never_reach_a_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    structlog.contextvars.bind_contextvars(sync_id="s-1")
    get_logger("t").info(
        "calling shop",
        shopify_access_token="shpat_secret_1",
        headers={"X-Shopify-Access-Token": "shpat_secret_2", "Accept": "application/json"},
        detail="retry with api_key=abc123secret and postgresql://app:pw-secret@db/x",
    )
    logging.getLogger("arq.worker").warning("job failed: access_token=shpat_secret_3")
    structlog.contextvars.clear_contextvars()
    output = capsys.readouterr().out
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines[0]["message"] == "calling shop" and lines[0]["sync_id"] == "s-1"
    assert lines[0]["headers"]["Accept"] == "application/json"
    for secret in ("shpat_secret_1", "shpat_secret_2", "shpat_secret_3", "abc123secret", "pw-secret"):
        assert secret not in output


def test_redact_text_keeps_what_is_not_secret() -> None:
    assert redact_text("sku=ABC-1 price=10") == "sku=ABC-1 price=10"
    assert "s3cr3t" not in redact_text('{"api_key": "s3cr3t"}')
