package alidomaintest

import (
	"crypto/subtle"
	"fmt"
	"github.com/alidomain/alidomain/internal/wire"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Transfer-out statuses, as QueryTransferOutInfo reports them in Status.
// The service does not document the codes; these are the Server's.
const (
	// TransferOutNone: no transfer out is asked for.
	TransferOutNone = 0
	// TransferOutPending: a transfer out waits for approval (see
	// RequestTransferOut).
	TransferOutPending = 1
	// TransferOutApproved: the transfer out was approved.
	TransferOutApproved = 2
	// TransferOutCancelled: the transfer out was cancelled.
	TransferOutCancelled = 3
)

// ErrorMsg values of failed transfer details.
const (
	// MsgNoPendingTransferOut: approving or cancelling a transfer out
	// that is not pending.
	MsgNoPendingTransferOut = "the domain has no pending transfer out"
	// MsgNoTransferIn: cancelling a transfer in that is not in progress.
	MsgNoTransferIn = "the domain has no transfer in in progress"
	// MsgTransferInCancelled is the ErrorMsg of a transfer order detail
	// cancelled by SaveSingleTaskForCancelingTransferIn before it was final.
	MsgTransferInCancelled = "the transfer in was cancelled"
)

func init() {
	for name, h := range map[string]func(*Server, *actionCall) (any, *gatewayError){
		"SaveSingleTaskForQueryingTransferAuthorizationCode": (*Server).queryTransferCode,
		"SaveSingleTaskForApprovingTransferOut":              (*Server).decideTransferOut,
		"SaveSingleTaskForCancelingTransferOut":              (*Server).decideTransferOut,
		"SaveSingleTaskForTransferOutByAuthorizationCode":    (*Server).transferOutByCode,
		"SaveBatchTaskForTransferOutByAuthorizationCode":     (*Server).transferOutByCode,
		"QueryTransferOutInfo":                               (*Server).queryTransferOutInfo,
		"QueryTransferInList":                                (*Server).queryTransferInList,
		"QueryTransferInByInstanceId":                        (*Server).queryTransferInByInstanceID,
		"SaveSingleTaskForCancelingTransferIn":               (*Server).cancelTransferIn,
		"TransferInReenterTransferAuthorizationCode":         (*Server).reenterTransferCode,
		"CheckTransferInFeasibility":                         (*Server).checkTransferInFeasibility,
		"TransferInCheckMailToken":                           (*Server).transferInCheckMailToken,
		"TransferInResendMailToken":                          (*Server).transferInMailStep,
		"TransferInRefetchWhoisEmail":                        (*Server).transferInMailStep,
		"ConfirmTransferInEmail":                             (*Server).confirmTransferInEmail,
	} {
		actions[name] = actionDef{handle: h}
	}
}

// transferOut is a domain's transfer-out state.
type transferOut struct {
	code      string // the transfer code last issued: a secret, shown only in its task's TaskResult
	codeSent  time.Time
	status    int
	requested time.Time
	result    string // ResultCode
}

// out returns dom's transfer-out state, created empty.
func (dom *domain) out() *transferOut {
	if dom.xferOut == nil {
		dom.xferOut = &transferOut{}
	}
	return dom.xferOut
}

// RequestTransferOut makes a transfer out of the domain name pending, as
// when another registrar asks for it: SaveSingleTaskForApprovingTransferOut
// and SaveSingleTaskForCancelingTransferOut then succeed for it. It panics
// on a domain the account does not hold.
func (s *Server) RequestTransferOut(name string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	dom := s.domains[wire.CanonicalName(name)]
	if dom == nil {
		panic(fmt.Sprintf("alidomaintest: RequestTransferOut: %q is not in the account", name))
	}
	o := dom.out()
	o.status, o.requested, o.result = TransferOutPending, now, ""
}

// queryTransferCode issues a new transfer code for the domain: the
// successful detail's TaskResult carries it (and nothing else does).
func (s *Server) queryTransferCode(c *actionCall) (any, *gatewayError) {
	code := randomAlnum(10) + "#" + randomAlnum(5)
	now := c.now
	items := s.domainItems([]string{c.p["DomainName"]}, func(dom *domain) {
		o := dom.out()
		o.code, o.codeSent = code, now
	})
	if items[0].failMsg == "" {
		items[0].result = code
	}
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

// decideTransferOut approves or cancels a pending transfer out.
func (s *Server) decideTransferOut(c *actionCall) (any, *gatewayError) {
	status, result := TransferOutApproved, "APPROVED"
	if c.action == "SaveSingleTaskForCancelingTransferOut" {
		status, result = TransferOutCancelled, "CANCELLED"
	}
	items := s.domainItems([]string{c.p["DomainName"]}, func(dom *domain) {
		if o := dom.out(); o.status == TransferOutPending {
			o.status, o.result = status, result
		}
	})
	if items[0].failMsg == "" {
		s.mu.Lock()
		if dom := s.domains[wire.CanonicalName(c.p["DomainName"])]; dom == nil || dom.out().status != TransferOutPending {
			items[0].failMsg = MsgNoPendingTransferOut
		}
		s.mu.Unlock()
	}
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

// transferOutByCode starts a transfer out of each domain with the code
// last issued for it; a detail with another code fails with
// MsgAuthCodeMismatch (the code is never echoed).
func (s *Server) transferOutByCode(c *actionCall) (any, *gatewayError) {
	names, codes := []string{c.p["DomainName"]}, []string{c.p["AuthorizationCode"]}
	if c.action == "SaveBatchTaskForTransferOutByAuthorizationCode" {
		names, codes = nil, nil
		for n := 1; hasItem(c.p, "TransferOutParamList."+strconv.Itoa(n)+"."); n++ {
			base := "TransferOutParamList." + strconv.Itoa(n) + "."
			if c.p[base+"DomainName"] == "" {
				return nil, errMissing(base + "DomainName")
			}
			names, codes = append(names, c.p[base+"DomainName"]), append(codes, c.p[base+"AuthorizationCode"])
		}
	}
	now := c.now
	items := s.domainItems(names, func(dom *domain) {
		o := dom.out()
		o.status, o.requested, o.result = TransferOutPending, now, ""
	})
	s.mu.Lock()
	for i := range items {
		dom := s.domains[wire.CanonicalName(names[i])]
		if items[i].failMsg == "" && (dom == nil || dom.out().code == "" || !sameCode(dom.out().code, codes[i])) {
			items[i].failMsg = MsgAuthCodeMismatch
		}
	}
	s.mu.Unlock()
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

func (s *Server) queryTransferOutInfo(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	dom := s.domains[wire.CanonicalName(c.p["DomainName"])]
	if dom == nil {
		return nil, errDomainNotInAccount
	}
	o := dom.out()
	vals := map[string]any{
		"Status":         int64(o.status),
		"Email":          s.registrantEmail(dom),
		"ExpirationDate": formatCST(dom.expires),
		"ResultCode":     o.result,
	}
	if o.status != TransferOutNone {
		vals["PendingRequestDate"] = formatCST(o.requested)
	}
	if !o.codeSent.IsZero() {
		vals["TransferAuthorizationCodeSendDate"] = formatCST(o.codeSent)
	}
	return s.stateAnswer(c, vals)
}

// sameCode compares transfer codes in constant time, as the orders do.
func sameCode(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// registrantEmail is the mailbox of dom's registrant. s.mu is held.
func (s *Server) registrantEmail(dom *domain) string {
	if c := dom.contacts["registrant"]; c != nil {
		return c["Email"]
	}
	return sampleProfile["Email"]
}

// ---- transfer in ----

// transferInState is what the transfer-in steps add to the transfer
// orders' details (s.mu guards it).
type transferInState struct {
	byDetail map[string]*transferIn   // by TaskDetailNo
	mail     map[string]*transferMail // RequireTransferInMailCheck, by domain key
}

type transferIn struct {
	cancelled     bool
	codeSubmitted time.Time
	modified      time.Time
}

type transferMail struct {
	email, token string
	checked      bool
	sent         int // tokens mailed
}

// RequireTransferInMailCheck makes transfers in of the domain name need the
// registrant's confirmation of the mail sent to email, holding token:
// QueryTransferInList reports NeedMailCheck and status AUTHORIZATION until
// TransferInCheckMailToken gets the token (or ConfirmTransferInEmail the
// mailbox). The check is reported, not enforced: the transfer order's
// detail still ends as it would.
func (s *Server) RequireTransferInMailCheck(name, email, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.xferIn.mail == nil {
		s.xferIn.mail = make(map[string]*transferMail)
	}
	s.xferIn.mail[wire.CanonicalName(name)] = &transferMail{email: email, token: token, sent: 1}
}

// TransferInMailsSent returns how many times the transfer-in token of the
// domain name was mailed (RequireTransferInMailCheck, then
// TransferInResendMailToken).
func (s *Server) TransferInMailsSent(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.xferIn.mail[wire.CanonicalName(name)]; m != nil {
		return m.sent
	}
	return 0
}

// transferDetails are the details of the transfer orders, newest first.
// s.mu is held.
func (s *Server) transferDetails() []*detail {
	var out []*detail
	for i := len(s.tasks) - 1; i >= 0; i-- {
		for _, d := range s.tasks[i].details {
			if d.kind == KindTransfer {
				out = append(out, d)
			}
		}
	}
	return out
}

func (s *Server) transferInOf(d *detail) *transferIn {
	if s.xferIn.byDetail == nil {
		s.xferIn.byDetail = make(map[string]*transferIn)
	}
	ti := s.xferIn.byDetail[d.no]
	if ti == nil {
		ti = &transferIn{modified: d.created}
		s.xferIn.byDetail[d.no] = ti
	}
	return ti
}

// transferInItem is a transfer-in record of a transfer order detail, and
// its SimpleTransferInStatus. s.mu is held.
func (s *Server) transferInItem(d *detail, now time.Time) (map[string]any, string) {
	ti := s.transferInOf(d)
	mail := s.xferIn.mail[d.key]
	st := d.status(now)
	simple, status, code, msg := "PENDING", int64(39), "", ""
	switch {
	case ti.cancelled:
		simple, status, code, msg = "FAIL", 50, "clientCancelled", MsgTransferInCancelled
	case st == 3 && d.failMsg == MsgAuthCodeMismatch:
		simple, status, code, msg = "PASSWORD_VERIFICATION", 31, "passwordError", d.failMsg
	case st == 3:
		simple, status, code, msg = "FAIL", 51, "transferFailed", d.failMsg
	case st == 2:
		simple, status = "SUCCESS", 59
	case mail != nil && !mail.checked:
		simple, status = "AUTHORIZATION", 11
	}
	item := map[string]any{
		"DomainName":             d.name,
		"InstanceId":             d.instance,
		"SimpleTransferInStatus": simple,
		"Status":                 status,
		"ResultCode":             code,
		"ResultMsg":              msg,
		"SubmissionDate":         formatCST(d.created),
		"SubmissionDateLong":     d.created.UnixMilli(),
		"ModificationDate":       formatCST(ti.modified),
		"ModificationDateLong":   ti.modified.UnixMilli(),
		"NeedMailCheck":          mail != nil && !mail.checked,
		"WhoisMailStatus":        mail != nil && mail.checked,
		"ProgressBarType":        int64(3),
		"UserId":                 "1210000000000000",
	}
	if mail != nil {
		item["Email"] = mail.email
		item["ProgressBarType"] = int64(1)
	}
	if st >= 2 || ti.cancelled {
		at := d.updated(now)
		item["ResultDate"], item["ResultDateLong"] = formatCST(at), at.UnixMilli()
	}
	if !ti.codeSubmitted.IsZero() {
		item["TransferAuthorizationCodeSubmissionDate"] = formatCST(ti.codeSubmitted)
		item["TransferAuthorizationCodeSubmissionDateLong"] = ti.codeSubmitted.UnixMilli()
	}
	if t, ok := s.transferable[d.key]; ok {
		item["ExpirationDate"], item["ExpirationDateLong"] = formatCST(t.dom.expires), t.dom.expires.UnixMilli()
	} else if dom := s.domains[d.key]; dom != nil {
		item["ExpirationDate"], item["ExpirationDateLong"] = formatCST(dom.expires), dom.expires.UnixMilli()
	}
	return item, simple
}

// queryTransferInList lists the transfers in ordered through
// SaveBatch/SingleTaskForCreatingOrderTransfer, newest first, filtered by
// domain name prefix, SimpleTransferInStatus and submission dates.
func (s *Server) queryTransferInList(c *actionCall) (any, *gatewayError) {
	var bounds [2]int64
	var has [2]bool
	for i, name := range []string{"SubmissionStartDate", "SubmissionEndDate"} {
		v, ok, err := parseMS(c.p, name, false)
		if err != nil {
			return nil, err
		}
		bounds[i], has[i] = v, ok
	}
	prefix := ""
	if v := strings.TrimSpace(c.p["DomainName"]); v != "" {
		prefix = wire.CanonicalName(v)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	var list []map[string]any
	for _, d := range s.transferDetails() {
		ms := d.created.UnixMilli()
		if !strings.HasPrefix(d.key, prefix) || (has[0] && ms < bounds[0]) || (has[1] && ms > bounds[1]) {
			continue
		}
		item, simple := s.transferInItem(d, c.now)
		if v := c.p["SimpleTransferInStatus"]; v != "" && v != simple {
			continue
		}
		list = append(list, item)
	}
	return s.stateAnswer(c, map[string]any{"Data": map[string]any{"TransferInInfo": list}})
}

func (s *Server) queryTransferInByInstanceID(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	for _, d := range s.transferDetails() {
		if d.instance == c.p["InstanceId"] {
			item, _ := s.transferInItem(d, c.now)
			return s.stateAnswer(c, item)
		}
	}
	return nil, errInvalid("InstanceId")
}

// activeTransferIn is the newest transfer detail of the domain key still
// in progress or waiting for a code, nil when none. s.mu is held.
func (s *Server) activeTransferIn(key string, now time.Time) *detail {
	for _, d := range s.transferDetails() {
		if d.key != key || s.transferInOf(d).cancelled {
			continue
		}
		if st := d.status(now); st < 2 || (st == 3 && d.failMsg == MsgAuthCodeMismatch) {
			return d
		}
		return nil
	}
	return nil
}

// cancelTransferIn cancels the domain's transfer in at once (a pending
// order detail then fails with MsgTransferInCancelled); the cancel task's
// detail fails with MsgNoTransferIn when there is none.
func (s *Server) cancelTransferIn(c *actionCall) (any, *gatewayError) {
	name := c.p["DomainName"]
	it := taskItem{name: name}
	s.mu.Lock()
	s.settle(c.now)
	if d := s.activeTransferIn(wire.CanonicalName(name), c.now); d == nil {
		it.failMsg = MsgNoTransferIn
	} else if s.scriptedFailure(c.action, d.key) == "" {
		ti := s.transferInOf(d)
		ti.cancelled, ti.modified = true, c.now
		if !d.final {
			d.failMsg = MsgTransferInCancelled
		}
	}
	s.mu.Unlock()
	t := s.createTask(c.action, []taskItem{it}, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

// reenterTransferCode gives a transfer in that failed on its code the
// right one: the order's detail is performed again (and succeeds, unless
// scripted otherwise). A wrong code is refused without echoing it.
func (s *Server) reenterTransferCode(c *actionCall) (any, *gatewayError) {
	key := wire.CanonicalName(c.p["DomainName"])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	d := s.activeTransferIn(key, c.now)
	if d == nil || d.failMsg != MsgAuthCodeMismatch {
		return nil, errRefused("DomainName", "no transfer in of the domain waits for a transfer code")
	}
	t := s.transferable[key]
	if t == nil || !sameCode(t.authCode, c.p["TransferAuthorizationCode"]) {
		return nil, errRefused("TransferAuthorizationCode", MsgAuthCodeMismatch)
	}
	ti := s.transferInOf(d)
	ti.codeSubmitted, ti.modified = c.now, c.now
	d.failMsg = t.dom.fail[KindTransfer]
	if d.final {
		d.final, d.created, d.finalAt = false, c.now, c.now.Add(d.duration)
		s.pending = append(s.pending, d)
	}
	if d.failMsg == "" {
		for _, k := range []bookKey{{KindTransfer, key}, {"", key}} {
			s.orders[k]++
		}
	}
	s.settle(c.now)
	return s.stateAnswer(c, nil)
}

// checkTransferInFeasibility says whether the domain can be transferred in
// (given to AddTransferable, not in the account) with the code, if given.
func (s *Server) checkTransferInFeasibility(c *actionCall) (any, *gatewayError) {
	key := wire.CanonicalName(c.p["DomainName"])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	vals := map[string]any{"CanTransfer": false, "ProductId": "2"}
	t, ok := s.transferable[key]
	switch {
	case s.domains[key] != nil:
		vals["Message"] = MsgAlreadyInAccount
	case !ok:
		vals["Message"] = MsgNotTransferable
	case c.p["TransferAuthorizationCode"] != "" && !sameCode(c.p["TransferAuthorizationCode"], t.authCode):
		vals["Message"] = MsgAuthCodeMismatch
	default:
		vals["CanTransfer"] = true
	}
	return s.stateAnswer(c, vals)
}

// transferInCheckMailToken passes the mail check of every domain whose
// token it is.
func (s *Server) transferInCheckMailToken(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ok []string
	for key, m := range s.xferIn.mail {
		if m.token == c.p["Token"] && !m.checked {
			m.checked = true
			ok = append(ok, key)
		}
	}
	if len(ok) == 0 {
		return nil, errRefused("Token", "no transfer in waits for this token")
	}
	sort.Strings(ok)
	return s.stateAnswer(c, map[string]any{"SuccessList": map[string]any{"SuccessDomain": ok}})
}

// confirmTransferInEmail passes the mail check of each domain whose
// transfer-in mailbox is Email; the others are in the fail list.
func (s *Server) confirmTransferInEmail(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	succ, fail := []string{}, []string{}
	for _, name := range fieldValues(catalogAction(c.action), c.p, "DomainName") {
		m := s.xferIn.mail[wire.CanonicalName(name)]
		if m == nil || !strings.EqualFold(m.email, c.p["Email"]) {
			fail = append(fail, name)
			continue
		}
		m.checked = true
		succ = append(succ, name)
	}
	return s.stateAnswer(c, map[string]any{
		"SuccessList": map[string]any{"SuccessDomain": succ},
		"FailList":    map[string]any{"FailDomain": fail},
	})
}

// transferInMailStep mails the token again (TransferInResendMailToken) or
// reads the mailbox again (TransferInRefetchWhoisEmail) for a domain whose
// transfer in waits for its mail check.
func (s *Server) transferInMailStep(c *actionCall) (any, *gatewayError) {
	key := wire.CanonicalName(c.p["DomainName"])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	m := s.xferIn.mail[key]
	d := s.activeTransferIn(key, c.now)
	if m == nil || m.checked || d == nil {
		return nil, errRefused("DomainName", "no transfer in of the domain waits for a mail check")
	}
	if c.action == "TransferInResendMailToken" {
		m.sent++
	}
	s.transferInOf(d).modified = c.now
	return s.stateAnswer(c, nil)
}
