package alidomain

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Domain names are compared in one canonical form: IDNA ASCII (punycode),
// lower case, no trailing dot. So 例子.cn, XN--FSQU00A.cn and xn--fsqu00a.cn
// are one domain, in a batch's duplicate check and in Reconcile.

// canonicalName returns name's canonical form. A name that has none (it
// fails IDNA) is returned lower-cased and trimmed, so that it still equals
// itself; validation refuses such names before anything is sent.
func canonicalName(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if isLowerLDH(name) {
		return name // the common case, without allocating
	}
	if a, err := toASCII(name); err == nil {
		return a
	}
	return strings.ToLower(name)
}

// toASCII converts name to lower-case IDNA ASCII; ASCII names without a
// punycode label skip the IDNA tables.
func toASCII(name string) (string, error) {
	if isASCII(name) && !hasPunycodeLabel(name) {
		return strings.ToLower(name), nil
	}
	a, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", err
	}
	return strings.ToLower(a), nil
}

// isLowerLDH reports whether s holds only lower-case ASCII letters, digits,
// hyphens and dots, and no punycode label.
func isLowerLDH(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return !hasPunycodeLabel(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasPunycodeLabel reports whether a label of s starts with "xn--", in any
// case.
func hasPunycodeLabel(s string) bool {
	for rest, more := s, true; more; {
		var l string
		l, rest, more = strings.Cut(rest, ".")
		if len(l) >= 4 && strings.EqualFold(l[:4], "xn--") {
			return true
		}
	}
	return false
}

// checkNameForm returns why name, otherwise checked by checkDomainName, is
// not a domain name: an IP address, a trailing dot, an all-digit top-level
// domain. It returns "" for names that are fine so far.
func checkNameForm(name string) string {
	if strings.HasSuffix(name, ".") && len(name) > 1 {
		return strconv.Quote(name) + " has a trailing dot: give the name without it"
	}
	if strings.ContainsRune(name, ':') {
		if _, err := netip.ParseAddr(strings.Trim(name, "[]")); err == nil || strings.Count(name, ":") >= 2 {
			return strconv.Quote(name) + " is an IPv6 address, not a domain name"
		}
	}
	if isDigitsAndDots(name) {
		if _, err := netip.ParseAddr(name); err == nil {
			return strconv.Quote(name) + " is an IP address, not a domain name"
		}
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 && allDigits(name[i+1:]) {
		return strconv.Quote(name) + " has an all-digit top-level domain"
	}
	return ""
}

// checkIDNA returns why a name that passed checkDomainName has no valid
// IDNA ASCII form, or "".
func checkIDNA(name string) string {
	if isASCII(name) && !hasPunycodeLabel(name) {
		return ""
	}
	a, err := toASCII(name)
	if err != nil {
		return strconv.Quote(name) + " is not a valid internationalized domain name"
	}
	if len(a) > 253 {
		return strconv.Quote(name) + " is longer than 253 bytes in ASCII (punycode) form"
	}
	for rest, more := a, true; more; {
		var l string
		l, rest, more = strings.Cut(rest, ".")
		if len(l) > 63 {
			return strconv.Quote(name) + " has a label longer than 63 bytes in ASCII (punycode) form"
		}
	}
	return ""
}

func isDigitsAndDots(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
