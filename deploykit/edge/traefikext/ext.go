// Package ext stands in for Traefik's nested module github.com/traefik/traefik/dynamic/ext, which
// its v3 module's zip leaves out (a directory with a go.mod of its own) and the module proxy does
// not serve: two embedded extension points of the dynamic configuration, empty in the open-source
// build.
package ext

// HTTP extends dynamic.HTTPConfiguration.
type HTTP struct{}

// Router extends dynamic.Router.
type Router struct{}
