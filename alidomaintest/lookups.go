package alidomaintest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Price actions, as SetPrice, CheckDomain's FeeCommand and
// QueryDomainRealTimePrice's DomainItem Action name them.
const (
	// PriceCreate is the price of a registration.
	PriceCreate = "create"
	// PriceRenew is the price of a renewal.
	PriceRenew = "renew"
	// PriceTransfer is the price of a transfer in.
	PriceTransfer = "transfer"
	// PriceRestore is the price of a redemption.
	PriceRestore = "restore"
)

var priceActions = []string{PriceCreate, PriceRenew, PriceTransfer, PriceRestore}

// transferable is a domain at another registrar that can be transferred in.
type transferable struct {
	authCode string
	dom      *domain // what arrives in the account
}

type priceKey struct{ name, action, currency string }

// newDomain returns a domain named name, with options applied. s.mu is held.
func (s *Server) newDomain(name string, expires time.Time, opts []DomainOption) *domain {
	name = strings.TrimSpace(name)
	if name == "" {
		panic("alidomaintest: empty domain name")
	}
	s.seq++
	d := &domain{
		name:       name,
		key:        wire.CanonicalName(name),
		instanceID: fmt.Sprintf("S%s%08dTEST", expires.UTC().Format("200601"), s.seq),
		expires:    truncMS(expires),
		status:     statusAt(expires, s.now()),
	}
	d.registered = d.expires.AddDate(-1, 0, 0)
	for _, o := range opts {
		if o != nil {
			o(d)
		}
	}
	return d
}

// AddTransferable makes name a domain held at another registrar that a
// transfer order with the authorization code authCode brings into the
// account. It arrives, once the transfer detail is final, in normal status,
// expiring one year after expires; opts apply to it (Premium, FailTransfer,
// FailRenew, ...). The code is a secret: the Server never shows it in an
// answer or a message. AddTransferable panics on an empty name.
func (s *Server) AddTransferable(name, authCode string, expires time.Time, opts ...DomainOption) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.newDomain(name, expires, opts)
	s.transferable[d.key] = &transferable{authCode: authCode, dom: d}
}

// AddAvailable makes name available for registration (CheckDomain's Avail
// "1"); a name neither added here nor in the account is not. A registration
// creates the domain in normal status, registered when its detail is final
// and expiring SubscriptionDuration years later; opts apply to it (Premium,
// FailRegister, ...). AddAvailable panics on an empty name.
func (s *Server) AddAvailable(name string, opts ...DomainOption) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.newDomain(name, time.Time{}, opts)
	s.available[d.key] = d
}

// AddRegistrantProfile makes the registrant profile id known, with
// real-name verification passed (see SetRegistrantProfileRealName) and
// sample contact fields (QueryRegistrantProfiles lists it): transfer and
// registration orders naming another RegistrantProfileId are refused.
func (s *Server) AddRegistrantProfile(id int64) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[id] = true
	s.regs.add(id, now)
}

// SetPrice sets the price of one year of action (PriceCreate, PriceRenew,
// PriceTransfer or PriceRestore) for the domain name in currency (compared
// case-insensitively), as CheckDomain and QueryDomainRealTimePrice report it;
// a quote for n years is n times the price. Without a price, CheckDomain
// lists none and QueryDomainRealTimePrice answers the item with Avail 0.
func (s *Server) SetPrice(name, action string, price float64, currency string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prices[priceKey{wire.CanonicalName(name), action, strings.ToUpper(currency)}] = price
}

// premiumOf reports whether the domain key is a premium name, wherever the
// Server knows it from. s.mu is held.
func (s *Server) premiumOf(key string) bool {
	if d, ok := s.domains[key]; ok {
		return d.premium
	}
	if d, ok := s.available[key]; ok {
		return d.premium
	}
	if t, ok := s.transferable[key]; ok {
		return t.dom.premium
	}
	return false
}

// ---- QueryDomainByDomainName ----

type domainInfoResponse struct {
	RequestID                    string  `json:"RequestId" xml:"RequestId"`
	DomainName                   string  `json:"DomainName" xml:"DomainName"`
	InstanceID                   string  `json:"InstanceId" xml:"InstanceId"`
	UserID                       string  `json:"UserId" xml:"UserId"`
	DomainStatus                 string  `json:"DomainStatus" xml:"DomainStatus"`
	DomainType                   string  `json:"DomainType" xml:"DomainType"`
	Premium                      bool    `json:"Premium" xml:"Premium"`
	RegistrationDate             string  `json:"RegistrationDate" xml:"RegistrationDate"`
	RegistrationDateLong         int64   `json:"RegistrationDateLong" xml:"RegistrationDateLong"`
	ExpirationDate               string  `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong           int64   `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	ExpirationDateStatus         string  `json:"ExpirationDateStatus" xml:"ExpirationDateStatus"`
	ExpirationCurrDateDiff       int     `json:"ExpirationCurrDateDiff" xml:"ExpirationCurrDateDiff"`
	DNSList                      dnsList `json:"DnsList" xml:"DnsList"`
	Tag                          tagList `json:"Tag" xml:"Tag"`
	Email                        string  `json:"Email" xml:"Email"`
	EmailVerificationStatus      int     `json:"EmailVerificationStatus" xml:"EmailVerificationStatus"`
	EmailVerificationClientHold  bool    `json:"EmailVerificationClientHold" xml:"EmailVerificationClientHold"`
	RealNameStatus               string  `json:"RealNameStatus" xml:"RealNameStatus"`
	DomainNameVerificationStatus string  `json:"DomainNameVerificationStatus" xml:"DomainNameVerificationStatus"`
	DomainNameProxyService       bool    `json:"DomainNameProxyService" xml:"DomainNameProxyService"`
	RegistrantType               string  `json:"RegistrantType" xml:"RegistrantType"`
	RegistrantName               string  `json:"RegistrantName" xml:"RegistrantName"`
	RegistrantOrganization       string  `json:"RegistrantOrganization" xml:"RegistrantOrganization"`
	ZhRegistrantName             string  `json:"ZhRegistrantName" xml:"ZhRegistrantName"`
	ZhRegistrantOrganization     string  `json:"ZhRegistrantOrganization" xml:"ZhRegistrantOrganization"`
	RegistrantUpdatingStatus     string  `json:"RegistrantUpdatingStatus" xml:"RegistrantUpdatingStatus"`
	TransferOutStatus            string  `json:"TransferOutStatus" xml:"TransferOutStatus"`
	TransferProhibitionLock      string  `json:"TransferProhibitionLock" xml:"TransferProhibitionLock"`
	UpdateProhibitionLock        string  `json:"UpdateProhibitionLock" xml:"UpdateProhibitionLock"`
	DomainGroupID                int64   `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName              string  `json:"DomainGroupName" xml:"DomainGroupName"`
	ResourceGroupID              string  `json:"ResourceGroupId" xml:"ResourceGroupId"`
	Remark                       string  `json:"Remark" xml:"Remark"`
	Registrar                    string  `json:"Registrar" xml:"Registrar"`
	PrivacyServiceStatus         string  `json:"PrivacyServiceStatus" xml:"PrivacyServiceStatus"`
	CnnicPrivacyServiceStatus    string  `json:"CnnicPrivacyServiceStatus" xml:"CnnicPrivacyServiceStatus"`
}

type dnsList struct {
	DNS []string `json:"Dns" xml:"Dns"`
}

type tagList struct {
	Tag []struct {
		Key  string `json:"Key" xml:"Key"`
		Vaue string `json:"Vaue" xml:"Vaue"`
	} `json:"Tag" xml:"Tag"`
}

// errDomainNotInAccount answers a lookup of a domain the account does not
// hold. The real code is undocumented (the documentation says only that the
// domain must be in the account); the gateway's generic InvalidParameter
// stands in for it.
var errDomainNotInAccount = errInvalid("DomainName")

// queryDomainByDomainName answers the documented fields. Like the real
// answer it carries no AutoRenewEnabled (QueryDomainList items do).
func (s *Server) queryDomainByDomainName(c *actionCall) (any, *gatewayError) {
	name := c.p["DomainName"]
	if strings.TrimSpace(name) == "" {
		return nil, errMissing("DomainName")
	}
	s.mu.Lock()
	s.settle(c.now)
	d, ok := s.domains[wire.CanonicalName(name)]
	var dom domain
	if ok {
		dom = *d
	}
	s.mu.Unlock()
	if !ok {
		return nil, errDomainNotInAccount
	}
	groupID, _ := strconv.ParseInt(dom.groupID, 10, 64)
	return domainInfoResponse{
		RequestID:                    c.reqID,
		DomainName:                   dom.name,
		InstanceID:                   dom.instanceID,
		UserID:                       "1210000000000000",
		DomainStatus:                 strconv.Itoa(dom.status),
		DomainType:                   domainType(dom.name),
		Premium:                      dom.premium,
		RegistrationDate:             formatCST(dom.registered),
		RegistrationDateLong:         dom.registered.UnixMilli(),
		ExpirationDate:               formatCST(dom.expires),
		ExpirationDateLong:           dom.expires.UnixMilli(),
		ExpirationDateStatus:         expirationStatus(dom.expires, c.now),
		ExpirationCurrDateDiff:       daysBetween(c.now, dom.expires),
		DNSList:                      dnsList{DNS: dom.fam.nameServers()},
		Email:                        "registrant@example.com",
		EmailVerificationStatus:      1,
		RealNameStatus:               "SUCCEED",
		DomainNameVerificationStatus: "SUCCEED",
		RegistrantType:               "1",
		RegistrantName:               "Test Registrant",
		RegistrantOrganization:       "Test Registrant",
		RegistrantUpdatingStatus:     "NORMAL",
		TransferOutStatus:            "NORMAL",
		TransferProhibitionLock:      lockName(dom.fam.transferLock),
		UpdateProhibitionLock:        lockName(dom.fam.updateLock),
		DomainNameProxyService:       dom.fam.proxy,
		ResourceGroupID:              dom.fam.resourceGroupID(),
		DomainGroupID:                groupID,
		DomainGroupName:              dom.groupName,
		Remark:                       dom.remark,
		PrivacyServiceStatus:         "UN_SUPPORT",
		CnnicPrivacyServiceStatus:    "UN_SUPPORT",
	}, nil
}

func expirationStatus(expires, now time.Time) string {
	if !expires.After(now) {
		return "2"
	}
	return "1"
}

// ---- SetupDomainAutoRenew ----

type autoRenewResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Result    bool   `json:"Result" xml:"Result"`
}

// setupDomainAutoRenew sets or cancels auto-renewal of the domain with
// InstanceId. An unknown InstanceId is answered with the
// gateway's InvalidParameter (the real code is undocumented).
func (s *Server) setupDomainAutoRenew(c *actionCall) (any, *gatewayError) {
	id, op := c.p["InstanceId"], c.p["Operation"]
	if id == "" {
		return nil, errMissing("InstanceId")
	}
	if op == "" {
		return nil, errMissing("Operation")
	}
	if op != "SET" && op != "CANCEL" {
		return nil, errInvalid("Operation")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	for _, d := range s.domains {
		if d.instanceID == id {
			d.autoRenew = op == "SET"
			return autoRenewResponse{RequestID: c.reqID, Result: true}, nil
		}
	}
	return nil, errInvalid("InstanceId")
}

// ---- CheckDomain ----

type checkDomainResponse struct {
	RequestID       string `json:"RequestId" xml:"RequestId"`
	DomainName      string `json:"DomainName" xml:"DomainName"`
	Avail           string `json:"Avail" xml:"Avail"`
	Premium         string `json:"Premium" xml:"Premium"`
	Price           int64  `json:"Price" xml:"Price"`
	DynamicCheck    bool   `json:"DynamicCheck" xml:"DynamicCheck"`
	Reason          string `json:"Reason" xml:"Reason"`
	StaticPriceInfo struct {
		PriceInfo []staticPrice `json:"PriceInfo" xml:"PriceInfo"`
	} `json:"StaticPriceInfo" xml:"StaticPriceInfo"`
}

type staticPrice struct {
	Action string  `json:"action" xml:"action"`
	Money  float64 `json:"money" xml:"money"`
	Period int64   `json:"period" xml:"period"`
}

// checkDomain answers CheckDomain: Avail "1" for a name added with
// AddAvailable that the account does not hold, "0" otherwise; the price
// table from SetPrice (for FeeCommand only, when given), in FeeCurrency
// (default USD) for FeePeriod years (default 1).
func (s *Server) checkDomain(c *actionCall) (any, *gatewayError) {
	name := c.p["DomainName"]
	if strings.TrimSpace(name) == "" {
		return nil, errMissing("DomainName")
	}
	actionsWanted := priceActions
	if v := c.p["FeeCommand"]; v != "" {
		if !isPriceAction(v) {
			return nil, errInvalid("FeeCommand")
		}
		actionsWanted = []string{v}
	}
	currency := strings.ToUpper(c.p["FeeCurrency"])
	if currency == "" {
		currency = "USD"
	}
	period := 1
	if v := c.p["FeePeriod"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10 {
			return nil, errInvalid("FeePeriod")
		}
		period = n
	}
	key := wire.CanonicalName(name)
	s.mu.Lock()
	s.settle(c.now)
	_, held := s.domains[key]
	_, avail := s.available[key]
	premium := s.premiumOf(key)
	resp := checkDomainResponse{RequestID: c.reqID, DomainName: name, Avail: "0", Premium: strconv.FormatBool(premium)}
	resp.StaticPriceInfo.PriceInfo = []staticPrice{}
	for _, a := range actionsWanted {
		if p, ok := s.prices[priceKey{key, a, currency}]; ok {
			resp.StaticPriceInfo.PriceInfo = append(resp.StaticPriceInfo.PriceInfo,
				staticPrice{Action: a, Money: p * float64(period), Period: int64(period)})
		}
	}
	if premium {
		resp.Price = int64(math.Round(s.prices[priceKey{key, PriceCreate, currency}] * float64(period)))
	}
	s.mu.Unlock()
	switch {
	case avail && !held:
		resp.Avail = "1"
	default:
		resp.Reason = "In use"
	}
	return resp, nil
}

func isPriceAction(v string) bool {
	for _, a := range priceActions {
		if v == a {
			return true
		}
	}
	return false
}

// ---- QueryDomainRealTimePrice ----

type realTimePriceResponse struct {
	RequestID      string       `json:"RequestId" xml:"RequestId"`
	Success        bool         `json:"Success" xml:"Success"`
	Synchro        bool         `json:"Synchro" xml:"Synchro"`
	HTTPStatusCode int          `json:"HttpStatusCode" xml:"HttpStatusCode"`
	ErrorCode      string       `json:"ErrorCode,omitempty" xml:"ErrorCode,omitempty"`
	ErrorMsg       string       `json:"ErrorMsg,omitempty" xml:"ErrorMsg,omitempty"`
	DynamicCode    string       `json:"DynamicCode,omitempty" xml:"DynamicCode,omitempty"`
	DynamicMessage string       `json:"DynamicMessage,omitempty" xml:"DynamicMessage,omitempty"`
	Module         *priceModule `json:"Module,omitempty" xml:"Module,omitempty"`
}

type priceModule struct {
	DomainPrices []domainPrice `json:"DomainPrices" xml:"DomainPrices"`
}

type domainPrice struct {
	DomainName string  `json:"DomainName" xml:"DomainName"`
	Action     string  `json:"Action" xml:"Action"`
	Period     int     `json:"Period" xml:"Period"`
	Currency   string  `json:"Currency" xml:"Currency"`
	Price      float64 `json:"Price" xml:"Price"`
	Premium    bool    `json:"Premium" xml:"Premium"`
	Avail      int     `json:"Avail" xml:"Avail"`
	Reason     string  `json:"Reason" xml:"Reason"`
}

type priceRequestItem struct {
	Action     string `json:"Action"`
	DomainName string `json:"DomainName"`
	Period     *int   `json:"Period"`
	Suffix     string `json:"Suffix"`
}

// Business errors of QueryDomainRealTimePrice, answered inside HTTP 200
// (3002 is the v2 model's example, "illegal parameter": docs/wire-orders.md).
const (
	priceErrCode = "3002"
	priceErrMsg  = "非法参数"
)

func priceBusinessError(reqID string) realTimePriceResponse {
	return realTimePriceResponse{RequestID: reqID, HTTPStatusCode: http.StatusBadRequest,
		ErrorCode: priceErrCode, ErrorMsg: priceErrMsg, DynamicCode: priceErrCode, DynamicMessage: priceErrMsg}
}

// notOrderable returns why an order of action cannot be placed for the
// account's domain key as it stands, as the orders would decide it: a
// renewal of a domain in its redemption period (MsgNotRenewable), a
// redemption of one that is not (MsgNotInRedemption); "" otherwise. s.mu is
// held.
func (s *Server) notOrderable(action, key string) string {
	d, ok := s.domains[key]
	switch {
	case !ok:
	case action == PriceRenew && d.status == StatusNeedsRedemption:
		return MsgNotRenewable
	case action == PriceRestore && d.status != StatusNeedsRedemption:
		return MsgNotInRedemption
	}
	return ""
}

// queryDomainRealTimePrice answers QueryDomainRealTimePrice (see
// docs/wire-orders.md): DomainItem is one JSON array;
// each item is quoted from SetPrice (Avail 1) or, without a price or when
// the account's domain cannot take that order (see notOrderable), answered
// with Avail 0 and a Reason. A DomainItem that is not a JSON array of items
// with Action and DomainName, an unknown Action or a Period outside 1..10 is
// a business error inside HTTP 200 (Success false, ErrorCode 3002); a
// missing Currency or DomainItem is the gateway's MissingParameter. Inject
// InBodyError to script other business errors.
func (s *Server) queryDomainRealTimePrice(c *actionCall) (any, *gatewayError) {
	currency, raw := c.p["Currency"], c.p["DomainItem"]
	if currency == "" {
		return nil, errMissing("Currency")
	}
	if raw == "" {
		return nil, errMissing("DomainItem")
	}
	var items []priceRequestItem
	if err := json.Unmarshal([]byte(raw), &items); err != nil || len(items) == 0 {
		return priceBusinessError(c.reqID), nil
	}
	for _, it := range items {
		if it.DomainName == "" || !isPriceAction(it.Action) || (it.Period != nil && (*it.Period < 1 || *it.Period > 10)) {
			return priceBusinessError(c.reqID), nil
		}
	}
	resp := realTimePriceResponse{RequestID: c.reqID, Success: true, Synchro: true,
		HTTPStatusCode: http.StatusOK, Module: &priceModule{DomainPrices: []domainPrice{}}}
	cur := strings.ToUpper(currency)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	for _, it := range items {
		period := 1
		if it.Period != nil {
			period = *it.Period
		}
		key := wire.CanonicalName(it.DomainName)
		dp := domainPrice{DomainName: it.DomainName, Action: it.Action, Period: period,
			Currency: currency, Premium: s.premiumOf(key)}
		if reason := s.notOrderable(it.Action, key); reason != "" {
			dp.Reason = reason
		} else if p, ok := s.prices[priceKey{key, it.Action, cur}]; ok {
			dp.Price, dp.Avail = p*float64(period), 1
		} else {
			dp.Reason = "no price for this action"
		}
		resp.Module.DomainPrices = append(resp.Module.DomainPrices, dp)
	}
	return resp, nil
}
