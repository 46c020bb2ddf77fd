package alidomaintest

import (
	"crypto/subtle"
	"fmt"
	"strconv"
	"strings"
	"time"
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
// It is an assumption: the real type is documented nowhere (wire.md §8), so a
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
	// MsgProfileNotFound is the ErrorMsg of a transfer or registration
	// detail whose RegistrantProfileId the Server does not know (see
	// AddRegistrantProfile).
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
	list string // the batch list's prefix, e.g. "OrderRenewParam"
	// read reads one item; f names the batch item's or single request's
	// fields. single says which one (some fields are only required there).
	read func(f fields, single bool) (orderItem, *gatewayError)
	// refuse returns why a detail fails ("" = it succeeds). s.mu is held.
	refuse func(s *Server, it *orderItem, key string) string
	// apply makes a successful detail take effect once final. s.mu is held.
	apply func(s *Server, d *detail)
	// instance returns the instance id a detail for key reports. s.mu is
	// held.
	instance func(s *Server, key string) string
}

var orderSpecs = map[OrderKind]*orderSpec{
	KindRedeem: {
		list: "OrderRedeemParam",
		read: func(f fields, single bool) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			it.expires, _, err = f.ms("CurrentExpirationDate", true)
			return it, err
		},
		refuse: func(s *Server, it *orderItem, key string) string {
			dom, ok := s.domains[key]
			switch {
			case !ok:
				return MsgDomainNotFound
			case dom.status != StatusNeedsRedemption:
				return MsgNotInRedemption
			case s.orderPending(KindRedeem, key):
				return MsgRedeemInProgress
			case it.expires != dom.expires.UnixMilli():
				return MsgExpirationMismatch
			}
			return dom.fail[KindRedeem]
		},
		apply: func(s *Server, d *detail) {
			if dom, ok := s.domains[d.key]; ok {
				dom.status = StatusNormal
				dom.expires = dom.expires.AddDate(1, 0, 0)
			}
		},
		instance: accountInstance,
	},
	KindRenew: {
		list: "OrderRenewParam",
		read: func(f fields, single bool) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.expires, _, err = f.ms("CurrentExpirationDate", true); err != nil {
				return it, err
			}
			if it.years, err = f.years(single); err != nil {
				return it, err
			}
			it.permitPremium, err = f.boolean("PermitPremiumRenew", false)
			return it, err
		},
		refuse: func(s *Server, it *orderItem, key string) string {
			dom, ok := s.domains[key]
			switch {
			case !ok:
				return MsgDomainNotFound
			case dom.status == StatusNeedsRedemption:
				return MsgNotRenewable
			case s.orderPending(KindRenew, key):
				return MsgOrderInProgress
			case it.expires != dom.expires.UnixMilli():
				return MsgExpirationMismatch
			case dom.premium && !it.permitPremium:
				return MsgPremiumNotPermitted
			}
			return dom.fail[KindRenew]
		},
		apply: func(s *Server, d *detail) {
			if dom, ok := s.domains[d.key]; ok {
				dom.status = StatusNormal
				dom.expires = dom.expires.AddDate(d.years, 0, 0)
			}
		},
		instance: accountInstance,
	},
	KindTransfer: {
		list: "OrderTransferParam",
		read: func(f fields, single bool) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.authCode = f.get("AuthorizationCode"); it.authCode == "" {
				return it, errMissing(f.key("AuthorizationCode"))
			}
			if it.profile, err = f.int64("RegistrantProfileId"); err != nil {
				return it, err
			}
			it.permitPremium, err = f.boolean("PermitPremiumTransfer", false)
			return it, err
		},
		refuse: func(s *Server, it *orderItem, key string) string {
			tr, ok := s.transferable[key]
			switch {
			case s.domains[key] != nil:
				return MsgAlreadyInAccount
			case !ok:
				return MsgNotTransferable
			case s.orderPending(KindTransfer, key):
				return MsgOrderInProgress
			case subtle.ConstantTimeCompare([]byte(it.authCode), []byte(tr.authCode)) != 1:
				return MsgAuthCodeMismatch
			case !s.profiles[it.profile]:
				return MsgProfileNotFound
			case tr.dom.premium && !it.permitPremium:
				return MsgPremiumNotPermitted
			}
			return tr.dom.fail[KindTransfer]
		},
		apply: func(s *Server, d *detail) {
			tr, ok := s.transferable[d.key]
			if !ok || s.domains[d.key] != nil {
				return
			}
			delete(s.transferable, d.key)
			tr.dom.status = StatusNormal
			tr.dom.expires = tr.dom.expires.AddDate(1, 0, 0)
			s.domains[d.key] = tr.dom
		},
		instance: func(s *Server, key string) string {
			if tr, ok := s.transferable[key]; ok {
				return tr.dom.instanceID
			}
			return accountInstance(s, key)
		},
	},
	KindRegister: {
		list: "OrderActivateParam",
		read: func(f fields, single bool) (orderItem, *gatewayError) {
			var it orderItem
			var err *gatewayError
			if it.name, err = f.name(); err != nil {
				return it, err
			}
			if it.profile, err = f.int64("RegistrantProfileId"); err != nil {
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
		refuse: func(s *Server, it *orderItem, key string) string {
			tmpl, ok := s.available[key]
			switch {
			case s.domains[key] != nil:
				return MsgAlreadyInAccount
			case !ok:
				return MsgNotAvailable
			case s.orderPending(KindRegister, key):
				return MsgOrderInProgress
			case !s.profiles[it.profile]:
				return MsgProfileNotFound
			case tmpl.premium && !it.permitPremium:
				return MsgPremiumNotPermitted
			}
			return tmpl.fail[KindRegister]
		},
		apply: func(s *Server, d *detail) {
			tmpl, ok := s.available[d.key]
			if !ok || s.domains[d.key] != nil {
				return
			}
			delete(s.available, d.key)
			tmpl.registered = truncMS(d.finalAt)
			tmpl.expires = tmpl.registered.AddDate(d.years, 0, 0)
			tmpl.status = StatusNormal
			s.domains[d.key] = tmpl
		},
		instance: func(s *Server, key string) string {
			if tmpl, ok := s.available[key]; ok {
				return tmpl.instanceID
			}
			return accountInstance(s, key)
		},
	},
}

func accountInstance(s *Server, key string) string {
	if dom, ok := s.domains[key]; ok {
		return dom.instanceID
	}
	return ""
}

// taskType returns the TaskType of the tasks an order of kind creates.
func (s *Server) taskType(kind OrderKind) string {
	switch kind {
	case KindRedeem:
		return "ORDER_REDEEM"
	case KindRenew:
		return "ORDER_RENEW"
	case KindRegister:
		return "ORDER_ACTIVATE"
	case KindTransfer:
		return s.cfg.transferTaskType
	}
	return string(kind)
}

// typeDescription is the TaskTypeDescription of a task type.
func (s *Server) typeDescription(typ, lang string) string {
	zh := strings.EqualFold(lang, "zh")
	var en, cn string
	switch typ {
	case "ORDER_REDEEM":
		en, cn = "Redeem", "赎回"
	case "ORDER_RENEW":
		en, cn = "Renew", "续费"
	case "ORDER_ACTIVATE":
		en, cn = "Register", "注册"
	case s.cfg.transferTaskType:
		en, cn = "Transfer in", "转入"
	default:
		return typ
	}
	if zh {
		return cn
	}
	return en
}

// fields reads the fields of one order item: base is "" for a single
// request, "OrderRenewParam.3." for the third item of a batch.
type fields struct {
	p    params
	base string
}

func (f fields) key(name string) string { return f.base + name }
func (f fields) get(name string) string { return f.p[f.base+name] }

func (f fields) name() (string, *gatewayError) {
	v := f.get("DomainName")
	if strings.TrimSpace(v) == "" {
		return "", errMissing(f.key("DomainName"))
	}
	return v, nil
}

func (f fields) ms(name string, required bool) (int64, bool, *gatewayError) {
	return parseMS(f.p, f.key(name), required)
}

// years reads SubscriptionDuration: 1 to 10, 1 when absent unless required.
func (f fields) years(required bool) (int, *gatewayError) {
	v := f.get("SubscriptionDuration")
	if v == "" {
		if required {
			return 0, errMissing(f.key("SubscriptionDuration"))
		}
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10 {
		return 0, errInvalid(f.key("SubscriptionDuration"))
	}
	return n, nil
}

func (f fields) boolean(name string, def bool) (bool, *gatewayError) {
	v := f.get(name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errInvalid(f.key(name))
	}
	return b, nil
}

// int64 reads a required integer field (a RegistrantProfileId).
func (f fields) int64(name string) (int64, *gatewayError) {
	v := f.get(name)
	if v == "" {
		return 0, errMissing(f.key(name))
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errInvalid(f.key(name))
	}
	return n, nil
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
		for n := 1; n <= maxN; n++ {
			f := fields{p: c.p, base: prefix + strconv.Itoa(n) + "."}
			if !seen[n] {
				return nil, errMissing(f.key("DomainName"))
			}
			it, err := spec.read(f, false)
			if err != nil {
				return nil, err
			}
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
		it, err := orderSpecs[kind].read(fields{p: c.p}, true)
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
		key := canonicalName(it.name)
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
		d.failMsg = spec.refuse(s, it, key)
		d.instance = spec.instance(s, key)
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
