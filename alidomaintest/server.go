package alidomaintest

import (
	"bytes"
	"container/heap"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// apiVersion is the only API version the Server accepts.
const apiVersion = "2018-01-29"

// hostID is the HostId the Server puts in its error bodies.
const hostID = "domain.aliyuncs.com"

// DefaultPageSizeLimit is the largest PageSize the list actions accept unless
// WithPageSizeLimit says otherwise (the documented maximum of
// QueryTaskDetailList).
const DefaultPageSizeLimit = 1000

// timestampWindow is how far a request's Timestamp may be from the server
// clock, and how long a SignatureNonce is remembered.
const timestampWindow = 15 * time.Minute

// Action names the Server implements (for Server.Inject and
// Server.Requests); any other Action is answered 404 InvalidAction.NotFound.
const (
	// ActionSaveBatchTaskForCreatingOrderRedeem redeems a list of domains
	// (OrderRedeemParam.N.DomainName / .CurrentExpirationDate) in one task.
	ActionSaveBatchTaskForCreatingOrderRedeem = "SaveBatchTaskForCreatingOrderRedeem"
	// ActionSaveSingleTaskForCreatingOrderRedeem redeems one domain
	// (DomainName, CurrentExpirationDate) in one task.
	ActionSaveSingleTaskForCreatingOrderRedeem = "SaveSingleTaskForCreatingOrderRedeem"
	// ActionQueryDomainList lists the account's domains, by page.
	ActionQueryDomainList = "QueryDomainList"
	// ActionQueryTaskList lists tasks, newest first, by page.
	ActionQueryTaskList = "QueryTaskList"
	// ActionQueryTaskDetailList lists the details of one task, by page.
	ActionQueryTaskDetailList = "QueryTaskDetailList"
	// ActionSaveBatchTaskForCreatingOrderRenew renews a list of domains
	// (OrderRenewParam.N.*) in one task.
	ActionSaveBatchTaskForCreatingOrderRenew = "SaveBatchTaskForCreatingOrderRenew"
	// ActionSaveSingleTaskForCreatingOrderRenew renews one domain.
	ActionSaveSingleTaskForCreatingOrderRenew = "SaveSingleTaskForCreatingOrderRenew"
	// ActionSaveBatchTaskForCreatingOrderTransfer transfers a list of domains
	// in (OrderTransferParam.N.*) in one task.
	ActionSaveBatchTaskForCreatingOrderTransfer = "SaveBatchTaskForCreatingOrderTransfer"
	// ActionSaveSingleTaskForCreatingOrderTransfer transfers one domain in.
	ActionSaveSingleTaskForCreatingOrderTransfer = "SaveSingleTaskForCreatingOrderTransfer"
	// ActionSaveBatchTaskForCreatingOrderActivate registers a list of domains
	// (OrderActivateParam.N.*) in one task.
	ActionSaveBatchTaskForCreatingOrderActivate = "SaveBatchTaskForCreatingOrderActivate"
	// ActionSaveSingleTaskForCreatingOrderActivate registers one domain.
	ActionSaveSingleTaskForCreatingOrderActivate = "SaveSingleTaskForCreatingOrderActivate"
	// ActionQueryDomainByDomainName returns one domain of the account.
	ActionQueryDomainByDomainName = "QueryDomainByDomainName"
	// ActionCheckDomain tells whether a name can be registered, with prices.
	ActionCheckDomain = "CheckDomain"
	// ActionQueryDomainRealTimePrice quotes the prices of a list of domains
	// (DomainItem, one JSON string).
	ActionQueryDomainRealTimePrice = "QueryDomainRealTimePrice"
	// ActionSetupDomainAutoRenew turns a domain's auto-renewal on or off.
	ActionSetupDomainAutoRenew = "SetupDomainAutoRenew"
)

// Option configures a Server; pass it to NewServer.
type Option func(*config)

type config struct {
	id, secret, token string
	clock             func() time.Time
	taskDuration      time.Duration
	pageSizeLimit     int
	transferTaskType  string
	maxURL            int
	rate              float64 // WithRateLimit; 0 = none
	burst             int
}

// WithCredentials sets the only access key pair the Server accepts (by
// default a random pair, exported in Server.AccessKeyID and
// Server.AccessKeySecret).
func WithCredentials(id, secret string) Option {
	return func(c *config) { c.id, c.secret = id, secret }
}

// WithSecurityToken makes the Server require an STS SecurityToken parameter
// equal to tok on every request (see NewServer for the error codes).
func WithSecurityToken(tok string) Option {
	return func(c *config) { c.token = tok }
}

// WithClock sets the Server's clock, used for the Timestamp window, nonce
// expiry, task times and task progress (see WithTaskDuration), and the
// ExpirationCurrDateDiff of domains. The default is time.Now. The function is
// called concurrently and must be safe for that.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithTaskDuration sets how long each redeem task detail takes, measured on
// the Server's clock from its creation: WAITING_EXECUTE (code 0) for the first
// third of d, EXECUTING (1) until d, then EXECUTE_SUCCESS (2) or
// EXECUTE_FAILURE (3). The default, 0, makes details final as soon as they are
// created. A successful detail changes its domain only once it is final.
func WithTaskDuration(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			d = 0
		}
		c.taskDuration = d
	}
}

// WithPageSizeLimit sets the largest PageSize the list actions accept (default
// DefaultPageSizeLimit); a larger one is answered with InvalidParameter.
func WithPageSizeLimit(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.pageSizeLimit = n
		}
	}
}

// Server is a fake Alibaba Cloud Domain API endpoint listening on the loopback
// interface. Create it with NewServer and Close it when done. Its methods are
// safe for concurrent use, also while requests are being served.
type Server struct {
	// URL is the endpoint to give the client, http://127.0.0.1:PORT/ (the
	// same form as the SDK's DefaultEndpoint).
	URL string
	// AccessKeyID is the access key id the Server accepts.
	AccessKeyID string
	// AccessKeySecret is the secret of AccessKeyID.
	AccessKeySecret string
	// SecurityToken is the STS token every request must carry, or "" when
	// none is required (see WithSecurityToken).
	SecurityToken string

	cfg       config
	ts        *httptest.Server
	closed    chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	domains  map[string]*domain // by lower-case name
	tasks    []*task            // creation order
	taskByNo map[string]*task
	pending  []*detail       // details not final yet
	orders   map[bookKey]int // paid orders
	submits  map[bookKey]int // details created, paid or failed
	requests map[string]int
	// performed counts, per action, the requests the action carried out.
	performed map[string]int
	faults    map[string][]Fault
	nonces    nonceStore
	seq       int
	extra     map[string]credential // AddCredentials, by access key id

	limiter   rateLimiter
	throttled int // requests refused by the rate limit

	transferable map[string]*transferable // AddTransferable, by canonical name
	available    map[string]*domain       // AddAvailable: what a registration creates
	profiles     map[int64]bool           // AddRegistrantProfile
	regs         registrantState          // registrant profiles (family_profiles.go)
	xferIn       transferInState          // transfer-in steps (family_transfer.go)
	emails       emailState               // mailbox verifications (family_email.go)
	prices       map[priceKey]float64     // SetPrice

	data dataState // SetAnswer, FailTasks: what the generic handler answers
	fam  famServer // groups, change log, task cancels and polls, scrolls (family_state.go)
}

// credential is an access key pair the gateway accepts, with the STS token
// it requires ("" for none).
type credential struct{ secret, token string }

// AddCredentials makes the Server accept the access key id/secret besides
// the configured one (Server.AccessKeyID); with a non-empty token, requests
// signed with this key must carry that SecurityToken, as STS credentials do.
// Adding an id again replaces its secret and token. It is meant for fakes of
// credential providers (ECS metadata, STS) that hand out temporary keys.
func (s *Server) AddCredentials(id, secret, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.extra == nil {
		s.extra = make(map[string]credential)
	}
	s.extra[id] = credential{secret: secret, token: token}
}

// credentialFor returns the pair the gateway accepts for access key id.
func (s *Server) credentialFor(id string) (credential, bool) {
	if id == s.AccessKeyID {
		return credential{secret: s.AccessKeySecret, token: s.SecurityToken}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.extra[id]
	return c, ok
}

// NewServer starts a Server on 127.0.0.1 (like httptest.NewServer) and
// returns it. Call Close when done.
//
// Every request, GET or POST, with parameters in the URL query and/or an
// application/x-www-form-urlencoded body (merged), signed with signature V2
// (HMAC-SHA1: common parameters, Signature computed over the union of the
// decoded query and body) or V3 (ACS3-HMAC-SHA256: an Authorization header;
// Action and Version in the x-acs-action and x-acs-version headers), goes
// through these gateway checks in order before any action runs; each failure
// is answered with the real gateway's code, in JSON or XML as Format asks:
//
//  0. a request-URI longer than WithMaxURLLength (8 KiB by default): 414 with
//     an HTML page;
//  1. a method other than GET or POST: 400 UnsupportedHTTPMethod; a parameter
//     given twice with different values: 400 InvalidParameter; a Format
//     other than JSON or XML (any case): 400 InvalidParameter.Format.
//     V2: a common parameter (Version, AccessKeyId, SignatureMethod,
//     SignatureVersion, SignatureNonce, Timestamp, Signature, Action)
//     missing or empty: 400 MissingParameter naming it (Format is optional,
//     JSON by default). V3: an Authorization header that is not
//     "ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...", or
//     that leaves host, content-type or an x-acs-* header unsigned: 400
//     IncompleteSignature; x-acs-action, x-acs-version, x-acs-date,
//     x-acs-signature-nonce or x-acs-content-sha256 missing: 400
//     MissingParameter naming it; x-acs-content-sha256 not the hex SHA-256 of
//     the body: 400 InvalidParameter;
//  2. Version not 2018-01-29: 400 InvalidVersion; V2 SignatureMethod not
//     HMAC-SHA1 or SignatureVersion not 1.0: 400 InvalidParameter naming it;
//  3. unknown AccessKeyId (V3: Credential): 404 InvalidAccessKeyId.NotFound;
//  4. wrong signature: 400 SignatureDoesNotMatch, whose message ends with the
//     server's string to sign (with any AuthorizationCode and the other
//     parameters the catalog marks secret masked, unlike the real gateway);
//  5. when the access key has a SecurityToken (WithSecurityToken,
//     AddCredentials): none sent (V2 SecurityToken, V3 x-acs-security-token),
//     400 MissingSecurityToken; a different one, 400
//     InvalidSecurityToken.MismatchWithAccessKey. When it has none but one
//     is sent: 400 InvalidSecurityToken.Expired;
//  6. Timestamp (V3: x-acs-date) not in the form 2006-01-02T15:04:05Z: 400
//     InvalidTimeStamp.Format; more than 15 minutes from the Server's clock:
//     400 InvalidTimeStamp.Expired;
//  7. SignatureNonce (V3: x-acs-signature-nonce) already used within 15
//     minutes: 400 SignatureNonceUsed;
//  8. unknown Action: 404 InvalidAction.NotFound.
//
// Beyond the rate of WithRateLimit, a request that passed these checks is
// answered 400 Throttling.User.
//
// Every response carries a fresh RequestId (also in the x-acs-request-id
// header).
func NewServer(opts ...Option) *Server {
	cfg := config{clock: time.Now, pageSizeLimit: DefaultPageSizeLimit,
		transferTaskType: DefaultTransferTaskType, maxURL: DefaultMaxURLLength}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.id == "" {
		cfg.id = "LTAI" + randomAlnum(20)
	}
	if cfg.secret == "" {
		cfg.secret = randomAlnum(30)
	}
	if cfg.clock == nil {
		cfg.clock = time.Now
	}
	s := &Server{
		AccessKeyID:     cfg.id,
		AccessKeySecret: cfg.secret,
		SecurityToken:   cfg.token,
		cfg:             cfg,
		closed:          make(chan struct{}),
		domains:         make(map[string]*domain),
		taskByNo:        make(map[string]*task),
		orders:          make(map[bookKey]int),
		submits:         make(map[bookKey]int),
		requests:        make(map[string]int),
		performed:       make(map[string]int),
		faults:          make(map[string][]Fault),
		transferable:    make(map[string]*transferable),
		available:       make(map[string]*domain),
		profiles:        make(map[int64]bool),
		prices:          make(map[priceKey]float64),
		nonces:          nonceStore{seen: make(map[string]time.Time)},
	}
	s.limiter = rateLimiter{rate: cfg.rate, burst: float64(cfg.burst), tokens: float64(cfg.burst), last: cfg.clock()}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// A gateway answers a long URL 414 (see WithMaxURLLength), not Go's 431.
	s.ts.Config.MaxHeaderBytes = max(cfg.maxURL, http.DefaultMaxHeaderBytes) + 64<<20
	s.ts.Start()
	s.URL = s.ts.URL + "/"
	return s
}

// Close stops the Server: requests held by Delay, DelayAfterCommit or
// SlowBody are abandoned, connections are closed, and Close returns once all
// handlers have finished. Close may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.ts.CloseClientConnections()
		s.ts.Close()
	})
}

// Inject queues faults for the next requests of action (any action of the
// API), in order: each Fault covers as many requests as it says
// (Throttle(3) covers three), then the next one applies, and requests after
// the queue is used up are served normally. Faults injected by later calls
// are queued after earlier ones. Inject panics on an unknown action, so that a
// typo cannot make a test pass silently.
func (s *Server) Inject(action string, faults ...Fault) {
	if !knownAction(action) {
		panic(fmt.Sprintf("alidomaintest: Inject: unknown action %q", action))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range faults {
		if f.kind == faultPass && f.span == 0 {
			f.span = 1
		}
		if f.span == 0 {
			continue
		}
		s.faults[action] = append(s.faults[action], f)
	}
}

// ClearFaults drops the faults still queued for action (for example a
// ThrottleForever).
func (s *Server) ClearFaults(action string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.faults, action)
}

// popFault takes the fault for the next request of action. s.mu is held.
func (s *Server) popFault(action string) Fault {
	q := s.faults[action]
	if len(q) == 0 {
		return Pass()
	}
	f := q[0]
	switch {
	case f.span == forever:
	case f.span <= 1:
		q = q[1:]
	default:
		q[0].span--
	}
	if len(q) == 0 {
		delete(s.faults, action)
	} else {
		s.faults[action] = q
	}
	return f
}

// Requests returns how many requests with the given Action passed all the
// gateway checks (valid parameters, signature, token, timestamp, nonce, known
// action) and so reached the action, including those then answered or broken
// by an injected Fault (a Throttle included) or refused by the rate limit
// (WithRateLimit), and those the action itself
// rejected (for example for a missing parameter). Requests rejected by the
// gateway are not counted.
func (s *Server) Requests(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[action]
}

// Performed returns how many requests with the given Action the action
// carried out: each passed the gateway checks, was not answered by a fault
// in its place (Throttle, ServiceUnavailable, ResetBeforeCommit, InBodyError,
// a Delay the client gave up on) nor by the rate limit, and was accepted by
// the action (not refused with an error of its own, such as a missing
// parameter). A fault after commit (CommitThenDrop, ServerErrorAfterCommit,
// MalformedBody, ...) does not undo it: such a request is counted. For a
// write this is how many times it took effect, whatever the kind: a task
// write's tasks, an other write's changes, a paid order's submissions.
func (s *Server) Performed(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.performed[action]
}

// bookKey is a line of the Server's books: an order kind and a domain's
// canonical name.
type bookKey struct {
	kind OrderKind
	name string
}

// book records a task detail of kind for the domain key; paid says whether
// it took effect (or will once final). Lines with kind "" are the totals
// over every kind. s.mu is held.
func (s *Server) book(kind OrderKind, key string, paid bool) {
	for _, k := range []bookKey{{kind, key}, {"", key}} {
		s.submits[k]++
		if paid {
			s.orders[k]++
		}
	}
}

// bookLine returns the line of m for domain and kind ("" for every kind).
func (s *Server) bookLine(m map[bookKey]int, kind OrderKind, domain string) int {
	key := wire.CanonicalName(domain)
	s.mu.Lock()
	defer s.mu.Unlock()
	return m[bookKey{kind, key}]
}

// Orders returns how many paid orders of any kind (redeem, renew, transfer,
// registration) took effect for domain: one per task detail naming it that
// succeeds, counted when the task is created (the Server decides each
// detail's outcome then), also before the detail is final. A detail that
// fails (a stale CurrentExpirationDate, a domain not in redemption, an order
// already in progress, a scripted failure) is not an order; Submissions
// counts those too. Requests that were throttled, reset before commit or
// rejected before creating a task count in neither. The domain is compared in
// canonical form (case-insensitive).
func (s *Server) Orders(domain string) int { return s.bookLine(s.orders, "", domain) }

// OrdersOf is Orders for the orders of one kind only (none for an empty
// kind).
func (s *Server) OrdersOf(kind OrderKind, domain string) int {
	if kind == "" {
		return 0
	}
	return s.bookLine(s.orders, kind, domain)
}

// Submissions returns how many task details of any order kind were created
// for domain, whether they then succeed or fail: the submissions that reached
// the service. Submissions(d) - Orders(d) is the number of failed details.
func (s *Server) Submissions(domain string) int { return s.bookLine(s.submits, "", domain) }

// SubmissionsOf is Submissions for the orders of one kind only (none for
// an empty kind).
func (s *Server) SubmissionsOf(kind OrderKind, domain string) int {
	if kind == "" {
		return 0
	}
	return s.bookLine(s.submits, kind, domain)
}

func (s *Server) now() time.Time { return s.cfg.clock() }

// serveHTTP is the Server's handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	if len(r.RequestURI) > s.cfg.maxURL {
		writeURITooLong(w, reqID)
		return
	}
	params, action, format, gwErr := s.gateway(r)
	if gwErr != nil {
		writeResult(w, reqID, format, "", gwErr.result(reqID))
		return
	}

	s.mu.Lock()
	s.requests[action]++
	wait, limited := s.limiter.take(s.now())
	var f Fault
	if limited {
		s.throttled++ // queued faults wait for a request that gets through
	} else {
		f = s.popFault(action)
	}
	s.mu.Unlock()
	if limited {
		w.Header().Set("X-Ratelimit-User-Api", s.limiter.hint(wait))
		writeResult(w, reqID, format, action, errThrottled.result(reqID))
		return
	}

	switch f.kind {
	case faultThrottle:
		writeResult(w, reqID, format, action, errThrottled.result(reqID))
		return
	case faultServiceUnavailable:
		writeResult(w, reqID, format, action, errServiceUnavailable.result(reqID))
		return
	case faultResetBeforeCommit:
		dropConnection(w, true)
		return
	case faultInBodyError:
		writeResult(w, reqID, format, action, inBodyError(action, reqID, f))
		return
	case faultDelay:
		if !s.wait(r, f.d) {
			abort()
		}
	}

	res := s.perform(action, params, reqID, r)

	switch f.kind {
	case faultCommitThenDrop:
		dropConnection(w, false)
	case faultServerErrorAfterCommit:
		writeResult(w, reqID, format, action, errInternal.result(reqID))
	case faultNonceUsedAfterCommit:
		writeResult(w, reqID, format, action, errNonceUsed.result(reqID))
	case faultDelayAfterCommit:
		if !s.wait(r, f.d) {
			abort()
		}
		writeResult(w, reqID, format, action, res)
	case faultMalformedBody:
		body := []byte(`{"RequestId":"` + reqID + `","Data":{"Domain":[{"DomainName":` + "\x00<<<not json, not xml")
		writeRaw(w, reqID, http.StatusOK, contentType(format), body)
	case faultTruncatedBody:
		ctype, body := render(format, action, res)
		writeTruncated(w, reqID, ctype, body)
	case faultEmptyBody:
		writeRaw(w, reqID, http.StatusOK, contentType(format), nil)
	case faultHugeBody:
		s.writeHuge(w, r, reqID, f.bytes)
	case faultXMLBody:
		writeResult(w, reqID, formatXML, action, res)
	case faultWrongContentType:
		_, body := render(format, action, res)
		writeRaw(w, reqID, res.status, "text/html;charset=utf-8", body)
	case faultSlowBody:
		ctype, body := render(format, action, res)
		s.writeSlow(w, r, reqID, res.status, ctype, body, f.d)
	default:
		writeResult(w, reqID, format, action, res)
	}
}

// inBodyError is the HTTP 200 answer of an InBodyError fault.
func inBodyError(action, reqID string, f Fault) result {
	if action == ActionQueryDomainRealTimePrice {
		return result{status: http.StatusOK, body: realTimePriceResponse{RequestID: reqID,
			HTTPStatusCode: http.StatusBadRequest, ErrorCode: f.code, ErrorMsg: f.msg}}
	}
	return result{status: http.StatusOK, body: struct {
		RequestID string `json:"RequestId" xml:"RequestId"`
		Code      string `json:"Code" xml:"Code"`
		Message   string `json:"Message" xml:"Message"`
	}{reqID, f.code, f.msg}}
}

// wait holds the request for d; it reports false if the client went away or
// the server was closed first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closed:
		return false
	}
}

// gatewayError is an error answered by the gateway or an action.
type gatewayError struct {
	status  int
	code    string
	message string
}

func (e *gatewayError) result(reqID string) result {
	return result{status: e.status, body: errorBody{
		RequestID: reqID,
		HostID:    hostID,
		Code:      e.code,
		Message:   e.message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + e.code + "&product=Domain",
	}, isError: true}
}

var (
	errThrottled = &gatewayError{http.StatusBadRequest, "Throttling.User",
		"Request was denied due to user flow control."}
	errServiceUnavailable = &gatewayError{http.StatusServiceUnavailable, "ServiceUnavailable",
		"The request has failed due to a temporary failure of the server."}
	errInternal = &gatewayError{http.StatusInternalServerError, "InternalError",
		"The request processing has failed due to some unknown error, exception or failure."}
	errNonceUsed = &gatewayError{http.StatusBadRequest, "SignatureNonceUsed",
		"Specified signature nonce was used already."}
)

func errMissing(name string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "MissingParameter",
		fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

func errInvalid(name string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid.", name)}
}

// commonParams are the mandatory common parameters, in the order they are
// checked.
var commonParams = []string{
	"Version", "AccessKeyId", "SignatureMethod", "SignatureVersion",
	"SignatureNonce", "Timestamp", "Signature", "Action",
}

// signedRequest is a request as the gateway sees it once its signature
// version's syntax is checked: what the common checks need.
type signedRequest struct {
	params      map[string]string // action parameters (and, for V2, the common ones)
	action      string
	accessKeyID string
	token       string
	hasToken    bool
	timestamp   string // V2 Timestamp or V3 x-acs-date
	nonce       string
	// verify reports whether the request is signed with secret; on a
	// mismatch it also returns the server's string to sign.
	verify func(secret string) (bool, string)
}

// maxBody is the largest request body the Server reads.
const maxBody = 32 << 20

// gateway runs the gateway checks and returns the merged parameters, the
// action and the response format.
func (s *Server) gateway(r *http.Request) (map[string]string, string, string, *gatewayError) {
	format := formatOf(r.URL.Query().Get("Format"))
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return nil, "", format, &gatewayError{http.StatusBadRequest, "UnsupportedHTTPMethod",
			"This http method is not supported."}
	}
	// V3 hashes the exact body bytes, so keep them before parsing the form.
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		return nil, "", format, &gatewayError{http.StatusBadRequest, "InvalidParameter",
			"The request body could not be read."}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := r.ParseForm(); err != nil {
		return nil, "", format, &gatewayError{http.StatusBadRequest, "InvalidParameter",
			"The request parameters could not be parsed."}
	}
	format = formatOf(r.Form.Get("Format"))
	if !validFormat(r.Form.Get("Format")) {
		return nil, "", format, &gatewayError{http.StatusBadRequest, "InvalidParameter.Format",
			"Specified parameter Format is not valid."}
	}
	params := make(map[string]string, len(r.Form))
	for k, vs := range r.Form {
		for _, v := range vs[1:] {
			if v != vs[0] {
				return nil, "", format, errInvalid(k)
			}
		}
		params[k] = vs[0]
	}
	var sr *signedRequest
	var gwErr *gatewayError
	if r.Header.Get("Authorization") != "" {
		sr, gwErr = parseV3(r, params, body, apiVersion)
	} else {
		sr, gwErr = parseV2(r, params, apiVersion)
	}
	if gwErr != nil {
		return nil, "", format, gwErr
	}
	if gwErr := s.checkSigned(sr); gwErr != nil {
		return nil, "", format, gwErr
	}
	return sr.params, sr.action, format, nil
}

// parseV2 checks the common parameters of a signature V2 (HMAC-SHA1)
// request to a service speaking version (the STSServer shares it).
func parseV2(r *http.Request, params map[string]string, version string) (*signedRequest, *gatewayError) {
	for _, name := range commonParams {
		if params[name] == "" {
			return nil, errMissing(name)
		}
	}
	if params["Version"] != version {
		return nil, errVersion
	}
	if params["SignatureMethod"] != "HMAC-SHA1" {
		return nil, errInvalid("SignatureMethod")
	}
	if params["SignatureVersion"] != "1.0" {
		return nil, errInvalid("SignatureVersion")
	}
	tok, hasTok := params["SecurityToken"]
	return &signedRequest{
		params:      params,
		action:      params["Action"],
		accessKeyID: params["AccessKeyId"],
		token:       tok,
		hasToken:    hasTok,
		timestamp:   params["Timestamp"],
		nonce:       params["SignatureNonce"],
		verify: func(secret string) (bool, string) {
			sts := stringToSign(r.Method, params)
			if signatureMatches(params["Signature"], signString(secret, sts)) {
				return true, ""
			}
			return false, stringToSign(r.Method, maskSecrets(params))
		},
	}, nil
}

// The token errors' HTTP status is documented only as 4xx (docs/wire.md, Error codes);
// 400 is what the gateway answers for its other parameter errors.
var (
	errMissingToken = &gatewayError{http.StatusBadRequest, "MissingSecurityToken",
		"SecurityToken is mandatory for this action."}
	errTokenMismatch = &gatewayError{http.StatusBadRequest, "InvalidSecurityToken.MismatchWithAccessKey",
		"Specified SecurityToken mismatch with the AccessKey."}
)

// maskSecrets returns params with every AuthorizationCode value, and every
// parameter the catalog marks secret (mailed tokens, identity documents),
// replaced, for the string to sign a SignatureDoesNotMatch message echoes:
// the real gateway echoes it whole, but the Server never shows a secret.
func maskSecrets(params map[string]string) map[string]string {
	var out map[string]string
	for k := range params {
		if strings.HasSuffix(k, "AuthorizationCode") || secretParam(params["Action"], k) {
			if out == nil {
				out = make(map[string]string, len(params))
				for k2, v2 := range params {
					out[k2] = v2
				}
			}
			out[k] = "******"
		}
	}
	if out == nil {
		return params
	}
	return out
}

var errVersion = &gatewayError{http.StatusBadRequest, "InvalidVersion",
	"Specified parameter Version is not valid."}

// checkSigned runs the checks common to every signature version: access
// key, signature, security token, timestamp window, nonce, action.
func (s *Server) checkSigned(sr *signedRequest) *gatewayError {
	cred, known := s.credentialFor(sr.accessKeyID)
	if !known {
		return &gatewayError{http.StatusNotFound, "InvalidAccessKeyId.NotFound",
			"Specified access key is not found."}
	}
	if ok, sts := sr.verify(cred.secret); !ok {
		return &gatewayError{http.StatusBadRequest, "SignatureDoesNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:" + sts}
	}
	switch {
	case cred.token != "" && sr.token == "":
		return errMissingToken
	case cred.token != "" && !signatureMatches(sr.token, cred.token):
		return errTokenMismatch
	case cred.token == "" && sr.hasToken:
		return &gatewayError{http.StatusBadRequest, "InvalidSecurityToken.Expired",
			"Specified SecurityToken is expired."}
	}
	const tsLayout = "2006-01-02T15:04:05Z"
	ts, err := time.Parse(tsLayout, sr.timestamp)
	if err != nil || ts.Format(tsLayout) != sr.timestamp { // no fractions
		return &gatewayError{http.StatusBadRequest, "InvalidTimeStamp.Format",
			"Specified time stamp or date value is not well formatted."}
	}
	now := s.now()
	if skew := now.Sub(ts); skew > timestampWindow || skew < -timestampWindow {
		return &gatewayError{http.StatusBadRequest, "InvalidTimeStamp.Expired",
			"Specified time stamp or date value is expired."}
	}
	s.mu.Lock()
	fresh := s.nonces.use(sr.nonce, ts, now)
	s.mu.Unlock()
	if !fresh {
		return errNonceUsed
	}
	if !knownAction(sr.action) {
		return &gatewayError{http.StatusNotFound, "InvalidAction.NotFound",
			"Specified api is not found, please check your url and method."}
	}
	return nil
}

// abort ends the handler and closes the connection without completing the
// response (no implicit empty 200, no final chunk).
func abort() { panic(http.ErrAbortHandler) }

// dropConnection hijacks the connection and closes it without answering; with
// reset, the close sends a TCP RST.
func dropConnection(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("alidomaintest: connection cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// nonceStore remembers nonces until their request's timestamp leaves the
// window, so its size is bounded by the request rate times 30 minutes.
type nonceStore struct {
	seen map[string]time.Time
	h    nonceHeap
}

// use records nonce and reports whether it was fresh.
func (n *nonceStore) use(nonce string, ts, now time.Time) bool {
	for len(n.h) > 0 && !n.h[0].exp.After(now) {
		e := heap.Pop(&n.h).(nonceEntry)
		if n.seen[e.nonce].Equal(e.exp) {
			delete(n.seen, e.nonce)
		}
	}
	if _, ok := n.seen[nonce]; ok {
		return false
	}
	base := ts
	if now.After(base) {
		base = now
	}
	exp := base.Add(timestampWindow)
	n.seen[nonce] = exp
	heap.Push(&n.h, nonceEntry{nonce, exp})
	return true
}

type nonceEntry struct {
	nonce string
	exp   time.Time
}

type nonceHeap []nonceEntry

func (h nonceHeap) Len() int           { return len(h) }
func (h nonceHeap) Less(i, j int) bool { return h[i].exp.Before(h[j].exp) }
func (h nonceHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *nonceHeap) Push(x any)        { *h = append(*h, x.(nonceEntry)) }
func (h *nonceHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// newUUID returns a random version-4 UUID in lower case.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newRequestID returns a fresh upper-case UUID, as the gateway's RequestId.
func newRequestID() string { return strings.ToUpper(newUUID()) }

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomAlnum(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}
