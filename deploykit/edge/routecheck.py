"""What a person outside the cluster would find wrong with the app's route, asked through the
edge: the page at / and at a path below it (an Exact match on / serves / alone), both the
frontend's HTML, and the API behind the frontend's /api/ proxy. A route to the wrong Service
answers / with that Service's reply (the backend's JSON 404), which is named here with the route."""

import requests

from deploykit.edge.client import EdgeAddress
from deploykit.foundation.findings import Finding

PAGES = ("/", "/signup")  # the sign-up page is a path below /, served by the frontend
API = "/api/health"
TIMEOUT_S = 10


def _answer(session: requests.Session, url: str) -> tuple[int, str, str]:
    try:
        response = session.get(url, timeout=TIMEOUT_S)
    except requests.RequestException as error:
        return 0, "", f"{type(error).__name__}: {str(error)[:160]}"
    return response.status_code, response.headers.get("content-type", ""), response.text[:120]


def route_findings(address: EdgeAddress, route: str) -> list[Finding]:
    subject, found = f"HTTPRoute {route}", []
    with address.session() as session:
        for path in PAGES:
            status, kind, body = _answer(session, address.base_url.rstrip("/") + path)
            if status != 200 or not kind.startswith("text/html"):
                found.append(Finding(subject, path, f"https://{address.hostname}{path} through the edge answered "
                                     f"{status} {kind or '(no content type)'} {body!r}, not the frontend's page"))
        status, kind, body = _answer(session, address.base_url.rstrip("/") + API)
        if status != 200 or not kind.startswith("application/json"):
            found.append(Finding(subject, API, f"https://{address.hostname}{API} through the edge answered "
                                 f"{status} {kind or '(no content type)'} {body!r}, not the backend's readiness "
                                 "through the frontend's proxy"))
    return found
