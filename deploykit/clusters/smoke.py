"""The smallest end-to-end proof that a cluster works: a locally built image behind a Service,
reached by its DNS name from another pod."""

from deploykit.bases import catalog as bases
from deploykit.images import build as images
from deploykit.tools import engine

SMOKE_IMAGE = "localhost/todo-list-hackathon/smoke:1"
GREETING = "hello from the smoke image"


def build_smoke_image() -> str:
    """busybox httpd serving one page, FROM the busybox base (official or home-built)."""
    client = engine.ensure_engine()
    base = bases.ensure_base(client, bases.BASES["busybox"])
    dockerfile = (
        f"FROM {base}\n"
        f"RUN mkdir -p /www && echo '{GREETING}' > /www/index.html\n"
        "USER 65534:65534\nEXPOSE 8080\n"
        'ENTRYPOINT ["httpd", "-f", "-p", "8080", "-h", "/www"]\n'
    )
    return images.build_inline(client, SMOKE_IMAGE, dockerfile)


def server_manifest(image: str, pull_policy: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: smoke}}
spec:
  selector: {{matchLabels: {{app: smoke}}}}
  template:
    metadata: {{labels: {{app: smoke}}}}
    spec:
      containers:
        - name: httpd
          image: {image}
          imagePullPolicy: {pull_policy}
          ports: [{{containerPort: 8080}}]
          readinessProbe: {{httpGet: {{path: /, port: 8080}}, periodSeconds: 1}}
---
apiVersion: v1
kind: Service
metadata: {{name: smoke}}
spec:
  selector: {{app: smoke}}
  ports: [{{port: 80, targetPort: 8080}}]
"""


def client_pod_manifest(image: str, pull_policy: str, url: str) -> str:
    return f"""apiVersion: v1
kind: Pod
metadata: {{name: smoke-client}}
spec:
  restartPolicy: Never
  containers:
    - name: wget
      image: {image}
      imagePullPolicy: {pull_policy}
      # kube-proxy programs a new Service asynchronously, and a ClusterIP freed by a deleted
      # Service may still lead to its old backend for a moment: retry for up to 30 s.
      command:
        - sh
        - -c
        - for i in $(seq 30); do wget -q -T 5 -O - {url} 2>/dev/null && exit 0; sleep 1; done; exit 1
"""
