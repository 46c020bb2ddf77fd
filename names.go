package alidomain

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/alidomain/alidomain/internal/wire"
)

// What makes a string a domain name the API can take, beyond its
// characters (checkDomainName): its form and its IDNA ASCII form.

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
	if !wire.NeedsIDNA(name) {
		return ""
	}
	a, err := wire.ToASCII(name)
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
