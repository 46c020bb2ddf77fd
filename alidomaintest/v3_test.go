package alidomaintest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// The inputs of docs/wire.md's V3 worked example.
const (
	v3Date     = "2023-03-13T08:34:30Z"
	v3Nonce    = "edb2b34af0af9a6d14deaf7c1a5315eb"
	v3Params   = "OrderRedeemParam.1.CurrentExpirationDate=1700000000000&OrderRedeemParam.1.DomainName=example.com&OrderRedeemParam.2.CurrentExpirationDate=1700086400000&OrderRedeemParam.2.DomainName=example.net&UseCoupon=false"
	emptyHash  = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	bodyHashB1 = "36262171c710a550e7dbda83fd608bb39ff236329131b35c5ba8ca0cc89839d4"
)

func v3Clock() time.Time { t, _ := time.Parse(time.RFC3339, v3Date); return t }

// workedExample builds the exact request of a §9.3 variant.
func workedExample(inBody, provider bool, auth string) *http.Request {
	target, body := "http://domain.aliyuncs.com/?"+v3Params, ""
	hash := emptyHash
	if inBody {
		target, body, hash = "http://domain.aliyuncs.com/", v3Params, bodyHashB1
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Header.Set("Authorization", auth)
	r.Header.Set("User-Agent", "AlibabaCloud (linux; amd64) Golang/1.26.8 Core/0.01 TeaDSL/2")
	r.Header.Set("accept", "application/json")
	r.Header.Set("x-acs-action", "SaveBatchTaskForCreatingOrderRedeem")
	r.Header.Set("x-acs-content-sha256", hash)
	r.Header.Set("x-acs-date", v3Date)
	r.Header.Set("x-acs-signature-nonce", v3Nonce)
	r.Header.Set("x-acs-version", "2018-01-29")
	if provider {
		r.Header.Set("x-acs-credentials-provider", "static_ak")
	}
	if inBody {
		r.Header.Set("content-type", "application/x-www-form-urlencoded")
	}
	return r
}

var workedExamples = []struct {
	name             string
	inBody, provider bool
	sts, auth        string
}{
	{"A1", false, false, "ACS3-HMAC-SHA256\n85ad72deb2de8eb1f0e4316d8dca657578e173be6d4629356995a19d31fbb4c7",
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e1ce0a967c87ce1b24cea4f909558d43ae61da66bcedc7902a2a100d0fc0339c"},
	{"A2", false, true, "ACS3-HMAC-SHA256\ndd06de9abf5d15b482d232f1c31167bd9c041dba8a04a6946347bd212d82ea3e",
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=705ca20adba55b3a00f82efd5369c1a5e721c22b29cecc30cf51781f5b618bc3"},
	{"B1", true, false, "ACS3-HMAC-SHA256\n4eff887088b77dce5cee75193362eb664b68370ca583115f307ffa665e0c453c",
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=57a780dc17770603319fe8b86c7f0e5d6ef28413be1e6d791f021a3089735908"},
	{"B2", true, true, "ACS3-HMAC-SHA256\n074df410d154e486661562dcd8471b28cc506886fa1e973a9c71732fb283504e",
		"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=f16d429060cab2113c441894a6ff220a7187ee0fd6ad8aa19ba937c7aef2aa4a"},
}

func serve(s *Server, r *http.Request) (*httptest.ResponseRecorder, map[string]any) {
	w := httptest.NewRecorder()
	s.serveHTTP(w, r)
	var m map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &m)
	return w, m
}

// Each worked example verifies with the right secret (and its parameters,
// in the query or the body, reach the action); with a wrong secret it is
// SignatureDoesNotMatch, and the message carries the string to sign of docs/wire.md's worked example.
func TestV3WorkedExamples(t *testing.T) {
	for _, ex := range workedExamples {
		t.Run(ex.name, func(t *testing.T) {
			s := NewServer(WithCredentials("testid", "testsecret"), WithClock(v3Clock))
			defer s.Close()
			w, m := serve(s, workedExample(ex.inBody, ex.provider, ex.auth))
			if w.Code != 200 || m["TaskNo"] == nil {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if n := s.Submissions("example.net"); n != 1 {
				t.Errorf("example.net submitted %d times, want 1", n)
			}
			if n := s.Requests(ActionSaveBatchTaskForCreatingOrderRedeem); n != 1 {
				t.Errorf("Requests = %d", n)
			}

			bad := NewServer(WithCredentials("testid", "not-testsecret"), WithClock(v3Clock))
			defer bad.Close()
			w, m = serve(bad, workedExample(ex.inBody, ex.provider, ex.auth))
			if w.Code != 400 || m["Code"] != "SignatureDoesNotMatch" {
				t.Fatalf("wrong secret: %d %s", w.Code, w.Body)
			}
			if msg := m["Message"].(string); !strings.HasSuffix(msg, "server string to sign is:"+ex.sts) {
				t.Errorf("message %q does not end with the string to sign %q", msg, ex.sts)
			}
		})
	}
}

// The published V3 vector (docs/wire.md, Published vector), through the Server's own
// canonicalization and signing.
func TestV3OfficialVector(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "http://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-version", "2014-05-26")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
	r.Header.Set("x-acs-content-sha256", emptyHash)
	q, _ := url.ParseQuery(r.URL.RawQuery)
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	sts := v3StringToSign(r, q, signed)
	if want := "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"; sts != want {
		t.Errorf("string to sign %q, want %q", sts, want)
	}
	if got := v3Sign("YourAccessKeySecret", sts); got != "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" {
		t.Errorf("signature %s", got)
	}
	// Spaces, '*' and '~' in values as the runtime canonicalizes them.
	if got := v3CanonicalQuery(url.Values{"Z": {"a b*~"}, "A": {""}}); got != "A=&Z=a%20b%2A~" {
		t.Errorf("canonical query %q", got)
	}
}

// v3Request builds a V3 request to s, signed with secret unless edit
// changes it after signing.
func v3Request(s *Server, secret, action string, query url.Values, body string, pre, post func(*http.Request)) *http.Request {
	target := s.URL
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	sum := sha256.Sum256([]byte(body))
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", "2018-01-29")
	r.Header.Set("x-acs-date", s.now().UTC().Format("2006-01-02T15:04:05Z"))
	r.Header.Set("x-acs-signature-nonce", nonce())
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	if body != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if s.SecurityToken != "" {
		r.Header.Set("x-acs-security-token", s.SecurityToken)
		r.Header.Set("x-acs-accesskey-id", s.AccessKeyID)
	}
	if pre != nil {
		pre(r)
	}
	signed := []string{"host"}
	for name := range r.Header {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-acs-") || l == "content-type" {
			signed = append(signed, l)
		}
	}
	sort.Strings(signed)
	q, _ := url.ParseQuery(r.URL.RawQuery)
	sig := v3Sign(secret, v3StringToSign(r, q, signed))
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+s.AccessKeyID+",SignedHeaders="+strings.Join(signed, ";")+",Signature="+sig)
	if post != nil {
		post(r)
	}
	return r
}

func TestV3GatewayChecks(t *testing.T) {
	clock := newFakeClock()
	s := newTestServer(t, WithClock(clock.Now), WithSecurityToken("sts-token"))
	s.AddDomain("a.com", clock.Now().Add(-40*24*time.Hour))
	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	del := func(k string) func(*http.Request) { return func(r *http.Request) { r.Header.Del(k) } }
	tests := []struct {
		name      string
		secret    string
		pre, post func(*http.Request)
		status    int
		code      string
	}{
		{"ok", s.AccessKeySecret, nil, nil, 200, ""},
		{"wrong secret", "wrong", nil, nil, 400, "SignatureDoesNotMatch"},
		{"header changed after signing", s.AccessKeySecret, nil, set("x-acs-signature-nonce", "other"), 400, "SignatureDoesNotMatch"},
		{"query changed after signing", s.AccessKeySecret, nil, func(r *http.Request) { r.URL.RawQuery = "PageSize=5" }, 400, "SignatureDoesNotMatch"},
		{"body hash mismatch", s.AccessKeySecret, set("x-acs-content-sha256", emptyHash[:63]+"0"), nil, 400, "InvalidParameter"},
		{"no action header", s.AccessKeySecret, del("x-acs-action"), nil, 400, "MissingParameter"},
		{"no version header", s.AccessKeySecret, del("x-acs-version"), nil, 400, "MissingParameter"},
		{"wrong version", s.AccessKeySecret, set("x-acs-version", "2014-05-26"), nil, 400, "InvalidVersion"},
		{"no date", s.AccessKeySecret, del("x-acs-date"), nil, 400, "MissingParameter"},
		{"no nonce", s.AccessKeySecret, del("x-acs-signature-nonce"), nil, 400, "MissingParameter"},
		{"no content hash", s.AccessKeySecret, del("x-acs-content-sha256"), nil, 400, "MissingParameter"},
		{"date old", s.AccessKeySecret, set("x-acs-date", clock.Now().Add(-16*time.Minute).UTC().Format("2006-01-02T15:04:05Z")), nil, 400, "InvalidTimeStamp.Expired"},
		{"date format", s.AccessKeySecret, set("x-acs-date", "2024-03-10 04:00:00"), nil, 400, "InvalidTimeStamp.Format"},
		{"no token", s.AccessKeySecret, del("x-acs-security-token"), nil, 400, "MissingSecurityToken"},
		{"wrong token", s.AccessKeySecret, set("x-acs-security-token", "other"), nil, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"unsigned token", s.AccessKeySecret, del("x-acs-security-token"), set("x-acs-security-token", "sts-token"), 400, "IncompleteSignature"},
		{"unknown action", s.AccessKeySecret, set("x-acs-action", "DeleteEverything"), nil, 404, "InvalidAction.NotFound"},
		{"other algorithm", s.AccessKeySecret, nil, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "ACS3-HMAC-SHA256", "ACS3-HMAC-SM3", 1))
		}, 400, "IncompleteSignature"},
		{"x-acs header not signed", s.AccessKeySecret, nil, set("x-acs-extra", "1"), 400, "IncompleteSignature"},
		{"unknown key", s.AccessKeySecret, nil, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "Credential="+s.AccessKeyID, "Credential=LTAInobody", 1))
		}, 404, "InvalidAccessKeyId.NotFound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := v3Request(s, tc.secret, ActionQueryDomainList, url.Values{"PageNum": {"1"}, "PageSize": {"10"}}, "", tc.pre, tc.post)
			w, m := serve(s, r)
			if w.Code != tc.status || (tc.code != "" && m["Code"] != tc.code) {
				t.Errorf("%d %s, want %d %s", w.Code, w.Body, tc.status, tc.code)
			}
		})
	}
	if n := s.Requests(ActionQueryDomainList); n != 1 {
		t.Errorf("Requests = %d, want 1 (only the valid one)", n)
	}

	// A replayed nonce.
	paging := url.Values{"PageNum": {"1"}, "PageSize": {"10"}}
	r := v3Request(s, s.AccessKeySecret, ActionQueryDomainList, paging, "", set("x-acs-signature-nonce", "fixed-nonce"), nil)
	if w, _ := serve(s, r); w.Code != 200 {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	r = v3Request(s, s.AccessKeySecret, ActionQueryDomainList, paging, "", set("x-acs-signature-nonce", "fixed-nonce"), nil)
	if w, m := serve(s, r); w.Code != 400 || m["Code"] != "SignatureNonceUsed" {
		t.Errorf("replay: %d %s", w.Code, w.Body)
	}

	// Parameters in a body, answer in XML (Format in the query).
	body := url.Values{"DomainName": {"a.com"}, "CurrentExpirationDate": {ms(clock.Now().Add(-40 * 24 * time.Hour))}}.Encode()
	r = v3Request(s, s.AccessKeySecret, ActionSaveSingleTaskForCreatingOrderRedeem, url.Values{"Format": {"XML"}}, body, nil, nil)
	w := httptest.NewRecorder()
	s.serveHTTP(w, r)
	var x struct {
		XMLName xml.Name
		TaskNo  string
	}
	if w.Code != 200 || xml.Unmarshal(w.Body.Bytes(), &x) != nil || x.XMLName.Local != "SaveSingleTaskForCreatingOrderRedeemResponse" || x.TaskNo == "" {
		t.Errorf("body + XML: %d %s", w.Code, w.Body)
	}
	if s.Orders("a.com") != 1 {
		t.Errorf("Orders = %d", s.Orders("a.com"))
	}
}

func TestParseV3Authorization(t *testing.T) {
	good := "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=abc"
	a, ok := parseV3Authorization(good)
	if !ok || a.credential != "id" || strings.Join(a.signedHeaders, ";") != "host;x-acs-date" || a.signature != "abc" {
		t.Errorf("good: %+v %v", a, ok)
	}
	for _, bad := range []string{
		"", "ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 ", "HMAC-SHA1 Credential=id,SignedHeaders=host,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
		"ACS3-HMAC-SHA256 Credential=id,Credential=id,SignedHeaders=host,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=x-acs-date;host,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=Host,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;;x,Signature=abc",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host,Signature=abc,Extra=1",
	} {
		if _, ok := parseV3Authorization(bad); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

// FuzzParseV3Authorization: any header either parses into non-empty fields
// with sorted signed headers, or is refused; never a panic.
func FuzzParseV3Authorization(f *testing.F) {
	f.Add("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=abc")
	f.Add("ACS3-HMAC-SHA256 Credential=a=b,SignedHeaders=;,Signature==")
	f.Add("ACS3-HMAC-SHA256  , , ,")
	f.Fuzz(func(t *testing.T, h string) {
		a, ok := parseV3Authorization(h)
		if !ok {
			return
		}
		if a.credential == "" || a.signature == "" || len(a.signedHeaders) == 0 {
			t.Fatalf("%q parsed with an empty field: %+v", h, a)
		}
		if !sort.StringsAreSorted(a.signedHeaders) {
			t.Fatalf("%q: signed headers not sorted: %v", h, a.signedHeaders)
		}
	})
}
