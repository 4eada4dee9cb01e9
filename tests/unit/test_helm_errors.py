"""Real helm, wrong input: the error names what is wrong instead of a stack of helm internals."""

import pytest

from deploykit.foundation.errors import ChartError
from deploykit.tools.helm import Helm


def test_template_of_missing_chart_path_names_the_path(helm_binary, tmp_path):
    missing = tmp_path / "no-such-chart"
    with pytest.raises(ChartError, match=rf"(?s)helm template failed .*path \".*{missing.name}\" not found"):
        Helm(helm_binary).template(missing, "x")


def test_template_of_unreadable_chart_names_the_file(helm_binary, tmp_path):
    chart = tmp_path / "broken"
    chart.mkdir()
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: [not, a, name\n")
    with pytest.raises(ChartError, match=r"Chart\.yaml"):
        Helm(helm_binary).template(chart, "x")
