"""HTTP and WebSocket routes. Each router carries its full path (API_PREFIX included), so every
route knows its own template, which the metrics use as a label."""

API_PREFIX = "/api"
