"""A TCP proxy on loopback, in a thread of its own, that a test can cut and restore: a network outage
between the services and a server (PostgreSQL here) without touching the server itself."""

import asyncio
import contextlib
import threading
from urllib.parse import parse_qs, urlsplit, urlunsplit

from devtools.infra import free_loopback_port


class TcpProxy:
    def __init__(self, target_dsn: str) -> None:
        """Proxies to the server of a postgresql:// DSN (TCP host:port, or `?host=/socket/dir`)."""
        parts = urlsplit(target_dsn)
        socket_dir = parse_qs(parts.query).get("host", [""])[0]
        port = parts.port or int(parse_qs(parts.query).get("port", ["5432"])[0])
        self._unix_path = f"{socket_dir}/.s.PGSQL.{port}" if socket_dir.startswith("/") else None
        self._target = (parts.hostname or "127.0.0.1", port)
        self._dsn_parts = parts
        self.port = free_loopback_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def dsn(self) -> str:
        """The target DSN, reached through the proxy."""
        user = self._dsn_parts.username or "postgres"
        return urlunsplit(("postgresql", f"{user}@127.0.0.1:{self.port}", self._dsn_parts.path, "", ""))

    def _run(self, coroutine: "asyncio.Future[None] | asyncio.Task[None] | object") -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(10)  # type: ignore[arg-type]

    def start(self) -> None:
        self._run(self._start())

    def cut(self) -> None:
        """Refuse new connections and drop every open one."""
        self._run(self._cut())

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()
        self._writers.clear()

    async def _serve(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            if self._unix_path:
                server_reader, server_writer = await asyncio.open_unix_connection(self._unix_path)
            else:
                server_reader, server_writer = await asyncio.open_connection(*self._target)
        except OSError:
            client_writer.close()
            return
        self._writers.update({client_writer, server_writer})
        await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
