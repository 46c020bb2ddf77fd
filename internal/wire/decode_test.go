package wire

import (
	"encoding/json"
	"encoding/xml"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDecodeListJSONShapes(t *testing.T) {
	type item struct{ A int }
	for _, tc := range []struct {
		in   string
		want []item
	}{
		{`null`, nil},
		{`""`, nil},
		{`{}`, nil},
		{` { } `, nil},
		{`[]`, nil},
		{`{"X":[]}`, nil},
		{`{"X":{}}`, nil},
		{`{"X":""}`, nil},
		{`{"X":null}`, nil},
		{`{"Other":[{"A":1}]}`, nil},
		{`{"X":[{"A":1},{"A":2}]}`, []item{{1}, {2}}},
		{`{"x":[{"A":1}]}`, []item{{1}}},
		{`{"X":{"A":3}}`, []item{{3}}},
		{`[{"A":4}]`, []item{{4}}},
	} {
		got, err := DecodeListJSON[item]([]byte(tc.in), "X")
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	for _, in := range []string{`"abc"`, `12`, `{"X":"abc"}`, `{"X":5}`, `{"X":[1]}`} {
		_, err := DecodeListJSON[item]([]byte(in), "X")
		require.Error(t, err, in)
	}
}

func TestParseServiceTime(t *testing.T) {
	want := time.Date(2024, 3, 5, 2, 4, 5, 0, time.UTC) // 10:04:05 in UTC+8
	for _, in := range []string{
		"2024-03-05 10:04:05",
		"2024-03-05T02:04:05Z",
		"2024-03-05T10:04:05+08:00",
		"Mar 5,2024 10:04:05",
		"1709604245000",
	} {
		got, err := ParseServiceTime(in)
		require.NoError(t, err, in)
		require.True(t, want.Equal(got), "%s: got %v", in, got)
		require.Equal(t, time.UTC, got.Location(), in)
	}
	got, err := ParseServiceTime("")
	require.NoError(t, err)
	require.True(t, got.IsZero())
	_, err = ParseServiceTime("yesterday")
	require.Error(t, err)
}

// TestFlexScalarsJSONXMLAgree pins what FuzzListJSONXMLAgree found: the
// tolerant scalars must read a value's text the same way whether it came as
// a JSON string or as XML character data. JSON strings are unquoted (escapes
// decoded), not stripped of quote characters; XML text is not parsed as
// JSON, so a stray quote is an error, not 0; space around XML text is
// ignored as it is in "12 " JSON strings.
func TestFlexScalarsJSONXMLAgree(t *testing.T) {
	for _, tc := range []struct {
		json, xml string
		want      int64
		ok        bool
	}{
		{`12`, `<X>12</X>`, 12, true},
		{`"12"`, `<X>12</X>`, 12, true},
		{`" 12 "`, `<X> 12 </X>`, 12, true},
		{`"1\u0032"`, `<X>&#49;2</X>`, 12, true},
		{`""`, `<X></X>`, 0, true},
		{`null`, `<X/>`, 0, true},
		{`1.7e12`, `<X>1.7e12</X>`, 1_700_000_000_000, true},
		{`"\""`, `<X>"</X>`, 0, false},
		{`"\"12\""`, `<X>"12"</X>`, 0, false},
		{`"1.5"`, `<X>1.5</X>`, 0, false},
	} {
		var j, x FlexInt
		ej := j.UnmarshalJSON([]byte(tc.json))
		ex := xml.Unmarshal([]byte(tc.xml), &x)
		if (ej == nil) != tc.ok || (ex == nil) != tc.ok || tc.ok && (int64(j) != tc.want || int64(x) != tc.want) {
			t.Errorf("FlexInt: JSON %s -> %d, %v; XML %s -> %d, %v; want %d, ok %v", tc.json, j, ej, tc.xml, x, ex, tc.want, tc.ok)
		}
		var oj, ox OptionalInt
		ej = oj.UnmarshalJSON([]byte(tc.json))
		ex = xml.Unmarshal([]byte(tc.xml), &ox)
		if (ej == nil) != tc.ok || (ex == nil) != tc.ok || oj != ox {
			t.Errorf("OptionalInt: JSON %s -> %+v, %v; XML %s -> %+v, %v", tc.json, oj, ej, tc.xml, ox, ex)
		}
	}
	for _, tc := range []struct {
		json, xml string
		want, ok  bool
	}{
		{`true`, `<X>true</X>`, true, true},
		{`"1"`, `<X> 1 </X>`, true, true},
		{`"\u0030"`, `<X>0</X>`, false, true},
		{`"\""`, `<X>"</X>`, false, false},
		{`"\"true\""`, `<X>"true"</X>`, false, false},
	} {
		var j, x FlexBool
		ej := j.UnmarshalJSON([]byte(tc.json))
		ex := xml.Unmarshal([]byte(tc.xml), &x)
		if (ej == nil) != tc.ok || (ex == nil) != tc.ok || tc.ok && (bool(j) != tc.want || bool(x) != tc.want) {
			t.Errorf("FlexBool: JSON %s -> %v, %v; XML %s -> %v, %v; want %v, ok %v", tc.json, j, ej, tc.xml, x, ex, tc.want, tc.ok)
		}
	}
}

// FuzzFlexInt checks that the tolerant integer decoder agrees with
// encoding/json on plain numbers and never panics.
func FuzzFlexInt(f *testing.F) {
	for _, s := range []string{`12`, `"12"`, `""`, `null`, `1e3`, `"x"`, `-7`, `1.5`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var n FlexInt
		err := n.UnmarshalJSON(b)
		var want int64
		if json.Unmarshal(b, &want) == nil && err == nil && int64(n) != want {
			t.Fatalf("FlexInt(%s) = %d, encoding/json says %d", b, n, want)
		}
	})
}

// FuzzFlexFloat checks the tolerant number decoder against strconv and
// encoding/json on plain numbers; it never gives NaN or an infinity.
func FuzzFlexFloat(f *testing.F) {
	for _, s := range []string{`16.22`, `"16.22"`, `""`, `null`, `1e400`, `"NaN"`, `-0`, `" 3 "`, `true`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v FlexFloat
		err := json.Unmarshal([]byte(s), &v)
		if err == nil && (math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)) {
			t.Fatalf("%q gave %v", s, v)
		}
		var plain float64
		if json.Unmarshal([]byte(s), &plain) == nil {
			if _, rangeErr := strconv.ParseFloat(s, 64); rangeErr == nil && (err != nil || float64(v) != plain) {
				t.Fatalf("%q: FlexFloat %v (%v), encoding/json %v", s, v, err, plain)
			}
		}
	})
}
