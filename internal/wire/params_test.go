package wire

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/alidomain/alidomain/internal/sign/signtest"
)

func TestEscape(t *testing.T) {
	tests := map[string]string{
		"":                 "",
		"abcXYZ019-_.~":    "abcXYZ019-_.~",
		"a b":              "a%20b",
		"*":                "%2A",
		"~":                "~",
		"/":                "%2F",
		"+":                "%2B",
		"=":                "%3D",
		"&":                "%26",
		"%":                "%25",
		":":                "%3A",
		"中文":               "%E4%B8%AD%E6%96%87",
		"例子.中国":            "%E4%BE%8B%E5%AD%90.%E4%B8%AD%E5%9B%BD",
		"\x00\xff":         "%00%FF",
		"a+b=c&d e*f~g/h%": "a%2Bb%3Dc%26d%20e%2Af~g%2Fh%25",
	}
	for in, want := range tests {
		assert.Equal(t, want, Escape(in), "Escape(%q)", in)
		assert.Equal(t, want, string(AppendEscape(nil, in)), "AppendEscape(%q)", in)
		assert.Equal(t, want, signtest.Escape(in), "signtest.Escape(%q) (the reference itself)", in)
	}
}

// FuzzEscape checks the percent-encoder against url.PathUnescape (it must
// round-trip) and against the independent reference encoder.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "*~/+=&%", "中文", "\xff\x00", "OrderRedeemParam.1.DomainName"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		back, err := url.PathUnescape(e)
		if err != nil || back != s {
			t.Fatalf("Escape(%q) = %q does not round-trip: %q, %v", s, e, back, err)
		}
		for i := 0; i < len(e); i++ {
			if c := e[i]; !unreserved[c] && c != '%' {
				t.Fatalf("Escape(%q) = %q keeps reserved byte %q", s, e, c)
			}
		}
		if ref := signtest.Escape(s); ref != e {
			t.Fatalf("Escape(%q) = %q, reference gives %q", s, e, ref)
		}
	})
}
