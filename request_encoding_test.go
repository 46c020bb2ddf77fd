package alidomain

import (
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// keysOf returns the raw keys of ps in order.
func keysOf(ps wire.Params) []string {
	keys := make([]string, len(ps))
	for i := range ps {
		keys[i] = ps[i].SortKey()
	}
	return keys
}

// A batch's parameters come out sorted, with every list field, without a
// sort per call.
func TestEncodeBatchCanonicalOrder(t *testing.T) {
	for _, n := range []int{1, 9, 10, 11, 100, 1000, 1234} {
		req := benchBatch(n)
		req.UseCoupon, req.CouponNo, req.UserClientIP = true, "C 1*", "192.0.2.7"
		ps, lang, err := wire.EncodeRequest(req)
		require.NoError(t, err)
		require.Empty(t, lang)
		keys := keysOf(ps)
		require.True(t, slices.IsSorted(keys), "n=%d: keys not in canonical order", n)
		require.Len(t, ps, 2*n+4) // CouponNo, UseCoupon, UsePromotion, UserClientIp
		got := map[string]string{}
		for _, p := range ps {
			v, err := url.PathUnescape(p.Value)
			require.NoError(t, err)
			got[p.Key] = v
		}
		for i, d := range req.Domains {
			k := "OrderRedeemParam." + strconv.Itoa(i+1) + "."
			require.Equal(t, d.DomainName, got[k+"DomainName"])
			require.Equal(t, strconv.FormatInt(d.CurrentExpirationDate.UnixMilli(), 10), got[k+"CurrentExpirationDate"])
		}
		require.Equal(t, "C 1*", got["CouponNo"])
		require.Equal(t, "C%201%2A", ps[slices.Index(keys, "CouponNo")].Value, "values are escaped per RFC 3986")
		require.Equal(t, "true", got["UseCoupon"])
		require.Equal(t, "false", got["UsePromotion"])
	}
}

// A TaskStatus goes as its number, not as its String ("failed").
func TestEncodeTaskStatusAsNumber(t *testing.T) {
	st := TaskFailed
	ps, _, err := wire.EncodeRequest((&ListTaskDetailsRequest{TaskNo: "T", Status: &st}).wire())
	require.NoError(t, err)
	require.Equal(t, wire.Param{Key: "TaskStatus", Value: "3"}, ps[len(ps)-1])
}
