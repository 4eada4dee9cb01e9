// This file replaces expr/queue.go of github.com/google/nftables v0.3.0 in the
// kube-network-policies build (go build -overlay; see build.py's netpol_binary).
// It keeps that file's API (Queue, QueueFlag, QueueAttribute and their
// constants) but encodes a Queue as the xtables NFQUEUE target through
// nft_compat instead of the native nftables `queue` expression: kernels
// built without CONFIG_NFT_QUEUE reject the latter with ENOENT, and the target
// enqueues to the same nfnetlink_queue, where the agent reads its packets.

package expr

import (
	"encoding/binary"

	"github.com/google/nftables/xt"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

type QueueAttribute uint16

type QueueFlag uint16

// Possible QueueAttribute values
const (
	QueueNum   QueueAttribute = unix.NFTA_QUEUE_NUM
	QueueTotal QueueAttribute = unix.NFTA_QUEUE_TOTAL
	QueueFlags QueueAttribute = unix.NFTA_QUEUE_FLAGS

	// The xtables target's flags (NFQ_FLAG_BYPASS, NFQ_FLAG_CPU_FANOUT) have the same values.
	QueueFlagBypass QueueFlag = unix.NFT_QUEUE_FLAG_BYPASS
	QueueFlagFanout QueueFlag = unix.NFT_QUEUE_FLAG_CPU_FANOUT
	QueueFlagMask   QueueFlag = unix.NFT_QUEUE_FLAG_MASK
)

type Queue struct {
	Num   uint16
	Total uint16
	Flag  QueueFlag
}

// target is the NFQUEUE target, revision 3: struct xt_NFQ_info_v3 {u16 queuenum; u16 queues_total; u16 flags}.
func (e *Queue) target() *Target {
	if e.Total == 0 {
		e.Total = 1 // The total default value is 1
	}
	info := make(xt.Unknown, 6)
	binary.NativeEndian.PutUint16(info[0:], e.Num)
	binary.NativeEndian.PutUint16(info[2:], e.Total)
	binary.NativeEndian.PutUint16(info[4:], uint16(e.Flag&QueueFlagMask))
	return &Target{Name: "NFQUEUE", Rev: 3, Info: &info}
}

func (e *Queue) marshal(fam byte) ([]byte, error) {
	return e.target().marshal(fam)
}

func (e *Queue) marshalData(fam byte) ([]byte, error) {
	return e.target().marshalData(fam)
}

// unmarshal reads a native `queue` expression; rules written by this build list as Target.
func (e *Queue) unmarshal(fam byte, data []byte) error {
	ad, err := netlink.NewAttributeDecoder(data)
	if err != nil {
		return err
	}
	ad.ByteOrder = binary.BigEndian
	for ad.Next() {
		switch ad.Type() {
		case unix.NFTA_QUEUE_NUM:
			e.Num = ad.Uint16()
		case unix.NFTA_QUEUE_TOTAL:
			e.Total = ad.Uint16()
		case unix.NFTA_QUEUE_FLAGS:
			e.Flag = QueueFlag(ad.Uint16())
		}
	}
	return ad.Err()
}
