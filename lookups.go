package alidomain

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// Availability is whether a name can be registered, as CheckDomain reports
// it (its Avail codes).
type Availability int

const (
	// AvailNotRegistrable is a name that cannot be registered (taken, or
	// reserved).
	AvailNotRegistrable Availability = 0
	// AvailRegistrable is a name that can be registered now.
	AvailRegistrable Availability = 1
	// AvailPreRegistration is a name open for pre-registration.
	AvailPreRegistration Availability = 3
	// AvailReservable is a name being deleted that can be reserved (drop
	// catching).
	AvailReservable Availability = 4
	// AvailAbnormal is a check that went wrong at the registry.
	AvailAbnormal Availability = -1
	// AvailPaused is a suffix whose registrations are paused.
	AvailPaused Availability = -2
	// AvailBlacklisted is a blacklisted name.
	AvailBlacklisted Availability = -3
)

// String returns "registrable", "not registrable", "pre-registration",
// "reservable", "abnormal", "registration paused", "blacklisted", or
// Availability(n) for another code.
func (a Availability) String() string {
	switch a {
	case AvailNotRegistrable:
		return "not registrable"
	case AvailRegistrable:
		return "registrable"
	case AvailPreRegistration:
		return "pre-registration"
	case AvailReservable:
		return "reservable"
	case AvailAbnormal:
		return "abnormal"
	case AvailPaused:
		return "registration paused"
	case AvailBlacklisted:
		return "blacklisted"
	}
	return fmt.Sprintf("Availability(%d)", int(a))
}

// CheckDomainRequest (generated, api_op_CheckDomain.go) is also the input
// of DomainService.Check.

// Validate checks the request without sending anything: a well-formed
// name, a known FeeCommand, a three-letter FeeCurrency, FeePeriod 0 to 10
// and a valid language. It returns a *ValidationError naming the field.
func (r *CheckDomainRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "CheckDomainRequest", Reason: "is nil"}
	}
	if reason := checkDomainName(r.DomainName); reason != "" {
		return &ValidationError{Field: "DomainName", Reason: reason}
	}
	if r.FeeCommand != "" {
		if reason := r.FeeCommand.check(); reason != "" {
			return &ValidationError{Field: "FeeCommand", Reason: reason}
		}
	}
	if r.FeeCurrency != "" {
		if reason := checkCurrency(r.FeeCurrency); reason != "" {
			return &ValidationError{Field: "FeeCurrency", Reason: reason}
		}
	}
	if r.FeePeriod < 0 || r.FeePeriod > 10 {
		return &ValidationError{Field: "FeePeriod", Reason: fmt.Sprintf("is %d; give 1 to 10 years (0: not sent)", r.FeePeriod)}
	}
	return checkLang("Lang", r.Lang)
}

// CheckDomainResult is the answer of CheckDomain.
type CheckDomainResult struct {
	Meta
	// DomainName is the name checked, as the service wrote it (the name
	// asked for when it wrote none).
	DomainName string
	// Avail is whether the name can be registered.
	Avail Availability
	// Premium reports a premium name.
	Premium bool
	// Price is the registration price of a premium name (the service
	// documents neither its unit nor its currency).
	Price int64
	// DynamicCheck reports a price that comes from the registry (dynamic
	// pricing).
	DynamicCheck bool
	// Reason is the registry's reason when the name is not registrable.
	Reason string
	// StaticPrices is the service's price table for the name.
	StaticPrices []StaticPrice
}

// StaticPrice is one entry of CheckDomain's price table.
type StaticPrice struct {
	// Action is the kind of price (the service does not document its
	// values; FeeCommand's are create, renew, transfer and restore).
	Action PriceAction
	// Money is the amount, as the wire carries it (a float64; see
	// DomainPrice.Price).
	Money float64
	// Years is the period the amount is for.
	Years int
}

// checkDomainResponse is CheckDomain's answer on the wire: Avail and
// Premium are strings, the price table has lower-case keys.
type checkDomainResponse struct {
	wireMeta
	DomainName      wire.FlexString                        `json:"DomainName" xml:"DomainName"`
	Avail           wire.OptionalInt                       `json:"Avail" xml:"Avail"`
	Premium         wire.FlexBool                          `json:"Premium" xml:"Premium"`
	Price           wire.FlexInt                           `json:"Price" xml:"Price"`
	DynamicCheck    wire.FlexBool                          `json:"DynamicCheck" xml:"DynamicCheck"`
	Reason          wire.FlexString                        `json:"Reason" xml:"Reason"`
	StaticPriceInfo listData[wireStaticPrice, StaticPrice] `json:"StaticPriceInfo" xml:"StaticPriceInfo"`
}

// wireStaticPrice is one PriceInfo entry; money is a number in v2's model
// and a string in v1's, so both are accepted.
type wireStaticPrice struct {
	Action wire.FlexString `json:"action" xml:"action"`
	Money  wire.FlexFloat  `json:"money" xml:"money"`
	Period wire.FlexInt    `json:"period" xml:"period"`
}

func (wireStaticPrice) listKey() string { return "PriceInfo" }

func (w wireStaticPrice) item() (StaticPrice, error) {
	return StaticPrice{Action: PriceAction(w.Action), Money: float64(w.Money), Years: int(w.Period)}, nil
}

// check refuses an answer without Avail: a missing code must not read as
// "not registrable", nor any other code.
func (r *checkDomainResponse) check() error {
	if !r.Avail.OK {
		return errors.New("the response has no Avail")
	}
	return nil
}

func (r *checkDomainResponse) result(m Meta) *CheckDomainResult {
	out := &CheckDomainResult{
		Meta:         m,
		DomainName:   string(r.DomainName),
		Avail:        Availability(r.Avail.V),
		Premium:      bool(r.Premium),
		Price:        int64(r.Price),
		DynamicCheck: bool(r.DynamicCheck),
		Reason:       string(r.Reason),
	}
	for _, w := range r.StaticPriceInfo.items {
		p, _ := w.item()
		out.StaticPrices = append(out.StaticPrices, p)
	}
	return out
}

// answersCheck refuses an answer about another name than the one asked
// for (one without a name is taken as about it): a registration decided on
// it would be about the wrong name.
func answersCheck(req *CheckDomainRequest, r *checkDomainResponse) error {
	if r.DomainName == "" {
		r.DomainName = wire.FlexString(req.DomainName)
	}
	if !sameDomainName(req.DomainName, string(r.DomainName)) {
		return fmt.Errorf("asked about %q, the response is about %q", req.DomainName, string(r.DomainName))
	}
	return nil
}

var opCheckDomain = &operation[CheckDomainRequest, checkDomainResponse, CheckDomainResult]{
	action:     "CheckDomain",
	idempotent: true,
	validate:   (*CheckDomainRequest).Validate,
	check:      (*checkDomainResponse).check,
	answers:    answersCheck,
	result:     (*checkDomainResponse).result,
}

// Check reports whether a name can be registered, and at what price
// (CheckDomain). An answer about another name than the one asked for is an
// error. The service allows 10 checks per second per account.
func (s *DomainService) Check(ctx context.Context, req *CheckDomainRequest, optFns ...func(*Options)) (*CheckDomainResult, error) {
	return opCheckDomain.call(ctx, (*service)(s), req, optFns)
}

// GetDomainRequest is the input of DomainService.Get
// (QueryDomainByDomainName).
type GetDomainRequest struct {
	// DomainName is a domain of the account, in ASCII (punycode) or
	// Unicode form.
	DomainName string
	// UserClientIP is the end user's IP address, sent as UserClientIp.
	UserClientIP string
	// Lang ("en" or "zh") overrides Options.Lang for this call.
	Lang string
}

// wire returns the request as sent: the generated
// QueryDomainByDomainNameRequest.
func (r *GetDomainRequest) wire() *QueryDomainByDomainNameRequest {
	if r == nil {
		return nil
	}
	return &QueryDomainByDomainNameRequest{DomainName: r.DomainName, UserClientIP: r.UserClientIP, Lang: r.Lang}
}

// Validate checks the request without sending anything: a well-formed
// name, a valid client IP and language.
func (r *GetDomainRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "GetDomainRequest", Reason: "is nil"}
	}
	if reason := checkDomainName(r.DomainName); reason != "" {
		return &ValidationError{Field: "DomainName", Reason: reason}
	}
	return validateOrderOptions(false, "", false, "", r.UserClientIP, r.Lang)
}

// Tag is a tag on a domain.
type Tag struct {
	// Key and Value are the tag's key and value.
	Key, Value string
}

// DomainDetail is one domain of the account in full, as
// QueryDomainByDomainName reports it. Statuses whose values the service
// documents as codes are kept as its strings; their values are listed per
// field.
type DomainDetail struct {
	Meta
	// DomainName is the domain's name, as the service wrote it.
	DomainName string
	// InstanceID is the service's instance ID of the domain (the input of
	// DomainService.SetAutoRenew).
	InstanceID string
	// UserID is the account's ID.
	UserID string
	// DomainStatus is what the domain needs: renewal, redemption or nothing.
	DomainStatus DomainStatus
	// DomainType is "New gTLD", "gTLD" or "ccTLD".
	DomainType string
	// Premium reports a premium name.
	Premium bool
	// RegistrationDate is when the domain was registered, in UTC.
	RegistrationDate time.Time
	// ExpirationDate is when the domain expires, in UTC, exact to the
	// millisecond (from ExpirationDateLong): what a renewal or redemption
	// order quotes as its CurrentExpirationDate. It is never zero: an answer
	// without it, or with a date before 2000, is an error.
	ExpirationDate time.Time
	// ExpirationDateStatus is "1" (not expired) or "2" (expired).
	ExpirationDateStatus string
	// ExpirationCurrDateDiff is the number of days from today to the
	// expiration date.
	ExpirationCurrDateDiff int
	// DNS are the domain's name servers (DnsList.Dns).
	DNS []string
	// Tags are the domain's tags.
	Tags []Tag
	// Email is the registrant's email address.
	Email string
	// EmailVerificationStatus is 0 (failed) or 1 (passed).
	EmailVerificationStatus int
	// EmailVerificationClientHold reports a domain held because its email
	// was not verified.
	EmailVerificationClientHold bool
	// RealNameStatus and DomainNameVerificationStatus are the audit
	// states: NONAUDIT, SUCCEED, FAILED or AUDITING.
	RealNameStatus, DomainNameVerificationStatus string
	// DomainNameProxyService reports privacy protection.
	DomainNameProxyService bool
	// RegistrantType is "1" (individual) or "2" (enterprise).
	RegistrantType string
	// RegistrantName and RegistrantOrganization are the registrant's
	// contact and organisation; the Zh fields are their Chinese forms.
	RegistrantName, RegistrantOrganization     string
	ZhRegistrantName, ZhRegistrantOrganization string
	// RegistrantUpdatingStatus is PENDING (being changed) or NORMAL;
	// TransferOutStatus is NORMAL or PENDING (transferring out).
	RegistrantUpdatingStatus, TransferOutStatus string
	// TransferProhibitionLock and UpdateProhibitionLock are NONE_SETTING,
	// OPEN or CLOSE.
	TransferProhibitionLock, UpdateProhibitionLock string
	// DomainGroupID and DomainGroupName are the domain's group.
	DomainGroupID   int64
	DomainGroupName string
	// ResourceGroupID is the domain's resource group.
	ResourceGroupID string
	// Remark is the account holder's note on the domain.
	Remark string
	// Registrar is the domain's registrar.
	Registrar string
	// PrivacyServiceStatus and CnnicPrivacyServiceStatus are the privacy
	// services' states, such as UN_SUPPORT.
	PrivacyServiceStatus, CnnicPrivacyServiceStatus string
}

// domainInfoResponse is QueryDomainByDomainName's flat answer.
type domainInfoResponse struct {
	wireMeta
	DomainName                   wire.FlexString           `json:"DomainName" xml:"DomainName"`
	InstanceID                   wire.FlexString           `json:"InstanceId" xml:"InstanceId"`
	UserID                       wire.FlexString           `json:"UserId" xml:"UserId"`
	DomainStatus                 wire.FlexInt              `json:"DomainStatus" xml:"DomainStatus"`
	DomainType                   wire.FlexString           `json:"DomainType" xml:"DomainType"`
	Premium                      wire.FlexBool             `json:"Premium" xml:"Premium"`
	RegistrationDate             wire.FlexString           `json:"RegistrationDate" xml:"RegistrationDate"`
	RegistrationDateLong         wire.FlexInt              `json:"RegistrationDateLong" xml:"RegistrationDateLong"`
	ExpirationDate               wire.FlexString           `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong           wire.FlexInt              `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	ExpirationDateStatus         wire.FlexString           `json:"ExpirationDateStatus" xml:"ExpirationDateStatus"`
	ExpirationCurrDateDiff       wire.FlexInt              `json:"ExpirationCurrDateDiff" xml:"ExpirationCurrDateDiff"`
	DNSList                      listData[wireDNS, string] `json:"DnsList" xml:"DnsList"`
	Tag                          listData[wireTag, Tag]    `json:"Tag" xml:"Tag"`
	Email                        wire.FlexString           `json:"Email" xml:"Email"`
	EmailVerificationStatus      wire.FlexInt              `json:"EmailVerificationStatus" xml:"EmailVerificationStatus"`
	EmailVerificationClientHold  wire.FlexBool             `json:"EmailVerificationClientHold" xml:"EmailVerificationClientHold"`
	RealNameStatus               wire.FlexString           `json:"RealNameStatus" xml:"RealNameStatus"`
	DomainNameVerificationStatus wire.FlexString           `json:"DomainNameVerificationStatus" xml:"DomainNameVerificationStatus"`
	DomainNameProxyService       wire.FlexBool             `json:"DomainNameProxyService" xml:"DomainNameProxyService"`
	RegistrantType               wire.FlexString           `json:"RegistrantType" xml:"RegistrantType"`
	RegistrantName               wire.FlexString           `json:"RegistrantName" xml:"RegistrantName"`
	RegistrantOrganization       wire.FlexString           `json:"RegistrantOrganization" xml:"RegistrantOrganization"`
	ZhRegistrantName             wire.FlexString           `json:"ZhRegistrantName" xml:"ZhRegistrantName"`
	ZhRegistrantOrganization     wire.FlexString           `json:"ZhRegistrantOrganization" xml:"ZhRegistrantOrganization"`
	RegistrantUpdatingStatus     wire.FlexString           `json:"RegistrantUpdatingStatus" xml:"RegistrantUpdatingStatus"`
	TransferOutStatus            wire.FlexString           `json:"TransferOutStatus" xml:"TransferOutStatus"`
	TransferProhibitionLock      wire.FlexString           `json:"TransferProhibitionLock" xml:"TransferProhibitionLock"`
	UpdateProhibitionLock        wire.FlexString           `json:"UpdateProhibitionLock" xml:"UpdateProhibitionLock"`
	DomainGroupID                wire.FlexInt              `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName              wire.FlexString           `json:"DomainGroupName" xml:"DomainGroupName"`
	ResourceGroupID              wire.FlexString           `json:"ResourceGroupId" xml:"ResourceGroupId"`
	Remark                       wire.FlexString           `json:"Remark" xml:"Remark"`
	Registrar                    wire.FlexString           `json:"Registrar" xml:"Registrar"`
	PrivacyServiceStatus         wire.FlexString           `json:"PrivacyServiceStatus" xml:"PrivacyServiceStatus"`
	CnnicPrivacyServiceStatus    wire.FlexString           `json:"CnnicPrivacyServiceStatus" xml:"CnnicPrivacyServiceStatus"`

	detail DomainDetail // set by check
}

// wireDNS is one name server of DnsList.Dns.
type wireDNS string

func (wireDNS) listKey() string { return "Dns" }

func (w wireDNS) item() (string, error) { return string(w), nil }

// wireTag is one tag; v2 spells its value Vaue, v1 has both spellings.
type wireTag struct {
	Key   wire.FlexString `json:"Key" xml:"Key"`
	Value wire.FlexString `json:"Value" xml:"Value"`
	Vaue  wire.FlexString `json:"Vaue" xml:"Vaue"`
}

func (wireTag) listKey() string { return "Tag" }

func (w wireTag) item() (Tag, error) {
	v := w.Value
	if v == "" {
		v = w.Vaue
	}
	return Tag{Key: string(w.Key), Value: string(v)}, nil
}

// check converts the answer, and refuses one without a name, without an
// expiration date or with an unreadable or implausible date (before 2000,
// such as ExpirationDateLong -1): an order quotes the expiration date
// exactly.
func (r *domainInfoResponse) check() error {
	if r.DomainName == "" {
		return errors.New("the response has no DomainName")
	}
	exp, err := expirationDate(int64(r.ExpirationDateLong), string(r.ExpirationDate))
	if err != nil {
		return fmt.Errorf("ExpirationDate: %w", err)
	}
	reg, err := registrationDate(int64(r.RegistrationDateLong), string(r.RegistrationDate))
	if err != nil {
		return fmt.Errorf("RegistrationDate: %w", err)
	}
	r.detail = DomainDetail{
		DomainName:                   string(r.DomainName),
		InstanceID:                   string(r.InstanceID),
		UserID:                       string(r.UserID),
		DomainStatus:                 DomainStatus(r.DomainStatus),
		DomainType:                   string(r.DomainType),
		Premium:                      bool(r.Premium),
		RegistrationDate:             reg,
		ExpirationDate:               exp,
		ExpirationDateStatus:         string(r.ExpirationDateStatus),
		ExpirationCurrDateDiff:       int(r.ExpirationCurrDateDiff),
		Email:                        string(r.Email),
		EmailVerificationStatus:      int(r.EmailVerificationStatus),
		EmailVerificationClientHold:  bool(r.EmailVerificationClientHold),
		RealNameStatus:               string(r.RealNameStatus),
		DomainNameVerificationStatus: string(r.DomainNameVerificationStatus),
		DomainNameProxyService:       bool(r.DomainNameProxyService),
		RegistrantType:               string(r.RegistrantType),
		RegistrantName:               string(r.RegistrantName),
		RegistrantOrganization:       string(r.RegistrantOrganization),
		ZhRegistrantName:             string(r.ZhRegistrantName),
		ZhRegistrantOrganization:     string(r.ZhRegistrantOrganization),
		RegistrantUpdatingStatus:     string(r.RegistrantUpdatingStatus),
		TransferOutStatus:            string(r.TransferOutStatus),
		TransferProhibitionLock:      string(r.TransferProhibitionLock),
		UpdateProhibitionLock:        string(r.UpdateProhibitionLock),
		DomainGroupID:                int64(r.DomainGroupID),
		DomainGroupName:              string(r.DomainGroupName),
		ResourceGroupID:              string(r.ResourceGroupID),
		Remark:                       string(r.Remark),
		Registrar:                    string(r.Registrar),
		PrivacyServiceStatus:         string(r.PrivacyServiceStatus),
		CnnicPrivacyServiceStatus:    string(r.CnnicPrivacyServiceStatus),
	}
	for _, w := range r.DNSList.items {
		// The documented sample lists both servers in one comma-separated
		// element; a host name never holds a comma.
		for _, s := range strings.Split(string(w), ",") {
			if s = strings.TrimSpace(s); s != "" {
				r.detail.DNS = append(r.detail.DNS, s)
			}
		}
	}
	for _, w := range r.Tag.items {
		t, _ := w.item()
		r.detail.Tags = append(r.detail.Tags, t)
	}
	return nil
}

// answersDomain refuses the details of another domain than the one asked
// for: an order built from them would quote the wrong expiration date.
func answersDomain(req *QueryDomainByDomainNameRequest, r *domainInfoResponse) error {
	if !sameDomainName(req.DomainName, string(r.DomainName)) {
		return fmt.Errorf("asked for %q, the response is about %q", req.DomainName, string(r.DomainName))
	}
	return nil
}

// opQueryDomainByDomainName sends the generated request; Get checks the
// friendly one first.
var opQueryDomainByDomainName = &operation[QueryDomainByDomainNameRequest, domainInfoResponse, DomainDetail]{
	action:     "QueryDomainByDomainName",
	idempotent: true,
	validate:   nil, // Get validates the friendly request first
	check:      (*domainInfoResponse).check,
	answers:    answersDomain,
	result: func(r *domainInfoResponse, m Meta) *DomainDetail {
		d := r.detail
		d.Meta = m
		return &d
	},
}

// Get returns one domain of the account in full (QueryDomainByDomainName).
// An answer about another domain than the one asked for, or without a
// plausible expiration date, is an error.
func (s *DomainService) Get(ctx context.Context, req *GetDomainRequest, optFns ...func(*Options)) (*DomainDetail, error) {
	if _, err := (*service)(s).ready(ctx); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	return opQueryDomainByDomainName.call(ctx, (*service)(s), req.wire(), optFns)
}

// sameDomainName reports whether a and b name one domain in any mix of
// Unicode and punycode forms and case.
func sameDomainName(a, b string) bool {
	return strings.EqualFold(a, b) || wire.CanonicalName(a) == wire.CanonicalName(b)
}
