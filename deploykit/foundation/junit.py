"""JUnit XML, the results format CI systems read: written for the checks that have no JUnit output
of their own (the lint layer's tools, one record each), and read back, whoever wrote it (pytest,
Vitest, the lint runner), for the run's summary."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

OUTCOMES = ("passed", "failed", "skipped")


@dataclass(frozen=True)
class Case:
    name: str
    classname: str = ""
    outcome: str = "passed"  # one of OUTCOMES; a JUnit <error> counts as failed
    message: str = ""  # the failure's or skip's first line
    seconds: float = 0.0
    output: str = ""  # a failure's detail (the tool's output)

    @property
    def id(self) -> str:
        return f"{self.classname}::{self.name}" if self.classname else self.name


def write(path: Path, suite: str, cases: list[Case]) -> Path:
    """One <testsuite> named suite, with a <testcase> per case."""
    counts = {outcome: sum(c.outcome == outcome for c in cases) for outcome in OUTCOMES}
    root = ET.Element("testsuites")
    element = ET.SubElement(root, "testsuite", name=suite, tests=str(len(cases)), failures=str(counts["failed"]),
                            errors="0", skipped=str(counts["skipped"]),
                            time=f"{sum(c.seconds for c in cases):.3f}")
    for case in cases:
        testcase = ET.SubElement(element, "testcase", name=case.name, classname=case.classname or suite,
                                 time=f"{case.seconds:.3f}")
        if case.outcome == "failed":
            ET.SubElement(testcase, "failure", message=case.message).text = case.output or case.message
        elif case.outcome == "skipped":
            ET.SubElement(testcase, "skipped", message=case.message)
        if case.output and case.outcome != "failed":
            ET.SubElement(testcase, "system-out").text = case.output
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _first_line(text: str | None) -> str:
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), "")


def read(path: Path) -> list[Case]:
    """Every <testcase> of a JUnit file (a <testsuites> of suites, or one <testsuite>, nested or not)."""
    cases = []
    for testcase in ET.parse(path).getroot().iter("testcase"):
        outcome, message = "passed", ""
        for child in testcase:
            if child.tag in ("failure", "error"):
                outcome, message = "failed", _first_line(child.get("message")) or _first_line(child.text)
                break
            if child.tag == "skipped":
                outcome, message = "skipped", _first_line(child.get("message")) or _first_line(child.text)
        cases.append(Case(testcase.get("name", ""), testcase.get("classname", ""), outcome, message,
                          float(testcase.get("time") or 0)))
    return cases
