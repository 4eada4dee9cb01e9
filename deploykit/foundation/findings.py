"""One finding type for every check deploykit runs, on a chart, an image or a Dockerfile.

A check is a function named `<what>_findings` that returns a list of findings; an empty list
passes. Findings are data, so a test asserts on them and `testing.asserts.assert_no_findings`
turns a non-empty list into one failure that lists them all.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    subject: str  # what was checked: "Deployment/backend", an image name, "backend/Dockerfile:12"
    where: str  # where in it, or which rule: a dotted field path, "user", "DL3002"
    problem: str  # what is wrong, with what was measured

    def __str__(self) -> str:
        return f"{self.subject} {self.where}: {self.problem}"
