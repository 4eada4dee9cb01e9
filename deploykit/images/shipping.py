"""What each project image may ship: the directories that are the app's own (root's, read-only
to the app) and the paths that must never be in it, with the reason a person would give.

The lines drawn here, and why:
- Tests, sources and dev tooling stay out of the final stages; the build stage may have them.
- The backend's virtual environment is the app's own, so third-party packages' bundled tests in
  it are not ours to police; our tests (/app outside .venv) must not ship.
- The backend ships Python bytecode on purpose: its Dockerfile compiles the venv (uv
  UV_COMPILE_BYTECODE) and the app (`python -m compileall`) in the image, because a read-only root
  filesystem cannot cache bytecode at run time. What must not ship is a __pycache__ copied from a
  source tree; imagefiles.bytecode_findings tells the two apart. The frontend has no Python at all.
"""

from deploykit.images.files import Forbidden, any_of, in_bin, inside, named, python_package, within

COMMON = (
    Forbidden("an environment file (secrets are given at run time)", named(".env", ".env.*")),
    Forbidden("git metadata", inside(".git")),
    Forbidden("node_modules (the build stage's only)", inside("node_modules")),
    Forbidden("the build CA (build stages only)", any_of(inside("build-ca"), named("extra-ca.pem"))),
)

BACKEND_ROOTS = ("app",)
# The project's own files only. The nginx base's /etc/nginx is owned by UID 101 and group-writable
# by design (nginx-unprivileged does this for platforms that pick an arbitrary UID); the project's
# config lives in /etc/nginx/app and includes nothing from there but mime.types.
FRONTEND_ROOTS = ("usr/share/nginx/html", "etc/nginx/app", "usr/local/bin/docker-entrypoint.sh")

BACKEND = COMMON + (
    Forbidden("tests", within(BACKEND_ROOTS, any_of(inside("tests", "test"), named("test_*.py", "conftest.py")),
                              outside=("app/.venv",))),
    Forbidden("a package manager (pip, uv, apt or dpkg)",
              any_of(in_bin("pip", "pip3", "pip3.*", "uv", "uvx", "apt", "apt-get", "dpkg", "easy_install*"),
                     python_package("pip", "uv"), inside("ensurepip"))),
)

FRONTEND = COMMON + (
    Forbidden("frontend sources or build files",
              any_of(named("*.ts", "*.tsx", "*.mts", "*.jsx", "*.map", "*.tsbuildinfo", "package.json",
                           "package-lock.json", "tsconfig*.json", "next.config.*"), inside(".next"),
                     within(FRONTEND_ROOTS, inside("src")))),
    Forbidden("tests", any_of(named("*.test.*", "*.spec.*"), inside("__tests__"))),
    Forbidden("Node.js (the build stage's only)", in_bin("node", "nodejs", "npm", "npx")),
    Forbidden("Python bytecode caches", inside("__pycache__")),
)

RULES = {"backend": BACKEND, "frontend": FRONTEND}
APP_ROOTS = {"backend": BACKEND_ROOTS, "frontend": FRONTEND_ROOTS}
# Where bytecode must be the image's own (elsewhere it belongs to the base image).
BYTECODE_ROOTS = {"backend": BACKEND_ROOTS, "frontend": ()}
