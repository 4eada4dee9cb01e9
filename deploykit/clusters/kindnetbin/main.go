// todo-kindnet: this project's stand-in for kind's kindnetd, whose module the Go module proxy
// does not serve. It does what kindnetd does for a kind cluster, and no more:
//
//   - writes /etc/cni/net.d/10-kindnet.conflist (ptp + host-local on this node's podCIDR, portmap),
//     the same CNI config kindnetd writes, once the node has a podCIDR;
//   - routes every other node's podCIDR via that node's InternalIP (the nodes share a Docker network);
//   - masquerades pod traffic leaving the pod subnet (POD_SUBNET), as kindnetd's ip-masq-agent does;
//   - runs kube-network-policies' agent (/bin/netpol), the NetworkPolicy enforcement kindnetd
//     embeds since kind v0.24, and exits when it exits so the kubelet restarts both.
//
// It talks to the API server with the pod's service account over plain HTTPS (no client-go),
// and to the kernel through the node base image's `ip` and `iptables`.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"
)

const (
	serviceAccount = "/var/run/secrets/kubernetes.io/serviceaccount"
	cniConfig      = "/etc/cni/net.d/10-kindnet.conflist"
)

type node struct {
	Metadata struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		PodCIDR  string   `json:"podCIDR"`
		PodCIDRs []string `json:"podCIDRs"`
	} `json:"spec"`
	Status struct {
		Addresses []struct {
			Type    string `json:"type"`
			Address string `json:"address"`
		} `json:"addresses"`
	} `json:"status"`
}

func (n node) internalIP() string {
	for _, a := range n.Status.Addresses {
		if a.Type == "InternalIP" && net.ParseIP(a.Address).To4() != nil {
			return a.Address
		}
	}
	return ""
}

func (n node) ipv4CIDR() string {
	for _, c := range append([]string{n.Spec.PodCIDR}, n.Spec.PodCIDRs...) {
		if ip, _, err := net.ParseCIDR(c); err == nil && ip.To4() != nil {
			return c
		}
	}
	return ""
}

func apiClient() (*http.Client, string, error) {
	host, port := os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT")
	if host == "" {
		return nil, "", fmt.Errorf("KUBERNETES_SERVICE_HOST is not set: not running in a pod")
	}
	ca, err := os.ReadFile(serviceAccount + "/ca.crt")
	if err != nil {
		return nil, "", err
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	client := &http.Client{Timeout: 10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	return client, "https://" + net.JoinHostPort(host, port), nil
}

func listNodes(client *http.Client, server string) ([]node, error) {
	token, err := os.ReadFile(serviceAccount + "/token") // re-read: the kubelet rotates it
	if err != nil {
		return nil, err
	}
	req, _ := http.NewRequest("GET", server+"/api/v1/nodes", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/v1/nodes: %s", resp.Status)
	}
	var list struct {
		Items []node `json:"items"`
	}
	return list.Items, json.NewDecoder(resp.Body).Decode(&list)
}

func writeCNIConfig(podCIDR string) error {
	config := fmt.Sprintf(`{
  "cniVersion": "0.4.0",
  "name": "kindnet",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "ipam": {
        "type": "host-local",
        "dataDir": "/run/cni-ipam-state",
        "routes": [{"dst": "0.0.0.0/0"}],
        "ranges": [[{"subnet": %q}]]
      },
      "mtu": %d
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
`, podCIDR, mtu())
	if old, err := os.ReadFile(cniConfig); err == nil && string(old) == config {
		return nil
	}
	partial := cniConfig + ".part"
	if err := os.WriteFile(partial, []byte(config), 0o644); err != nil {
		return err
	}
	log.Printf("writing %s for podCIDR %s", cniConfig, podCIDR)
	return os.Rename(partial, cniConfig)
}

// mtu: the MTU of the interface holding HOST_IP (the node's Docker network), as kindnetd does.
func mtu() int {
	host := net.ParseIP(os.Getenv("HOST_IP"))
	interfaces, _ := net.Interfaces()
	for _, i := range interfaces {
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok && ipnet.IP.Equal(host) {
				return i.MTU
			}
		}
	}
	return 1500
}

func run(argv ...string) error {
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// masquerade: pod traffic to anything outside the pod subnet (and not to this node) leaves
// with the node's address, as kindnetd's KIND-MASQ-AGENT chain does.
func masquerade(podSubnet string) error {
	_ = run("iptables", "-t", "nat", "-N", "KIND-MASQ-AGENT") // exists after a restart
	rules := [][]string{
		{"KIND-MASQ-AGENT", "-d", podSubnet, "-m", "comment", "--comment", "kind-masq-agent: pod traffic stays", "-j", "RETURN"},
		{"KIND-MASQ-AGENT", "-m", "comment", "--comment", "kind-masq-agent: outbound traffic is masqueraded", "-j", "MASQUERADE"},
		{"POSTROUTING", "-m", "addrtype", "!", "--dst-type", "LOCAL", "-m", "comment", "--comment", "kind-masq-agent", "-j", "KIND-MASQ-AGENT"},
	}
	for _, rule := range rules {
		if run(append([]string{"iptables", "-t", "nat", "-C"}, rule...)...) == nil {
			continue
		}
		if err := run(append([]string{"iptables", "-t", "nat", "-A"}, rule...)...); err != nil {
			return err
		}
	}
	return nil
}

func reconcile(client *http.Client, server, self string) error {
	nodes, err := listNodes(client, server)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		cidr := n.ipv4CIDR()
		if cidr == "" {
			continue
		}
		if n.Metadata.Name == self {
			if err := writeCNIConfig(cidr); err != nil {
				return err
			}
			continue
		}
		if ip := n.internalIP(); ip != "" {
			if err := run("ip", "route", "replace", cidr, "via", ip); err != nil {
				return err
			}
		}
	}
	return nil
}

func main() {
	self := os.Getenv("NODE_NAME")
	podSubnet := strings.Split(os.Getenv("POD_SUBNET"), ",")[0]
	if self == "" || podSubnet == "" {
		log.Fatal("NODE_NAME and POD_SUBNET must be set (the DaemonSet's env)")
	}
	client, server, err := apiClient()
	if err != nil {
		log.Fatal(err)
	}
	if err := masquerade(podSubnet); err != nil {
		log.Fatal(err)
	}
	netpol := exec.Command("/bin/netpol", append([]string{"--hostname-override=" + self}, os.Args[1:]...)...)
	netpol.Stdout, netpol.Stderr = os.Stdout, os.Stderr
	if err := netpol.Start(); err != nil {
		log.Fatalf("starting the network policy agent: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- netpol.Wait() }()
	tick := time.NewTicker(10 * time.Second)
	for {
		if err := reconcile(client, server, self); err != nil {
			log.Printf("reconcile: %v", err)
		}
		select {
		case err := <-done:
			log.Fatalf("the network policy agent exited: %v", err)
		case <-tick.C:
		}
	}
}
