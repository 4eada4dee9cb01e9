#!/bin/sh
# AI-assisted operations on the deployment: kubectl-ai or kagent answer when installed and
# configured; otherwise the same operation is done by hand and its kubectl/helm commands printed.
#   scripts/ai-deploy.sh generate|review|diagnose|limits|health [TARGET] [options]
#   scripts/ai-deploy.sh --help
# The logic lives in deploykit (python -m deploykit ai); this only finds a Python that can run it.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
# deploykit from this checkout, whatever the current directory (a TARGET path stays relative to it).
export PYTHONPATH="$repo${PYTHONPATH:+:$PYTHONPATH}"
if [ -x "$repo/.venv/bin/python" ]; then
    python="$repo/.venv/bin/python"
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import deploykit.ops.aiops' 2>/dev/null; then
    python=python3
else
    echo "ai-deploy.sh: no Python that can run deploykit: create $repo/.venv first (make up does;" \
         "or: python3 -m venv .venv && .venv/bin/pip install -e '.[dev]')" >&2
    exit 1
fi
exec "$python" -m deploykit ai "$@"
