package alidomaintest

import (
	"strconv"
	"strings"
	"time"
)

// This file holds the state of the families modelled in family_dns.go,
// family_locks.go, family_privacy.go, family_remarks.go, family_groups.go,
// family_lists.go, family_history.go and family_changelog.go.

// DefaultNameServers are the name servers of a domain whose name servers
// were never changed (Alibaba Cloud DNS's).
var DefaultNameServers = []string{"dns1.hichina.com", "dns2.hichina.com"}

// DefaultResourceGroupID is the resource group of a domain never moved to
// another one (ChangeResourceGroup).
const DefaultResourceGroupID = "rg-default"

// domainFam is a domain's state of these families; its zero value is a
// domain on DefaultNameServers, unlocked, without WHOIS privacy, in
// DefaultResourceGroupID.
type domainFam struct {
	dns           []string // name servers; nil = DefaultNameServers
	transferLock  bool     // transfer prohibition lock
	updateLock    bool     // update prohibition lock
	proxy         bool     // WHOIS privacy (DomainNameProxyService)
	resourceGroup string   // "" = DefaultResourceGroupID
}

func (f *domainFam) nameServers() []string {
	if f.dns == nil {
		return append([]string(nil), DefaultNameServers...)
	}
	return append([]string(nil), f.dns...)
}

// usesNameServer reports whether ns (compared case-insensitively) is one
// of the domain's name servers (QueryDomainList's Dns filter).
func (f *domainFam) usesNameServer(ns string) bool {
	ns = strings.TrimSuffix(strings.TrimSpace(ns), ".")
	for _, n := range f.nameServers() {
		if strings.EqualFold(n, ns) {
			return true
		}
	}
	return false
}

func (f *domainFam) resourceGroupID() string {
	if f.resourceGroup == "" {
		return DefaultResourceGroupID
	}
	return f.resourceGroup
}

// lockName is how the answers write a lock's state.
func lockName(on bool) string {
	if on {
		return "OPEN"
	}
	return "CLOSE"
}

// famServer is the Server's state of these families. s.mu guards it.
type famServer struct {
	groups    map[int64]*domainGroup // SaveDomainGroup, AddDomainGroup
	groupSeq  int64                  // the last group id handed out
	changes   []changeEntry          // QueryChangeLogList, oldest first
	cancelled map[*task]bool         // CancelTask
	acked     map[*detail]bool       // AcknowledgeTaskResult
	scrolls   map[string]*scroll     // ScrollDomainList, by ScrollId
}

// NameServers sets the domain's name servers (default DefaultNameServers),
// as QueryDomainByDomainName's DnsList shows them.
func NameServers(ns ...string) DomainOption {
	return func(d *domain) { d.fam.dns = append([]string{}, ns...) }
}

// TransferLocked turns the domain's transfer prohibition lock on.
func TransferLocked() DomainOption { return func(d *domain) { d.fam.transferLock = true } }

// UpdateLocked turns the domain's update prohibition lock on: name server
// changes of the domain fail (MsgUpdateProhibited) until it is turned off.
func UpdateLocked() DomainOption { return func(d *domain) { d.fam.updateLock = true } }

// WhoisPrivacy turns the domain's WHOIS privacy (DomainNameProxyService) on.
func WhoisPrivacy() DomainOption { return func(d *domain) { d.fam.proxy = true } }

// ResourceGroup puts the domain in the resource group id (default
// DefaultResourceGroupID).
func ResourceGroup(id string) DomainOption {
	return func(d *domain) { d.fam.resourceGroup = id }
}

// groupIDString is how QueryDomainList writes a group id.
func groupIDString(id int64) string { return strconv.FormatInt(id, 10) }

// finalAt is when a detail created at now becomes final. s.mu is held.
func (s *Server) finalAt(now time.Time) time.Time { return now.Add(s.cfg.taskDuration) }
