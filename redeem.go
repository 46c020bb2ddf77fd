package alidomain

import (
	"context"
	"strings"
	"time"
)

// RedeemService submits redemption orders for domains in their redemption
// period. Its submissions cost money: they are never re-sent unless the
// request provably did not take effect (see OutcomeUnknownError).
type RedeemService service

// RedeemDomain is one domain to redeem.
type RedeemDomain struct {
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `url:"DomainName"`
	// CurrentExpirationDate is the domain's expiration date exactly as the
	// service reports it (Domain.ExpirationDate); it is sent as Unix
	// milliseconds, and the service refuses a date that does not match.
	CurrentExpirationDate time.Time `url:"CurrentExpirationDate,unixmilli"`
}

// BatchRedeemRequest is the input of SubmitBatch
// (SaveBatchTaskForCreatingOrderRedeem).
type BatchRedeemRequest struct {
	// Domains are the domains to redeem, sent as OrderRedeemParam.N.*: at
	// most 1000 (the API's maxItems for OrderRedeemParam).
	Domains []RedeemDomain `url:"OrderRedeemParam"`
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

// RedeemRequest is the input of Submit (SaveSingleTaskForCreatingOrderRedeem):
// one domain, with the same options as BatchRedeemRequest.
type RedeemRequest struct {
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `url:"DomainName"`
	// CurrentExpirationDate is the domain's current expiration date, sent as
	// Unix milliseconds.
	CurrentExpirationDate time.Time `url:"CurrentExpirationDate,unixmilli"`
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

// minExpiration is the earliest plausible expiration date; an earlier one is
// almost surely a unit mix-up (seconds for milliseconds) or an unset field.
var minExpiration = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// Validate checks the request without sending anything: at least one
// domain, each a well-formed name (IDN allowed) with a plausible expiration
// date, no domain twice, a coupon or promotion number only together with its
// Use flag, a valid client IP and language. It returns a *ValidationError
// naming the field, such as Domains[2].DomainName.
func (r *BatchRedeemRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "BatchRedeemRequest", Reason: "is nil"}
	}
	if err := checkBatch(r.Domains, func(d *RedeemDomain) string { return d.DomainName },
		func(d *RedeemDomain) (string, string) {
			return checkRedeemDomain(d.DomainName, d.CurrentExpirationDate)
		}); err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// Validate checks the request without sending anything, as
// BatchRedeemRequest.Validate does for one domain.
func (r *RedeemRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "RedeemRequest", Reason: "is nil"}
	}
	if field, reason := checkRedeemDomain(r.DomainName, r.CurrentExpirationDate); reason != "" {
		return &ValidationError{Field: field, Reason: reason}
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// checkRedeemDomain returns the field of a domain to redeem that is
// invalid, and why, or two empty strings.
func checkRedeemDomain(name string, expires time.Time) (field, reason string) {
	if reason := checkDomainName(name); reason != "" {
		return "DomainName", reason
	}
	switch {
	case expires.IsZero():
		return "CurrentExpirationDate", "is zero: use the domain's ExpirationDate from Domains.List"
	case expires.Before(minExpiration):
		return "CurrentExpirationDate", expires.UTC().Format(time.RFC3339) + " is before 1990"
	}
	return "", ""
}

var opSaveBatchRedeem = &operation[BatchRedeemRequest, submitResponse, SubmitResult]{
	action:   "SaveBatchTaskForCreatingOrderRedeem",
	taskType: redeemTaskType,
	validate: (*BatchRedeemRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

var opSaveSingleRedeem = &operation[RedeemRequest, submitResponse, SubmitResult]{
	action:   "SaveSingleTaskForCreatingOrderRedeem",
	taskType: redeemTaskType,
	validate: (*RedeemRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
}

// SubmitBatch submits one task that redeems every domain of req
// (SaveBatchTaskForCreatingOrderRedeem), and returns the task's number.
//
// The order costs money, so it is sent again only when the previous attempt
// provably did not take effect (it failed before being written, or the
// service answered Throttling*). Any other failure after the request left
// returns an *OutcomeUnknownError (errors.Is(err, ErrOutcomeUnknown)): call
// Reconcile before submitting again. The task's per-domain results come later:
// follow it with TaskService.Wait.
func (s *RedeemService) SubmitBatch(ctx context.Context, req *BatchRedeemRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveBatchRedeem.call(ctx, (*service)(s), req, optFns)
}

// Submit submits a task that redeems one domain
// (SaveSingleTaskForCreatingOrderRedeem), with the same validation and the
// same rule for re-sending as SubmitBatch.
func (s *RedeemService) Submit(ctx context.Context, req *RedeemRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveSingleRedeem.call(ctx, (*service)(s), req, optFns)
}

// redeemTaskType is the TaskType of redemption orders.
const redeemTaskType = "ORDER_REDEEM"

// Reconcile finds out what became of redemption orders for domains: for
// each requested domain, the detail of an ORDER_REDEEM task created since
// `since` minus 20 minutes that tells most about it (a succeeded, waiting
// or executing one before a failed one; then the newest, by CreateTime), or
// nil when there is none. Every requested name is a key of the result,
// spelled as given; names are matched in canonical form (IDNA ASCII, lower
// case), so 例子.cn finds an order for xn--fsqu00a.cn and the reverse. The
// names are validated first (an empty list or a malformed name is a
// *ValidationError, and nothing is sent).
//
// It reads QueryTaskList from since minus 20 minutes (BeginCreateTime;
// every page), whatever since is, because the service's clock may be up to
// 15 minutes behind the client's; and QueryTaskDetailList for each
// redemption task found. So an older order can be reported; its CreateTime
// tells. A zero since is not sent: every task is read.
//
// An answer it cannot check is an error, never "no order": a redemption
// task whose details number fewer than its TaskNum (details appear late;
// call Reconcile again later), or any failed read.
//
// Use it after SubmitBatch or Submit failed with an *OutcomeUnknownError,
// before submitting again:
//
//	var unknown *alidomain.OutcomeUnknownError
//	if errors.As(err, &unknown) {
//		// Reconcile itself looks 20 minutes further back, for clock skew.
//		found, err := client.Redeem.Reconcile(ctx, unknown.SentAt, names)
//		if err != nil {
//			return err // unknown still: do not submit again
//		}
//		for name, d := range found {
//			if d == nil {
//				// no order was placed: safe to submit name again
//			}
//		}
//	}
//
// A nil detail means no order was placed since since minus 20 minutes;
// a detail that is waiting or executing means the order was placed and
// should be followed with TaskService.Wait (d.TaskNo); a failed one (only
// returned when no other detail for the domain exists) may be submitted
// again.
func (s *RedeemService) Reconcile(ctx context.Context, since time.Time, domains []string, optFns ...func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileTasks(ctx, (*service)(s), since, domains, isRedeemType, optFns)
}

// isRedeemType reports whether a task type is a redemption, or unknown.
func isRedeemType(t string) bool {
	return t == "" || strings.EqualFold(t, redeemTaskType)
}
