package alidomain

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortKeysMatchesSortStrings checks the multikey quicksort of
// encodeValues against slices.Sort on keys built to share prefixes, be
// prefixes of each other, repeat, and hold bytes above 0x7f.
func TestSortKeysMatchesSortStrings(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"", "a", "b", ".", "1", "10", "OrderRedeemParam.", "\xff", "~", "%2A"}
	for round := 0; round < 500; round++ {
		n := r.IntN(200)
		keys := make([]string, n)
		for i := range keys {
			k := ""
			for j := r.IntN(6); j > 0; j-- {
				k += alphabet[r.IntN(len(alphabet))]
			}
			if r.IntN(3) == 0 {
				k += fmt.Sprint(r.IntN(1200))
			}
			keys[i] = k
		}
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		sortKeys(keys, order, 0)
		got := make([]string, n)
		for j, i := range order {
			got[j] = keys[i]
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: sortKeys gives\n%q\nwant\n%q", round, got, want)
		}
	}
}
