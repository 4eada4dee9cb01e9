"""A throwaway PostgreSQL server on a free loopback port, started from the Debian server binaries."""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.utils.network import free_loopback_port

DEBIAN_BIN_DIRS = "/usr/lib/postgresql/*/bin"
DATABASE_NAME = "todo_test"
SUPERUSER = "postgres"


def find_bin_dir() -> Path | None:
    """PG_BIN_DIR if set, else pg_ctl on PATH, else the newest Debian install."""
    if os.environ.get("PG_BIN_DIR"):
        return Path(os.environ["PG_BIN_DIR"])
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).resolve().parent
    installed = sorted(Path("/").glob(DEBIAN_BIN_DIRS.lstrip("/")), key=lambda path: int(path.parent.name))
    return installed[-1] if installed else None


class PostgresServer:
    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_loopback_port()
        self.root = Path(tempfile.mkdtemp(prefix="todo-test-postgres-"))
        self.data_dir = self.root / "data"
        # PostgreSQL refuses to run as root; under root the server runs as the `postgres` account.
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self.uses_tls = shutil.which("openssl") is not None

    @property
    def url(self) -> str:
        # sslmode=require as in production (Neon), when this machine can make a certificate.
        sslmode = "require" if self.uses_tls else "disable"
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE_NAME}?sslmode={sslmode}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        if self.run_as:
            account = pwd.getpwnam(self.run_as)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        self._options = [
            "-c listen_addresses=127.0.0.1",
            f"-c port={self.port}",
            "-c unix_socket_directories=''",
            # Durability is pointless for a test database; skipping it makes the suite faster.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        ]
        if self.uses_tls:
            self._run(
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-keyout", str(self.data_dir / "server.key"), "-out", str(self.data_dir / "server.crt"),
            )  # fmt: skip
            self._options.append("-c ssl=on")
        self._start_server()
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {DATABASE_NAME}")

    def _start_server(self) -> None:
        self._run(
            str(self.bin_dir / "pg_ctl"), "start", "-D", str(self.data_dir), "-l", str(self.data_dir / "server.log"),
            "-w", "-t", "60", "-o", " ".join(self._options),
        )  # fmt: skip

    def pause(self) -> None:
        """Stop the server as an outage would: every connection is cut. `resume` starts it again."""
        self._run(str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w")

    def resume(self) -> None:
        self._start_server()

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
