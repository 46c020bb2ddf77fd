package alidomain

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// A batch naming one domain twice, in any mix of forms, is refused
// before anything is sent (issue 9).
func TestValidateRefusesOneDomainInTwoForms(t *testing.T) {
	for _, pair := range [][2]string{
		{"例子.cn", "xn--fsqu00a.cn"},
		{"xn--fsqu00a.cn", "例子.cn"},
		{"XN--FSQU00A.cn", "例子.CN"},
		{"bücher.de", "xn--bcher-kva.de"},
		{"BÜCHER.de", "bücher.de"},
		{"Example.com", "example.COM"},
	} {
		req := &BatchRedeemRequest{Domains: []RedeemDomain{
			{DomainName: pair[0], CurrentExpirationDate: exp1},
			{DomainName: "other.com", CurrentExpirationDate: exp1},
			{DomainName: pair[1], CurrentExpirationDate: exp2},
		}}
		err := req.Validate()
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), "%q and %q: %v", pair[0], pair[1], err)
		assert.Equal(t, "Domains[2].DomainName", ve.Field)
		assert.Contains(t, ve.Reason, "Domains[0]")
	}
	ok := &BatchRedeemRequest{Domains: []RedeemDomain{
		{DomainName: "例子.cn", CurrentExpirationDate: exp1},
		{DomainName: "xn--fsqu00a.com", CurrentExpirationDate: exp1},
		{DomainName: "bücher.de", CurrentExpirationDate: exp1},
	}}
	require.NoError(t, ok.Validate())
}

func TestCheckDomainNameRefusesAddressesAndTrailingDots(t *testing.T) {
	for name, want := range map[string]string{
		"1.2.3.4":          "IP address",
		"192.168.0.1":      "IP address",
		"::1":              "IPv6",
		"2001:db8::1":      "IPv6",
		"[2001:db8::1]":    "IPv6",
		"::ffff:1.2.3.4":   "IPv6",
		"a.com.":           "trailing dot",
		"例子.cn.":           "trailing dot",
		"example.123":      "all-digit top-level domain",
		"xn--zz.com":       "not a valid internationalized domain name",
		"xn--0.com":        "not a valid internationalized domain name",
		"a.com..":          "trailing dot",
		"www..example.com": "empty label",
	} {
		reason := checkDomainName(name)
		assert.Contains(t, reason, want, "checkDomainName(%q)", name)
		req := &RedeemRequest{DomainName: name, CurrentExpirationDate: exp1}
		var ve *ValidationError
		assert.True(t, errors.As(req.Validate(), &ve), name)
	}
	for _, name := range []string{"example.com", "例子.cn", "xn--fsqu00a.cn", "a1.b2.c3.io", "123.com", "bücher.de"} {
		assert.Empty(t, checkDomainName(name), name)
	}
	var b strings.Builder
	for i := range 21 {
		b.WriteRune(rune(0x4e00 + 397*i))
	}
	long := b.String() + ".cn" // a label of 63 bytes of UTF-8, longer in punycode
	require.Len(t, b.String(), 63)
	assert.Contains(t, checkDomainName(long), "63 bytes in ASCII")
}

// Lower-case ASCII names skip IDNA and allocate nothing.
func TestNamesFastPathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if wire.CanonicalName("sub.example-1.com") != "sub.example-1.com" || checkDomainName("sub.example-1.com") != "" {
			panic("wrong")
		}
	})
	assert.Zero(t, allocs)
}
