package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCanonicalName(t *testing.T) {
	for in, want := range map[string]string{
		"example.com":       "example.com",
		"Example.COM":       "example.com",
		"example.com.":      "example.com",
		"例子.cn":             "xn--fsqu00a.cn",
		"xn--fsqu00a.cn":    "xn--fsqu00a.cn",
		"XN--FSQU00A.CN":    "xn--fsqu00a.cn",
		"bücher.de":         "xn--bcher-kva.de",
		"BÜCHER.de":         "xn--bcher-kva.de",
		"xn--bcher-kva.DE":  "xn--bcher-kva.de",
		" spaced.example ":  "spaced.example",
		"abc.xn--p1ai":      "abc.xn--p1ai",
		"пример.рф":         "xn--e1afmkfd.xn--p1ai",
		"ПРИМЕР.xn--p1ai":   "xn--e1afmkfd.xn--p1ai",
		"sub.例子.cn":         "sub.xn--fsqu00a.cn",
		"a-b.example.co.uk": "a-b.example.co.uk",
		// The simulator's cases, now that it compares names in this form.
		" Example.COM. ":  "example.com",
		"under_score.com": "under_score.com",
		"例子.中国":           "xn--fsqu00a.xn--fiqs8s",
		"xn--fsqu00a.cn.": "xn--fsqu00a.cn",
	} {
		assert.Equal(t, want, CanonicalName(in), "CanonicalName(%q)", in)
	}
}
