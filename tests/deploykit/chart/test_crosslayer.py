"""deploykit.chart.crosslayer: reading Dockerfiles, settings and nginx configs."""

import pytest

from deploykit.chart import crosslayer

MULTI_STAGE = """\
# syntax=docker/dockerfile:1
ARG BASE=python:3.13-slim
ARG APP_UID=10001
FROM ${BASE} AS build
EXPOSE 9999
USER root

FROM ${BASE}
ARG APP_UID
ARG APP_GID=10001
ENV PORT=8000 \\
    PYTHONUNBUFFERED=1
# The server's port.
EXPOSE ${PORT}/tcp 9100
USER ${APP_UID}:${APP_GID}
CMD ["uvicorn", "main:app"]
"""


def test_reads_only_final_stage_with_substitutions(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(MULTI_STAGE)
    facts = crosslayer.final_stage(dockerfile)
    assert facts.exposed_ports == (8000, 9100)
    assert (facts.user, facts.uid, facts.gid) == ("10001:10001", 10001, 10001)


@pytest.mark.parametrize("user, uid, gid", [("101", 101, None), ("nginx", None, None), (None, None, None)])
def test_reads_numeric_user_only(user, uid, gid):
    facts = crosslayer.ImageFacts((), user)
    assert (facts.uid, facts.gid) == (uid, gid)


def test_reads_settings_fields(tmp_path):
    module = tmp_path / "config.py"
    module.write_text(
        "class Settings(BaseSettings):\n    model_config = {}\n    LOG_LEVEL: str = 'INFO'\n"
        "    DATABASE_URL: str\n\n    def helper(self): pass\n"
    )
    assert crosslayer.settings_fields(module) == {"LOG_LEVEL", "DATABASE_URL"}


NGINX = """
pid /tmp/nginx/nginx.pid;
error_log /dev/stderr warn;
http {
    client_body_temp_path /tmp/nginx/client_body;
    access_log off;
    access_log /var/log/nginx/access.log json;
    server {
        listen 8080;
        listen [::]:8080;
        location = /healthz { return 200; }
        location /api/ { proxy_pass http://backend; }
        location ~ \\.css$ { }
        location @fallback { }
    }
}
"""


def test_reads_nginx_writes_locations_and_ports():
    assert crosslayer.nginx_write_paths(NGINX) == {
        "pid /tmp/nginx/nginx.pid": "/tmp/nginx/nginx.pid",
        "client_body_temp_path /tmp/nginx/client_body": "/tmp/nginx/client_body",
        "access_log /var/log/nginx/access.log": "/var/log/nginx/access.log",
    }
    assert crosslayer.nginx_locations(NGINX) == {"/healthz", "/api/"}
    assert crosslayer.nginx_listen_ports(NGINX) == {8080}


@pytest.mark.parametrize(
    "path, inside", [("/tmp", True), ("/tmp/nginx/x.pid", True), ("/tmpfs/x", False), ("/var/x", False)]
)
def test_tells_whether_path_is_under_directories(path, inside):
    assert crosslayer.under(path, ["/tmp"]) is inside


def migration(folder, name, revision, down_revision):
    (folder / f"{name}.py").write_text(f'revision: str = "{revision}"\ndown_revision: str | None = {down_revision!r}\n')


def test_the_migration_head_is_the_revision_nothing_builds_on(tmp_path):
    migration(tmp_path, "a", "0001", None)
    migration(tmp_path, "b", "0002", "0001")

    assert crosslayer.migration_head(tmp_path) == "0002"


def test_two_migration_heads_are_an_error(tmp_path):
    migration(tmp_path, "a", "0001", None)
    migration(tmp_path, "b", "0002", "0001")
    migration(tmp_path, "c", "0003", "0001")

    with pytest.raises(ValueError, match=r"2 Alembic heads \['0002', '0003'\]"):
        crosslayer.migration_head(tmp_path)
