package alidomaintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// STS actions an STSServer implements.
const (
	ActionAssumeRole         = "AssumeRole"
	ActionAssumeRoleWithOIDC = "AssumeRoleWithOIDC"
)

// stsVersion is the only STS API version an STSServer accepts.
const stsVersion = "2015-04-01"

// stsTimestampWindow is how far a Timestamp may be from the service's clock.
const stsTimestampWindow = 15 * time.Minute

// STSOptions configures NewSTSServer.
type STSOptions struct {
	// Clock is the service's clock (Timestamp window, expirations);
	// default time.Now. It must be safe for concurrent use.
	Clock func() time.Time
	// MaxDuration is the roles' maximum session duration; default 1h.
	MaxDuration time.Duration
	// IssueTo receive every credential issued, besides the STSServer
	// itself (which accepts them, so roles chain).
	IssueTo []CredentialSink
}

// STSServer is a fake Alibaba Cloud STS endpoint (version 2015-04-01) on the
// loopback interface. AssumeRole is checked like the gateway does, signed
// with either version and checked by the simulator's own verifiers (the
// Server's): signature V2 (HMAC-SHA1: common parameters, Timestamp window,
// nonce replay, SecurityToken) or V3 (ACS3-HMAC-SHA256: Action and Version
// from x-acs-action and x-acs-version, x-acs-date window, nonce replay,
// x-acs-content-sha256 against the body, x-acs-security-token), parameters
// in the query or a form body; AssumeRoleWithOIDC is anonymous
// and checks the OIDC token against the one set with SetOIDCToken. Its error
// messages quote what was sent (the SignatureDoesNotMatch message quotes the
// string to sign, a refused OIDC token is quoted), so that tests can check
// that clients never repeat a secret. Point alidomain.AssumeRoleOptions
// .Endpoint (or OIDCOptions.Endpoint) at URL. It is safe for concurrent use.
type STSServer struct {
	// URL is the endpoint, http://127.0.0.1:PORT/.
	URL string
	// AccessKeyID and AccessKeySecret are a RAM user's key allowed to
	// assume every role (random).
	AccessKeyID, AccessKeySecret string

	opts STSOptions
	ts   *httptest.Server

	mu       sync.Mutex
	keys     map[string]stsKey    // accepted signers
	roles    map[string]string    // role ARN -> external ID required ("" none)
	oidc     map[string]string    // OIDC provider ARN -> the token it accepts
	nonces   map[string]time.Time // nonce -> when it may be forgotten
	requests map[string]int       // by action
	last     map[string]stsParams // by action
	failNext int
	throttle int
	issuedN  int
}

// stsKey is an access key STS accepts, with its token ("" none) and expiry
// (zero: none).
type stsKey struct {
	secret, token string
	exp           time.Time
}

// stsParams is a request's parameters, one value each.
type stsParams = map[string]string

// NewSTSServer starts an STSServer; Close it when done.
func NewSTSServer(o STSOptions) *STSServer {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.MaxDuration <= 0 {
		o.MaxDuration = time.Hour
	}
	s := &STSServer{
		AccessKeyID:     "LTAI" + randomText(16),
		AccessKeySecret: randomText(30),
		opts:            o,
		keys:            map[string]stsKey{},
		roles:           map[string]string{},
		oidc:            map[string]string{},
		nonces:          map[string]time.Time{},
		requests:        map[string]int{},
		last:            map[string]stsParams{},
	}
	s.keys[s.AccessKeyID] = stsKey{secret: s.AccessKeySecret}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.ts.URL + "/"
	return s
}

// Close shuts the service down.
func (s *STSServer) Close() { s.ts.Close() }

// AddCredentials makes the service accept requests signed with id and
// secret (and carrying token, when not empty): for example credentials that
// a MetadataServer issued. Adding an id again replaces it.
func (s *STSServer) AddCredentials(id, secret, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[id] = stsKey{secret: secret, token: token}
}

// AddRole creates a role that can be assumed; with a non-empty externalID,
// AssumeRole must send it as ExternalId.
func (s *STSServer) AddRole(arn, externalID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.roles[arn] = externalID
}

// SetOIDCToken makes the OIDC provider accept token, and only it (a
// rotated token replaces the old one).
func (s *STSServer) SetOIDCToken(providerARN, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oidc[providerARN] = token
}

// FailNext makes the next n requests fail with 500 InternalError.
func (s *STSServer) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// ThrottleNext makes the next n requests fail with 400 Throttling.User.
func (s *STSServer) ThrottleNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle = n
}

// Requests returns how many requests of action reached the service.
func (s *STSServer) Requests(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[action]
}

// Issued returns how many credentials the service handed out.
func (s *STSServer) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issuedN
}

// LastRequest returns the parameters of the last request of action that
// passed the checks (nil before any), Signature and secrets included: it is
// for tests to check what a client sent. For a V3 request it also holds the
// x-acs-* headers and Authorization, by lower-case name (x-acs-version,
// x-acs-security-token, ...).
func (s *STSServer) LastRequest(action string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.last[action]
	if p == nil {
		return nil
	}
	c := make(map[string]string, len(p))
	for k, v := range p {
		c[k] = v
	}
	return c
}

// stsError is an error answer of STS.
type stsError struct {
	status        int
	code, message string
}

func (s *STSServer) serve(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestIDForSTS()
	res, e := s.handle(r, reqID)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	if e != nil {
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]string{
			"RequestId": reqID, "HostId": "sts.aliyuncs.com", "Code": e.code, "Message": e.message,
			"Recommend": "https://api.aliyun.com/troubleshoot?q=" + e.code + "&product=Sts",
		})
		return
	}
	json.NewEncoder(w).Encode(res)
}

func (s *STSServer) handle(r *http.Request, reqID string) (map[string]any, *stsError) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		return nil, &stsError{400, "UnsupportedHTTPMethod", "This http method is not supported."}
	}
	// V3 hashes the exact body bytes, so keep them before parsing the form.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return nil, &stsError{400, "InvalidParameter", "The request body could not be read."}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := r.ParseForm(); err != nil {
		return nil, &stsError{400, "InvalidParameter", "The request parameters could not be parsed."}
	}
	p := make(stsParams, len(r.Form))
	for k, vs := range r.Form {
		p[k] = vs[0]
	}
	v3 := r.Header.Get("Authorization") != ""
	action := p["Action"]
	if v3 {
		action = r.Header.Get("x-acs-action")
	}
	now := s.opts.Clock()

	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[action]++
	if s.failNext > 0 {
		s.failNext--
		return nil, &stsError{500, "InternalError", "The request processing has failed due to some unknown error."}
	}
	if s.throttle > 0 {
		s.throttle--
		return nil, &stsError{400, "Throttling.User", "Request was denied due to user flow control."}
	}
	// A V3 request is parsed by the simulator's V3 verifier: Action,
	// Version, date and nonce in x-acs-* headers.
	var sr *signedRequest
	timestamp := p["Timestamp"]
	if v3 {
		var e *gatewayError
		if sr, e = parseV3(r, p, body, stsVersion); e != nil {
			return nil, &stsError{e.status, e.code, e.message}
		}
		timestamp = sr.timestamp
	} else {
		for _, name := range []string{"Action", "Version", "Timestamp"} {
			if p[name] == "" {
				return nil, missing(name)
			}
		}
		if p["Version"] != stsVersion {
			return nil, &stsError{400, "InvalidVersion", "Specified parameter Version is not valid."}
		}
	}
	ts, err := time.Parse(stsTimeLayout, timestamp)
	if err != nil {
		return nil, &stsError{400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	if d := now.Sub(ts); d > stsTimestampWindow || d < -stsTimestampWindow {
		return nil, &stsError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	}
	switch action {
	case ActionAssumeRole:
		if sr == nil {
			// V2, by the simulator's V2 verifier.
			var e *gatewayError
			if sr, e = parseV2(r, p, stsVersion); e != nil {
				return nil, &stsError{e.status, e.code, e.message}
			}
		}
		if e := s.verifyLocked(sr, now); e != nil {
			return nil, e
		}
		return s.assumeLocked(action, recorded(r, p, v3), now, reqID, false)
	case ActionAssumeRoleWithOIDC:
		if v3 || p["Signature"] != "" || p["AccessKeyId"] != "" {
			return nil, &stsError{400, "InvalidParameter", "AssumeRoleWithOIDC is an anonymous call: it takes no AccessKeyId or Signature."}
		}
		for _, name := range []string{"OIDCProviderArn", "OIDCToken"} {
			if p[name] == "" {
				return nil, missing(name)
			}
		}
		want, ok := s.oidc[p["OIDCProviderArn"]]
		if !ok {
			return nil, &stsError{404, "EntityNotExist.OIDCProvider", "The OIDC provider does not exist."}
		}
		if !signatureMatches(p["OIDCToken"], want) {
			return nil, &stsError{400, "AuthenticationFail.OIDCToken.Invalid", "The OIDCToken " + p["OIDCToken"] + " is invalid or expired."}
		}
		return s.assumeLocked(action, p, now, reqID, true)
	}
	return nil, &stsError{404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."}
}

// recorded is what LastRequest returns for a request: its parameters, and
// for V3 also its x-acs-* headers and Authorization, by lower-case name.
func recorded(r *http.Request, p stsParams, v3 bool) stsParams {
	if !v3 {
		return p
	}
	for name := range r.Header {
		if lower := strings.ToLower(name); strings.HasPrefix(lower, "x-acs-") || lower == "authorization" {
			p[lower] = r.Header.Get(name)
		}
	}
	return p
}

// verifyLocked checks the caller's key, the signature (sr's own verifier,
// V2 or V3), the security token and the nonce, as the gateway does.
func (s *STSServer) verifyLocked(sr *signedRequest, now time.Time) *stsError {
	k, ok := s.keys[sr.accessKeyID]
	if !ok {
		return &stsError{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	if ok, sts := sr.verify(k.secret); !ok {
		return &stsError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation. server string to sign is:" + sts}
	}
	switch {
	case k.token != "" && sr.token == "":
		return &stsError{400, "MissingSecurityToken", "SecurityToken is mandatory for this action."}
	case k.token != "" && !signatureMatches(sr.token, k.token):
		return &stsError{400, "InvalidSecurityToken.MismatchWithAccessKey", "Specified SecurityToken mismatch with the AccessKey."}
	case k.token == "" && sr.token != "":
		return &stsError{400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."}
	case !k.exp.IsZero() && !now.Before(k.exp):
		return &stsError{400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired."}
	}
	for n, exp := range s.nonces {
		if !now.Before(exp) {
			delete(s.nonces, n)
		}
	}
	if _, used := s.nonces[sr.nonce]; used {
		return &stsError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}
	s.nonces[sr.nonce] = now.Add(2 * stsTimestampWindow)
	return nil
}

// assumeLocked checks the role parameters and issues credentials.
func (s *STSServer) assumeLocked(action string, p stsParams, now time.Time, reqID string, oidc bool) (map[string]any, *stsError) {
	for _, name := range []string{"RoleArn", "RoleSessionName"} {
		if p[name] == "" {
			return nil, missing(name)
		}
	}
	ext, ok := s.roles[p["RoleArn"]]
	if !ok {
		return nil, &stsError{404, "EntityNotExist.Role", "The specified Role not exists."}
	}
	if !oidc && ext != p["ExternalId"] {
		return nil, &stsError{403, "NoPermission", "You are not authorized to do this action: the ExternalId does not match."}
	}
	dur := time.Hour
	if v := p["DurationSeconds"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || time.Duration(n)*time.Second > s.opts.MaxDuration {
			return nil, &stsError{400, "InvalidParameter.DurationSeconds", "The DurationSeconds is out of range: 900 to the role's maximum."}
		}
		dur = time.Duration(n) * time.Second
	}
	if pol := p["Policy"]; pol != "" && !json.Valid([]byte(pol)) {
		return nil, &stsError{400, "InvalidParameter.PolicyGrammar", "The parameter Policy has not passed grammar check."}
	}
	s.last[action] = p
	c := newIssued(now, dur)
	s.issuedN++
	s.keys[c.id] = stsKey{secret: c.secret, token: c.token, exp: c.exp}
	for _, sink := range s.opts.IssueTo {
		sink.AddCredentials(c.id, c.secret, c.token)
	}
	session := p["RoleSessionName"]
	res := map[string]any{
		"RequestId": reqID,
		"AssumedRoleUser": map[string]string{
			"Arn":           strings.Replace(p["RoleArn"], ":role/", ":assumed-role/", 1) + "/" + session,
			"AssumedRoleId": fmt.Sprintf("3%017d:%s", s.issuedN, session),
		},
		"Credentials": map[string]string{
			"AccessKeyId":     c.id,
			"AccessKeySecret": c.secret,
			"SecurityToken":   c.token,
			"Expiration":      c.exp.UTC().Format(stsTimeLayout),
		},
	}
	if oidc {
		res["OIDCTokenInfo"] = map[string]string{"Issuer": "https://oidc.example.test", "Subject": "system:serviceaccount:default:app"}
	}
	return res, nil
}

func missing(name string) *stsError {
	return &stsError{400, "MissingParameter", fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

// newRequestIDForSTS returns a request ID in the service's form.
func newRequestIDForSTS() string {
	r := randomText(32)
	return strings.ToUpper(r[:8] + "-" + r[8:12] + "-" + r[12:16] + "-" + r[16:20] + "-" + r[20:])
}
