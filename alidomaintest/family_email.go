package alidomaintest

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Email verification statuses, as QueryEmailVerification reports them in
// VerificationStatus.
const (
	// EmailUnverified: the mail was sent, its token not used yet.
	EmailUnverified = 0
	// EmailVerified: the mailbox is verified.
	EmailVerified = 1
)

func init() {
	for name, h := range map[string]func(*Server, *actionCall) (any, *gatewayError){
		"SubmitEmailVerification": (*Server).submitEmailVerification,
		"ResendEmailVerification": (*Server).resendEmailVerification,
		"DeleteEmailVerification": (*Server).deleteEmailVerification,
		"ListEmailVerification":   (*Server).listEmailVerification,
		"QueryEmailVerification":  (*Server).queryEmailVerification,
		"VerifyEmail":             (*Server).verifyEmail,
		"EmailVerified":           (*Server).emailVerified,
	} {
		actions[name] = actionDef{handle: h}
	}
}

// emailState is the account's mailbox verifications (s.mu guards it).
type emailState struct {
	byAddr map[string]*emailVerification // by lower-case address
	seq    int
}

type emailVerification struct {
	email, no         string
	status            int
	token             string // the token the last mail carried
	created, modified time.Time
	sent, verified    time.Time
	sendIP, confirmIP string
}

// status is the VerificationStatus of the mailbox, EmailUnverified for one
// the account does not know. s.mu is held.
func (e *emailState) status(addr string) int {
	if v := e.byAddr[strings.ToLower(addr)]; v != nil {
		return v.status
	}
	return EmailUnverified
}

// add creates the verification of addr, mailed now. s.mu is held.
func (e *emailState) add(addr, ip string, now time.Time) *emailVerification {
	if e.byAddr == nil {
		e.byAddr = make(map[string]*emailVerification)
	}
	e.seq++
	v := &emailVerification{email: addr, no: "EV" + strconv.Itoa(100000+e.seq), created: now, sendIP: ip}
	v.mail(now)
	e.byAddr[strings.ToLower(addr)] = v
	return v
}

// mail sends a new token.
func (v *emailVerification) mail(now time.Time) {
	v.token, v.sent, v.modified = randomAlnum(24), now, now
}

func (v *emailVerification) verify(ip string, now time.Time) {
	v.status, v.verified, v.modified, v.confirmIP, v.token = EmailVerified, now, now, ip, ""
}

// AddEmailVerification adds a verification of the mailbox email, already
// verified or waiting for its token (see EmailVerificationToken).
func (s *Server) AddEmailVerification(email string, verified bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.emails.add(email, "127.0.0.1", now)
	if verified {
		v.verify("127.0.0.1", now)
	}
}

// EmailVerificationToken returns the token the last verification mail to
// email carried, as the mailbox's owner would read it, for VerifyEmail;
// false when none waits.
func (s *Server) EmailVerificationToken(email string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := s.emails.byAddr[strings.ToLower(email)]; v != nil && v.token != "" {
		return v.token, true
	}
	return "", false
}

// emailList splits a comma-separated Email parameter.
func emailList(p params) []string {
	var out []string
	for _, e := range strings.Split(p["Email"], ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func emailResult(addr, code, msg string) map[string]any {
	return map[string]any{"Email": addr, "Code": code, "Message": msg}
}

func validEmail(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	return at > 0 && at < len(addr)-1 && !strings.ContainsAny(addr, " \t")
}

// submitEmailVerification mails a token to each new mailbox (SuccessList);
// a known one is in ExistList (and mailed again with SendIfExist), a
// malformed one in FailList.
func (s *Server) submitEmailVerification(c *actionCall) (any, *gatewayError) {
	again := c.p["SendIfExist"] == "true"
	ip := clientIP(c.p, c.r)
	s.mu.Lock()
	defer s.mu.Unlock()
	succ, exist, fail := []map[string]any{}, []map[string]any{}, []map[string]any{}
	for _, addr := range emailList(c.p) {
		v := s.emails.byAddr[strings.ToLower(addr)]
		switch {
		case !validEmail(addr):
			fail = append(fail, emailResult(addr, "InvalidEmail", "the address is not valid"))
		case v != nil:
			if again && v.status == EmailUnverified {
				v.mail(c.now)
			}
			exist = append(exist, emailResult(addr, "EmailExist", "the mailbox already has a verification"))
		default:
			s.emails.add(addr, ip, c.now)
			succ = append(succ, emailResult(addr, "", ""))
		}
	}
	return s.stateAnswer(c, map[string]any{"SuccessList": succ, "ExistList": exist, "FailList": fail})
}

// resendEmailVerification mails a new token to each known unverified
// mailbox; the others are in FailList.
func (s *Server) resendEmailVerification(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	succ, fail := []map[string]any{}, []map[string]any{}
	for _, addr := range emailList(c.p) {
		v := s.emails.byAddr[strings.ToLower(addr)]
		switch {
		case v == nil:
			fail = append(fail, emailResult(addr, "EmailNotExist", "the mailbox has no verification"))
		case v.status == EmailVerified:
			fail = append(fail, emailResult(addr, "EmailVerified", "the mailbox is already verified"))
		default:
			v.mail(c.now)
			succ = append(succ, emailResult(addr, "", ""))
		}
	}
	return s.stateAnswer(c, map[string]any{"SuccessList": succ, "FailList": fail})
}

func (s *Server) deleteEmailVerification(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	succ, fail := []map[string]any{}, []map[string]any{}
	for _, addr := range emailList(c.p) {
		if s.emails.byAddr[strings.ToLower(addr)] == nil {
			fail = append(fail, emailResult(addr, "EmailNotExist", "the mailbox has no verification"))
			continue
		}
		delete(s.emails.byAddr, strings.ToLower(addr))
		succ = append(succ, emailResult(addr, "", ""))
	}
	return s.stateAnswer(c, map[string]any{"SuccessList": succ, "FailList": fail})
}

func (v *emailVerification) item() map[string]any {
	m := map[string]any{
		"Email":               v.email,
		"EmailVerificationNo": v.no,
		"VerificationStatus":  int64(v.status),
		"GmtCreate":           formatCST(v.created),
		"GmtModified":         formatCST(v.modified),
		"TokenSendTime":       formatCST(v.sent),
		"SendIp":              v.sendIP,
		"ConfirmIp":           v.confirmIP,
		"UserId":              "1210000000000000",
	}
	if !v.verified.IsZero() {
		m["VerificationTime"] = formatCST(v.verified)
	}
	return m
}

// listEmailVerification lists the verifications, newest first, filtered
// by mailbox (a substring), status and creation time.
func (s *Server) listEmailVerification(c *actionCall) (any, *gatewayError) {
	var bounds [2]int64
	var has [2]bool
	for i, name := range []string{"BeginCreateTime", "EndCreateTime"} {
		v, ok, err := parseMS(c.p, name, false)
		if err != nil {
			return nil, err
		}
		bounds[i], has[i] = v, ok
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var vs []*emailVerification
	for _, v := range s.emails.byAddr {
		ms := v.created.UnixMilli()
		switch {
		case c.p["Email"] != "" && !strings.Contains(strings.ToLower(v.email), strings.ToLower(c.p["Email"])),
			c.p["VerificationStatus"] != "" && c.p["VerificationStatus"] != strconv.Itoa(v.status),
			has[0] && ms < bounds[0], has[1] && ms > bounds[1]:
			continue
		}
		vs = append(vs, v)
	}
	sort.Slice(vs, func(i, j int) bool {
		if !vs[i].created.Equal(vs[j].created) {
			return vs[i].created.After(vs[j].created)
		}
		return vs[i].no > vs[j].no
	})
	list := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		list = append(list, v.item())
	}
	return s.stateAnswer(c, map[string]any{"Data": list})
}

func (s *Server) queryEmailVerification(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.emails.byAddr[strings.ToLower(strings.TrimSpace(c.p["Email"]))]
	if v == nil {
		return nil, errRefused("Email", "the mailbox has no verification")
	}
	return s.stateAnswer(c, v.item())
}

// verifyEmail verifies the mailbox whose last mail carried Token; an
// unknown token is refused without being echoed.
func (s *Server) verifyEmail(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.emails.byAddr {
		if v.token != "" && v.token == c.p["Token"] {
			v.verify(clientIP(c.p, c.r), c.now)
			return s.stateAnswer(c, nil)
		}
	}
	return nil, errRefused("Token", "no verification mail carries this token")
}

// emailVerified marks the mailbox verified, creating its verification if
// needed.
func (s *Server) emailVerified(c *actionCall) (any, *gatewayError) {
	addr := strings.TrimSpace(c.p["Email"])
	if !validEmail(addr) {
		return nil, errInvalid("Email")
	}
	ip := clientIP(c.p, c.r)
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.emails.byAddr[strings.ToLower(addr)]
	if v == nil {
		v = s.emails.add(addr, ip, c.now)
	}
	v.verify(ip, c.now)
	return s.stateAnswer(c, nil)
}
