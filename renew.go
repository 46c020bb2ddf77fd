package alidomain

import (
	"context"
	"strings"
	"time"
)

// RenewService submits renewal orders (SaveBatchTaskForCreatingOrderRenew,
// SaveSingleTaskForCreatingOrderRenew). Its submissions cost money: they are
// never re-sent unless the request provably did not take effect (see
// OutcomeUnknownError).
type RenewService service

// RenewDomain is one domain to renew.
type RenewDomain struct {
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `url:"DomainName"`
	// CurrentExpirationDate is the domain's expiration date exactly as the
	// service reports it (Domain.ExpirationDate); it is sent as Unix
	// milliseconds, and the service refuses a date that does not match.
	CurrentExpirationDate time.Time `url:"CurrentExpirationDate,unixmilli"`
	// Years is the renewal length, 1 to 10 (SubscriptionDuration); 0 is the
	// documented default, one year, and is sent as 1.
	Years int `url:"SubscriptionDuration,default=1"`
	// PermitPremium allows renewing a premium name (PermitPremiumRenew);
	// false is not sent (the service's default, not allowed).
	PermitPremium bool `url:"PermitPremiumRenew,omitempty"`
}

// RenewDomain returns the domain as one to renew for years, with its
// current expiration date. PermitPremium is left false even for a premium
// domain (d.Premium): paying a premium price is the caller's decision.
func (d Domain) RenewDomain(years int) RenewDomain {
	return RenewDomain{DomainName: d.DomainName, CurrentExpirationDate: d.ExpirationDate, Years: years}
}

// BatchRenewRequest is the input of RenewService.SubmitBatch
// (SaveBatchTaskForCreatingOrderRenew).
type BatchRenewRequest struct {
	// Domains are the domains to renew, sent as OrderRenewParam.N.*: at
	// most 1000 (the API's maxItems for OrderRenewParam).
	Domains []RenewDomain `url:"OrderRenewParam"`
	// UseCoupon asks the service to apply a coupon. It is always sent, so
	// that a paid order states exactly what it asks for.
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

// RenewRequest is the input of RenewService.Submit
// (SaveSingleTaskForCreatingOrderRenew): one domain, with the same options
// as BatchRenewRequest.
type RenewRequest struct {
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `url:"DomainName"`
	// CurrentExpirationDate is the domain's current expiration date, sent
	// as Unix milliseconds.
	CurrentExpirationDate time.Time `url:"CurrentExpirationDate,unixmilli"`
	// Years is the renewal length, 1 to 10 (SubscriptionDuration); 0 is sent
	// as 1.
	Years int `url:"SubscriptionDuration,default=1"`
	// PermitPremium allows renewing a premium name (PermitPremiumRenew);
	// false is not sent.
	PermitPremium bool `url:"PermitPremiumRenew,omitempty"`
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
// domain, each a well-formed name with a plausible expiration date and 0 to
// 10 years, no domain twice, a coupon or promotion number only with its Use
// flag, a valid client IP and language. It returns a *ValidationError
// naming the field, such as Domains[2].Years.
func (r *BatchRenewRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "BatchRenewRequest", Reason: "is nil"}
	}
	err := checkBatch(r.Domains, func(d *RenewDomain) string { return d.DomainName }, func(d *RenewDomain) (string, string) {
		return checkRenewDomain(d.DomainName, d.CurrentExpirationDate, d.Years)
	})
	if err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// Validate checks the request without sending anything, as
// BatchRenewRequest.Validate does for one domain.
func (r *RenewRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "RenewRequest", Reason: "is nil"}
	}
	if err := fieldError(checkRenewDomain(r.DomainName, r.CurrentExpirationDate, r.Years)); err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// checkRenewDomain returns the invalid field of a domain to renew, and why.
func checkRenewDomain(name string, expires time.Time, years int) (field, reason string) {
	if field, reason := checkRedeemDomain(name, expires); reason != "" {
		return field, reason
	}
	if reason := checkYears(years); reason != "" {
		return "Years", reason
	}
	return "", ""
}

var opSaveBatchRenew = &operation[BatchRenewRequest, submitResponse, SubmitResult]{
	action:   "SaveBatchTaskForCreatingOrderRenew",
	taskType: renewTaskType,
	validate: (*BatchRenewRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

var opSaveSingleRenew = &operation[RenewRequest, submitResponse, SubmitResult]{
	action:   "SaveSingleTaskForCreatingOrderRenew",
	taskType: renewTaskType,
	validate: (*RenewRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

// SubmitBatch submits one task that renews every domain of req
// (SaveBatchTaskForCreatingOrderRenew), and returns the task's number.
//
// The order costs money, so it is sent again only when the previous attempt
// provably did not take effect (it failed before being written, or the
// service answered Throttling*). Any other failure after the request left
// returns an *OutcomeUnknownError (errors.Is(err, ErrOutcomeUnknown)): call
// Reconcile before submitting again. Follow the task with TaskService.Wait.
func (s *RenewService) SubmitBatch(ctx context.Context, req *BatchRenewRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveBatchRenew.call(ctx, (*service)(s), req, optFns)
}

// Submit submits a task that renews one domain
// (SaveSingleTaskForCreatingOrderRenew), with the same validation and the
// same rule for re-sending as SubmitBatch.
func (s *RenewService) Submit(ctx context.Context, req *RenewRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveSingleRenew.call(ctx, (*service)(s), req, optFns)
}

// Reconcile finds out what became of renewal orders for domains, as
// RedeemService.Reconcile does for redemptions: for each requested domain
// (a key of the result, spelled as given), the detail of an ORDER_RENEW
// task created since `since` minus 20 minutes that tells most about it (one
// that did not fail before one that failed, then the newest), or nil when
// there is none. Its errors, and what a nil detail means, are Redeem's.
func (s *RenewService) Reconcile(ctx context.Context, since time.Time, domains []string, optFns ...func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileTasks(ctx, (*service)(s), since, domains, isRenewType, optFns)
}

// isRenewType reports whether a task type is a renewal, or unknown.
func isRenewType(t string) bool { return t == "" || strings.EqualFold(t, renewTaskType) }

// renewTaskType is the TaskType of renewal orders (docs/wire.md, Task types).
const renewTaskType = "ORDER_RENEW"
