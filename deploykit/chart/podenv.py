"""The environment a rendered container starts with, as far as the rendering fixes it: what the
apps' own readers (settings, entrypoint scripts) will find there."""

from deploykit.chart.manifests import Rendering


def environment(rendering: Rendering, container: dict) -> dict[str, str]:
    """Values the rendering fixes: its ConfigMaps the container takes through envFrom, then env
    values, which win. Values from Secrets (unknown until install) are left out."""
    found: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        name = (source.get("configMapRef") or {}).get("name")
        for config_map in rendering.select("ConfigMap", name=name) if name else []:
            prefix = source.get("prefix", "")
            found |= {prefix + key: str(value) for key, value in (config_map.body.get("data") or {}).items()}
    for entry in container.get("env") or []:
        if "value" in entry:
            found[entry["name"]] = str(entry["value"])
    return found


def names(rendering: Rendering, container: dict) -> set[str]:
    """Every variable the container is given, Secret-sourced ones included."""
    return set(environment(rendering, container)) | {entry["name"] for entry in container.get("env") or []}
