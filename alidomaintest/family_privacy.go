package alidomaintest

// WHOIS privacy: SaveBatchTaskForDomainNameProxyService and its single
// twin turn it on (Status true) or off, as QueryDomainByDomainName's
// DomainNameProxyService shows.

func init() {
	h := statusWrite("SET_WHOIS_PROTECT", "WHOIS privacy", func(d *domain) *bool { return &d.fam.proxy })
	actions["SaveBatchTaskForDomainNameProxyService"] = actionDef{handle: h}
	actions["SaveSingleTaskForDomainNameProxyService"] = actionDef{handle: h}
}
