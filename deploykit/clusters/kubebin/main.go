// Command kube is a multi-call build of the upstream Kubernetes components
// (like the old hyperkube): one binary, so the shared packages are compiled
// and linked once on a 2-core machine. Run as `kube <component> [flags]`, or
// through a link named after the component (kind's node image links
// /usr/bin/kubeadm, kubelet and kubectl, and the control-plane images
// /usr/local/bin/kube-apiserver etc., to this binary).
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	kubectl "k8s.io/kubectl/pkg/cmd"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubeadm "k8s.io/kubernetes/cmd/kubeadm/app"
	kubeadmerrors "k8s.io/kubernetes/cmd/kubeadm/app/util/errors"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
	_ "time/tzdata"
)

var components = map[string]func() *cobra.Command{
	"kube-apiserver":          apiserver.NewAPIServerCommand,
	"kube-controller-manager": controllermanager.NewControllerManagerCommand,
	"kube-scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
	"kubelet":                 func() *cobra.Command { return kubelet.NewKubeletCommand(context.Background()) },
	"kube-proxy":              proxy.NewProxyCommand,
	"kubectl":                 kubectl.NewDefaultKubectlCommand,
}

// run starts a component with os.Args = [name, its flags...].
func run(name string) {
	if name == "kubeadm" {
		// kubeadm sets up its own flags and logging; its errors are printed as its upstream main does.
		kubeadmerrors.HandleError(kubeadm.Run())
		os.Exit(0)
	}
	os.Exit(cli.Run(components[name]()))
}

func main() {
	if name := filepath.Base(os.Args[0]); name == "kubeadm" || components[name] != nil {
		run(name)
	}
	if len(os.Args) < 2 || (os.Args[1] != "kubeadm" && components[os.Args[1]] == nil) {
		names := []string{"kubeadm"}
		for name := range components {
			names = append(names, name)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: kube <component> [flags]; components: %v\n", names)
		os.Exit(2)
	}
	name := os.Args[1]
	os.Args = append([]string{name}, os.Args[2:]...)
	run(name)
}
