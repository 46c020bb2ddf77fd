package wire

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Domain names are compared in one canonical form: IDNA ASCII (punycode),
// lower case, no trailing dot. So 例子.cn, XN--FSQU00A.cn and xn--fsqu00a.cn
// are one domain, in a batch's duplicate check, in Reconcile and in the
// simulator, which compares names in this same form.

// CanonicalName returns name's canonical form. A name that has none (it
// fails IDNA) is returned lower-cased and trimmed, so that it still equals
// itself; validation refuses such names before anything is sent.
func CanonicalName(name string) string {
	name = strings.TrimSuffix(strings.TrimSpace(name), ".")
	if isLowerLDH(name) {
		return name // the common case, without allocating
	}
	if a, err := ToASCII(name); err == nil {
		return a
	}
	return strings.ToLower(name)
}

// ToASCII converts name to lower-case IDNA ASCII; names that do not
// NeedIDNA skip the IDNA tables.
func ToASCII(name string) (string, error) {
	if !NeedsIDNA(name) {
		return strings.ToLower(name), nil
	}
	a, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return "", err
	}
	return strings.ToLower(a), nil
}

// NeedsIDNA reports whether name has a byte outside ASCII or a punycode
// label: only such a name has an ASCII form other than its lower case.
func NeedsIDNA(name string) bool {
	return !isASCII(name) || hasPunycodeLabel(name)
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
