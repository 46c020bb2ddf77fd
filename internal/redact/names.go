package redact

import "bytes"

// nameWords are the words that make a parameter's name mark a secret.
var nameWords = [...]string{"authorizationcode", "password", "secret", "token"}

// SecretName reports whether a parameter named name holds a secret: its
// name contains, in any case, AuthorizationCode, Password, Secret or Token
// (OrderTransferParam.1.AuthorizationCode, NewPassword, AccessKeySecret,
// SecurityToken, OIDCToken).
func SecretName(name string) bool {
	ln := lowerASCII([]byte(name))
	for _, w := range nameWords {
		if bytes.Contains(ln, []byte(w)) {
			return true
		}
	}
	return false
}

// paramValues returns where, in b, the value of a secret parameter is
// written after its name: Name=value, Name%3Dvalue (and twice encoded),
// "Name":"value", Name: value, up to the next delimiter. The names are
// those SecretName accepts (letters, digits and '_' may follow the word),
// and Signature itself.
func paramValues(b []byte) []span {
	ls := lowerASCII(b)
	var spans []span
	find := func(word string, more bool) {
		w := []byte(word)
		for from := 0; ; {
			i := bytes.Index(ls[from:], w)
			if i < 0 {
				return
			}
			p := from + i + len(w)
			from = p
			for more && p < len(ls) && (ls[p] == '_' || 'a' <= ls[p] && ls[p] <= 'z' || '0' <= ls[p] && ls[p] <= '9') {
				p++
			}
			v := valueStart(ls, p)
			if v < 0 {
				continue
			}
			if end := valueEnd(ls, v); end > v {
				spans = append(spans, span{v, end})
				from = end
			}
		}
	}
	for _, w := range nameWords {
		find(w, true)
	}
	find("signature", false) // not SignatureNonce, SignatureMethod...
	return spans
}

// valueStart returns where the value after a parameter name at p begins,
// or -1 when no separator follows the name.
func valueStart(ls []byte, p int) int {
	p = skipQuotes(ls, p)
	found := false
	for _, sep := range [...]string{"=", ":", "%3d", "%253d", "%25253d"} {
		if bytes.HasPrefix(ls[p:], []byte(sep)) {
			p += len(sep)
			found = true
			break
		}
	}
	if !found {
		return -1
	}
	for p < len(ls) && ls[p] == ' ' {
		p++
	}
	return skipQuotes(ls, p)
}

// skipQuotes skips quotes, escaped or not, at p.
func skipQuotes(ls []byte, p int) int {
	for {
		switch {
		case bytes.HasPrefix(ls[p:], []byte(`\"`)):
			p += 2
		case bytes.HasPrefix(ls[p:], []byte("%22")):
			p += 3
		case p < len(ls) && (ls[p] == '"' || ls[p] == '\'' || ls[p] == '\\'):
			p++
		default:
			return p
		}
	}
}

// valueDelims end a value when percent-encoded (once, twice, thrice).
var valueDelims = [...]string{"%26", "%2526", "%252526", "%20", "%2520", "%22", "%2522"}

// valueEnd returns where the value that starts at v ends.
func valueEnd(ls []byte, v int) int {
	for p := v; p < len(ls); p++ {
		switch ls[p] {
		case '&', ' ', '\t', '\r', '\n', '"', '\'', '<', '>', ',', ';', ')', ']', '}', '\\':
			return p
		case '%':
			for _, d := range valueDelims {
				if bytes.HasPrefix(ls[p:], []byte(d)) {
					return p
				}
			}
		}
	}
	return len(ls)
}

// lowerASCII returns b with its ASCII letters lower-cased, keeping its
// length (b itself when it has no upper-case letter).
func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			l := bytes.Clone(b)
			for j := i; j < len(l); j++ {
				if 'A' <= l[j] && l[j] <= 'Z' {
					l[j] += 'a' - 'A'
				}
			}
			return l
		}
	}
	return b
}
