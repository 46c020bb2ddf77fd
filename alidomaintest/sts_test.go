package alidomaintest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

// stsCall signs params (unless secret is empty) and posts them as a form.
func stsCall(t *testing.T, s *STSServer, clock func() time.Time, secret string, params map[string]string) (int, map[string]any) {
	t.Helper()
	p := map[string]string{"Format": "JSON", "Version": stsVersion, "Timestamp": clock().UTC().Format(stsTimeLayout)}
	if secret != "" {
		p["SignatureMethod"], p["SignatureVersion"], p["SignatureNonce"] = "HMAC-SHA1", "1.0", randomText(16)
	}
	for k, v := range params {
		if v == "<delete>" {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	if secret != "" && p["Signature"] == "" {
		p["Signature"] = signString(secret, stringToSign("POST", p))
	}
	form := url.Values{}
	for k, v := range p {
		form.Set(k, v)
	}
	resp, err := http.Post(s.URL, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return resp.StatusCode, out
}

func TestSTSServerAssumeRole(t *testing.T) {
	clock := &mdClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sink := &sinkRecorder{}
	s := NewSTSServer(STSOptions{Clock: clock.now, IssueTo: []CredentialSink{sink}})
	defer s.Close()
	s.AddRole("acs:ram::1:role/a", "")
	s.AddRole("acs:ram::1:role/x", "ext")
	base := map[string]string{"Action": "AssumeRole", "AccessKeyId": s.AccessKeyID, "RoleArn": "acs:ram::1:role/a", "RoleSessionName": "s"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	code := func(out map[string]any) string { c, _ := out["Code"].(string); return c }

	st, out := stsCall(t, s, clock.now, s.AccessKeySecret, with("Policy", `{"Version":"1"}`, "DurationSeconds", "900"))
	if st != 200 {
		t.Fatalf("AssumeRole: %d %v", st, out)
	}
	creds := out["Credentials"].(map[string]any)
	id, secret, token := creds["AccessKeyId"].(string), creds["AccessKeySecret"].(string), creds["SecurityToken"].(string)
	if creds["Expiration"] != "2026-01-01T00:15:00Z" || len(sink.ids) != 1 || sink.ids[0] != id || s.Issued() != 1 {
		t.Errorf("credentials %v, sink %v", creds, sink.ids)
	}
	if u := out["AssumedRoleUser"].(map[string]any); u["Arn"] != "acs:ram::1:assumed-role/a/s" {
		t.Errorf("AssumedRoleUser %v", u)
	}
	if got := s.LastRequest(ActionAssumeRole); got["Policy"] != `{"Version":"1"}` {
		t.Errorf("LastRequest %v", got)
	}

	// Chaining: the issued key is accepted, with its token only.
	for _, tc := range []struct {
		token, want string
	}{{token, ""}, {"<delete>", "MissingSecurityToken"}, {"other", "InvalidSecurityToken.MismatchWithAccessKey"}} {
		_, out := stsCall(t, s, clock.now, secret, with("AccessKeyId", id, "SecurityToken", tc.token))
		if code(out) != tc.want {
			t.Errorf("token %q: %v", tc.token, out)
		}
	}

	for _, tc := range []struct {
		name   string
		secret string
		params map[string]string
		status int
		want   string
	}{
		{"wrong secret", "wrong", with(), 400, "SignatureDoesNotMatch"},
		{"unknown key", s.AccessKeySecret, with("AccessKeyId", "LTAInope"), 404, "InvalidAccessKeyId.NotFound"},
		{"no signature", "", with(), 400, "MissingParameter"},
		{"replayed nonce", s.AccessKeySecret, with("SignatureNonce", "fixed"), 200, ""},
		{"replayed nonce again", s.AccessKeySecret, with("SignatureNonce", "fixed"), 400, "SignatureNonceUsed"},
		{"old timestamp", s.AccessKeySecret, with("Timestamp", "2025-12-31T23:40:00Z"), 400, "InvalidTimeStamp.Expired"},
		{"wrong version", s.AccessKeySecret, with("Version", "2018-01-29"), 400, "InvalidVersion"},
		{"unknown role", s.AccessKeySecret, with("RoleArn", "acs:ram::1:role/none"), 404, "EntityNotExist.Role"},
		{"external id missing", s.AccessKeySecret, with("RoleArn", "acs:ram::1:role/x"), 403, "NoPermission"},
		{"external id", s.AccessKeySecret, with("RoleArn", "acs:ram::1:role/x", "ExternalId", "ext"), 200, ""},
		{"short duration", s.AccessKeySecret, with("DurationSeconds", "899"), 400, "InvalidParameter.DurationSeconds"},
		{"long duration", s.AccessKeySecret, with("DurationSeconds", "3601"), 400, "InvalidParameter.DurationSeconds"},
		{"bad policy", s.AccessKeySecret, with("Policy", "{"), 400, "InvalidParameter.PolicyGrammar"},
		{"no session name", s.AccessKeySecret, with("RoleSessionName", "<delete>"), 400, "MissingParameter"},
	} {
		st, out := stsCall(t, s, clock.now, tc.secret, tc.params)
		if st != tc.status || code(out) != tc.want {
			t.Errorf("%s: %d %v", tc.name, st, out)
		}
	}

	// Issued keys expire.
	clock.add(16 * time.Minute)
	if _, out := stsCall(t, s, clock.now, secret, with("AccessKeyId", id, "SecurityToken", token)); code(out) != "InvalidSecurityToken.Expired" {
		t.Errorf("expired key: %v", out)
	}

	s.FailNext(1)
	s.ThrottleNext(1)
	if st, out := stsCall(t, s, clock.now, s.AccessKeySecret, with()); st != 500 || code(out) != "InternalError" {
		t.Errorf("FailNext: %d %v", st, out)
	}
	if st, out := stsCall(t, s, clock.now, s.AccessKeySecret, with()); st != 400 || code(out) != "Throttling.User" {
		t.Errorf("ThrottleNext: %d %v", st, out)
	}
	if st, _ := stsCall(t, s, clock.now, s.AccessKeySecret, with()); st != 200 {
		t.Errorf("after faults: %d", st)
	}
}

func TestSTSServerAssumeRoleWithOIDC(t *testing.T) {
	s := NewSTSServer(STSOptions{})
	defer s.Close()
	s.AddRole("acs:ram::1:role/a", "ext-ignored-for-oidc")
	s.SetOIDCToken("acs:ram::1:oidc-provider/p", "tok-1")
	p := map[string]string{"Action": "AssumeRoleWithOIDC", "RoleArn": "acs:ram::1:role/a", "RoleSessionName": "s",
		"OIDCProviderArn": "acs:ram::1:oidc-provider/p", "OIDCToken": "tok-1"}
	if st, out := stsCall(t, s, time.Now, "", p); st != 200 || out["Credentials"] == nil {
		t.Fatalf("AssumeRoleWithOIDC: %d %v", st, out)
	}
	s.SetOIDCToken("acs:ram::1:oidc-provider/p", "tok-2")
	st, out := stsCall(t, s, time.Now, "", p)
	if st != 400 || out["Code"] != "AuthenticationFail.OIDCToken.Invalid" || !strings.Contains(out["Message"].(string), "tok-1") {
		t.Errorf("rotated away: %d %v (the message quotes the token on purpose)", st, out)
	}
	p["OIDCToken"] = "tok-2"
	p["AccessKeyId"] = s.AccessKeyID
	if st, out := stsCall(t, s, time.Now, s.AccessKeySecret, p); st != 400 || out["Code"] != "InvalidParameter" {
		t.Errorf("signed OIDC call: %d %v", st, out)
	}
	delete(p, "AccessKeyId")
	p["OIDCProviderArn"] = "acs:ram::1:oidc-provider/none"
	if st, out := stsCall(t, s, time.Now, "", p); st != 404 || out["Code"] != "EntityNotExist.OIDCProvider" {
		t.Errorf("unknown provider: %d %v", st, out)
	}
	if s.Requests(ActionAssumeRoleWithOIDC) != 4 || s.Issued() != 1 {
		t.Errorf("requests %d, issued %d", s.Requests(ActionAssumeRoleWithOIDC), s.Issued())
	}
}

// stsV3Call posts params as a form body signed with V3 by the simulator's
// own V3 code (id, secret, and token when not empty); pre changes the
// request before signing, post after.
func stsV3Call(t *testing.T, s *STSServer, clock func() time.Time, action, id, secret, token string, params map[string]string, pre, post func(*http.Request)) (int, map[string]any) {
	t.Helper()
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	body := form.Encode()
	r, err := http.NewRequest(http.MethodPost, s.URL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("x-acs-action", action)
	r.Header.Set("x-acs-version", stsVersion)
	r.Header.Set("x-acs-date", clock().UTC().Format(stsTimeLayout))
	r.Header.Set("x-acs-signature-nonce", randomText(16))
	r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
	if token != "" {
		r.Header.Set("x-acs-security-token", token)
		r.Header.Set("x-acs-accesskey-id", id)
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
	sig := v3Sign(secret, v3StringToSign(r, url.Values{}, signed))
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential="+id+",SignedHeaders="+strings.Join(signed, ";")+",Signature="+sig)
	if post != nil {
		post(r)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return resp.StatusCode, out
}

// AssumeRole signed with V3 goes through the simulator's V3 verifier: Action
// and Version from the headers, the parameters from the form body.
func TestSTSServerAssumeRoleV3(t *testing.T) {
	clock := &mdClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := NewSTSServer(STSOptions{Clock: clock.now})
	defer s.Close()
	s.AddRole("acs:ram::1:role/a", "")
	s.AddRole("acs:ram::1:role/x", "ext")
	role := map[string]string{"RoleArn": "acs:ram::1:role/a", "RoleSessionName": "v3", "DurationSeconds": "900"}
	code := func(out map[string]any) string { c, _ := out["Code"].(string); return c }

	st, out := stsV3Call(t, s, clock.now, ActionAssumeRole, s.AccessKeyID, s.AccessKeySecret, "", role, nil, nil)
	if st != 200 || out["Credentials"] == nil {
		t.Fatalf("AssumeRole V3: %d %v", st, out)
	}
	got := s.LastRequest(ActionAssumeRole)
	if got["RoleSessionName"] != "v3" || got["x-acs-version"] != stsVersion || got["x-acs-action"] != ActionAssumeRole ||
		!strings.HasPrefix(got["authorization"], "ACS3-HMAC-SHA256 Credential="+s.AccessKeyID+",") || got["Version"] != "" {
		t.Errorf("LastRequest %v", got)
	}
	creds := out["Credentials"].(map[string]any)
	id, secret, token := creds["AccessKeyId"].(string), creds["AccessKeySecret"].(string), creds["SecurityToken"].(string)

	// Chaining: the issued key with its token, in x-acs-security-token.
	chained := map[string]string{"RoleArn": "acs:ram::1:role/x", "RoleSessionName": "b", "ExternalId": "ext"}
	if st, out := stsV3Call(t, s, clock.now, ActionAssumeRole, id, secret, token, chained, nil, nil); st != 200 {
		t.Errorf("chained V3: %d %v", st, out)
	}
	if got := s.LastRequest(ActionAssumeRole); got["x-acs-security-token"] != token || got["x-acs-accesskey-id"] != id {
		t.Errorf("chained LastRequest %v", got)
	}

	set := func(k, v string) func(*http.Request) { return func(r *http.Request) { r.Header.Set(k, v) } }
	for _, tc := range []struct {
		name              string
		id, secret, token string
		params            map[string]string
		pre, post         func(*http.Request)
		status            int
		want              string
	}{
		{"wrong secret", s.AccessKeyID, "wrong", "", role, nil, nil, 400, "SignatureDoesNotMatch"},
		{"issued key without its token", id, secret, "", role, nil, nil, 400, "MissingSecurityToken"},
		{"issued key, other token", id, secret, "other", role, nil, nil, 400, "InvalidSecurityToken.MismatchWithAccessKey"},
		{"unknown key", "LTAInope", s.AccessKeySecret, "", role, nil, nil, 404, "InvalidAccessKeyId.NotFound"},
		{"Domain API version", s.AccessKeyID, s.AccessKeySecret, "", role, set("x-acs-version", "2018-01-29"), nil, 400, "InvalidVersion"},
		{"hash of another body", s.AccessKeyID, s.AccessKeySecret, "", role, set("x-acs-content-sha256", strings.Repeat("0", 64)), nil, 400, "InvalidParameter"},
		{"date changed after signing", s.AccessKeyID, s.AccessKeySecret, "", role, nil, set("x-acs-date", clock.t.Add(time.Second).Format(stsTimeLayout)), 400, "SignatureDoesNotMatch"},
		{"body and its hash changed after signing", s.AccessKeyID, s.AccessKeySecret, "", role, nil, func(r *http.Request) {
			body := "RoleArn=acs%3Aram%3A%3A1%3Arole%2Fa&RoleSessionName=other"
			sum := sha256.Sum256([]byte(body))
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
			r.Header.Set("x-acs-content-sha256", hex.EncodeToString(sum[:]))
		}, 400, "SignatureDoesNotMatch"},
		{"unsigned header", s.AccessKeyID, s.AccessKeySecret, "", role, nil, set("x-acs-extra", "1"), 400, "IncompleteSignature"},
		{"no date", s.AccessKeyID, s.AccessKeySecret, "", role, func(r *http.Request) { r.Header.Del("x-acs-date") }, nil, 400, "MissingParameter"},
		{"old date", s.AccessKeyID, s.AccessKeySecret, "", role, set("x-acs-date", "2025-12-31T23:40:00Z"), nil, 400, "InvalidTimeStamp.Expired"},
		{"external id missing", s.AccessKeyID, s.AccessKeySecret, "", map[string]string{"RoleArn": "acs:ram::1:role/x", "RoleSessionName": "s"}, nil, nil, 403, "NoPermission"},
		{"nonce", s.AccessKeyID, s.AccessKeySecret, "", role, set("x-acs-signature-nonce", "fixed"), nil, 200, ""},
		{"nonce replayed", s.AccessKeyID, s.AccessKeySecret, "", role, set("x-acs-signature-nonce", "fixed"), nil, 400, "SignatureNonceUsed"},
	} {
		st, out := stsV3Call(t, s, clock.now, ActionAssumeRole, tc.id, tc.secret, tc.token, tc.params, tc.pre, tc.post)
		if st != tc.status || code(out) != tc.want {
			t.Errorf("%s: %d %v", tc.name, st, out)
		}
	}
	if s.Issued() != 3 {
		t.Errorf("Issued = %d, want 3 (the first, the chained, the nonce)", s.Issued())
	}

	// AssumeRoleWithOIDC is anonymous: a V3 signature is refused.
	s.SetOIDCToken("acs:ram::1:oidc-provider/p", "tok")
	oidc := map[string]string{"RoleArn": "acs:ram::1:role/a", "RoleSessionName": "s", "OIDCProviderArn": "acs:ram::1:oidc-provider/p", "OIDCToken": "tok"}
	if st, out := stsV3Call(t, s, clock.now, ActionAssumeRoleWithOIDC, s.AccessKeyID, s.AccessKeySecret, "", oidc, nil, nil); st != 400 || code(out) != "InvalidParameter" {
		t.Errorf("signed OIDC call: %d %v", st, out)
	}
}
