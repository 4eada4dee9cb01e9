"""A kind cluster (sigs.k8s.io/kind) whose node image is built here from Debian packages and
sources served by the Go module proxy, for machines that can pull no image (issue 16)."""
