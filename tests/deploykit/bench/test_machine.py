"""What the bench says about the bases it ran on: official, a faithful stand-in, or an equivalent
whose online sizes are estimates."""

from deploykit.bench import machine


def test_the_bases_are_reported_as_official_faithful_or_equivalent(monkeypatch):
    chosen = {"python": "gcr.io/distroless/python3-debian13:nonroot"}
    monkeypatch.setattr(machine.bases, "ensure_base", lambda client, base: chosen.get(base.role, base.local))
    used = machine.bases_used(client=object())
    assert used["python"] == {"image": "gcr.io/distroless/python3-debian13:nonroot", "kind": "official"}
    assert used["python-build"]["kind"] == "faithful air-gapped stand-in of debian:13-slim"
    assert used["nginx"]["kind"].startswith("air-gapped equivalent of nginxinc/nginx-unprivileged:1.29-alpine-slim")
    assert "online sizes are estimates" in used["nginx"]["kind"]
