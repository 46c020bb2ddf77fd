package alidomain

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// TransferService submits transfer-in orders
// (SaveBatchTaskForCreatingOrderTransfer,
// SaveSingleTaskForCreatingOrderTransfer). Its submissions cost money: they
// are never re-sent unless the request provably did not take effect (see
// OutcomeUnknownError).
type TransferService service

// TransferDomain is one domain to transfer into the account.
//
// Its AuthorizationCode is a secret: String, GoString, Format (every fmt
// verb), LogValue and MarshalJSON show it as [REDACTED], errors never quote
// it, and it is only ever written into the signed request.
type TransferDomain struct {
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `url:"DomainName"`
	// AuthorizationCode is the transfer (EPP) code the losing registrar
	// issued; required.
	AuthorizationCode string `url:"AuthorizationCode"`
	// RegistrantProfileID is the real-name-verified registrant profile the
	// domain moves to (RegistrantProfileId); required.
	RegistrantProfileID int64 `url:"RegistrantProfileId"`
	// PermitPremium allows transferring a premium name
	// (PermitPremiumTransfer); false is not sent (the service's default).
	// true = allowed follows the name and the other kinds; one doc page
	// states the values inverted (docs/wire.md, Transfer codes), unverified live.
	PermitPremium bool `url:"PermitPremiumTransfer,omitempty"`
}

// BatchTransferRequest is the input of TransferService.SubmitBatch
// (SaveBatchTaskForCreatingOrderTransfer).
type BatchTransferRequest struct {
	// Domains are the domains to transfer in, sent as OrderTransferParam.N.*: at
	// most 1000 (the API's maxItems for OrderTransferParam).
	Domains []TransferDomain `url:"OrderTransferParam"`
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

// TransferRequest is the input of TransferService.Submit
// (SaveSingleTaskForCreatingOrderTransfer): one domain, with the same
// options as BatchTransferRequest. Like TransferDomain, it never shows the
// AuthorizationCode.
type TransferRequest struct {
	TransferDomain
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
// domain, each a well-formed name with an authorization code and a
// registrant profile ID (> 0), no domain twice, a coupon or promotion
// number only with its Use flag, a valid client IP and language. It returns
// a *ValidationError naming the field; it never quotes a code.
func (r *BatchTransferRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "BatchTransferRequest", Reason: "is nil"}
	}
	err := checkBatch(r.Domains, func(d *TransferDomain) string { return d.DomainName }, (*TransferDomain).check)
	if err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// Validate checks the request without sending anything, as
// BatchTransferRequest.Validate does for one domain.
func (r *TransferRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "TransferRequest", Reason: "is nil"}
	}
	if err := fieldError(r.TransferDomain.check()); err != nil {
		return err
	}
	return validateOrderOptions(r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang)
}

// check returns the invalid field of d, and why, or two empty strings.
func (d *TransferDomain) check() (field, reason string) {
	if reason := checkDomainName(d.DomainName); reason != "" {
		return "DomainName", reason
	}
	switch {
	case strings.TrimSpace(d.AuthorizationCode) == "":
		return "AuthorizationCode", "is empty: give the transfer code the current registrar issued"
	case d.RegistrantProfileID <= 0:
		return "RegistrantProfileID", "is " + strconv.FormatInt(d.RegistrantProfileID, 10) + ": give the ID of a real-name-verified registrant profile"
	}
	return "", ""
}

// transferCodes returns the codes of a request, for scrubbing from errors.
func transferCodes(ds []TransferDomain) []string {
	codes := make([]string, 0, len(ds))
	for i := range ds {
		if c := ds[i].AuthorizationCode; c != "" {
			codes = append(codes, c)
		}
	}
	return codes
}

var opSaveBatchTransfer = &operation[BatchTransferRequest, submitResponse, SubmitResult]{
	action:   "SaveBatchTaskForCreatingOrderTransfer",
	validate: (*BatchTransferRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
	secrets:  func(r *BatchTransferRequest) []string { return transferCodes(r.Domains) },
}

var opSaveSingleTransfer = &operation[TransferRequest, submitResponse, SubmitResult]{
	action:   "SaveSingleTaskForCreatingOrderTransfer",
	validate: (*TransferRequest).Validate,
	check:    (*submitResponse).check,
	result:   (*submitResponse).result,
	secrets:  func(r *TransferRequest) []string { return transferCodes([]TransferDomain{r.TransferDomain}) },
}

// SubmitBatch submits one task that transfers every domain of req into the
// account (SaveBatchTaskForCreatingOrderTransfer), and returns the task's
// number. It is re-sent only when the previous attempt provably did not
// take effect; any other failure after the request left is an
// *OutcomeUnknownError: call Reconcile before submitting again.
func (s *TransferService) SubmitBatch(ctx context.Context, req *BatchTransferRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveBatchTransfer.call(ctx, (*service)(s), req, optFns)
}

// Submit submits a task that transfers one domain into the account
// (SaveSingleTaskForCreatingOrderTransfer), with the same validation and the
// same rule for re-sending as SubmitBatch.
func (s *TransferService) Submit(ctx context.Context, req *TransferRequest, optFns ...func(*Options)) (*SubmitResult, error) {
	return opSaveSingleTransfer.call(ctx, (*service)(s), req, optFns)
}

// Reconcile finds out what became of transfer-in orders for domains, as
// RedeemService.Reconcile does for redemptions: for each requested domain
// (a key of the result, spelled as given), the detail naming it of a task
// created since `since` minus 20 minutes that tells most about it (one that
// did not fail before one that failed, then the newest), or nil when there
// is none. Its errors, and what a nil detail means, are Redeem's.
//
// The TaskType of transfer-in tasks is documented nowhere, and a guessed
// type that is wrong would report "no order" for an order that was placed.
// So Reconcile does not depend on it: it counts the detail of any task
// whose type is not one of the documented types of other kinds
// (ORDER_RENEW, ORDER_REDEEM, ORDER_ACTIVATE, CHG_DNS, ... ; docs/wire.md, Task types),
// including types it has never seen. It may therefore report a task of
// another undocumented kind that names the domain; its TaskType tells.
func (s *TransferService) Reconcile(ctx context.Context, since time.Time, domains []string, optFns ...func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileTasks(ctx, (*service)(s), since, domains, isTransferType, optFns)
}

// Redaction of the AuthorizationCode.

// transferDomainFields has TransferDomain's fields and no methods.
type transferDomainFields TransferDomain

// transferRequestFields has TransferRequest's fields and no methods.
type transferRequestFields struct {
	TransferDomain transferDomainFields
	UseCoupon      bool
	CouponNo       string
	UsePromotion   bool
	PromotionNo    string
	UserClientIP   string
	Lang           string
}

func (d TransferDomain) redacted() transferDomainFields {
	d.AuthorizationCode = redactedOrEmpty(d.AuthorizationCode)
	return transferDomainFields(d)
}

func (r TransferRequest) redacted() transferRequestFields {
	return transferRequestFields{r.TransferDomain.redacted(), r.UseCoupon, r.CouponNo, r.UsePromotion, r.PromotionNo, r.UserClientIP, r.Lang}
}

// String returns the domain as %+v shows it, the code redacted.
func (d TransferDomain) String() string { return fmt.Sprintf("%+v", d.redacted()) }

// GoString returns the domain as %#v shows it, the code redacted.
func (d TransferDomain) GoString() string { return fmt.Sprintf("%#v", d) }

// Format prints the domain for every verb with the code redacted.
func (d TransferDomain) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "alidomain.TransferDomain", d.redacted())
}

// LogValue logs the domain with the code redacted.
func (d TransferDomain) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("domain_name", d.DomainName),
		slog.String("authorization_code", redactedOrEmpty(d.AuthorizationCode)),
		slog.Int64("registrant_profile_id", d.RegistrantProfileID),
		slog.Bool("permit_premium", d.PermitPremium),
	)
}

// MarshalJSON encodes the domain with the code redacted.
func (d TransferDomain) MarshalJSON() ([]byte, error) { return json.Marshal(d.redacted()) }

// String returns the request as %+v shows it, the code redacted.
func (r TransferRequest) String() string { return fmt.Sprintf("%+v", r.redacted()) }

// GoString returns the request as %#v shows it, the code redacted.
func (r TransferRequest) GoString() string {
	s := fmt.Sprintf("%#v", r.redacted())
	s = strings.ReplaceAll(s, "alidomain.transferDomainFields", "alidomain.TransferDomain")
	return "alidomain.TransferRequest" + strings.TrimPrefix(s, "alidomain.transferRequestFields")
}

// Format prints the request for every verb with the code redacted.
func (r TransferRequest) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, r.GoString())
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), r.redacted())
}

// LogValue logs the request with the code redacted.
func (r TransferRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("domain", r.TransferDomain.LogValue()),
		slog.Bool("use_coupon", r.UseCoupon),
		slog.String("coupon_no", r.CouponNo),
		slog.Bool("use_promotion", r.UsePromotion),
		slog.String("promotion_no", r.PromotionNo),
		slog.String("user_client_ip", r.UserClientIP),
		slog.String("lang", r.Lang),
	)
}

// MarshalJSON encodes the request with the code redacted, its domain's
// fields inline as encoding/json would put them.
func (r TransferRequest) MarshalJSON() ([]byte, error) {
	v := r.redacted()
	return json.Marshal(struct {
		transferDomainFields
		UseCoupon    bool
		CouponNo     string
		UsePromotion bool
		PromotionNo  string
		UserClientIP string
		Lang         string
	}{v.TransferDomain, v.UseCoupon, v.CouponNo, v.UsePromotion, v.PromotionNo, v.UserClientIP, v.Lang})
}

// documentedTaskTypes is the documented TaskType enum of the task queries
// (docs/wire.md, Task types). None of them is a transfer-in.
var documentedTaskTypes = map[string]bool{
	"CHG_HOLDER": true, "CHG_DNS": true, "SET_WHOIS_PROTECT": true,
	"UPDATE_ADMIN_CONTACT": true, "UPDATE_BILLING_CONTACT": true, "UPDATE_TECH_CONTACT": true,
	"SET_UPDATE_PROHIBITED": true, "SET_TRANSFER_PROHIBITED": true,
	"ORDER_ACTIVATE": true, "ORDER_RENEW": true, "ORDER_REDEEM": true,
	"CREATE_DNSHOST": true, "UPDATE_DNSHOST": true, "SYNC_DNSHOST": true,
	"UPDATE_REGISTRANT_CONTACT": true, "DELETE_DOMAIN": true,
}

// isTransferType reports whether a task may be a transfer-in: any type but
// the documented ones, which are all other kinds. The transfer-in type is
// documented nowhere, and a guess that is wrong would make Reconcile report
// "no order" for an order that was placed.
func isTransferType(t string) bool {
	return !documentedTaskTypes[strings.ToUpper(strings.TrimSpace(t))]
}
