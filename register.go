package alidomain

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// RegisterService submits registration orders
// (SaveBatchTaskForCreatingOrderActivate,
// SaveSingleTaskForCreatingOrderActivate). Its submissions cost money: they
// are never re-sent unless the request provably did not take effect (see
// OutcomeUnknownError).
type RegisterService service

// RegisterDomain is one domain to register: every field of
// OrderActivateParam. Since 2022-03-01 the service registers only with a
// real-name-verified registrant profile (RegistrantProfileID); the inline
// registrant fields (RegistrantType to ZhAddress) still exist on the wire
// and are sent when set.
//
// Its zero fields are the API's defaults and are not sent. The two whose
// default is true, AliyunDNS and EnableDomainProxy, are pointers: nil keeps
// Alibaba Cloud DNS and WHOIS privacy on, alidomain.Ptr(false) turns them
// off.
type RegisterDomain struct {
	// DomainName is the name to register, in ASCII (punycode) or Unicode.
	DomainName string `url:"DomainName"`
	// Years is the registration length, 1 to 10 (SubscriptionDuration); 0
	// is the documented default, one year, and is sent as 1.
	Years int `url:"SubscriptionDuration,default=1"`
	// RegistrantProfileID is the real-name-verified registrant profile
	// (RegistrantProfileId); required.
	RegistrantProfileID int64 `url:"RegistrantProfileId"`
	// AliyunDNS chooses Alibaba Cloud DNS (AliyunDns). nil is not sent: the
	// API's default, Alibaba Cloud DNS, applies. Ptr(false) asks for the
	// name servers DNS1 and DNS2, which are then required.
	AliyunDNS *bool `url:"AliyunDns"`
	// DNS1 and DNS2 are the name servers (Dns1, Dns2) when AliyunDNS is
	// Ptr(false); the service ignores them otherwise.
	DNS1 string `url:"Dns1,omitempty"`
	DNS2 string `url:"Dns2,omitempty"`
	// EnableDomainProxy is WHOIS privacy protection. nil is not sent: the
	// API's default, protection on, applies. Ptr(false) turns it off and
	// publishes the registrant's details in WHOIS.
	EnableDomainProxy *bool `url:"EnableDomainProxy"`
	// PermitPremium allows registering a premium name at its premium price
	// (PermitPremiumActivation); false is not sent (the default).
	PermitPremium bool `url:"PermitPremiumActivation,omitempty"`
	// TrademarkDomainActivation allows a name containing trademark terms;
	// false is not sent (the default).
	TrademarkDomainActivation bool `url:"TrademarkDomainActivation,omitempty"`
	// ResourceGroupID is the resource group (ResourceGroupId); empty or
	// unknown: the default group.
	ResourceGroupID string `url:"ResourceGroupId,omitempty"`

	// RegistrantType is "1" (individual) or "2" (organization); inline
	// registrant details, no longer accepted by the service.
	RegistrantType string `url:"RegistrantType,omitempty"`
	// RegistrantOrganization is the registrant, in English.
	RegistrantOrganization string `url:"RegistrantOrganization,omitempty"`
	// RegistrantName is the contact's name, in English.
	RegistrantName string `url:"RegistrantName,omitempty"`
	// Country is the ISO country code, such as CN or US.
	Country string `url:"Country,omitempty"`
	// Province is the province, in English.
	Province string `url:"Province,omitempty"`
	// City is the city, in English.
	City string `url:"City,omitempty"`
	// Address is the street address, in English.
	Address string `url:"Address,omitempty"`
	// PostalCode is the postal code.
	PostalCode string `url:"PostalCode,omitempty"`
	// Email is the registrant's e-mail address.
	Email string `url:"Email,omitempty"`
	// TelArea is the telephone's country calling code, such as 86.
	TelArea string `url:"TelArea,omitempty"`
	// Telephone is the telephone number.
	Telephone string `url:"Telephone,omitempty"`
	// TelExt is the telephone extension.
	TelExt string `url:"TelExt,omitempty"`
	// ZhRegistrantOrganization is the registrant, in Chinese (China site).
	ZhRegistrantOrganization string `url:"ZhRegistrantOrganization,omitempty"`
	// ZhRegistrantName is the contact's name, in Chinese.
	ZhRegistrantName string `url:"ZhRegistrantName,omitempty"`
	// ZhProvince is the province, in Chinese.
	ZhProvince string `url:"ZhProvince,omitempty"`
	// ZhCity is the city, in Chinese.
	ZhCity string `url:"ZhCity,omitempty"`
	// ZhAddress is the street address, in Chinese.
	ZhAddress string `url:"ZhAddress,omitempty"`
}

// BatchRegisterRequest is the input of RegisterService.SubmitBatch
// (SaveBatchTaskForCreatingOrderActivate).
type BatchRegisterRequest struct {
	// Domains are the domains to register, sent as OrderActivateParam.N.*: at
	// most 1000 (the API's maxItems for OrderActivateParam).
	Domains []RegisterDomain `url:"OrderActivateParam"`
	// UseCoupon asks the service to apply a coupon; always sent.
	UseCoupon bool `url:"UseCoupon"`
	// CouponNo is the coupon to apply; it requires UseCoupon.
	CouponNo string `url:"CouponNo,omitempty"`
	// UsePromotion asks the service to apply a promotion; always sent.
	UsePromotion bool `url:"UsePromotion"`
	// PromotionNo is the promotion to apply; it requires UsePromotion.
	PromotionNo string `url:"PromotionNo,omitempty"`
	// UserClientIP is the end user's IP address, sent as UserClientIp.
	UserClientIP string `url:"UserClientIp,omitempty"`
	// Lang ("en" or "zh") overrides Options.Lang for this call.
	Lang string `url:"Lang,omitempty"`
}

// RegisterRequest is the input of RegisterService.Submit
// (SaveSingleTaskForCreatingOrderActivate): one domain, its fields at the
// top level, with the same options as BatchRegisterRequest.
type RegisterRequest struct {
	RegisterDomain
	// UseCoupon asks the service to apply a coupon; always sent.
	UseCoupon bool `url:"UseCoupon"`
	// CouponNo is the coupon to apply; it requires UseCoupon.
	CouponNo string `url:"CouponNo,omitempty"`
	// UsePromotion asks the service to apply a promotion; always sent.
	UsePromotion bool `url:"UsePromotion"`
	// PromotionNo is the promotion to apply; it requires UsePromotion.
	PromotionNo string `url:"PromotionNo,omitempty"`
	// UserClientIP is the end user's IP address, sent as UserClientIp.
	UserClientIP string `url:"UserClientIp,omitempty"`
	// Lang ("en" or "zh") overrides Options.Lang for this call.
	Lang string `url:"Lang,omitempty"`
}

// Validate checks the request without sending anything: at least one
// domain, each a well-formed name with 0 to 10 years, a registrant profile
// ID (> 0), DNS1 and DNS2 (well-formed, different) only when AliyunDNS is
// Ptr(false), a RegistrantType of 1 or 2 if any; no domain twice; a coupon
// or promotion number only with its Use flag, a valid client IP and
// language. It returns a *ValidationError naming the field, such as
// Domains[3].DNS2.
func (r *BatchRegisterRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "BatchRegisterRequest", Reason: "is nil"}
	}
	err := checkBatch(r.Domains, func(d *RegisterDomain) string { return d.DomainName }, (*RegisterDomain).check)
	if err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// Validate checks the request without sending anything, as
// BatchRegisterRequest.Validate does for one domain.
func (r *RegisterRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "RegisterRequest", Reason: "is nil"}
	}
	if err := fieldError(r.RegisterDomain.check()); err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// check returns the invalid field of d, and why, or two empty strings.
func (d *RegisterDomain) check() (field, reason string) {
	if reason := checkDomainName(d.DomainName); reason != "" {
		return "DomainName", reason
	}
	if reason := checkYears(d.Years); reason != "" {
		return "Years", reason
	}
	if d.RegistrantProfileID <= 0 {
		return "RegistrantProfileID", "is " + strconv.FormatInt(d.RegistrantProfileID, 10) +
			": give the ID of a real-name-verified registrant profile (the service no longer registers with inline registrant details)"
	}
	if d.AliyunDNS != nil && !*d.AliyunDNS {
		for _, ns := range [...]struct{ field, name string }{{"DNS1", d.DNS1}, {"DNS2", d.DNS2}} {
			if strings.TrimSpace(ns.name) == "" {
				return ns.field, "is empty, and AliyunDNS is false: leave AliyunDNS nil (Alibaba Cloud DNS), or give DNS1 and DNS2"
			}
			if reason := checkDomainName(ns.name); reason != "" {
				return ns.field, reason
			}
		}
		if wire.CanonicalName(d.DNS1) == wire.CanonicalName(d.DNS2) {
			return "DNS2", "is the same name server as DNS1"
		}
	}
	switch d.RegistrantType {
	case "", "1", "2":
	default:
		return "RegistrantType", "must be 1 (individual) or 2 (organization)"
	}
	return "", ""
}

var opSaveBatchRegister = &operation[BatchRegisterRequest, submitResponse, SubmitResult]{
	action:   "SaveBatchTaskForCreatingOrderActivate",
	taskType: registerTaskType,
	validate: (*BatchRegisterRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

var opSaveSingleRegister = &operation[RegisterRequest, submitResponse, SubmitResult]{
	action:   "SaveSingleTaskForCreatingOrderActivate",
	taskType: registerTaskType,
	validate: (*RegisterRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

// SubmitBatch submits one task that registers every domain of req
// (SaveBatchTaskForCreatingOrderActivate), and returns the task's number.
// It is re-sent only when the previous attempt provably did not take
// effect; any other failure after the request left is an
// *OutcomeUnknownError: call Reconcile before submitting again.
func (s *RegisterService) SubmitBatch(ctx context.Context, req *BatchRegisterRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveBatchRegister.call(ctx, (*service)(s), req, optFns)
}

// Submit submits a task that registers one domain
// (SaveSingleTaskForCreatingOrderActivate), with the same validation and the
// same rule for re-sending as SubmitBatch.
func (s *RegisterService) Submit(ctx context.Context, req *RegisterRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveSingleRegister.call(ctx, (*service)(s), req, optFns)
}

// Reconcile finds out what became of registration orders for domains, as
// RedeemService.Reconcile does for redemptions: for each requested domain
// (a key of the result, spelled as given), the detail of an ORDER_ACTIVATE
// task created since `since` minus 20 minutes that tells most about it (one
// that did not fail before one that failed, then the newest), or nil when
// there is none. Its errors, and what a nil detail means, are Redeem's.
func (s *RegisterService) Reconcile(ctx context.Context, since time.Time, domains []string, optFns ...func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileTasks(ctx, (*service)(s), since, domains, isRegisterType, optFns)
}

// isRegisterType reports whether a task type is a registration, or unknown.
func isRegisterType(t string) bool { return t == "" || strings.EqualFold(t, registerTaskType) }

// registerTaskType is the TaskType of registration orders (docs/wire.md, Task types).
const registerTaskType = "ORDER_ACTIVATE"
