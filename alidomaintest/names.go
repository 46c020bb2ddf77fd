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
