"""deploykit.diagnose.report: the failing pods' causes at the top, then each container's previous
run and the failed probes; a healthy or empty release said so in one line."""

from deploykit.diagnose import report


def pod(name, containers, statuses, phase="Running", ready=False, conditions=()):
    return {
        "metadata": {"name": name},
        "spec": {"containers": containers},
        "status": {"phase": phase, "containerStatuses": statuses,
                   "conditions": [{"type": "Ready", "status": str(ready)}, *conditions]},
    }


def unhealthy_event(pod_name, container, message, count=1, last="2026-11-27T01:36:52Z"):
    return {"reason": "Unhealthy", "type": "Warning", "message": message, "count": count, "lastTimestamp": last,
            "involvedObject": {"kind": "Pod", "name": pod_name, "fieldPath": f"spec.containers{{{container}}}"}}


HTTP_PROBE = {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"}, "periodSeconds": 5}


BAD_TAG = pod(
    "broken-backend-74b85fbb85-hthjk",
    [{"name": "backend", "image": "todo-list-hackathon/backend:0.0.0-missing", "imagePullPolicy": "Never"}],
    [{"name": "backend", "ready": False, "started": False, "restartCount": 0, "lastState": {},
      "state": {"waiting": {"reason": "ErrImageNeverPull", "message": 'Container image "todo-list-hackathon/backend:'
                            '0.0.0-missing" is not present with pull policy of Never'}}}],
    phase="Pending")


NOT_READY = pod(
    "broken-frontend-54954c69fc-2g5t4",
    [{"name": "frontend", "readinessProbe": {**HTTP_PROBE, "httpGet": {"path": "/missing", "port": "http"}}}],
    [{"name": "frontend", "ready": False, "started": True, "restartCount": 0, "lastState": {},
      "state": {"running": {"startedAt": "2026-11-27T01:35:49Z"}}}])


NOT_READY_EVENTS = [unhealthy_event(NOT_READY["metadata"]["name"], "frontend",
                                    "Readiness probe failed: HTTP probe failed with statuscode: 404", count=15)]


CRASH_LOOP = pod(
    "crasher", [{"name": "app", "image": "localhost/todo-base/busybox:1.37"}],
    [{"name": "app", "ready": False, "started": False, "restartCount": 3,
      "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s restarting failed container=app"}},
      "lastState": {"terminated": {"exitCode": 3, "reason": "Error", "finishedAt": "2026-11-27T01:36:31Z"}}}])


HEALTHY = pod(
    "todo-backend-6f68989fc6-cflb8", [{"name": "backend", "readinessProbe": HTTP_PROBE}],
    [{"name": "backend", "ready": True, "started": True, "restartCount": 0, "lastState": {},
      "state": {"running": {"startedAt": "2026-11-27T01:03:59Z"}}}], ready=True)


def test_headline_counts_the_failing_pods_and_names_them():
    text = report.render("todo", "release todo", [HEALTHY, BAD_TAG], [])

    assert text.startswith(f"Diagnostics of release todo in namespace todo: 2 pod(s), 1 failing "
                           f"({BAD_TAG['metadata']['name']})")


def test_lists_each_named_cause_under_likely_causes():
    text = report.render("todo", "release todo", [BAD_TAG, NOT_READY], NOT_READY_EVENTS)
    causes = text.split("Likely causes\n")[1].split("\n\n")[0]

    assert "bad image tag" in causes
    assert "readiness probe failing: GET /missing" in causes


def test_shows_the_previous_run_of_a_restarted_container():
    text = report.render("todo", None, [CRASH_LOOP], [])

    assert "crasher [app]: waiting (CrashLoopBackOff); previous run ended 2026-11-27T01:36:31Z: Error, exit code 3; " \
           "3 restart(s)" in text


def test_lists_failed_probes_from_the_events():
    text = report.render("todo", None, [NOT_READY], NOT_READY_EVENTS)

    assert "Readiness probe failed 15x" in text.split("Failed probes")[1]


def test_says_every_pod_is_fine_when_none_fails():
    text = report.render("todo", "release todo", [HEALTHY], [])

    assert "Likely causes\n  - none: every pod is running and ready" in text
    assert "0 failing" in text


def test_says_when_the_release_has_no_pods():
    assert "no pods found" in report.render("todo", "release gone", [], [])

