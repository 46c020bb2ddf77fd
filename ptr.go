package alidomain

// Ptr returns a pointer to v, for the request fields that are pointers
// because their API default is not Go's zero value (RegisterDomain's
// AliyunDNS and EnableDomainProxy default to true): nil sends nothing and
// leaves the API's default, Ptr(false) sends false.
func Ptr[T any](v T) *T { return &v }
