"""Shopify's own download of each new media's `originalSource`, in the background, after the mutation answered.

A media starts `UPLOADED`; when its download starts it is `PROCESSING`; it becomes `READY` when the URL
answered 200 with an `image/*` content type and at most 20 MB (Shopify's image size limit), `FAILED`
otherwise, with a `MediaError`: `IMAGE_DOWNLOAD_FAILURE` (no answer in time, a connection error, a status
other than 200), `UNSUPPORTED_IMAGE_FILE_TYPE` (not an image content type) or `INVALID_IMAGE_FILE_SIZE`.
Redirects are followed. The timeout is `SANDBOX_MEDIA_FETCH_TIMEOUT` (10 s by default); Shopify's own is
not documented.
"""

import asyncio

import aiohttp

from sandbox.shopify.media_library import MediaLibrary, MediaProblem

DEFAULT_TIMEOUT_SECONDS = 10.0
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024


def _download_failure(details: str) -> MediaProblem:
    return MediaProblem(
        "IMAGE_DOWNLOAD_FAILURE", "Media could not be processed because the image could not be downloaded.", details
    )


class MediaFetcher:
    """One per sandbox: downloads pending media sources with one client session; `close()` on shutdown."""

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, library: MediaLibrary) -> None:
        """Start downloading every source the library has waiting; returns at once."""
        for number, version in library.take_pending():
            task = asyncio.get_running_loop().create_task(self._process(library, number, version))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _process(self, library: MediaLibrary, number: int, version: int) -> None:
        file = library.current(number, version)
        if file is None:
            return
        library.start_processing(file)
        mime_type, size, problem = await self._download(file.original_source)
        file = library.current(number, version)  # a newer source may have replaced this one meanwhile
        if file is not None:
            library.finish(file, mime_type, size, problem)

    async def _download(self, url: str) -> tuple[str | None, int | None, MediaProblem | None]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.get(url) as response:
                if response.status != 200:
                    return None, None, _download_failure(f"The source answered HTTP {response.status}")
                mime_type = response.content_type
                if not mime_type.startswith("image/"):
                    message = "Media could not be created because the image is an unsupported file type."
                    return mime_type, None, MediaProblem("UNSUPPORTED_IMAGE_FILE_TYPE", message, mime_type)
                size = 0
                async for chunk in response.content.iter_chunked(_CHUNK):
                    size += len(chunk)
                    if size > MAX_IMAGE_BYTES:
                        message = "Media could not be created because the image size is too large."
                        return mime_type, None, MediaProblem("INVALID_IMAGE_FILE_SIZE", message, None)
                return mime_type, size, None
        except TimeoutError:
            return None, None, _download_failure("The source did not answer in time")
        except (aiohttp.ClientError, ValueError) as error:
            return None, None, _download_failure(str(error) or type(error).__name__)

    async def close(self) -> None:
        """Cancel downloads still running and close the client session."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
