"""MCP server for Kubernetes operations on one release of the chart, over stdio, with the official
MCP SDK: any MCP-capable assistant can read the deployment's state and, when allowed, act on it.

    python -m deploykit.ops.opsmcp --namespace todo --release todo [--allow-writes] [--cluster local]

Read-only by default: release_status, recent_events, pod_logs, rollout_history, diagnose. The
write tools (rollout_restart, rollback, scale) are registered only with --allow-writes; without it
they are not listed, and a client that calls one anyway is told how the server was started.
"""

import argparse
import sys
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from deploykit import clusters
from deploykit.foundation import constants, log
from deploykit.foundation.errors import ChartError, DeploykitError
from deploykit.ops.releaseops import READ_TOOLS, WRITE_TOOLS, ReleaseOps
from deploykit.release.helmrelease import Release
from deploykit.tools.helm import Helm

SERVER_NAME = "todo-release-ops"
READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=True, open_world_hint=False)


class ReleaseOpsServer(MCPServer):
    def __init__(self, ops: ReleaseOps, *, allow_writes: bool):
        where = f"Helm release {ops.release.name} in namespace {ops.release.namespace}"
        super().__init__(
            SERVER_NAME,
            instructions=f"Operate the Todo Chatbot's {where}: start with release_status or diagnose. "
                         + ("Write tools are enabled." if allow_writes else "This server is read-only."),
        )
        self.allow_writes = allow_writes
        for name in READ_TOOLS:
            self.add_tool(getattr(ops, name), name=name, annotations=READ_ONLY)
        for name in WRITE_TOOLS if allow_writes else ():
            self.add_tool(getattr(ops, name), name=name, annotations=WRITE)

    async def call_tool(self, name: str, arguments: dict[str, Any], context=None):
        """Refuse a write tool by name when writes are off (rather than "Unknown tool"), and report
        deploykit's own errors as the tool's answer, in their one-line form."""
        if name in WRITE_TOOLS and not self.allow_writes:
            raise ToolError(f"{name} changes the release, and this server is read-only: "
                            "restart it with --allow-writes to enable rollout_restart, rollback and scale")
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as error:
            if isinstance(error.__cause__, DeploykitError):
                raise ToolError(str(error.__cause__)) from None
            raise


def build(args: argparse.Namespace) -> ReleaseOpsServer:
    cluster = clusters.choose(args.cluster)
    helm = Helm(kubeconfig=cluster.kubeconfig, kube_context=cluster.context)
    release = Release(cluster, helm, args.release, args.namespace, values=[])
    try:
        helm.history(args.release, namespace=args.namespace)
    except ChartError as error:
        said = str(error).strip().splitlines()[-1]  # helm's own reason: not found, cluster unreachable...
        raise DeploykitError(f"cannot read release {args.release} in namespace {args.namespace}: {said}") from None
    return ReleaseOpsServer(ReleaseOps(release), allow_writes=args.allow_writes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploykit.ops.opsmcp", description=__doc__.split("\n\n")[0])
    parser.add_argument("--namespace", default=constants.NAMESPACE, help="Namespace of the release (default: todo)")
    parser.add_argument("--release", default=constants.RELEASE, help="Helm release to operate (default: todo)")
    parser.add_argument("--cluster", default=None,
                        help="existing, kind or minikube (default: $CLUSTER, else detected)")
    parser.add_argument("--allow-writes", action="store_true",
                        help="Register the write tools: rollout_restart, rollback, scale")
    args = parser.parse_args(argv)
    log.attach()  # stderr: stdout is the MCP channel
    try:
        server = build(args)
    except DeploykitError as error:
        # stdout is the MCP channel: a configuration error goes to stderr, one line.
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    server.run("stdio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
