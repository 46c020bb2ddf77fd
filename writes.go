package alidomain

// knownWrite reports whether action (in any case: the name is the same
// order however it is spelled) is a paid order: the catalog's table
// (api_tables.go) decides, so no list is kept by hand.
func knownWrite(action string) bool {
	info, ok := lookupAction(action)
	return ok && info.kind == actionPaidOrder
}
