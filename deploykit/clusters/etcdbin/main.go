// Command etcd is the upstream etcd server (go.etcd.io/etcd/server/v3's etcdmain,
// what etcd's own main calls), built here because its root module's replace
// directives keep `go install go.etcd.io/etcd/v3` from working. The kind node
// image runs it as kubeadm's etcd static pod.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
