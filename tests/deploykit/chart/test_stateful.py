"""deploykit.chart.stateful: PostgreSQL's data directory, volume group and runtime directories,
each check passing the chart's layout and reporting a broken one by field."""

import copy

from deploykit.chart import manifests, stateful

CONTAINER = {
    "name": "postgresql",
    "env": [{"name": "POSTGRES_USER", "value": "todo"}, {"name": "PGDATA", "value": "/var/lib/postgresql/data/pgdata"}],
    "securityContext": {"readOnlyRootFilesystem": True},
    "volumeMounts": [
        {"name": "data", "mountPath": "/var/lib/postgresql/data"},
        {"name": "run", "mountPath": "/var/run/postgresql"},
        {"name": "tmp", "mountPath": "/tmp"},
    ],
}
PGDATA_FIELD = "spec.template.spec.containers[postgresql].env.PGDATA"


def statefulset(container=None, claims=("data",), fs_group=70, volumes=("run", "tmp")) -> manifests.Manifest:
    return manifests.Manifest(
        {
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "template": {
                    "spec": {
                        "securityContext": {"runAsUser": 70, **({"fsGroup": fs_group} if fs_group else {})},
                        "containers": [container or copy.deepcopy(CONTAINER)],
                        "volumes": [{"name": name, "emptyDir": {}} for name in volumes],
                    }
                },
                "volumeClaimTemplates": [{"metadata": {"name": name}} for name in claims],
            },
        }
    )


def _with_pgdata(value):
    container = copy.deepcopy(CONTAINER)
    container["env"] = [e for e in container["env"] if e["name"] != "PGDATA"]
    if value is not None:
        container["env"].append({"name": "PGDATA", "value": value})
    return container


def test_passes_the_chart_layout():
    subject = statefulset()
    assert stateful.pgdata_findings(subject) == []
    assert stateful.data_volume_group_findings(subject) == []
    assert stateful.runtime_dir_findings(subject) == []
    assert stateful.pgdata_findings(statefulset(claims=(), volumes=("data", "run", "tmp"))) == []


def test_reports_pgdata_at_the_volume_root():
    for pgdata in ("/var/lib/postgresql/data", "/var/lib/postgresql/data/", None):  # None: the image's default
        (finding,) = stateful.pgdata_findings(statefulset(_with_pgdata(pgdata)))
        assert (finding.subject, finding.where) == ("StatefulSet/db", PGDATA_FIELD)
        assert "root of volume data" in finding.problem and "lost+found" in finding.problem


def test_reports_pgdata_off_the_claim_or_off_any_volume():
    (finding,) = stateful.pgdata_findings(statefulset(_with_pgdata("/tmp/pgdata")))
    assert finding.where == PGDATA_FIELD and "volume tmp, not on the claim ['data']" in finding.problem
    (finding,) = stateful.pgdata_findings(statefulset(_with_pgdata("/srv/pgdata")))
    assert "on no volume" in finding.problem


def test_reports_a_claimed_volume_without_fs_group():
    (finding,) = stateful.data_volume_group_findings(statefulset(fs_group=None))
    assert finding.where == "spec.template.spec.securityContext.fsGroup"


def test_reports_a_socket_directory_left_on_the_read_only_root():
    container = copy.deepcopy(CONTAINER)
    container["volumeMounts"] = [m for m in container["volumeMounts"] if m["name"] != "run"]
    (finding,) = stateful.runtime_dir_findings(statefulset(container))
    assert finding.where == "spec.template.spec.containers[postgresql].volumeMounts"
    assert "/var/run/postgresql" in finding.problem
