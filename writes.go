package alidomain

import "strings"

// knownWrites are the paid actions the SDK knows, by lower-case name: every
// typed order adds its own (orderOperation), and the paid orders not typed
// yet are listed here. Client.Call refuses Idempotent for them and takes
// their 200 without a TaskNo as an unknown outcome, as the typed orders do.
var knownWrites = newWriteSet(
	"SaveBatchTaskForReserveDropListDomain",
	"SaveSingleTaskForReserveDropListDomain",
	"CreateIntlFixedPriceDomainOrder",
)

// writeSet is a set of action names, matched whatever their case.
type writeSet map[string]bool

// newWriteSet returns the set of actions.
func newWriteSet(actions ...string) writeSet {
	s := make(writeSet, len(actions))
	for _, a := range actions {
		s.add(a)
	}
	return s
}

// add puts action in the set.
func (s writeSet) add(action string) { s[strings.ToLower(action)] = true }

// knownWrite reports whether action (in any case: the name is the same
// order however it is spelled) is a paid order the SDK knows.
func knownWrite(action string) bool { return knownWrites[strings.ToLower(action)] }
