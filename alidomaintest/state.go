package alidomaintest

import (
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Domain statuses, as QueryDomainList reports them in DomainStatus.
const (
	// StatusNeedsRenewal is DomainStatus "1": the domain needs renewal.
	StatusNeedsRenewal = 1
	// StatusNeedsRedemption is DomainStatus "2": the domain is in its
	// redemption period and can be redeemed.
	StatusNeedsRedemption = 2
	// StatusNormal is DomainStatus "3": the domain is in normal state.
	StatusNormal = 3
)

// ErrorMsg values of redeem details: MsgSuccess for a successful one, the
// others (also given as FailReason) for the failures the Server decides when
// the task is created, checked in this order after MsgDomainNotFound:
// status, pending redeem, CurrentExpirationDate, then FailRedeem.
const (
	// MsgDomainNotFound is the ErrorMsg of a detail naming a domain the
	// account does not hold.
	MsgDomainNotFound = "the domain does not exist in your account"
	// MsgNotInRedemption is the ErrorMsg of a detail naming a domain that is
	// not in its redemption period.
	MsgNotInRedemption = "the domain is not in the redemption period"
	// MsgRedeemInProgress is the ErrorMsg of a detail naming a domain that
	// already has a redeem detail that will succeed but is not final yet.
	MsgRedeemInProgress = "a redeem order for the domain is already in progress"
	// MsgExpirationMismatch is the ErrorMsg of a detail whose
	// CurrentExpirationDate is not the domain's expiration in Unix ms.
	MsgExpirationMismatch = "CurrentExpirationDate does not match the domain's expiration date"
	// MsgSuccess is the ErrorMsg of a successful detail, as the real API
	// reports it.
	MsgSuccess = "The operation is successful."
)

// cst is China Standard Time, in which the API writes its date strings.
var cst = time.FixedZone("CST", 8*60*60)

const dateLayout = "2006-01-02 15:04:05"

func formatCST(t time.Time) string { return t.In(cst).Format(dateLayout) }

type domain struct {
	name       string // as added
	key        string // wire.CanonicalName(name)
	instanceID string
	expires    time.Time
	registered time.Time
	status     int
	premium    bool
	contacts   map[string]map[string]string // by ContactType (family_contacts.go)
	hosts      map[string][]string          // glue records: host -> IPs (family_hosts.go)
	ds         map[int64]dsRecord           // DS records by KeyTag (family_hosts.go)
	xferOut    *transferOut                 // transfer out (family_transfer.go)
	remark     string
	groupID    string
	groupName  string
	autoRenew  bool
	fail       map[OrderKind]string // scripted failures, by order kind
	fam        domainFam            // name servers, locks, privacy, resource group (family_state.go)
}

// DomainOption configures a domain added with Server.AddDomain.
type DomainOption func(*domain)

// The windows from which AddDomain derives a domain's default status.
const (
	// RenewalGracePeriod is how long after its expiration a domain can
	// still be renewed (Alibaba Cloud's grace period for most suffixes is 30
	// days); once it is over, the domain is in its redemption period.
	RenewalGracePeriod = 30 * 24 * time.Hour
	// RenewalNotice is how long before its expiration a domain is reported
	// as needing renewal. The service does not document when its status 1
	// begins; this is the Server's choice.
	RenewalNotice = 30 * 24 * time.Hour
)

// statusAt is the default status of a domain expiring at expires, seen at
// now (see AddDomain).
func statusAt(expires, now time.Time) int {
	switch {
	case now.Sub(expires) > RenewalGracePeriod:
		return StatusNeedsRedemption
	case expires.Sub(now) <= RenewalNotice:
		return StatusNeedsRenewal
	}
	return StatusNormal
}

// NeedsRenewal gives the domain status 1 (needs renewal) whatever its
// expiration date; it can be renewed, not redeemed.
func NeedsRenewal() DomainOption { return func(d *domain) { d.status = StatusNeedsRenewal } }

// NeedsRedemption gives the domain status 2 (needs redemption) whatever its
// expiration date; it can be redeemed, not renewed.
func NeedsRedemption() DomainOption { return func(d *domain) { d.status = StatusNeedsRedemption } }

// Normal gives the domain status 3 (normal) whatever its expiration date; it
// can be renewed, not redeemed.
func Normal() DomainOption { return func(d *domain) { d.status = StatusNormal } }

// RegisteredAt sets the domain's registration date (default: one year before
// its expiration).
func RegisteredAt(t time.Time) DomainOption {
	return func(d *domain) { d.registered = truncMS(t) }
}

// InstanceID sets the domain's instance id (default: a generated
// S-prefixed id).
func InstanceID(id string) DomainOption { return func(d *domain) { d.instanceID = id } }

// Premium marks the domain as a premium domain.
func Premium() DomainOption { return func(d *domain) { d.premium = true } }

// Remark sets the domain's remark.
func Remark(s string) DomainOption { return func(d *domain) { d.remark = s } }

// Group puts the domain in the domain group id (reported as DomainGroupId and
// DomainGroupName; QueryDomainList's DomainGroupId filters on it).
func Group(id, name string) DomainOption {
	return func(d *domain) { d.groupID, d.groupName = id, name }
}

// FailRedeem makes every redeem detail for the domain fail with msg (as
// ErrorMsg and FailReason) when it would otherwise succeed. An empty msg uses
// a generic message.
func FailRedeem(msg string) DomainOption {
	return failOrders(KindRedeem, msg, "the redeem order failed")
}

// FailRenew makes every renew detail for the domain fail with msg when it
// would otherwise succeed. An empty msg uses a generic message.
func FailRenew(msg string) DomainOption { return failOrders(KindRenew, msg, "the renew order failed") }

// FailTransfer, given to AddTransferable, makes every transfer detail for the
// domain fail with msg when it would otherwise succeed. An empty msg uses a
// generic message.
func FailTransfer(msg string) DomainOption {
	return failOrders(KindTransfer, msg, "the transfer order failed")
}

// FailRegister, given to AddAvailable, makes every registration detail for
// the domain fail with msg when it would otherwise succeed. An empty msg uses
// a generic message.
func FailRegister(msg string) DomainOption {
	return failOrders(KindRegister, msg, "the registration order failed")
}

func failOrders(kind OrderKind, msg, generic string) DomainOption {
	if msg == "" {
		msg = generic
	}
	return func(d *domain) {
		if d.fail == nil {
			d.fail = make(map[OrderKind]string)
		}
		d.fail[kind] = msg
	}
}

// AutoRenew turns auto-renewal on for the domain (QueryDomainList's
// AutoRenewEnabled; SetupDomainAutoRenew changes it).
func AutoRenew() DomainOption { return func(d *domain) { d.autoRenew = true } }

// AddDomain adds the domain name to the account, expiring at expires
// (truncated to the millisecond). Its status follows from that date on the
// Server's clock (see WithClock), as the service's lifecycle would have it:
//
//   - expired more than RenewalGracePeriod (30 days) ago: StatusNeedsRedemption
//     (it can be redeemed, not renewed);
//   - expired less than that ago, or expiring within RenewalNotice (30
//     days): StatusNeedsRenewal;
//   - expiring later: StatusNormal.
//
// NeedsRenewal, NeedsRedemption and Normal force a status whatever the
// date. The status does not change as the clock moves on; only orders
// change it. Adding a name that is already there (compared in canonical
// form: case-insensitively, and an IDN in Unicode or xn-- form is one name)
// replaces it. AddDomain panics on an empty name.
func (s *Server) AddDomain(name string, expires time.Time, opts ...DomainOption) {
	if strings.TrimSpace(name) == "" {
		panic("alidomaintest: AddDomain: empty domain name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.newDomain(name, expires, opts)
	s.domains[d.key] = d
}

// DomainInfo is the Server's current view of a domain (see Server.Domain).
type DomainInfo struct {
	Name       string    // as added
	InstanceID string    // instance id
	Status     int       // StatusNeedsRenewal, StatusNeedsRedemption or StatusNormal
	Expires    time.Time // expiration, in UTC
	Registered time.Time // registration date, in UTC
	Premium    bool      // premium domain
	Remark     string    // remark
	AutoRenew  bool      // auto-renewal on (AutoRenew, SetupDomainAutoRenew)
}

// Domain returns the current state of the domain name (in either IDN form,
// case-insensitive),
// after applying every redeem detail that is final on the Server's clock, and
// whether the account holds it.
func (s *Server) Domain(name string) (DomainInfo, bool) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(now)
	d, ok := s.domains[wire.CanonicalName(name)]
	if !ok {
		return DomainInfo{}, false
	}
	return DomainInfo{
		Name:       d.name,
		InstanceID: d.instanceID,
		Status:     d.status,
		Expires:    d.expires,
		Registered: d.registered,
		Premium:    d.premium,
		Remark:     d.remark,
		AutoRenew:  d.autoRenew,
	}, true
}

func truncMS(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

type task struct {
	no       string
	typ      string
	created  time.Time
	clientIP string
	details  []*detail
}

type detail struct {
	task     *task
	kind     OrderKind
	years    int // SubscriptionDuration of a renew or registration
	no       string
	name     string // as requested
	key      string // wire.CanonicalName(name)
	instance string
	failMsg  string // "" = succeeds
	created  time.Time
	finalAt  time.Time
	final    bool
	duration time.Duration
	effect   func(s *Server) // a write's change, applied when it succeeds (s.mu held)
	result   string          // TaskResult once it succeeds (a transfer code: family_transfer.go)
}

// status returns the detail's status code (0..3) at now.
func (d *detail) status(now time.Time) int {
	if !d.final {
		switch el := now.Sub(d.created); {
		case el < d.duration/3:
			return 0
		case el < d.duration:
			return 1
		}
	}
	if d.failMsg != "" {
		return 3
	}
	return 2
}

// updated returns when the detail last changed status, as seen at now.
func (d *detail) updated(now time.Time) time.Time {
	switch d.status(now) {
	case 0:
		return d.created
	case 1:
		return d.created.Add(d.duration / 3)
	}
	return d.finalAt
}

// settle makes final every detail whose time has come and applies the
// successful ones (see orderSpec.apply). s.mu is held.
func (s *Server) settle(now time.Time) {
	if len(s.pending) == 0 {
		return
	}
	kept := s.pending[:0]
	for _, d := range s.pending {
		if now.Before(d.finalAt) {
			kept = append(kept, d)
			continue
		}
		d.final = true
		if d.failMsg == "" {
			s.apply(d)
		}
	}
	for i := len(kept); i < len(s.pending); i++ {
		s.pending[i] = nil
	}
	s.pending = kept
}
