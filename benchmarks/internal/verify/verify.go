// Package verify is the benchmarks' stand-in for the service: it accepts a
// SaveBatchTaskForCreatingOrderRedeem request only when its signature (RPC
// v1 HMAC-SHA1, or ACS3-HMAC-SHA256) verifies and it carries exactly the
// expected batch, so that no implementation is timed doing less work than
// the others. It is written from the published signature rules and shares
// no code with any implementation it checks.
package verify

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alidomain/alidomain/benchmarks/internal/fixture"
)

// Handler answers the call. While Verify is on, it checks every request
// with Check and answers an error to one it does not accept; while it is off
// (during timing) it only reads the request and answers, so that the server
// costs every implementation the same.
type Handler struct {
	// Verify turns checking on.
	Verify atomic.Bool
	// FlagsOptional accepts a batch without the two Use flags (absent
	// means false to the service): the floor package, kept as it is, sends
	// none. Set it before the first request.
	FlagsOptional bool

	mu       sync.Mutex
	want     []fixture.Domain
	nonces   map[string]bool
	accepted int
	rejected []error
	served   atomic.Int64
}

// NewHandler returns a handler that expects want and starts verifying.
func NewHandler(want []fixture.Domain) *Handler {
	h := &Handler{want: want, nonces: map[string]bool{}}
	h.Verify.Store(true)
	return h
}

// Expect changes the batch that requests must carry.
func (h *Handler) Expect(want []fixture.Domain) {
	h.mu.Lock()
	h.want = want
	h.mu.Unlock()
}

// Accepted returns how many verified requests were accepted, and the
// reasons for those that were not.
func (h *Handler) Accepted() (int, []error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.accepted, append([]error(nil), h.rejected...)
}

// Served returns how many requests the handler answered.
func (h *Handler) Served() int64 { return h.served.Load() }

// ServeHTTP answers the call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.served.Add(1)
	var body []byte
	var err error
	if r.Body != nil { // nil only for a client-side request passed in process
		body, err = io.ReadAll(r.Body)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if h.Verify.Load() {
		if err := h.check(r, body); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{
				"Code": "IncompleteSignature", "Message": err.Error(), "RequestId": fixture.RequestID,
			})
			return
		}
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	io.WriteString(w, fixture.ResponseBody)
}

func (h *Handler) check(r *http.Request, body []byte) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	nonce, err := check(r, body, h.want, time.Now(), h.FlagsOptional)
	if err == nil && h.nonces[nonce] {
		err = fmt.Errorf("nonce %q was already used", nonce)
	}
	if err != nil {
		h.rejected = append(h.rejected, err)
		return err
	}
	h.nonces[nonce] = true
	h.accepted++
	return nil
}

// RoundTripper answers in process, without sockets: while the handler
// verifies, through the handler; otherwise with the canned answer.
type RoundTripper struct{ H *Handler }

// RoundTrip answers req.
func (rt RoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if rt.H.Verify.Load() {
		rec := httptest.NewRecorder()
		rt.H.ServeHTTP(rec, req)
		resp := rec.Result()
		resp.Request = req
		return resp, nil
	}
	rt.H.served.Add(1)
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		Body:          io.NopCloser(strings.NewReader(fixture.ResponseBody)),
		ContentLength: int64(len(fixture.ResponseBody)),
		Request:       req,
	}, nil
}

// Check returns nil when the request would be accepted: POST, empty body, a
// valid signature by fixture's key, fresh timestamp, and exactly the
// expected batch with UseCoupon=false and UsePromotion=false. It returns the
// request's nonce so that the caller can refuse replays.
func Check(r *http.Request, body []byte, want []fixture.Domain, now time.Time) (nonce string, err error) {
	return check(r, body, want, now, false)
}

func check(r *http.Request, body []byte, want []fixture.Domain, now time.Time, flagsOptional bool) (nonce string, err error) {
	if r.Method != http.MethodPost {
		return "", fmt.Errorf("method %s, want POST", r.Method)
	}
	if len(body) != 0 {
		return "", fmt.Errorf("body of %d bytes, want the parameters in the query and an empty body", len(body))
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", fmt.Errorf("query: %w", err)
	}
	for k, vs := range q {
		if len(vs) != 1 {
			return "", fmt.Errorf("parameter %s appears %d times", k, len(vs))
		}
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "ACS3-HMAC-SHA256 ") {
		return checkACS3(r, q, auth, body, want, now, flagsOptional)
	}
	return checkRPC(q, want, now, flagsOptional)
}

// rfc3986 percent-encodes s: every byte but A-Z a-z 0-9 - _ . ~ as %XX.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// canonicalQuery sorts the parameters by name and joins enc(k)=enc(v) with &.
func canonicalQuery(q url.Values, skip string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = rfc3986(k) + "=" + rfc3986(q.Get(k))
	}
	return strings.Join(parts, "&")
}

// checkRPC checks an RPC v1 (HMAC-SHA1) request.
func checkRPC(q url.Values, want []fixture.Domain, now time.Time, flagsOptional bool) (string, error) {
	sig := q.Get("Signature")
	if sig == "" {
		return "", errors.New("no Signature and no ACS3 Authorization header")
	}
	mac := hmac.New(sha1.New, []byte(fixture.AccessKeySecret+"&"))
	io.WriteString(mac, "POST&"+rfc3986("/")+"&"+rfc3986(canonicalQuery(q, "Signature")))
	if good := base64.StdEncoding.EncodeToString(mac.Sum(nil)); sig != good {
		return "", fmt.Errorf("SignatureDoesNotMatch: got %s, want %s", sig, good)
	}
	fixed := map[string]string{
		"AccessKeyId":      fixture.AccessKeyID,
		"Action":           fixture.Action,
		"Version":          fixture.Version,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
	}
	for k, v := range fixed {
		if got := q.Get(k); got != v {
			return "", fmt.Errorf("%s=%q, want %q", k, got, v)
		}
	}
	if f := q.Get("Format"); !strings.EqualFold(f, "JSON") {
		return "", fmt.Errorf("Format=%q, want JSON", f)
	}
	nonce := q.Get("SignatureNonce")
	if nonce == "" {
		return "", errors.New("no SignatureNonce")
	}
	if err := fresh("Timestamp", q.Get("Timestamp"), now); err != nil {
		return "", err
	}
	// Parameters an implementation may add that do not change the call.
	common := map[string]bool{
		"Signature": true, "Format": true, "SignatureNonce": true, "Timestamp": true,
		"RegionId": true, "SignatureType": true,
	}
	for k := range fixed {
		common[k] = true
	}
	return nonce, checkBatch(q, common, want, flagsOptional)
}

// checkACS3 checks an ACS3-HMAC-SHA256 request.
func checkACS3(r *http.Request, q url.Values, auth string, body []byte, want []fixture.Domain, now time.Time, flagsOptional bool) (string, error) {
	fields := map[string]string{}
	for _, f := range strings.Split(strings.TrimPrefix(auth, "ACS3-HMAC-SHA256 "), ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			return "", fmt.Errorf("Authorization field %q", f)
		}
		fields[k] = v
	}
	if fields["Credential"] != fixture.AccessKeyID {
		return "", fmt.Errorf("Authorization Credential=%q, want %q", fields["Credential"], fixture.AccessKeyID)
	}
	signed := strings.Split(fields["SignedHeaders"], ";")
	if !sort.StringsAreSorted(signed) {
		return "", fmt.Errorf("SignedHeaders %q are not sorted", fields["SignedHeaders"])
	}
	for _, h := range []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"} {
		if i := sort.SearchStrings(signed, h); i == len(signed) || signed[i] != h {
			return "", fmt.Errorf("SignedHeaders %q lack %s", fields["SignedHeaders"], h)
		}
	}
	header := func(name string) string {
		if name == "host" {
			if r.Host == "" {
				return r.URL.Host // a client-side request passed in process
			}
			return r.Host
		}
		var vs []string
		for k, kvs := range r.Header { // keys may be non-canonical in process
			if strings.EqualFold(k, name) {
				for _, v := range kvs {
					vs = append(vs, strings.TrimSpace(v))
				}
			}
		}
		sort.Strings(vs)
		return strings.Join(vs, ",")
	}
	payload := sha256.Sum256(body)
	payloadHex := hex.EncodeToString(payload[:])
	if got := header("x-acs-content-sha256"); got != payloadHex {
		return "", fmt.Errorf("x-acs-content-sha256=%q, want %q", got, payloadHex)
	}
	var canon strings.Builder
	canon.WriteString(r.Method + "\n/\n" + canonicalQuery(q, "") + "\n")
	for _, h := range signed {
		canon.WriteString(h + ":" + header(h) + "\n")
	}
	// CanonicalHeaders end each entry with \n, and another \n follows them.
	canon.WriteString("\n" + fields["SignedHeaders"] + "\n" + payloadHex)
	hashed := sha256.Sum256([]byte(canon.String()))
	mac := hmac.New(sha256.New, []byte(fixture.AccessKeySecret))
	io.WriteString(mac, "ACS3-HMAC-SHA256\n"+hex.EncodeToString(hashed[:]))
	if good := hex.EncodeToString(mac.Sum(nil)); fields["Signature"] != good {
		return "", fmt.Errorf("SignatureDoesNotMatch: got %s, want %s", fields["Signature"], good)
	}
	if got := header("x-acs-action"); got != fixture.Action {
		return "", fmt.Errorf("x-acs-action=%q, want %q", got, fixture.Action)
	}
	if got := header("x-acs-version"); got != fixture.Version {
		return "", fmt.Errorf("x-acs-version=%q, want %q", got, fixture.Version)
	}
	nonce := header("x-acs-signature-nonce")
	if nonce == "" {
		return "", errors.New("no x-acs-signature-nonce")
	}
	if err := fresh("x-acs-date", header("x-acs-date"), now); err != nil {
		return "", err
	}
	return nonce, checkBatch(q, map[string]bool{}, want, false)
}

// fresh checks that a timestamp is UTC ISO 8601 and within 15 minutes.
func fresh(name, ts string, now time.Time) error {
	t, err := time.Parse("2006-01-02T15:04:05Z", ts)
	if err != nil {
		return fmt.Errorf("%s=%q: %w", name, ts, err)
	}
	if d := now.Sub(t); d > 15*time.Minute || d < -15*time.Minute {
		return fmt.Errorf("%s=%q is %v away from now", name, ts, d)
	}
	return nil
}

// checkBatch checks that q holds exactly the batch want, the two Use flags
// set to false (or, when flagsOptional, both absent), and no parameter
// outside common.
func checkBatch(q url.Values, common map[string]bool, want []fixture.Domain, flagsOptional bool) error {
	n := 0
	for k := range q {
		if common[k] {
			continue
		}
		switch k {
		case "UseCoupon", "UsePromotion":
			if v := q.Get(k); v != "false" {
				return fmt.Errorf("%s=%q, want false", k, v)
			}
			n++
			continue
		}
		rest, ok := strings.CutPrefix(k, "OrderRedeemParam.")
		if !ok {
			return fmt.Errorf("unexpected parameter %s", k)
		}
		idx, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(idx)
		if err != nil || i < 1 || i > len(want) || strconv.Itoa(i) != idx {
			return fmt.Errorf("parameter %s: index out of 1..%d", k, len(want))
		}
		d := want[i-1]
		switch field {
		case "DomainName":
			if v := q.Get(k); v != d.Name {
				return fmt.Errorf("%s=%q, want %q", k, v, d.Name)
			}
		case "CurrentExpirationDate":
			if v, w := q.Get(k), strconv.FormatInt(d.Millis(), 10); v != w {
				return fmt.Errorf("%s=%q, want %q", k, v, w)
			}
		default:
			return fmt.Errorf("unexpected parameter %s", k)
		}
		n++
	}
	if _, coupon := q["UseCoupon"]; flagsOptional && !coupon && n == 2*len(want) && !q.Has("UsePromotion") {
		return nil
	}
	if n != 2*len(want)+2 {
		return fmt.Errorf("%d batch parameters, want %d (%d domains, UseCoupon, UsePromotion)", n, 2*len(want)+2, len(want))
	}
	return nil
}
