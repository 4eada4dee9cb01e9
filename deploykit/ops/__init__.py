"""Day-two operations on a release: the optional AI helpers (kubectl-ai, kagent), their manual
fallbacks, the MCP server, manifest review and resource suggestions.
"""

__all__ = [
    "aiops",
    "aitools",
    "manifestreview",
    "opsmcp",
    "releaseops",
    "resourcefit",
    "transcript",
]
