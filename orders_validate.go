package alidomain

import (
	"fmt"
	"strconv"

	"github.com/alidomain/alidomain/internal/wire"
)

// Validation shared by the paid-order family (renew, transfer, register).

// maxYears is the longest subscription an order may ask for.
const maxYears = 10

// orderNameKey is the form in which a batch's names are compared for
// duplicates, the same as redemption's.
func orderNameKey(name string) string { return wire.CanonicalName(name) }

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
		key := orderNameKey(name(d))
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
