package alidomaintest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzGateway feeds arbitrary requests to the simulator: an arbitrary
// query and form body, unsigned, and the same parameters correctly signed
// so that the actions' own parsing is reached. Whatever comes in, the answer
// must be a JSON document with a RequestId, an error one (with a Code) for
// every status but 200, and nothing may panic.
func FuzzGateway(f *testing.F) {
	f.Add("GET", "Action=QueryDomainList&PageNum=1", "")
	f.Add("POST", "Action=SaveBatchTaskForCreatingOrderRedeem&OrderRedeemParam.1.DomainName=a.com&OrderRedeemParam.1.CurrentExpirationDate=x", "")
	f.Add("POST", "", "Action=QueryTaskDetailList&TaskNo=%ZZ&PageSize=-1")
	f.Add("POST", "Action=SaveSingleTaskForCreatingOrderRedeem&DomainName=a.com&CurrentExpirationDate=99999999999999999999", "Lang=zh")
	f.Add("POST", "Action=QueryTaskList&BeginCreateTime=1&EndCreateTime=0&PageNum=999999999999", "")
	f.Add("PUT", "Action=Nope", "a=b&a=c")
	// One server for every input (a listener per input exhausts the
	// machine); each signed input gets a nonce of its own.
	s := NewServer(WithClock(func() time.Time { return time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC) }))
	defer s.Close()
	s.AddDomain("a.com", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC))
	var seq atomic.Int64
	f.Fuzz(func(t *testing.T, method, query, body string) {
		if method != "GET" && method != "POST" && method != "PUT" {
			return
		}

		check := func(q, b string) {
			r := httptest.NewRequest(method, "/", strings.NewReader(b))
			r.URL.RawQuery = q // raw, as a client might send it
			if b != "" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			w := httptest.NewRecorder()
			s.serveHTTP(w, r)
			var doc map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
				t.Fatalf("%s ?%s body %q: answer is not JSON (HTTP %d): %v\n%s", method, q, b, w.Code, err, w.Body.Bytes())
			}
			if id, _ := doc["RequestId"].(string); id == "" {
				t.Fatalf("answer without RequestId: %s", w.Body.Bytes())
			}
			if w.Code != http.StatusOK {
				if code, _ := doc["Code"].(string); code == "" {
					t.Fatalf("HTTP %d without a Code: %s", w.Code, w.Body.Bytes())
				}
			}
		}
		// As given: almost always refused at the gateway.
		if strings.Contains(query, "Format=XML") || strings.Contains(body, "Format=XML") {
			return // XML answers are checked by the action tests
		}
		check(query, body)

		// The same parameters, made valid at the gateway and signed.
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		for _, k := range []string{"Signature", "Format", "SecurityToken"} {
			q.Del(k)
		}
		q.Set("AccessKeyId", s.AccessKeyID)
		q.Set("Version", "2018-01-29")
		q.Set("SignatureMethod", "HMAC-SHA1")
		q.Set("SignatureVersion", "1.0")
		q.Set("SignatureNonce", "fuzz-"+strconv.FormatInt(seq.Add(1), 10))
		q.Set("Timestamp", "2026-11-26T00:00:00Z")
		if q.Get("Action") == "" {
			q.Set("Action", "QueryDomainList")
		}
		sm := method
		if sm == "PUT" {
			sm = "POST"
		}
		q.Set("Signature", testSign(sm, s.AccessKeySecret, q))
		check(q.Encode(), "")

		// The same, signed again, all in a form body (V2 signs the union).
		q.Set("SignatureNonce", "fuzz-"+strconv.FormatInt(seq.Add(1), 10))
		q.Del("Signature")
		q.Set("Signature", testSign(sm, s.AccessKeySecret, q))
		check("", q.Encode())
	})
}

// FuzzV3Gateway feeds V3-looking requests with arbitrary Authorization,
// x-acs-* headers, query and body: the answer is always a JSON document with
// a RequestId and, unless 200, a Code; nothing panics.
func FuzzV3Gateway(f *testing.F) {
	f.Add("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature=00", "QueryDomainList", "2023-03-13T08:34:30Z", "e3b0", "PageSize=1", "")
	f.Add("ACS3-HMAC-SHA256 Credential=,,,", "", "", "", "", "a=b&a=c")
	f.Add("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;host,Signature=zz", "SaveBatchTaskForCreatingOrderRenew", "x", emptyHash, "%zz", "OrderRenewParam.1.DomainName=a.com")
	s := NewServer(WithCredentials("testid", "testsecret"), WithClock(v3Clock))
	defer s.Close()
	f.Fuzz(func(t *testing.T, auth, action, date, hash, query, body string) {
		r := httptest.NewRequest(http.MethodPost, "http://domain.aliyuncs.com/", strings.NewReader(body))
		r.URL.RawQuery = query
		if strings.Contains(query, "Format") || strings.Contains(body, "Format") {
			return // XML answers are checked elsewhere
		}
		for k, v := range map[string]string{"Authorization": auth, "x-acs-action": action, "x-acs-date": date,
			"x-acs-content-sha256": hash, "x-acs-version": "2018-01-29", "x-acs-signature-nonce": "n"} {
			if strings.ContainsAny(v, "\r\n\x00") {
				return
			}
			r.Header.Set(k, v)
		}
		r.Header.Set("Authorization", "x "+auth) // never empty, so the V3 path is taken
		if strings.HasPrefix(auth, "ACS3") {
			r.Header.Set("Authorization", auth)
		}
		if body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		w := httptest.NewRecorder()
		s.serveHTTP(w, r)
		var doc map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
			t.Fatalf("answer is not JSON (HTTP %d): %v\n%s", w.Code, err, w.Body.Bytes())
		}
		if id, _ := doc["RequestId"].(string); id == "" {
			t.Fatalf("answer without RequestId: %s", w.Body.Bytes())
		}
		if w.Code != http.StatusOK {
			if code, _ := doc["Code"].(string); code == "" {
				t.Fatalf("HTTP %d without a Code: %s", w.Code, w.Body.Bytes())
			}
		}
	})
}
