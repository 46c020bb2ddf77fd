package alidomaintest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// The order kinds (see Server.OrdersOf), each with the TaskType of the tasks
// its orders create.
const (
	// KindRedeem: SaveBatch/SingleTaskForCreatingOrderRedeem, tasks of type
	// ORDER_REDEEM.
	KindRedeem OrderKind = "redeem"
	// KindRenew: SaveBatch/SingleTaskForCreatingOrderRenew, tasks of type
	// ORDER_RENEW.
	KindRenew OrderKind = "renew"
	// KindTransfer: SaveBatch/SingleTaskForCreatingOrderTransfer, tasks of
	// type DefaultTransferTaskType unless WithTransferTaskType says otherwise.
	KindTransfer OrderKind = "transfer"
	// KindRegister: SaveBatch/SingleTaskForCreatingOrderActivate, tasks of
	// type ORDER_ACTIVATE.
	KindRegister OrderKind = "register"
)

// DefaultTransferTaskType is the TaskType the Server gives transfer-in tasks.
// It is an assumption: the real type is documented nowhere (see
// docs/wire-orders.md), so a
// client must not depend on it; WithTransferTaskType changes it.
const DefaultTransferTaskType = "ORDER_TRANSFER"

// WithTransferTaskType sets the TaskType of transfer-in tasks (default
// DefaultTransferTaskType, an assumption), so that tests can check a client
// does not depend on the guess.
func WithTransferTaskType(typ string) Option {
	return func(c *config) {
		if typ != "" {
			c.transferTaskType = typ
		}
	}
}

// ErrorMsg values of order details beyond redeem's (see MsgSuccess and the
// redeem messages), decided when the task is created.
const (
	// MsgNotRenewable is the ErrorMsg of a renew detail naming a domain in
	// its redemption period (it must be redeemed, not renewed).
	MsgNotRenewable = "the domain is in its redemption period and cannot be renewed"
	// MsgOrderInProgress is the ErrorMsg of a renew, transfer or registration
	// detail naming a domain that already has an order of the same kind that
	// will succeed but is not final yet.
	MsgOrderInProgress = "an order of this kind for the domain is already in progress"
	// MsgPremiumNotPermitted is the ErrorMsg of a detail naming a premium
	// domain without PermitPremiumRenew / PermitPremiumTransfer /
	// PermitPremiumActivation.
	MsgPremiumNotPermitted = "the domain is a premium domain and the order does not permit premium prices"
	// MsgAlreadyInAccount is the ErrorMsg of a transfer or registration
	// detail naming a domain the account already holds.
	MsgAlreadyInAccount = "the domain is already in your account"
	// MsgNotTransferable is the ErrorMsg of a transfer detail naming a
	// domain the Server was not told about with AddTransferable.
	MsgNotTransferable = "the domain cannot be transferred in"
	// MsgAuthCodeMismatch is the ErrorMsg of a transfer detail whose
	// AuthorizationCode is not the domain's (the code is never echoed).
	MsgAuthCodeMismatch = "the authorization code is not correct"
	// MsgNotAvailable is the ErrorMsg of a registration detail naming a
	// domain that is not available (see AddAvailable).
	MsgNotAvailable = "the domain is not available for registration"
	// MsgProfileNotFound was the ErrorMsg of a transfer or registration
	// detail whose RegistrantProfileId the Server did not know.
	//
	// Deprecated: such an order is now refused as a whole, HTTP 400
	// InvalidParameter naming RegistrantProfileId, and no detail carries
	// this message.
	MsgProfileNotFound = "the registrant profile does not exist"
)

// orderItem is one domain of an order request. The AuthorizationCode is
// compared when the task is created and never stored in a detail.
type orderItem struct {
	name          string
	expires       int64 // CurrentExpirationDate, Unix ms (redeem, renew)
	years         int   // SubscriptionDuration (renew, register)
	authCode      string
	profile       int64
	permitPremium bool
}

// orderSpec declares a kind of paid order.
type orderSpec struct {
	list     string // the batch list's prefix, e.g. "OrderRenewParam"
	taskType string // "" for transfer: the Server's configured type
	en, zh   string // TaskTypeDescription
	// read reads one item; f names the batch item's or single request's
	// fields. An error refuses the whole request.
	read func(f fields) (orderItem, *gatewayError)
	// incoming orders bring a domain into the account from source; the
	// others act on a domain of the account.
	incoming bool
	source   func(s *Server, key string) *domain // incoming only; s.mu is held
	missing  string                              // the ErrorMsg when there is no domain to act on
	pending  string                              // the ErrorMsg when an order of the kind is in progress
	// check returns the kind's own reason for a detail to fail, "" for none.
	check func(s *Server, it *orderItem, dom *domain) string
	// premium says whether a premium domain needs the item's permission.
	premium bool
	// apply makes a successful detail take effect on dom, once final.
	apply func(dom *domain, d *detail)
}

var orderSpecs = map[OrderKind]*orderSpec{
	KindRedeem: {
		list: "OrderRedeemParam", taskType: "ORDER_REDEEM", en: "Redeem", zh: "赎回",
		read: func(f fields) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			it.expires, err = f.expiration()
			return it, err
		},
		missing: MsgDomainNotFound,
		pending: MsgRedeemInProgress,
		check: func(s *Server, it *orderItem, dom *domain) string {
			if dom.status != StatusNeedsRedemption {
				return MsgNotInRedemption
			}
			return expirationMismatch(it, dom)
		},
		apply: func(dom *domain, d *detail) {
			dom.status = StatusNormal
			dom.expires = dom.expires.AddDate(1, 0, 0)
		},
	},
	KindRenew: {
		list: "OrderRenewParam", taskType: "ORDER_RENEW", en: "Renew", zh: "续费",
		read: func(f fields) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.expires, err = f.expiration(); err != nil {
				return it, err
			}
			if it.years, err = f.years(true); err != nil {
				return it, err
			}
			it.permitPremium, err = f.boolean("PermitPremiumRenew", false)
			return it, err
		},
		missing: MsgDomainNotFound,
		pending: MsgOrderInProgress,
		check: func(s *Server, it *orderItem, dom *domain) string {
			if dom.status == StatusNeedsRedemption {
				return MsgNotRenewable
			}
			return expirationMismatch(it, dom)
		},
		premium: true,
		apply: func(dom *domain, d *detail) {
			dom.status = StatusNormal
			dom.expires = dom.expires.AddDate(d.years, 0, 0)
		},
	},
	KindTransfer: {
		list: "OrderTransferParam", en: "Transfer in", zh: "转入",
		read: func(f fields) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.authCode = f.get("AuthorizationCode"); it.authCode == "" {
				return it, errMissing(f.key("AuthorizationCode"))
			}
			if it.profile, err = f.profile(); err != nil {
				return it, err
			}
			it.permitPremium, err = f.boolean("PermitPremiumTransfer", false)
			return it, err
		},
		incoming: true,
		source: func(s *Server, key string) *domain {
			if tr, ok := s.transferable[key]; ok {
				return tr.dom
			}
			return nil
		},
		missing: MsgNotTransferable,
		pending: MsgOrderInProgress,
		check: func(s *Server, it *orderItem, dom *domain) string {
			if subtle.ConstantTimeCompare([]byte(it.authCode), []byte(s.transferable[dom.key].authCode)) != 1 {
				return MsgAuthCodeMismatch
			}
			return ""
		},
		premium: true,
		apply: func(dom *domain, d *detail) {
			dom.status = StatusNormal
			dom.expires = dom.expires.AddDate(1, 0, 0)
		},
	},
	KindRegister: {
		list: "OrderActivateParam", taskType: "ORDER_ACTIVATE", en: "Register", zh: "注册",
		read: func(f fields) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.profile, err = f.profile(); err != nil {
				return it, err
			}
			if it.years, err = f.years(false); err != nil {
				return it, err
			}
			aliyunDNS, err := f.boolean("AliyunDns", true)
			if err != nil {
				return it, err
			}
			if !aliyunDNS {
				for _, k := range []string{"Dns1", "Dns2"} {
					if strings.TrimSpace(f.get(k)) == "" {
						return it, errMissing(f.key(k))
					}
				}
			}
			for _, k := range []string{"EnableDomainProxy", "TrademarkDomainActivation"} {
				if _, err := f.boolean(k, false); err != nil {
					return it, err
				}
			}
			if v := f.get("RegistrantType"); v != "" && v != "1" && v != "2" {
				return it, errInvalid(f.key("RegistrantType"))
			}
			it.permitPremium, err = f.boolean("PermitPremiumActivation", false)
			return it, err
		},
		incoming: true,
		source:   func(s *Server, key string) *domain { return s.available[key] },
		missing:  MsgNotAvailable,
		pending:  MsgOrderInProgress,
		check:    func(*Server, *orderItem, *domain) string { return "" },
		premium:  true,
		apply: func(dom *domain, d *detail) {
			dom.status = StatusNormal
			dom.registered = truncMS(d.finalAt)
			dom.expires = dom.registered.AddDate(d.years, 0, 0)
		},
	},
}

func expirationMismatch(it *orderItem, dom *domain) string {
	if it.expires != dom.expires.UnixMilli() {
		return MsgExpirationMismatch
	}
	return ""
}

// errProfileNotFound refuses an order naming a RegistrantProfileId the
// account does not have. The service's code for it is undocumented; the
// gateway's InvalidParameter stands in for it, with its own message.
func errProfileNotFound(name string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid: the registrant profile does not exist.", name)}
}

// errDuplicateDomain refuses a batch naming one domain twice (in any
// spelling of its canonical form): the second item's DomainName.
func errDuplicateDomain(name string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid: the domain is already in this batch.", name)}
}

// target returns the domain an order of spec's kind acts on: the account's,
// or for an incoming order the one it would bring in. s.mu is held.
func (spec *orderSpec) target(s *Server, key string) *domain {
	if spec.incoming {
		return spec.source(s, key)
	}
	return s.domains[key]
}

// refuse returns why a detail of kind for it fails, "" when it succeeds.
// s.mu is held.
func (s *Server) refuse(kind OrderKind, it *orderItem, key string) string {
	spec := orderSpecs[kind]
	dom := spec.target(s, key)
	switch {
	case spec.incoming && s.domains[key] != nil:
		return MsgAlreadyInAccount
	case dom == nil:
		return spec.missing
	case s.orderPending(kind, key):
		return spec.pending
	}
	if msg := spec.check(s, it, dom); msg != "" {
		return msg
	}
	if spec.premium && dom.premium && !it.permitPremium {
		return MsgPremiumNotPermitted
	}
	return dom.fail[kind]
}

// apply makes a final successful detail take effect: an incoming domain
// moves into the account first. s.mu is held.
func (s *Server) apply(d *detail) {
	if d.kind == "" { // a task of a write, not an order (see createTask)
		if d.effect != nil {
			d.effect(s)
		}
		return
	}
	spec := orderSpecs[d.kind]
	dom := spec.target(s, d.key)
	if dom == nil || (spec.incoming && s.domains[d.key] != nil) {
		return
	}
	if spec.incoming {
		delete(s.transferable, d.key)
		delete(s.available, d.key)
		s.domains[d.key] = dom
	}
	spec.apply(dom, d)
}

// taskType returns the TaskType of the tasks an order of kind creates.
func (s *Server) taskType(kind OrderKind) string {
	if t := orderSpecs[kind].taskType; t != "" {
		return t
	}
	return s.cfg.transferTaskType
}

// typeDescription is the TaskTypeDescription of a task type.
func (s *Server) typeDescription(typ, lang string) string {
	for kind, spec := range orderSpecs {
		if s.taskType(kind) == typ {
			if strings.EqualFold(lang, "zh") {
				return spec.zh
			}
			return spec.en
		}
	}
	return typ
}

// fields reads the fields of one order item: base is "" for a single
// request, "OrderRenewParam.3." for the third item of a batch.
type fields struct {
	s    *Server
	p    params
	base string
}

func (f fields) key(name string) string { return f.base + name }
func (f fields) get(name string) string { return f.p[f.base+name] }

// name reads DomainName: required, and a well-formed name (see
// wellFormedName), else the request is refused.
func (f fields) name() (string, *gatewayError) {
	v := f.get("DomainName")
	if strings.TrimSpace(v) == "" {
		return "", errMissing(f.key("DomainName"))
	}
	if !wellFormedName(v) {
		return "", errInvalid(f.key("DomainName"))
	}
	return v, nil
}

// minExpirationMS is the smallest CurrentExpirationDate an order accepts:
// 1e11 ms is March 1973, while 1e11 seconds is far in the future, so a
// smaller value is a date in seconds (or no date at all).
const minExpirationMS = 1e11

// expiration reads a required CurrentExpirationDate in Unix milliseconds.
func (f fields) expiration() (int64, *gatewayError) {
	v := f.get("CurrentExpirationDate")
	if v == "" {
		return 0, errMissing(f.key("CurrentExpirationDate"))
	}
	n, ok := wireInt(v)
	if !ok || n < minExpirationMS {
		return 0, errInvalid(f.key("CurrentExpirationDate"))
	}
	return n, nil
}

// years reads SubscriptionDuration: 1 to 10 in plain decimal, 1 when
// absent unless required.
func (f fields) years(required bool) (int, *gatewayError) {
	v := f.get("SubscriptionDuration")
	if v == "" {
		if required {
			return 0, errMissing(f.key("SubscriptionDuration"))
		}
		return 1, nil
	}
	n, ok := wireInt(v)
	if !ok || n < 1 || n > 10 {
		return 0, errInvalid(f.key("SubscriptionDuration"))
	}
	return int(n), nil
}

func (f fields) boolean(name string, def bool) (bool, *gatewayError) {
	v := f.get(name)
	if v == "" {
		return def, nil
	}
	b, ok := wireBool(v)
	if !ok {
		return false, errInvalid(f.key(name))
	}
	return b, nil
}

// profile reads a required RegistrantProfileId: a positive integer naming a
// profile given to AddRegistrantProfile. f.s.mu is not held.
func (f fields) profile() (int64, *gatewayError) {
	const name = "RegistrantProfileId"
	v := f.get(name)
	if v == "" {
		return 0, errMissing(f.key(name))
	}
	n, ok := wireInt(v)
	if !ok || n <= 0 {
		return 0, errInvalid(f.key(name))
	}
	f.s.mu.Lock()
	known := f.s.profiles[n]
	err := f.s.regs.usable(n) // family_profiles.go: verified
	f.s.mu.Unlock()
	if !known {
		return 0, errProfileNotFound(f.key(name))
	}
	if err != nil {
		return 0, err(f.key(name))
	}
	return n, nil
}

// wireBool parses a boolean as the SDKs write it: exactly "true" or
// "false". The Server refuses other spellings (True, T, 1) so that a client
// that sends them is caught in tests.
func wireBool(v string) (b, ok bool) {
	switch v {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// wireInt parses an integer as the SDKs write it: plain decimal, an
// optional minus sign, no plus sign, no leading zero, no space.
func wireInt(v string) (int64, bool) {
	d := strings.TrimPrefix(v, "-")
	if d == "" || (d[0] == '0' && len(d) > 1) || (d == "0" && d != v) {
		return 0, false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// checkOrderOptions validates the parameters common to every order action.
func checkOrderOptions(p params) *gatewayError {
	for _, k := range []string{"UseCoupon", "UsePromotion"} {
		if _, err := (fields{p: p}).boolean(k, false); err != nil {
			return err
		}
	}
	return nil
}

// batchOrder returns the handler of SaveBatchTaskForCreatingOrder<kind>.
func batchOrder(kind OrderKind) func(*Server, *actionCall) (any, *gatewayError) {
	return func(s *Server, c *actionCall) (any, *gatewayError) {
		spec := orderSpecs[kind]
		prefix := spec.list + "."
		maxN := 0
		seen := map[int]bool{}
		for k := range c.p {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			rest := k[len(prefix):]
			i := strings.IndexByte(rest, '.')
			if i < 0 {
				return nil, errInvalid(k)
			}
			n, err := strconv.Atoi(rest[:i])
			if err != nil || n < 1 || rest[:i] != strconv.Itoa(n) {
				return nil, errInvalid(k)
			}
			seen[n] = true
			maxN = max(maxN, n)
		}
		if maxN == 0 {
			return nil, errMissing(spec.list)
		}
		items := make([]orderItem, 0, maxN)
		names := make(map[string]bool, maxN)
		for n := 1; n <= maxN; n++ {
			f := fields{s: s, p: c.p, base: prefix + strconv.Itoa(n) + "."}
			if !seen[n] {
				return nil, errMissing(f.key("DomainName"))
			}
			it, err := spec.read(f)
			if err != nil {
				return nil, err
			}
			key := wire.CanonicalName(it.name)
			if names[key] {
				return nil, errDuplicateDomain(f.key("DomainName"))
			}
			names[key] = true
			items = append(items, it)
		}
		if err := checkOrderOptions(c.p); err != nil {
			return nil, err
		}
		t := s.createOrderTask(kind, items, clientIP(c.p, c.r), c.now)
		return submitResponse{RequestID: c.reqID, TaskNo: t.no}, nil
	}
}

// singleOrder returns the handler of SaveSingleTaskForCreatingOrder<kind>.
func singleOrder(kind OrderKind) func(*Server, *actionCall) (any, *gatewayError) {
	return func(s *Server, c *actionCall) (any, *gatewayError) {
		it, err := orderSpecs[kind].read(fields{s: s, p: c.p})
		if err != nil {
			return nil, err
		}
		if err := checkOrderOptions(c.p); err != nil {
			return nil, err
		}
		t := s.createOrderTask(kind, []orderItem{it}, clientIP(c.p, c.r), c.now)
		return submitResponse{RequestID: c.reqID, TaskNo: t.no}, nil
	}
}

// createOrderTask creates a task of kind's type with one detail per item,
// deciding each outcome now, and books the orders.
func (s *Server) createOrderTask(kind OrderKind, items []orderItem, clientIP string, now time.Time) *task {
	spec := orderSpecs[kind]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(now)
	t := &task{no: newUUID(), typ: s.taskType(kind), created: now, clientIP: clientIP}
	for i := range items {
		it := &items[i]
		key := wire.CanonicalName(it.name)
		s.seq++
		d := &detail{
			task:     t,
			kind:     kind,
			no:       fmt.Sprintf("%d", 100000000+s.seq),
			name:     it.name,
			key:      key,
			years:    it.years,
			created:  now,
			duration: s.cfg.taskDuration,
			finalAt:  now.Add(s.cfg.taskDuration),
		}
		d.failMsg = s.refuse(kind, it, key)
		if dom := spec.target(s, key); dom != nil {
			d.instance = dom.instanceID
		} else if dom := s.domains[key]; dom != nil {
			d.instance = dom.instanceID
		}
		it.authCode = ""
		t.details = append(t.details, d)
		s.book(kind, key, d.failMsg == "")
		s.pending = append(s.pending, d)
		s.settle(now)
	}
	s.tasks = append(s.tasks, t)
	s.taskByNo[t.no] = t
	return t
}

// orderPending reports whether a not-yet-final successful detail of kind
// exists for the domain key. s.mu is held.
func (s *Server) orderPending(kind OrderKind, key string) bool {
	for _, d := range s.pending {
		if d.kind == kind && d.key == key && d.failMsg == "" && !d.final {
			return true
		}
	}
	return false
}
