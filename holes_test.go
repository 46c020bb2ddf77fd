package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// holeToken is a long STS token with characters that every encoding changes.
const holeToken = "CAIS/holeToken+Value==0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/abcdefghijklmnopqrstuv"

// holeSecret is the AccessKeySecret of these tests.
const holeSecret = "hole/Secret+Key=0123456789"

// leakForms returns s as it could appear in text: raw, percent-encoded once
// and twice (RFC 3986, form-encoded with + and %2B, path-encoded), and
// with lower-case hex.
func leakForms(s string) []string {
	forms := []string{s, wire.Escape(s), wire.Escape(wire.Escape(s)), url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s)), url.PathEscape(s)}
	for _, f := range forms[:] {
		forms = append(forms, lowerHex(f))
	}
	return forms
}

// lowerHex lower-cases the hex digits of percent-escapes in s.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for j := i + 1; j <= i+2; j++ {
				if 'A' <= b[j] && b[j] <= 'F' {
					b[j] += 'a' - 'A'
				}
			}
		}
	}
	return string(b)
}

// assertNoLeak fails when text holds the token, the secret or sig in any
// form, or 12 bytes or more of the start of any form of them.
func assertNoLeak(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range leakForms(s) {
			if len(f) >= 12 {
				require.NotContains(t, text, f[:12], "a prefix of %q leaks", f)
			}
			require.NotContains(t, text, f)
		}
	}
	require.NotContains(t, text, "\n", "errors are one line")
}

func holeSetup(t *testing.T, optFns ...func(*Options)) (*Client, *testServer) {
	c, ts := setup(t, append([]func(*Options){func(o *Options) {
		o.Credentials = StaticSTSCredentials(testKeyID, holeSecret, holeToken)
	}}, optFns...)...)
	ts.secret = holeSecret
	return c, ts
}

// An http.Client whose RoundTripper calls another client puts a *url.Error
// with the full URL inside the outer one; a doer's own error names the URL
// (as retry libraries' errors do). Neither leaks the query, the token or
// the Signature (issue 9).
func TestNestedURLErrorsAndDoerErrorsAreScrubbed(t *testing.T) {
	closed := listenClosed(t)
	var sigs []string
	nested := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sigs = append(sigs, r.URL.Query().Get("Signature"))
		inner, _ := http.NewRequest(http.MethodPost, closed+"?"+r.URL.RawQuery, nil)
		return http.DefaultClient.Do(inner)
	})}
	retryLib := doerFunc(func(r *http.Request) (*http.Response, error) {
		sigs = append(sigs, r.URL.Query().Get("Signature"))
		return nil, fmt.Errorf("giving up after 3 attempts: POST %s: dial tcp: connection refused; last request %s; form %s", r.URL, url.QueryEscape(r.URL.String()), url.QueryEscape(url.QueryEscape(r.URL.RawQuery)))
	})
	for name, hc := range map[string]HTTPDoer{"nested client": nested, "retry library": retryLib} {
		t.Run(name, func(t *testing.T) {
			sigs = nil
			c, _ := holeSetup(t, func(o *Options) { o.HTTPClient = hc })
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.Error(t, err)
			_, _, rerr := invokeRead(c, context.Background())
			require.Error(t, rerr)
			require.NotEmpty(t, sigs)
			for _, e := range []error{err, rerr} {
				text := e.Error() + fmt.Sprintf(" %v %+v %#v", e, e, e)
				for u := e; u != nil; u = errors.Unwrap(u) {
					text += " " + u.Error()
				}
				var ue *url.Error
				if errors.As(e, &ue) {
					text += " " + ue.URL + " " + ue.Error()
				}
				assertNoLeak(t, text, append([]string{holeToken, holeSecret}, sigs...)...)
				assert.NotContains(t, text, "SignatureNonce=", "the signed query leaks")
			}
			assert.Contains(t, rerr.Error(), "connection refused", "the failure is still described")
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A proxy's page quoting the URL is scrubbed before its excerpt is cut, so
// no part of the token survives the cut; an echoed Signature is redacted.
func TestErrorExcerptsAreScrubbedBeforeCutting(t *testing.T) {
	for _, pad := range []int{0, 60, 120, 180, 200, 230, 250} {
		t.Run(fmt.Sprint(pad), func(t *testing.T) {
			c, ts := holeSetup(t)
			var sig string
			ts.handle(actionBatch, func(w http.ResponseWriter, r *http.Request) {
				sig = r.URL.Query().Get("Signature")
				w.WriteHeader(502)
				fmt.Fprintf(w, "<html><body><h1>502 Bad Gateway</h1>%s<p>upstream failed for %s</p><p>echo Signature=%s SecurityToken: %s</p></body></html>",
					strings.Repeat("x", pad), r.URL.String(), url.QueryEscape(sig), holeToken)
			})
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, ae.Message, "502 Bad Gateway")
			assertNoLeak(t, err.Error()+" "+ae.Message, holeToken, holeSecret, sig)
		})
	}
}

// A SignatureDoesNotMatch message the server truncated holds only a prefix
// of the escaped token; it is redacted, by name and by prefix.
func TestTruncatedSignatureMismatchLeaksNoTokenPrefix(t *testing.T) {
	for _, cut := range []int{14, 30, 60, 100} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			c, ts := holeSetup(t)
			tok := wire.Escape(wire.Escape(holeToken))
			sts := "POST&%2F&AccessKeyId%3Dtestid%26Action%3DSaveBatchTaskForCreatingOrderRedeem%26SecurityToken%3D" + tok[:cut]
			ts.reply(actionBatch, 400, fmt.Sprintf(`{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:%s","RequestId":"R"}`, sts))
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.ErrorIs(t, err, ErrAuth)
			assertNoLeak(t, err.Error(), holeToken, holeSecret)
			assert.NotContains(t, err.Error(), tok[:cut])
			assert.Contains(t, err.Error(), "AccessKeyId%3Dtestid", "the harmless part is kept")

			// The same prefix without a parameter name.
			ts.reply(actionBatch, 400, fmt.Sprintf(`{"Code":"SignatureDoesNotMatch","Message":"string to sign ends with %s","RequestId":"R"}`, tok[:max(cut, 12)]))
			_, err = c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.ErrorIs(t, err, ErrAuth)
			assert.NotContains(t, err.Error(), tok[:max(cut, 12)])
		})
	}
}

// The scrubber's forms: raw, percent-encoded once and twice, form-encoded
// with +, lower-case hex; and secret parameters by name whatever the value.
func TestScrubberForms(t *testing.T) {
	creds := Credentials{AccessKeyID: "id", AccessKeySecret: holeSecret, SecurityToken: holeToken}
	query := "AccessKeyId=id&Action=X&SecurityToken=" + wire.Escape(holeToken) + "&SignatureNonce=n&Signature=abc%2Bdef%2F%3D"
	sc := newScrubber(&creds, query, nil, nil)
	for _, f := range append(leakForms(holeToken), append(leakForms(holeSecret), leakForms("abc+def/=")...)...) {
		got := sc.scrub("before " + f + " after")
		assert.Equal(t, "before "+redacted+" after", got, "form %q", f)
	}
	for in, want := range map[string]string{
		"x?Signature=zzz&a=b":                         "x?Signature=" + redacted + "&a=b",
		`{"AccessKeySecret":"s3cr3t","x":1}`:          `{"AccessKeySecret":"` + redacted + `","x":1}`,
		"AuthorizationCode=abc-123; next":             "AuthorizationCode=" + redacted + "; next",
		"a%26SecurityToken%3Dtok%26b":                 "a%26SecurityToken%3D" + redacted + "%26b",
		"SecurityToken%253Dtok%2526b":                 "SecurityToken%253D" + redacted + "%2526b",
		"SignatureMethod=HMAC-SHA1&SignatureNonce=ab": "SignatureMethod=HMAC-SHA1&SignatureNonce=ab",
		"the signature you provided is wrong":         "the signature you provided is wrong",
		"securitytoken: abc def":                      "securitytoken: " + redacted + " def",
	} {
		assert.Equal(t, want, (*scrubber)(nil).scrub(in), "scrub(%q)", in)
	}
}

// A RequestId or Message of 1 MB does not make a 1 MB error: every field is
// bounded, and the error stays on one line.
func TestHugeFieldsAreBounded(t *testing.T) {
	huge := strings.Repeat("R", 1<<20)
	hugeLines := strings.Repeat("line\n", 1<<18)
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"huge RequestId", 400, fmt.Sprintf(`{"Code":"InvalidParameter","Message":"bad","RequestId":%q}`, huge)},
		{"huge Message", 400, fmt.Sprintf(`{"Code":"InvalidParameter","Message":%q,"RequestId":"R"}`, hugeLines)},
		{"huge Code", 400, fmt.Sprintf(`{"Code":%q,"Message":"m","RequestId":"R","HostId":%q,"Recommend":%q}`, huge, huge, huge)},
		{"huge RequestId on 200", 200, fmt.Sprintf(`{"RequestId":%q}`, huge)},
		{"huge non-JSON body", 502, hugeLines},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply(actionBatch, tc.status, tc.body)
			_, err := c.Redeem.SubmitBatch(context.Background(), twoDomains())
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 8<<10, "a %d-byte error", len(err.Error()))
			assert.NotContains(t, err.Error(), "\n")
			var ae *APIError
			if errors.As(err, &ae) {
				for _, f := range []string{ae.Code, ae.Message, ae.RequestID, ae.HostID, ae.Recommend} {
					assert.LessOrEqual(t, len(f), maxField+len(truncatedMark))
				}
			}
		})
	}
	// A transport error text of 1 MB, from a doer.
	c, _ := setup(t, func(o *Options) {
		o.HTTPClient = doerFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New(hugeLines) })
	})
	_, _, err := invokeRead(c, context.Background())
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 8<<10)
	assert.NotContains(t, err.Error(), "\n")
}

// Scrubbed errors still match what the original matched.
func TestScrubbedErrorsKeepMatching(t *testing.T) {
	sentinel := errors.New("sentinel")
	c, _ := setup(t, func(o *Options) {
		o.HTTPClient = doerFunc(func(*http.Request) (*http.Response, error) {
			return nil, fmt.Errorf("wrapped: %w", sentinel)
		})
	})
	_, _, err := invokeRead(c, context.Background())
	require.ErrorIs(t, err, sentinel)
	_, err = io.ReadAll(strings.NewReader(""))
	require.NoError(t, err)
}

// A decoder's error about a hostile 2xx body (an XML element name of 1 MB)
// is bounded too.
func TestDecodeErrorsAreBounded(t *testing.T) {
	c, ts := setup(t)
	name := strings.Repeat("A", 1<<20)
	ts.reply("QueryTaskList", 200, "<"+name+"></b>")
	_, _, err := invokeRead(c, context.Background())
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 8<<10, "a %d-byte error", len(err.Error()))
}
