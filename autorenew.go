package alidomain

import (
	"context"
	"errors"
	"strings"

	"github.com/alidomain/alidomain/internal/wire"
)

// validateAutoRenew checks the generated request (SetupDomainAutoRenewRequest,
// the action's one wire shape) as SetAutoRenew needs it: an instance ID
// without white space.
func validateAutoRenew(r *SetupDomainAutoRenewRequest) error {
	if r == nil || strings.TrimSpace(r.InstanceID) == "" {
		return &ValidationError{Field: "instanceID", Reason: "is empty: give the domain's InstanceID (Domain.InstanceID or DomainDetail.InstanceID)"}
	}
	if strings.ContainsFunc(r.InstanceID, func(c rune) bool { return c <= ' ' || c == 0x7f }) {
		return &ValidationError{Field: "instanceID", Reason: "contains white space or control characters"}
	}
	return r.validate()
}

// autoRenewResponse is SetupDomainAutoRenew's answer.
type autoRenewResponse struct {
	wireMeta
	Result *wire.FlexBool `json:"Result" xml:"Result"`
}

// check refuses Result false (the setting was not changed) and an answer
// without Result.
func (r *autoRenewResponse) check() error {
	switch {
	case r.Result == nil:
		return errors.New("the response has no Result")
	case !bool(*r.Result):
		return errors.New("the service answered Result false: auto-renewal was not changed")
	}
	return nil
}

// opSetupDomainAutoRenew sends the generated request with the generated
// declaration's action and retry rule (TestFriendlyDeclarationsMatchGenerated
// holds them equal; they are literals so that the declaration is static
// data, kept only by programs that call SetAutoRenew), and checks the answer
// as SetAutoRenew needs: Result present and true.
var opSetupDomainAutoRenew = &operation[SetupDomainAutoRenewRequest, autoRenewResponse, Meta]{
	action: "SetupDomainAutoRenew",
	// A setting: sending it twice leaves the same state, so the catalog
	// has it retried as a read is.
	idempotent: true,
	noLang:     true,
	validate:   validateAutoRenew,
	check:      (*autoRenewResponse).check,
	result:     func(_ *autoRenewResponse, m Meta) *Meta { return &m },
}

// SetAutoRenew turns the automatic renewal of the domain with instanceID
// on or off (SetupDomainAutoRenew, Operation SET or CANCEL). The service
// offers it only for China-site domains. Setting the state a domain
// already has is harmless, so the call is retried as reads are. An answer
// with Result false is an error. QueryDomainList reports the state as
// Domain.AutoRenew.
func (s *DomainService) SetAutoRenew(ctx context.Context, instanceID string, on bool, optFns ...func(*Options)) (Meta, error) {
	req := &SetupDomainAutoRenewRequest{InstanceID: instanceID, Operation: "CANCEL"}
	if on {
		req.Operation = "SET"
	}
	m, err := opSetupDomainAutoRenew.call(ctx, (*service)(s), req, optFns)
	if err != nil {
		return Meta{}, err
	}
	return *m, nil
}
