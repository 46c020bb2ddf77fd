package redact

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// codeSecret is a transfer AuthorizationCode with the characters HTML,
// XML, JSON and percent-encoding all change.
const codeSecret = "K7#pQ2&xL<9>mZ!w"

// tokenSecret is an STS token with the characters of base64.
const tokenSecret = "CAIS/tok+en==0123456789abcdefXYZ"

// encoder is one way a server may write a text, built independently of
// the decoders under test.
type encoder struct {
	name string
	enc  func(string) string
}

// pct percent-encodes every byte of s that keep does not accept, with
// lower- or upper-case hex.
func pct(s string, lower bool, keep func(byte) bool) string {
	digits := "0123456789ABCDEF"
	if lower {
		digits = "0123456789abcdef"
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if keep(s[i]) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte('%')
		b.WriteByte(digits[s[i]>>4])
		b.WriteByte(digits[s[i]&15])
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// uEscape writes every rune of s as \uXXXX (surrogate pairs beyond the BMP).
func uEscape(s string, lower bool) string {
	f := "\\u%04X"
	if lower {
		f = "\\u%04x"
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			fmt.Fprintf(&b, f+f, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, f, r)
	}
	return b.String()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// numericRefs writes every rune of s as a character reference.
func numericRefs(s string, hex bool) string {
	var b strings.Builder
	for _, r := range s {
		if hex {
			fmt.Fprintf(&b, "&#x%X;", r)
		} else {
			fmt.Fprintf(&b, "&#%03d;", r)
		}
	}
	return b.String()
}

var encoders = []encoder{
	{"raw", func(s string) string { return s }},
	{"rfc3986", func(s string) string { return pct(s, false, unreserved) }},
	{"rfc3986-lower", func(s string) string { return pct(s, true, unreserved) }},
	{"every-byte-lower", func(s string) string { return pct(s, true, func(byte) bool { return false }) }},
	{"query", url.QueryEscape},
	{"path", url.PathEscape},
	{"html", html.EscapeString},
	{"html-quot", func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
	}},
	{"xml", xmlEscape},
	{"refs-dec", func(s string) string { return numericRefs(s, false) }},
	{"refs-hex", func(s string) string { return numericRefs(s, true) }},
	{"json", jsonString},
	{"json-u-all", func(s string) string { return uEscape(s, false) }},
	{"json-u-all-lower", func(s string) string { return uEscape(s, true) }},
}

// Every encoding of a secret, and every two of them in a row (JSON in a
// URL, a URL in HTML, a string to sign encoded twice), is redacted
// exactly: the encoded bytes and nothing around them.
func TestRedactsEveryEncoding(t *testing.T) {
	set := New(codeSecret, tokenSecret)
	for _, secret := range []string{codeSecret, tokenSecret} {
		for _, e1 := range encoders {
			for _, e2 := range encoders {
				form := e2.enc(e1.enc(secret))
				text := "before " + form + " after"
				if got := set.Redact(text); got != "before "+Mark+" after" {
					t.Errorf("%s then %s: Redact(%q) = %q", e1.name, e2.name, text, got)
				}
			}
		}
	}
	// Four layers: JSON in a string to sign (encoded twice) in a page.
	form := html.EscapeString(jsonString(url.QueryEscape(pct(codeSecret, true, unreserved))))
	if got := set.Redact("<p>" + form + "</p>"); got != "<p>"+Mark+"</p>" {
		t.Errorf("four layers: %q", got)
	}
}

// Any prefix of 8 bytes or more is redacted, in any encoding; 7 bytes
// are kept, so that short harmless words are not.
func TestRedactsPrefixesFromMinPrefix(t *testing.T) {
	set := New(codeSecret)
	for n := MinPrefix; n < len(codeSecret); n++ {
		for _, e := range encoders {
			text := "x=" + e.enc(codeSecret[:n]) + "\n"
			if got := set.Redact(text); got != "x="+Mark+"\n" {
				t.Errorf("%d bytes, %s: Redact(%q) = %q", n, e.name, text, got)
			}
		}
	}
	short := "x=" + codeSecret[:MinPrefix-1] + "\n"
	if got := set.Redact(short); got != short {
		t.Errorf("a %d-byte prefix was redacted: %q", MinPrefix-1, got)
	}
	// A secret shorter than MinPrefix is redacted whole.
	if got := New("ab&cd").Redact("v=ab&amp;cd;"); got != "v="+Mark+";" {
		t.Errorf("short secret: %q", got)
	}
}

// A whole text (a signed query) is redacted whole, in any encoding, but
// not by its prefixes, which are harmless parameters.
func TestAddWholeMatchesOnlyWhole(t *testing.T) {
	query := "AccessKeyId=id&Action=X&SignatureNonce=n1&Timestamp=2026-01-01T00%3A00%3A00Z"
	set := &Set{}
	set.AddWhole(query)
	for _, e := range encoders {
		for _, form := range []string{e.enc(query), e.enc(strings.ReplaceAll(query, "%3A", "%3a"))} {
			if got := set.Redact("GET /?" + form + " failed"); got != "GET /?"+Mark+" failed" {
				t.Errorf("%s: %q", e.name, got)
			}
		}
	}
	part := "GET /?" + query[:30] + " failed"
	if got := set.Redact(part); got != part {
		t.Errorf("a part of a whole text was redacted: %q", got)
	}
}

// A space and a '+' match each other: a form writes a space as '+', and a
// server that decodes a form turns a '+' into a space.
func TestSpaceAndPlusMatch(t *testing.T) {
	set := New("pass word+2026/x")
	for _, text := range []string{"pass+word%2B2026%2Fx", "pass word 2026/x", "pass+word+2026/x"} {
		if got := set.Redact("[" + text + "]"); got != "["+Mark+"]" {
			t.Errorf("%q: %q", text, got)
		}
	}
}

// Values written after a secret's name are redacted whatever the set,
// raw or once or twice encoded; other parameters and prose are kept.
func TestRedactsSecretParameterValues(t *testing.T) {
	for in, want := range map[string]string{
		"x?Signature=zzz&a=b":                                  "x?Signature=" + Mark + "&a=b",
		`{"AccessKeySecret":"s3cr3t","x":1}`:                   `{"AccessKeySecret":"` + Mark + `","x":1}`,
		"AuthorizationCode=abc-123; next":                      "AuthorizationCode=" + Mark + "; next",
		"OrderTransferParam.1.AuthorizationCode=abc&x=1":       "OrderTransferParam.1.AuthorizationCode=" + Mark + "&x=1",
		"a%26SecurityToken%3Dtok%26b":                          "a%26SecurityToken%3D" + Mark + "%26b",
		"SecurityToken%253Dtok%2526b":                          "SecurityToken%253D" + Mark + "%2526b",
		"a%26securitytoken%3dtok%26b":                          "a%26securitytoken%3d" + Mark + "%26b",
		"Password=hunter2&User=u":                              "Password=" + Mark + "&User=u",
		"NewPassword: hunter2 is weak":                         "NewPassword: " + Mark + " is weak",
		`{\u0022OIDCToken\u0022:\u0022eyJ.x\u0022}`:            `{\u0022OIDCToken\u0022:\u0022` + Mark + `\u0022}`,
		"x-acs-security-token: tok":                            "x-acs-security-token: " + Mark,
		"SignatureMethod=HMAC-SHA1&SignatureNonce=ab":          "SignatureMethod=HMAC-SHA1&SignatureNonce=ab",
		"the signature you provided is wrong":                  "the signature you provided is wrong",
		`{"Code":"InvalidSecurityToken.Expired","Message":""}`: `{"Code":"InvalidSecurityToken.Expired","Message":""}`,
		"securitytoken: abc def":                               "securitytoken: " + Mark + " def",
		"AccessKeyId=testid&Action=X":                          "AccessKeyId=testid&Action=X",
	} {
		for _, set := range []*Set{nil, {}, New("unrelated-secret")} {
			if got := set.Redact(in); got != want {
				t.Errorf("Redact(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"AuthorizationCode": true, "OrderTransferParam.1.AuthorizationCode": true, "authorizationcode": true,
		"Password": true, "NewPassword": true, "PASSWORD_HASH": true, "AccessKeySecret": true, "ClientSecret": true,
		"SecurityToken": true, "OIDCToken": true, "token": true, "DomainName": false, "Signature": false,
		"RegistrantProfileId": false, "Lang": false, "": false,
	} {
		if got := SecretName(name); got != want {
			t.Errorf("SecretName(%q) = %v", name, got)
		}
	}
}

// A text longer than MaxInput is cut before it is examined; a hostile text
// full of nested escapes is still redacted.
func TestRedactIsBounded(t *testing.T) {
	set := New(tokenSecret)
	huge := strings.Repeat("é", MaxInput) + tokenSecret
	got := set.Redact(huge)
	if len(got) > MaxInput || !utf8.ValidString(got) {
		t.Errorf("a %d-byte input gave %d bytes (valid UTF-8: %v)", len(huge), len(got), utf8.ValidString(got))
	}
	nested := strings.Repeat("%25&amp;\\\\u0026", MaxInput/15+1) + url.QueryEscape(url.QueryEscape(tokenSecret))
	got = set.Redact(nested[len(nested)-MaxInput:])
	if strings.Contains(got, "CAIS") || !strings.Contains(got, Mark) {
		t.Errorf("the token survives a hostile prefix: %.200q", got[len(got)-200:])
	}
}

// printable reports whether s is valid UTF-8 without control characters:
// what a secret is, and what every encoder keeps intact.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			return false
		}
	}
	return true
}

// FuzzRedact embeds a secret, or a prefix of MinPrefix bytes or more of
// it, in random text under a random chain of up to three encodings, and
// checks that the output holds the secret in none of the encodings.
func FuzzRedact(f *testing.F) {
	f.Add(codeSecret, "Message: ", " is invalid", []byte{6, 4}, uint8(0))
	f.Add(tokenSecret, `{"x":"`, `"}`, []byte{11, 1, 1}, uint8(20))
	f.Add(codeSecret, "", "", []byte{8}, uint8(10))
	f.Add("a b+c/d=e&f<g>h'i\"j", "%", "&", []byte{4, 12, 6}, uint8(9))
	f.Fuzz(func(t *testing.T, secret, pre, post string, chain []byte, cut uint8) {
		if !printable(secret) || strings.TrimSpace(secret) == "" || len(chain) > 3 || strings.Contains(pre+post, "\n") {
			return
		}
		embedded := secret
		if n := int(cut); n >= MinPrefix && n < len(secret) && utf8.RuneStart(secret[n]) {
			embedded = secret[:n]
		}
		for _, c := range chain {
			embedded = encoders[int(c)%len(encoders)].enc(embedded)
		}
		// The newlines keep pre and post from completing an escape that
		// begins or ends in the embedded text.
		out := New(secret).Redact(pre + "\n" + embedded + "\n" + post)
		// A secret could also be spelled across a Mark (it may hold "]").
		out = strings.ReplaceAll(out, Mark, "\n")
		forms := []string{embedded}
		for _, e := range encoders {
			forms = append(forms, e.enc(secret))
		}
		for _, form := range forms {
			if strings.Contains(out, form) {
				t.Fatalf("secret %q as %q survives in %q", secret, form, out)
			}
		}
	})
}

// BenchmarkRedact measures a failed attempt's scrubbing: a typical
// SignatureDoesNotMatch message, and a hostile 128 KiB text of nested
// escapes (the bound of the work).
func BenchmarkRedact(b *testing.B) {
	set := New(tokenSecret, codeSecret, "sig/abc+def=0123456789")
	set.AddWhole("AccessKeyId=id&Action=X&SecurityToken=" + url.QueryEscape(tokenSecret))
	typical := `{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26Action%3DX%26SecurityToken%3DCAIS%252Ftok","RequestId":"R"}`
	nested := strings.Repeat("%25&amp;\\\\u0026", MaxInput/15+1)
	for name, text := range map[string]string{"typical": typical, "hostile": nested[:MaxInput]} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				set.Redact(text)
			}
		})
	}
}
