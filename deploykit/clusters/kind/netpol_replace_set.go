// This file is added to kube-network-policies' pkg/networkpolicy in this project's build (see
// build.py's netpol_binary), which also makes syncNFTablesRules flush its table's rules instead
// of deleting and re-creating the table.
//
// Why: deleting the table unregisters its netfilter hooks, and the kernel drops every packet
// then waiting in any NFQUEUE for a verdict (nfqnl_nf_hook_drop flushes all queues). The agent
// re-syncs on every change of a local pod under a policy, so while pods come and go each node
// dropped the connections being decided at that moment: a lost SYN costs its client a 1 s
// retransmit, a lost DNS query (queued too) the resolver's 5 s timeout. Flushing rules and set
// elements in one transaction keeps the hooks, and so the queued packets.

package networkpolicy

import "github.com/google/nftables"

// replaceSet declares set (a no-op when it exists) and replaces its elements, in the batch.
func replaceSet(nft *nftables.Conn, set *nftables.Set, elements []nftables.SetElement) error {
	if err := nft.AddSet(set, nil); err != nil {
		return err
	}
	nft.FlushSet(set)
	if len(elements) == 0 {
		return nil
	}
	return nft.SetAddElements(set, elements)
}
