package alidomaintest

// generic answers an action that has no state-aware handler: an answer of
// the catalog's shape, with plausible values (filled in by a later step).
func (s *Server) generic(c *actionCall) (any, *gatewayError) {
	return struct {
		RequestID string `json:"RequestId" xml:"RequestId"`
	}{c.reqID}, nil
}
