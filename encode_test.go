package alidomain

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The indices of a list come out in the order of their decimal strings, for
// every length around the digit boundaries.
func TestForIndicesAsStrings(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 2345} {
		var got []string
		for i := firstIndex(n); i != 0; i = nextIndex(i, n) {
			got = append(got, strconv.Itoa(i))
		}
		want := make([]string, n)
		for i := range want {
			want[i] = strconv.Itoa(i + 1)
		}
		slices.Sort(want)
		require.True(t, slices.Equal(want, got), "n=%d: %v", n, got)
	}
}

// keysOf returns the raw keys of ps in order.
func keysOf(ps params) []string {
	keys := make([]string, len(ps))
	for i := range ps {
		keys[i] = ps[i].sortKey()
	}
	return keys
}

// A batch's parameters come out sorted, with every list field, without a
// sort per call.
func TestEncodeBatchCanonicalOrder(t *testing.T) {
	for _, n := range []int{1, 9, 10, 11, 100, 1000, 1234} {
		req := benchBatch(n)
		req.UseCoupon, req.CouponNo, req.UserClientIP = true, "C 1*", "192.0.2.7"
		ps, lang, err := encodeRequest(req)
		require.NoError(t, err)
		require.Empty(t, lang)
		keys := keysOf(ps)
		require.True(t, slices.IsSorted(keys), "n=%d: keys not in canonical order", n)
		require.Len(t, ps, 2*n+4) // CouponNo, UseCoupon, UsePromotion, UserClientIp
		got := map[string]string{}
		for _, p := range ps {
			v, err := url.PathUnescape(p.value)
			require.NoError(t, err)
			got[p.key] = v
		}
		for i, d := range req.Domains {
			k := "OrderRedeemParam." + strconv.Itoa(i+1) + "."
			require.Equal(t, d.DomainName, got[k+"DomainName"])
			require.Equal(t, strconv.FormatInt(d.CurrentExpirationDate.UnixMilli(), 10), got[k+"CurrentExpirationDate"])
		}
		require.Equal(t, "C 1*", got["CouponNo"])
		require.Equal(t, "C%201%2A", ps[slices.Index(keys, "CouponNo")].value, "values are escaped per RFC 3986")
		require.Equal(t, "true", got["UseCoupon"])
		require.Equal(t, "false", got["UsePromotion"])
	}
}

// For the scalar kinds both understand, the encoder writes what
// go-querystring writes (the `url` tags mean the same).
func TestEncodeScalarsAsGoQuerystring(t *testing.T) {
	type scalars struct {
		S     string `url:"S"`
		Empty string `url:"Empty,omitempty"`
		Kept  string `url:"Kept"`
		B     bool   `url:"B"`
		F     bool   `url:"F"`
		I     int    `url:"I"`
		Zero  int    `url:"Zero,omitempty"`
		U     uint16 `url:"U"`
		P     *int   `url:"P"`
		NilP  *int   `url:"NilP,omitempty"`
		Skip  string `url:"-"`
		Lower string `url:"a_lower"`
	}
	seven := 7
	v := scalars{S: "x y/é", B: true, I: -3, U: 9, P: &seven, Skip: "no", Lower: "l"}
	ps, _, err := encodeRequest(&v)
	require.NoError(t, err)
	want, err := query.Values(v)
	require.NoError(t, err)
	got := url.Values{}
	for _, p := range ps {
		val, err := url.PathUnescape(p.value)
		require.NoError(t, err)
		got.Add(p.key, val)
	}
	assert.Equal(t, want, got)
	assert.True(t, slices.IsSorted(keysOf(ps)))

	// Where they differ: a named integer with a String method goes as its
	// number (go-querystring would send "failed"), as the wire wants.
	st := TaskFailed
	ps, _, err = encodeRequest((&ListTaskDetailsRequest{TaskNo: "T", Status: &st}).wire())
	require.NoError(t, err)
	require.Equal(t, param{key: "TaskStatus", value: "3"}, ps[len(ps)-1])
}

// jsonList is a field that goes as one JSON text; custom is a go-querystring
// Encoder.
type custom struct{ a, b string }

func (c custom) EncodeValues(key string, v *url.Values) error {
	v.Set(key+"A", c.a)
	v.Set("Z"+key, c.b)
	return nil
}

func TestEncodeJSONAndEncoderFields(t *testing.T) {
	type item struct {
		Name string `json:"name"`
	}
	type req struct {
		List   []item    `url:"DomainList,json"`
		C      custom    `url:"C"`
		M      time.Time `url:"M,omitempty,unixmilli"`
		Strs   []string  `url:"Tag"`
		Lang   string    `url:"Lang,omitempty"`
		Middle string    `url:"D"`
	}
	r := req{List: []item{{"a.com"}, {"b&c"}}, C: custom{"1", "2"}, M: time.UnixMilli(1700000000123), Strs: []string{"x", "y"}, Lang: "zh", Middle: "m"}
	ps, lang, err := encodeRequest(&r)
	require.NoError(t, err)
	require.Equal(t, "zh", lang, "Lang is resolved with the common parameters, not sent twice")
	require.Equal(t, []string{"CA", "D", "DomainList", "M", "Tag.1", "Tag.2", "ZC"}, keysOf(ps))
	v, _ := url.PathUnescape(ps[2].value)
	// As the official SDK writes JSON parameters (wire.md §6.1): no HTML escaping.
	require.Equal(t, `[{"name":"a.com"},{"name":"b&c"}]`, v)
	require.Equal(t, "1700000000123", ps[3].value)

	var zero req
	ps, _, err = encodeRequest(&zero)
	require.NoError(t, err)
	require.Equal(t, []string{"CA", "D", "DomainList", "ZC"}, keysOf(ps), "a zero time is never encoded")
}

func TestEncodeRefusesWhatItCannotWrite(t *testing.T) {
	type badTime struct {
		T time.Time `url:"T"`
	}
	_, _, err := encodeRequest(&badTime{})
	require.ErrorContains(t, err, "unixmilli")
	type overlap struct {
		L  []string `url:"L"`
		L2 string   `url:"L.x"`
	}
	_, _, err = encodeRequest(&overlap{})
	require.ErrorContains(t, err, "overlap")
	_, _, err = encodeRequest(42)
	require.Error(t, err)
}

// cloneRequest copies what a pointer field points at.
func TestCloneRequest(t *testing.T) {
	st := TaskFailed
	r := ListTaskDetailsRequest{TaskNo: "T", Status: &st}
	c := cloneRequest(r)
	st = TaskWaiting
	require.Equal(t, TaskFailed, *c.Status)
	require.True(t, strings.HasPrefix(c.TaskNo, "T"))
}
