"""The committed OpenAPI document (backend/openapi.json): `python -m app.api.openapi_document` rewrites it.

Other parts of the project read it without running the app (the Helm chart's render tests take
the probe paths from it); a test fails when it no longer matches the code.
"""

import json
from pathlib import Path

from app.core.config import Settings
from app.main import create_app

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "openapi.json"


def render_openapi_document() -> str:
    # Defaults only, so the document never depends on who generated it.
    settings = Settings(_env_file=None, APP_VERSION=Settings.model_fields["APP_VERSION"].default)  # type: ignore[call-arg]
    return json.dumps(create_app(settings).openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    DOCUMENT_PATH.write_text(render_openapi_document())
    print(f"wrote {DOCUMENT_PATH}")
