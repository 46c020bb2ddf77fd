package alidomain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
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

// SubmitResult is the answer to a paid order of any kind (redemption,
// renewal, transfer in, registration; batch or single): the task that
// carries it out, one detail per domain. Follow it with TaskService.Wait;
// each domain's outcome is in the task's details, never in this answer.
type SubmitResult struct {
	Meta
	// TaskNo identifies the task created for the order.
	TaskNo string
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
	if len(r.Domains) == 0 {
		return &ValidationError{Field: "Domains", Reason: "is empty: give at least one domain"}
	}
	seen := make(map[string]int, len(r.Domains))
	for i, d := range r.Domains {
		// The field name is built only on failure: batches hold thousands.
		if field, reason := checkRedeemDomain(d.DomainName, d.CurrentExpirationDate); reason != "" {
			return &ValidationError{Field: "Domains[" + strconv.Itoa(i) + "]." + field, Reason: reason}
		}
		key := wire.CanonicalName(d.DomainName) // wire.CanonicalName: one domain in any form
		if j, dup := seen[key]; dup {
			return &ValidationError{Field: "Domains[" + strconv.Itoa(i) + "].DomainName", Reason: fmt.Sprintf("%q is already Domains[%d]; a batch may name a domain once", d.DomainName, j)}
		}
		seen[key] = i
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

func validateOrderOptions(useCoupon bool, couponNo string, usePromotion bool, promotionNo, ip, lang string) error {
	if couponNo != "" && !useCoupon {
		return &ValidationError{Field: "CouponNo", Reason: "is set but UseCoupon is false"}
	}
	if promotionNo != "" && !usePromotion {
		return &ValidationError{Field: "PromotionNo", Reason: "is set but UsePromotion is false"}
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return &ValidationError{Field: "UserClientIP", Reason: fmt.Sprintf("%q is not an IP address", ip)}
	}
	return checkLang("Lang", lang)
}

// checkDomainName returns why name is not a valid domain name, or "". Labels
// may hold ASCII letters, digits and inner hyphens, or Unicode letters,
// digits and marks (IDN in Unicode form); punycode labels are ASCII.
func checkDomainName(name string) string {
	switch {
	case name == "":
		return "is empty"
	case len(name) > 253:
		return fmt.Sprintf("is %d bytes long; the limit is 253", len(name))
	case !utf8.ValidString(name):
		return "is not valid UTF-8"
	}
	if reason := checkNameForm(name); reason != "" { // names.go
		return reason
	}
	labels := 0
	for rest, more := name, true; more; labels++ {
		var l string
		l, rest, more = strings.Cut(rest, ".")
		switch {
		case l == "":
			return fmt.Sprintf("%q has an empty label", name)
		case len(l) > 63:
			return fmt.Sprintf("%q has a label longer than 63 bytes", name)
		case l[0] == '-' || l[len(l)-1] == '-':
			return fmt.Sprintf("%q has a label that starts or ends with a hyphen", name)
		}
		for _, c := range l {
			ok := c < utf8.RuneSelf && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') ||
				c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c) || unicode.IsMark(c))
			switch {
			case ok:
			case unicode.IsSpace(c):
				return fmt.Sprintf("%q contains white space", name)
			default:
				return fmt.Sprintf("%q contains the character %q", name, c)
			}
		}
	}
	if labels < 2 {
		return fmt.Sprintf("%q has no top-level domain", name)
	}
	return checkIDNA(name) // names.go
}

// submitResponse is the answer of both redeem actions.
type submitResponse struct {
	wireMeta
	TaskNo string `json:"TaskNo" xml:"TaskNo"`
}

// check makes an answer without a TaskNo a failed decode: for a paid order,
// an outcome to reconcile rather than a success.
func (r *submitResponse) check() error {
	if r.TaskNo == "" {
		return errors.New("the response has no TaskNo")
	}
	return nil
}

var opSaveBatchRedeem = orderOperation("SaveBatchTaskForCreatingOrderRedeem", redeemTaskType, (*BatchRedeemRequest).Validate)

var opSaveSingleRedeem = orderOperation("SaveSingleTaskForCreatingOrderRedeem", redeemTaskType, (*RedeemRequest).Validate)

// result is the SubmitResult of every order action.
func (r *submitResponse) result(m Meta) *SubmitResult {
	return &SubmitResult{Meta: m, TaskNo: r.TaskNo}
}

// orderOperation declares a paid order: not idempotent, answered by a
// TaskNo, creating a task of taskType ("" where it is undocumented). The
// catalog's table (api_tables.go) holds the action as a paid order, which
// Client.Call keeps to the same rule.
func orderOperation[Req any](action, taskType string, validate func(*Req) error) *operation[Req, submitResponse, SubmitResult] {
	return &operation[Req, submitResponse, SubmitResult]{
		action:   action,
		taskType: taskType,
		validate: validate,
		check:    (*submitResponse).check,
		result:   (*submitResponse).result,
	}
}

// withSecrets sets the declaration's secrets: the request values that never
// appear in an error.
func withSecrets[Req any, Resp response, Out any](op *operation[Req, Resp, Out], secrets func(*Req) []string) *operation[Req, Resp, Out] {
	op.secrets = secrets
	return op
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
