package alidomaintest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// CredentialSink accepts temporary credentials that a fake issues, so that
// the service they are for accepts them too. *Server and *STSServer are
// sinks: give them to MetadataOptions.IssueTo or STSOptions.IssueTo.
type CredentialSink interface {
	// AddCredentials makes the sink accept the key id and secret; a
	// non-empty token is then required with them, as STS credentials are.
	AddCredentials(id, secret, token string)
}

// stsTimeLayout is how STS and the metadata service write Expiration.
const stsTimeLayout = "2006-01-02T15:04:05Z"

// MetadataOptions configures NewMetadataServer.
type MetadataOptions struct {
	// RoleName is the RAM role attached to the instance; default
	// "alidomain-test-role". NoRole makes the instance have none.
	RoleName string
	NoRole   bool
	// Lifetime is how long each issued credential is valid; default 1h.
	// A new one is issued once half of it has passed (or after Rotate).
	Lifetime time.Duration
	// Clock is the service's clock; default time.Now. It must be safe for
	// concurrent use.
	Clock func() time.Time
	// IMDSv1Disabled is the hardened mode: a request without a valid
	// session token is answered 403.
	IMDSv1Disabled bool
	// NoIMDSv2 makes the service answer 404 to the token request, as an
	// old one without IMDSv2 would.
	NoIMDSv2 bool
	// IssueTo receive every credential issued (for example the Server
	// under test, so that it accepts them).
	IssueTo []CredentialSink
}

// MetadataServer is a fake ECS instance metadata service on the loopback
// interface: IMDSv2 session tokens (PUT /latest/api/token with
// X-aliyun-ecs-metadata-token-ttl-seconds, then the
// X-aliyun-ecs-metadata-token header on each GET) and IMDSv1, the role at
// /latest/meta-data/ram/security-credentials/, and rotating temporary
// credentials at /latest/meta-data/ram/security-credentials/<role>. Point
// alidomain.ECSRoleOptions.Endpoint at URL. It is safe for concurrent use.
type MetadataServer struct {
	// URL is the service's base URL, http://127.0.0.1:PORT.
	URL string

	opts MetadataOptions
	ts   *httptest.Server

	mu         sync.Mutex
	tokens     map[string]time.Time // session token -> expiry
	cur        issued
	have       bool
	failNext   int
	tokenReqs  int
	credReqs   int
	v1Reqs     int
	issuedN    int
	rotateNext bool
}

// issued is a temporary credential a fake handed out.
type issued struct {
	id, secret, token string
	at, exp           time.Time
}

// NewMetadataServer starts a MetadataServer; Close it when done.
func NewMetadataServer(o MetadataOptions) *MetadataServer {
	if o.RoleName == "" {
		o.RoleName = "alidomain-test-role"
	}
	if o.Lifetime <= 0 {
		o.Lifetime = time.Hour
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	m := &MetadataServer{opts: o, tokens: map[string]time.Time{}}
	m.ts = httptest.NewServer(http.HandlerFunc(m.serve))
	m.URL = m.ts.URL
	return m
}

// Close shuts the service down.
func (m *MetadataServer) Close() { m.ts.Close() }

// RoleName returns the instance's RAM role, or "" with NoRole.
func (m *MetadataServer) RoleName() string {
	if m.opts.NoRole {
		return ""
	}
	return m.opts.RoleName
}

// FailNext makes the next n requests fail with HTTP 500; the answer's body
// quotes the session token and the current credentials, as a careless
// service might, so tests can check that clients never repeat it.
func (m *MetadataServer) FailNext(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failNext = n
}

// Rotate makes the next credentials request get new credentials.
func (m *MetadataServer) Rotate() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rotateNext = true
}

// MetadataStats counts what a MetadataServer was asked.
type MetadataStats struct {
	// TokenRequests counts PUT /latest/api/token.
	TokenRequests int
	// CredentialRequests counts GETs of the role's credentials.
	CredentialRequests int
	// IMDSv1Requests counts GETs without a session token (answered or not).
	IMDSv1Requests int
	// Issued counts distinct credentials handed out.
	Issued int
}

// Stats returns the counts so far.
func (m *MetadataServer) Stats() MetadataStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	return MetadataStats{m.tokenReqs, m.credReqs, m.v1Reqs, m.issuedN}
}

// Current returns the AccessKeyId and expiry of the credentials handed out
// last ("" before any).
func (m *MetadataServer) Current() (accessKeyID string, expiration time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur.id, m.cur.exp
}

const credsPath = "/latest/meta-data/ram/security-credentials/"

func (m *MetadataServer) serve(w http.ResponseWriter, r *http.Request) {
	now := m.opts.Clock()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failNext > 0 {
		m.failNext--
		tok := r.Header.Get("X-aliyun-ecs-metadata-token")
		http.Error(w, fmt.Sprintf("internal error (token %s, credentials %s %s %s)", tok, m.cur.id, m.cur.secret, m.cur.token), http.StatusInternalServerError)
		return
	}
	if r.URL.Path == "/latest/api/token" {
		m.tokenReqs++
		if m.opts.NoIMDSv2 {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPut {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ttl, err := strconv.Atoi(r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
		if err != nil || ttl < 1 || ttl > 21600 {
			http.Error(w, "bad X-aliyun-ecs-metadata-token-ttl-seconds", http.StatusBadRequest)
			return
		}
		tok := randomText(48)
		m.tokens[tok] = now.Add(time.Duration(ttl) * time.Second)
		w.Write([]byte(tok))
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if tok := r.Header.Get("X-aliyun-ecs-metadata-token"); tok != "" {
		if exp, ok := m.tokens[tok]; !ok || !now.Before(exp) {
			http.Error(w, "invalid or expired metadata token", http.StatusUnauthorized)
			return
		}
	} else {
		m.v1Reqs++
		if m.opts.IMDSv1Disabled {
			http.Error(w, "IMDSv1 is disabled on this instance", http.StatusForbidden)
			return
		}
	}
	role, isCreds := strings.CutPrefix(r.URL.Path, credsPath)
	switch {
	case !isCreds:
		http.NotFound(w, r)
	case m.opts.NoRole || role != "" && role != m.opts.RoleName:
		http.NotFound(w, r)
	case role == "":
		w.Write([]byte(m.opts.RoleName))
	default:
		m.credReqs++
		if !m.have || m.rotateNext || !now.Before(m.cur.at.Add(m.opts.Lifetime/2)) {
			m.cur = m.issueLocked(now)
		}
		body, _ := json.Marshal(map[string]string{
			"Code":            "Success",
			"AccessKeyId":     m.cur.id,
			"AccessKeySecret": m.cur.secret,
			"SecurityToken":   m.cur.token,
			"Expiration":      m.cur.exp.UTC().Format(stsTimeLayout),
			"LastUpdated":     m.cur.at.UTC().Format(stsTimeLayout),
		})
		w.Header().Set("Content-Type", "text/plain") // as the real service does
		w.Write(body)
	}
}

// issueLocked mints new credentials and hands them to the sinks.
func (m *MetadataServer) issueLocked(now time.Time) issued {
	c := newIssued(now, m.opts.Lifetime)
	m.have, m.rotateNext = true, false
	m.issuedN++
	for _, s := range m.opts.IssueTo {
		s.AddCredentials(c.id, c.secret, c.token)
	}
	return c
}

// newIssued mints a temporary credential valid for lifetime from now.
func newIssued(now time.Time, lifetime time.Duration) issued {
	return issued{
		id:     "STS." + randomText(20),
		secret: randomText(30) + "/+=",
		token:  "CAIS" + randomText(100) + "+/==",
		at:     now,
		exp:    now.Add(lifetime).Truncate(time.Second),
	}
}

// randomText returns n random letters and digits.
func randomText(n int) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
