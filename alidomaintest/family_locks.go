package alidomaintest

// Transfer and update prohibition locks: the SaveBatchTask and
// SaveSingleTask writes turn them on (Status true) or off, as
// QueryDomainByDomainName's TransferProhibitionLock and
// UpdateProhibitionLock show ("OPEN" or "CLOSE").

func init() {
	for _, a := range []string{"SaveBatchTaskForTransferProhibitionLock", "SaveSingleTaskForTransferProhibitionLock"} {
		actions[a] = actionDef{handle: lockWrite("SET_TRANSFER_PROHIBITED", func(d *domain) *bool { return &d.fam.transferLock })}
	}
	for _, a := range []string{"SaveBatchTaskForUpdateProhibitionLock", "SaveSingleTaskForUpdateProhibitionLock"} {
		actions[a] = actionDef{handle: lockWrite("SET_UPDATE_PROHIBITED", func(d *domain) *bool { return &d.fam.updateLock })}
	}
}

// statusWrite returns a task write that sets the flag of each domain it
// names to its Status parameter.
func statusWrite(op, what string, flag func(d *domain) *bool) func(*Server, *actionCall) (any, *gatewayError) {
	return func(s *Server, c *actionCall) (any, *gatewayError) {
		on, ok := wireBool(c.p["Status"])
		if !ok {
			return nil, errInvalid("Status")
		}
		return s.domainTaskWrite(c, taskDomains(c), op, domainChange{
			apply: func(d *domain) string {
				*flag(d) = on
				if on {
					return what + " on"
				}
				return what + " off"
			},
		})
	}
}

func lockWrite(op string, flag func(d *domain) *bool) func(*Server, *actionCall) (any, *gatewayError) {
	what := "transfer prohibition lock"
	if op == "SET_UPDATE_PROHIBITED" {
		what = "update prohibition lock"
	}
	return statusWrite(op, what, flag)
}
