"""The host's extra certificate authorities, and the byte strings that betray one inside an image.

Debian keeps locally added CAs (a TLS-intercepting proxy's, a company's) as *.crt files under
/usr/local/share/ca-certificates. They are trusted on this host only, so none of them may reach an
image: not a file, not the image's CA store, not a `docker history` step, not the image config.
"""

import base64
import re
from dataclasses import dataclass
from pathlib import Path

EXTRA_CA_DIR = Path("/usr/local/share/ca-certificates")
# 64 base64 characters are the first PEM line and encode the first 48 DER bytes, which reach past
# the certificate's serial number: enough to tell one certificate from every other.
PEM_PREFIX = 64
DER_PREFIX = 48


def certificates(pem: bytes) -> set:
    """The base64 bodies of the certificates in a PEM bundle, whitespace removed."""
    bodies = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", pem, re.DOTALL)
    return {b"".join(body.split()) for body in bodies}


@dataclass(frozen=True)
class Marker:
    source: str  # the .crt file the certificate comes from
    pem: bytes  # how the certificate starts in a PEM file (and in any text)
    der: bytes  # how it starts in binary form (keystores, DER files)

    def found_in(self, data: bytes) -> bool:
        return self.pem in data or self.der in data


def extra_ca_markers(directory: Path = EXTRA_CA_DIR) -> list[Marker]:
    """One marker per certificate in the *.crt files under directory (none when it is absent)."""
    if not directory.is_dir():
        return []
    markers = []
    for crt in sorted(directory.rglob("*.crt")):
        for body in sorted(certificates(crt.read_bytes())):
            markers.append(Marker(str(crt), body[:PEM_PREFIX], base64.b64decode(body)[:DER_PREFIX]))
    return markers
