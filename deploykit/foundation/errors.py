"""Named errors raised by deploykit. Each message is one line that says what to do.

Only fixtures and assert helpers turn these into pytest failures or skips.
"""


class DeploykitError(RuntimeError):
    """Base class: a prerequisite or an operation failed in a way the user can fix."""


class ToolMissing(DeploykitError):
    """A command-line tool is neither on PATH nor obtainable here."""


class ToolVersionMismatch(DeploykitError):
    """A tool was found but its version is outside the supported range."""


class ChecksumMismatch(DeploykitError):
    """A downloaded or extracted file does not match the checksum recorded in the repo."""


class CommandFailed(DeploykitError):
    """An external command exited non-zero."""

    def __init__(self, argv, returncode, stdout="", stderr=""):
        self.argv, self.returncode, self.stdout, self.stderr = argv, returncode, stdout, stderr
        last = (stderr or stdout).strip().splitlines()[-1:] or [""]
        super().__init__(f"`{' '.join(map(str, argv))}` exited {returncode}: {last[0]}")


class EngineUnavailable(DeploykitError):
    """No Docker engine answers and none can be started here."""


class ImageBuildError(DeploykitError):
    """An image (a base or a project image) failed to build."""


class ChartError(DeploykitError):
    """The chart could not be rendered, linted or installed with the given values."""


class ClusterUnavailable(DeploykitError):
    """No Kubernetes cluster is reachable and the chosen provider cannot start one."""


class ContainerFailed(DeploykitError):
    """A container exited, never became healthy, or could not be reached; the message carries
    its last log lines."""


class JourneyFailed(DeploykitError):
    """A step of the end-to-end browser journey failed; the message names the step, the page
    and a screenshot."""


class ClusterOperationFailed(DeploykitError):
    """Something done on the cluster (a rollout, an eviction, the load generator, a port-forward)
    did not complete; the message names it and says what was seen."""


class AiHelperUnavailable(DeploykitError):
    """An optional AI helper (kubectl-ai, kagent) is not installed or not configured; the message
    is one line, and the caller goes on with the manual procedure."""
