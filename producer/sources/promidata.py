"""Promidata feed client: the `Import.txt` index and the family JSON files it lists.

`Import.txt` is plain text: a first line naming the category file, then one `<family JSON URL>|<hash>` line per
family. Every URL is tenant-supplied, so each one is checked (`sources.urls`) before it is fetched. A family is
fetched with bounded retries that honour Retry-After, a timeout, and a size cap; whatever goes wrong with one
family is that family's error (`FamilyFetchFailed`), never the feed's.
"""

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp

from producer.sources.retry import backoff_delay, retry_after_seconds
from producer.sources.urls import UnsafeUrl, check_scheme, check_url
from shared.logs import get_logger

log = get_logger(__name__)


class PromidataError(Exception):
    """The feed itself (Import.txt) could not be read; the message is safe to show a merchant."""


class FamilyFetchFailed(Exception):
    """One family file could not be fetched or parsed; the message says why."""


@dataclass(frozen=True)
class FeedLine:
    """One family listed in Import.txt: its JSON URL, its change token and its SKU (the file's name)."""

    url: str
    hash: str
    sku: str


@dataclass(frozen=True)
class FeedProblem:
    reference: str
    reason: str


@dataclass(frozen=True)
class FeedIndex:
    lines: list[FeedLine]
    problems: list[FeedProblem]


def parse_import_txt(text: str) -> FeedIndex:
    """The families an Import.txt lists, and the lines it could not use (with why). The category file line (the
    first, or any line naming a `.csv`) is not a family."""
    lines: list[FeedLine] = []
    problems: list[FeedProblem] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        url, _, token = (part.strip() for part in line.partition("|"))
        reference = f"Import.txt line {number}"
        if urlsplit(url).path.lower().endswith(".csv"):
            continue
        try:
            check_scheme(url)
        except UnsafeUrl as exc:
            problems.append(FeedProblem(reference, str(exc)))
            continue
        if not token:
            problems.append(FeedProblem(reference, f"{url} has no hash; the family is skipped"))
            continue
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        sku = name.removesuffix(".json").strip()
        if not name.lower().endswith(".json") or not sku:
            problems.append(FeedProblem(reference, f"{url} does not name a family JSON file"))
            continue
        if sku in seen:
            problems.append(FeedProblem(reference, f"family {sku!r} is listed twice; the first line is used"))
            continue
        seen.add(sku)
        lines.append(FeedLine(url=url, hash=token.upper(), sku=sku))
    return FeedIndex(lines, problems)


class PromidataClient:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        allowed_private_hosts: frozenset[str],
        max_bytes: int,
        timeout_seconds: float,
        max_attempts: int,
        backoff_seconds: float = 0.5,
    ) -> None:
        self._session = session
        self._allowed_hosts = allowed_private_hosts
        self._max_bytes = max_bytes
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds

    async def fetch_index(self, url: str) -> FeedIndex:
        try:
            await check_url(url, allowed_hosts=self._allowed_hosts)
            body = await self._get(url)
        except (UnsafeUrl, FamilyFetchFailed) as exc:
            raise PromidataError(f"Promidata Import.txt could not be read: {exc}") from None
        return parse_import_txt(body.decode("utf-8", errors="replace"))

    async def fetch_family(self, line: FeedLine) -> dict[str, Any]:
        """The family's JSON object. FamilyFetchFailed with the reason otherwise."""
        try:
            await check_url(line.url, allowed_hosts=self._allowed_hosts)
        except UnsafeUrl as exc:
            raise FamilyFetchFailed(str(exc)) from None
        body = await self._get(line.url)
        try:
            document = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FamilyFetchFailed(f"the family file is not valid JSON ({exc})") from None
        if not isinstance(document, dict):
            raise FamilyFetchFailed("the family file is not a JSON object")
        return document

    async def _get(self, url: str) -> bytes:
        """The body, after retries on 429, 5xx, timeouts and dropped connections (Retry-After honoured)."""
        reason = ""
        for attempt in range(1, self._max_attempts + 1):
            retry_after: float | None = None
            try:
                async with self._session.get(url, timeout=self._timeout, allow_redirects=False) as response:
                    if response.status == 200:
                        return await self._read_capped(response)
                    if response.status != 429 and response.status < 500:
                        raise FamilyFetchFailed(f"{url} answered HTTP {response.status}")
                    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                    reason = f"HTTP {response.status}"
            except (aiohttp.ClientError, TimeoutError) as exc:
                reason = type(exc).__name__ if not str(exc) else f"{type(exc).__name__}: {exc}"
            if attempt < self._max_attempts:
                waited = retry_after if retry_after is not None else backoff_delay(self._backoff_seconds, attempt)
                delay = min(waited, 60.0)
                log.info("promidata retry", url=url, reason=reason, delay=round(delay, 2))
                await asyncio.sleep(delay)
        raise FamilyFetchFailed(f"{url} failed after {self._max_attempts} attempts ({reason})")

    async def _read_capped(self, response: aiohttp.ClientResponse) -> bytes:
        declared = response.content_length
        if declared is not None and declared > self._max_bytes:
            raise FamilyFetchFailed(f"the file is {declared} bytes, over the {self._max_bytes}-byte limit")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > self._max_bytes:
                raise FamilyFetchFailed(f"the file is over the {self._max_bytes}-byte limit")
            chunks.append(chunk)
        return b"".join(chunks)
