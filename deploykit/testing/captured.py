"""Pods and events as a real cluster (Kubernetes 1.34) returned them, cut down to the fields
deploykit's diagnose rules read, and the builders that make more of them: the tests of
diagnose.podcauses and diagnose.report read the same captures."""


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
