"""The in-cluster PostgreSQL on a real volume, per variant that renders it (deploykit.chart.stateful):
what an emptyDir in a test install never reveals."""

from deploykit.chart import stateful


def _assert_no_findings(findings):
    __tracebackhide__ = True
    assert not findings, "\n".join(map(str, findings))


def test_keeps_pgdata_below_the_volume_root(database):
    _assert_no_findings(stateful.pgdata_findings(database))


def test_gives_the_data_volume_to_the_server_group(database):
    _assert_no_findings(stateful.data_volume_group_findings(database))


def test_mounts_the_server_runtime_directories(database):
    _assert_no_findings(stateful.runtime_dir_findings(database))
