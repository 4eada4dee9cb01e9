"""Traefik, the edge's Gateway API controller, compiled from its v3 module through the Go module
proxy and cached under ~/.cache/todo-list-hackathon/traefik/, keyed by version, Go version and
this build's changes. Three changes are needed because the proxy does not serve everything
Traefik's go.mod names; each is the smallest that builds, and none touches routing:

- its nested module github.com/traefik/traefik/dynamic/ext is not in the module's zip: traefikext/
  stands in for it (two empty extension structs);
- the fork of go-http-auth it pins (2026) is refused: the fork's 2020 version, which is served and
  has the same API, backs the basicAuth and digestAuth middlewares instead (the edge uses neither);
- lego's DNS-01 providers need SDKs the proxy refuses: the ACME provider's DNS challenge answers
  that it is not in this build (HTTP-01 and TLS-ALPN-01 remain).
"""

import hashlib
import os
import shutil
import time
from pathlib import Path

from deploykit.foundation.errors import ImageBuildError
from deploykit.foundation.log import logger
from deploykit.foundation.paths import cache_dir
from deploykit.foundation.run import run
from deploykit.tools import golang

MODULE = "github.com/traefik/traefik/v3"
VERSION = "v3.7.13"
EXT_STAND_IN = Path(__file__).resolve().parent / "traefikext"
HTTP_AUTH = ("github.com/abbot/go-http-auth", "github.com/containous/go-http-auth@v0.4.1-0.20200324110947-a37a7636d23e")
ACME_PROVIDER = "pkg/provider/acme/provider.go"
DNS_IMPORT = '\t"github.com/go-acme/lego/v5/providers/dns"\n'
DNS_CALL = "provider, err = dns.NewDNSChallengeProviderByName(p.DNSChallenge.Provider)"
DNS_REFUSAL = ('provider, err = nil, fmt.Errorf("DNS challenge provider %q: DNS-01 providers are not in '
               'this build", p.DNSChallenge.Provider)')
WHY = f"the edge's controller (Traefik {VERSION})"


def _env() -> dict:
    return {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-modcacherw -mod=mod", "CGO_ENABLED": "0"}


def _recipe_digest() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(EXT_STAND_IN.iterdir()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _prepare(source: Path) -> None:
    """Traefik's module source in source, writable, with the three changes of the docstring."""
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(golang.module_dir(MODULE, VERSION, WHY), source)
    for path in (source, *source.rglob("*")):
        path.chmod(path.stat().st_mode | 0o200)
    shutil.copytree(EXT_STAND_IN, source / "pkg" / "config" / "dynamic" / "ext", dirs_exist_ok=True)
    old, new = HTTP_AUTH
    run([golang.go(WHY), "mod", "edit", f"-replace={old}={new}"], cwd=source, env=_env())
    provider = source / ACME_PROVIDER
    text = provider.read_text()
    if DNS_IMPORT not in text or DNS_CALL not in text:
        raise ImageBuildError(f"{ACME_PROVIDER} of Traefik {VERSION} no longer reads as this build expects")
    provider.write_text(text.replace(DNS_IMPORT, "", 1).replace(DNS_CALL, DNS_REFUSAL, 1))


def traefik_binary() -> Path:
    """The traefik binary, built once per key (cold: several minutes on 2 cores)."""
    go = golang.go(WHY)
    directory = cache_dir("traefik", f"{VERSION}-{golang.version(go)}-{_recipe_digest()}")
    binary = directory / "traefik"
    if binary.exists():
        return binary
    logger.info(f"compiling Traefik {VERSION} from its module (cold: several minutes; cached after) ...")
    started = time.monotonic()
    source = directory / "source"
    _prepare(source)
    partial = binary.with_suffix(".part")
    run([go, "build", "-trimpath", "-ldflags", f"-s -w -X github.com/traefik/traefik/v3/pkg/version.Version={VERSION}",
         "-o", partial, "./cmd/traefik"], cwd=source, env=_env(), timeout=3600)
    partial.rename(binary)
    shutil.rmtree(source)
    logger.info(f"Traefik {VERSION} built in {time.monotonic() - started:.0f} s -> {binary}")
    return binary
