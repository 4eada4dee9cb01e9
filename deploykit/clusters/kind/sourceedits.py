"""Edits to text taken from another project's source (kind's manifests, kube-network-policies'
controller): each old text must occur exactly once, so an upstream change stops the build with
the line it no longer finds instead of leaving an edit half applied."""


def edit_exactly_once(text: str, edits: tuple[tuple[str, str], ...], source: str) -> str:
    for old, new in edits:
        if text.count(old) != 1:
            raise RuntimeError(f"{source} changed shape: no single {old.strip()!r}; its edit needs a new look")
        text = text.replace(old, new)
    return text
