package wire

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
func keysOf(ps Params) []string {
	keys := make([]string, len(ps))
	for i := range ps {
		keys[i] = ps[i].SortKey()
	}
	return keys
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
	ps, _, err := EncodeRequest(&v)
	require.NoError(t, err)
	want, err := query.Values(v)
	require.NoError(t, err)
	got := url.Values{}
	for _, p := range ps {
		val, err := url.PathUnescape(p.Value)
		require.NoError(t, err)
		got.Add(p.Key, val)
	}
	assert.Equal(t, want, got)
	assert.True(t, slices.IsSorted(keysOf(ps)))

	// Where they differ: a named integer with a String method goes as its
	// number (go-querystring would send "failed"), as the wire wants.
	st := statusFailed
	ps, _, err = EncodeRequest(&statusRequest{TaskNo: "T", Status: &st})
	require.NoError(t, err)
	require.Equal(t, Param{Key: "TaskStatus", Value: "3"}, ps[len(ps)-1])
}

// status is a named integer with a String method, as the API's enums are.
type status int

const (
	statusWaiting status = 0
	statusFailed  status = 3
)

func (s status) String() string {
	if s == statusFailed {
		return "failed"
	}
	return "waiting"
}

// statusRequest is a request with an optional status, as the API's list
// filters are.
type statusRequest struct {
	TaskNo string  `url:"TaskNo"`
	Status *status `url:"TaskStatus,omitempty"`
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
	ps, lang, err := EncodeRequest(&r)
	require.NoError(t, err)
	require.Equal(t, "zh", lang, "Lang is resolved with the common parameters, not sent twice")
	require.Equal(t, []string{"CA", "D", "DomainList", "M", "Tag.1", "Tag.2", "ZC"}, keysOf(ps))
	v, _ := url.PathUnescape(ps[2].Value)
	// As the official SDK writes JSON parameters (docs/wire.md, Parameters sent as JSON): no HTML escaping.
	require.Equal(t, `[{"name":"a.com"},{"name":"b&c"}]`, v)
	require.Equal(t, "1700000000123", ps[3].Value)

	var zero req
	ps, _, err = EncodeRequest(&zero)
	require.NoError(t, err)
	require.Equal(t, []string{"CA", "D", "DomainList", "ZC"}, keysOf(ps), "a zero time is never encoded")
}

// A JSON parameter is written as the official SDKs write it: no HTML
// escaping of <, > and &.
func TestMarshalJSONParam(t *testing.T) {
	type item struct{ Action, DomainName string }
	b, err := marshalJSONParam([]item{{Action: "a&b<c>", DomainName: "x"}})
	require.NoError(t, err)
	require.Equal(t, `[{"Action":"a&b<c>","DomainName":"x"}]`, string(b))
}

func TestEncodeRefusesWhatItCannotWrite(t *testing.T) {
	type badTime struct {
		T time.Time `url:"T"`
	}
	_, _, err := EncodeRequest(&badTime{})
	require.ErrorContains(t, err, "unixmilli")
	type overlap struct {
		L  []string `url:"L"`
		L2 string   `url:"L.x"`
	}
	_, _, err = EncodeRequest(&overlap{})
	require.ErrorContains(t, err, "overlap")
	_, _, err = EncodeRequest(42)
	require.Error(t, err)
}

// CloneRequest copies what a pointer field points at.
func TestCloneRequest(t *testing.T) {
	st := statusFailed
	r := statusRequest{TaskNo: "T", Status: &st}
	c := CloneRequest(r)
	st = statusWaiting
	require.Equal(t, statusFailed, *c.Status)
	require.True(t, strings.HasPrefix(c.TaskNo, "T"))
}
