package alidomaintest

import (
	"strings"

	"golang.org/x/net/idna"

	"github.com/alidomain/alidomain/internal/wire"
)

// Names are compared in the client's canonical form (wire.CanonicalName:
// IDNA ASCII, lower case, no surrounding space or trailing dot), so the
// simulator and the client cannot disagree on which names are one domain.

// unicodeName is the lower-case Unicode form of a canonical name.
func unicodeName(key string) string {
	if u, err := idna.Lookup.ToUnicode(key); err == nil {
		return strings.ToLower(u)
	}
	return key
}

// nameMatcher reports whether a domain matches a DomainName filter of
// QueryDomainList: a part of its name, in either form.
func nameMatcher(filter string) func(key string) bool {
	filter = strings.TrimSpace(filter)
	if filter == "" {
		return func(string) bool { return true }
	}
	ascii, lower := wire.CanonicalName(filter), strings.ToLower(filter)
	return func(key string) bool {
		return strings.Contains(key, ascii) || strings.Contains(unicodeName(key), lower)
	}
}

// wellFormedName reports whether name is a domain name an order may carry:
// no surrounding space, and an IDNA form of at least two labels, each of
// 1 to 63 letters, digits and inner hyphens, 253 bytes at most, under a
// top-level domain that is not all digits. The service documents no exact
// rule; this one refuses what is certainly not a name ("not a name!",
// "a..com", "com", "1.2.3.4").
func wellFormedName(name string) bool {
	if name == "" || strings.TrimSpace(name) != name {
		return false
	}
	a, err := idna.Lookup.ToASCII(strings.TrimSuffix(name, "."))
	if err != nil || len(a) > 253 {
		return false
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i] | 0x20
			if !('a' <= c && c <= 'z' || '0' <= l[i] && l[i] <= '9' || l[i] == '-') {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}
