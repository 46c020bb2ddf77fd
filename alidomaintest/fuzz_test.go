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
	})
}
