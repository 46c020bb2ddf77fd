package alidomaintest

import (
	"strings"

	"golang.org/x/net/idna"
)

// canonicalName is the one form in which the Server compares domain names:
// IDNA ASCII (so 例子.cn and xn--fsqu00a.cn are one domain), lower case,
// without surrounding space or a trailing dot. A name IDNA refuses (an
// underscore, say) is only lower-cased.
func canonicalName(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if a, err := idna.Lookup.ToASCII(name); err == nil && a != "" {
		return strings.ToLower(a)
	}
	return strings.ToLower(name)
}

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
	ascii, lower := canonicalName(filter), strings.ToLower(filter)
	return func(key string) bool {
		return strings.Contains(key, ascii) || strings.Contains(unicodeName(key), lower)
	}
}
