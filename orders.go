package alidomain

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
)

// What every paid order shares (redemption, renewal, transfer in,
// registration; batch or single): its declaration, its answer, and the
// validation of its names, years and options.

// SubmitResult is the answer to a paid order of any kind (redemption,
// renewal, transfer in, registration; batch or single): the task that
// carries it out, one detail per domain. Follow it with TaskService.Wait;
// each domain's outcome is in the task's details, never in this answer.
type SubmitResult struct {
	Meta
	// TaskNo identifies the task created for the order.
	TaskNo string
}

// validateOrderOptions checks the options every order (and the price
// query) shares: a coupon or promotion number only with its Use flag, a
// client IP that is an address, a known language.
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

// submitResponse is the answer of every order action: the task's number.
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

// result is the SubmitResult of every order action.
func (r *submitResponse) result(m Meta) *SubmitResult {
	return &SubmitResult{Meta: m, TaskNo: r.TaskNo}
}

// maxYears is the longest subscription an order may ask for.
const maxYears = 10

// checkBatch checks that a batch names at least one domain and none twice,
// and each domain with check, which returns the invalid field of the
// domain (relative to it, such as "DomainName") and why, or two empty
// strings. The field of an error is Domains[i].<field>.
func checkBatch[T any](domains []T, name func(*T) string, check func(*T) (field, reason string)) error {
	if len(domains) == 0 {
		return &ValidationError{Field: "Domains", Reason: "is empty: give at least one domain"}
	}
	seen := make(map[string]int, len(domains))
	for i := range domains {
		d := &domains[i]
		// The field name is built only on failure: batches hold thousands.
		if field, reason := check(d); reason != "" {
			return &ValidationError{Field: "Domains[" + strconv.Itoa(i) + "]." + field, Reason: reason}
		}
		key := wire.CanonicalName(name(d))
		if j, dup := seen[key]; dup {
			return &ValidationError{Field: "Domains[" + strconv.Itoa(i) + "].DomainName", Reason: fmt.Sprintf("%q is already Domains[%d]; a batch may name a domain once", name(d), j)}
		}
		seen[key] = i
	}
	return nil
}

// checkYears returns why a subscription length is invalid, or "". Zero is
// the documented default, one year, and is sent as 1.
func checkYears(years int) string {
	if years < 0 || years > maxYears {
		return fmt.Sprintf("is %d; it must be 1 to %d years (0 means 1)", years, maxYears)
	}
	return ""
}

// fieldError returns a *ValidationError for field, or nil when reason is
// empty.
func fieldError(field, reason string) error {
	if reason == "" {
		return nil
	}
	return &ValidationError{Field: field, Reason: reason}
}
