"""deploykit.chart.upgrades: what breaks an upgrade from a base revision is named before anything
is installed. The base is the repository's own chart and migrations; each breaker is a working
tree broken on purpose, as a pull request could: a changed selector label, a backend Service
port the base's frontend pods still address, and a migration that drops a column."""

import shutil

import pytest

from deploykit.chart import manifests, upgrades
from deploykit.foundation import paths
from deploykit.tools.helm import Helm

MIGRATIONS = paths.BACKEND / "app" / "migrations" / "versions"
DROPPING_MIGRATION = '''"""Drop the task title (a breaker: the previous revision's pods still read it)."""

from alembic import op

revision: str = "9999"
down_revision: str | None = None


def upgrade() -> None:
    op.drop_column("tasks", "title")
'''


def render(helm: Helm, chart) -> manifests.Rendering:
    return manifests.parse(helm.template(chart, "todo", namespace="todo", values=[chart / "values-local.yaml"]))


@pytest.fixture(scope="module")
def helm(helm_binary) -> Helm:
    return Helm(helm_binary)


@pytest.fixture(scope="module")
def base(helm) -> manifests.Rendering:
    return render(helm, paths.CHART)


@pytest.fixture
def working_chart(tmp_path):
    """A copy of the chart for a test to break."""
    chart = tmp_path / paths.CHART.name
    shutil.copytree(paths.CHART, chart)
    return chart


def test_the_working_tree_upgrades_itself_without_a_finding(helm, base):
    assert upgrades.upgrade_findings(base, render(helm, paths.CHART), MIGRATIONS, MIGRATIONS) == []


def test_a_changed_selector_label_is_named_as_an_immutable_field(helm, base, working_chart):
    helpers = working_chart / "templates" / "_helpers.tpl"
    helpers.write_text(helpers.read_text().replace("app.kubernetes.io/component: {{ . }}",
                                                   "app.kubernetes.io/component: {{ . }}-v2"))

    findings = upgrades.immutable_findings(base, render(helm, working_chart))

    selectors = {f.subject for f in findings if f.where == "spec.selector"}
    assert selectors >= {"Deployment/todo-todo-list-hackathon-backend", "Deployment/todo-todo-list-hackathon-frontend"}
    assert all("immutable: `helm upgrade` fails" in f.problem for f in findings), findings


def test_a_backend_port_the_base_frontend_addresses_is_named(helm, base, working_chart):
    values = working_chart / "values.yaml"
    values.write_text(values.read_text().replace("    port: 8000\n", "    port: 8081\n", 1))

    findings = upgrades.addressed_port_findings(base, render(helm, working_chart))

    assert [f.subject for f in findings] == ["Service/todo-todo-list-hackathon-backend"], findings
    assert "port 8000, which the base revision's pods address (ConfigMap/" in findings[0].problem
    assert "BACKEND_URL" in findings[0].problem


def test_a_migration_that_drops_a_column_is_named(tmp_path):
    head = tmp_path / "versions"
    shutil.copytree(MIGRATIONS, head)
    (head / "20991231_9999_drop_task_title.py").write_text(DROPPING_MIGRATION)

    findings = upgrades.migration_findings(MIGRATIONS, head)

    assert [(f.subject, f.where) for f in findings] == [("migration 20991231_9999_drop_task_title.py", "upgrade()")]
    assert findings[0].problem.startswith("drop_column('tasks', 'title') takes away what the base revision's pods")


def test_a_migration_the_base_already_has_is_not_judged_again(tmp_path):
    base = tmp_path / "versions"
    shutil.copytree(MIGRATIONS, base)
    (base / "20991231_9999_drop_task_title.py").write_text(DROPPING_MIGRATION)

    assert upgrades.migration_findings(base, base) == []
