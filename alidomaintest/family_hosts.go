package alidomaintest

import (
	"encoding/hex"
	"github.com/alidomain/alidomain/internal/wire"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// ErrorMsg values of the failed details of glue record and DS record
// tasks.
const (
	// MsgDNSHostExists: creating a glue record the domain already has.
	MsgDNSHostExists = "the DNS host already exists"
	// MsgDNSHostNotFound: changing or deleting a glue record the domain
	// does not have.
	MsgDNSHostNotFound = "the DNS host does not exist"
	// MsgDSRecordExists: adding a DS record whose KeyTag the domain
	// already has.
	MsgDSRecordExists = "a DS record with this KeyTag already exists"
	// MsgDSRecordNotFound: changing or deleting a DS record the domain
	// does not have.
	MsgDSRecordNotFound = "the DS record does not exist"
)

func init() {
	actions["SaveSingleTaskForCreatingDnsHost"] = actionDef{handle: (*Server).changeDNSHost}
	actions["SaveSingleTaskForModifyingDnsHost"] = actionDef{handle: (*Server).changeDNSHost}
	actions["SaveSingleTaskForDeletingDnsHost"] = actionDef{handle: (*Server).changeDNSHost}
	actions["SaveSingleTaskForSynchronizingDnsHost"] = actionDef{handle: (*Server).changeDNSHost}
	actions["QueryDnsHost"] = actionDef{handle: (*Server).queryDNSHost}
	actions["SaveSingleTaskForAddingDSRecord"] = actionDef{handle: (*Server).changeDSRecord}
	actions["SaveSingleTaskForModifyingDSRecord"] = actionDef{handle: (*Server).changeDSRecord}
	actions["SaveSingleTaskForDeletingDSRecord"] = actionDef{handle: (*Server).changeDSRecord}
	actions["SaveSingleTaskForSynchronizingDSRecord"] = actionDef{handle: (*Server).changeDSRecord}
	actions["QueryDSRecord"] = actionDef{handle: (*Server).queryDSRecord}
}

// dsRecord is one DNSSEC DS record of a domain.
type dsRecord struct {
	keyTag, algorithm, digestType int64
	digest                        string
}

// changeDNSHost creates, changes, deletes or synchronises (no change) a
// glue record of the domain with InstanceId; the detail fails when the
// domain is not in the account or the host is there (create) or not
// (modify, delete).
func (s *Server) changeDNSHost(c *actionCall) (any, *gatewayError) {
	host := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(c.p["DnsName"]), "."))
	ips := fieldValues(catalogAction(c.action), c.p, "Ip")
	for i, ip := range ips {
		if _, err := netip.ParseAddr(ip); err != nil {
			return nil, errInvalid("Ip." + strconv.Itoa(i+1))
		}
	}
	id := c.p["InstanceId"]
	s.mu.Lock()
	s.settle(c.now)
	it := taskItem{instance: id}
	dom := s.domainByInstance(id)
	if dom == nil {
		it.failMsg = MsgDomainNotFound
	} else {
		it.name = dom.name
		key := dom.key
		_, exists := dom.hosts[host]
		switch c.action {
		case "SaveSingleTaskForCreatingDnsHost":
			if exists {
				it.failMsg = MsgDNSHostExists
			}
		case "SaveSingleTaskForModifyingDnsHost", "SaveSingleTaskForDeletingDnsHost":
			if !exists {
				it.failMsg = MsgDNSHostNotFound
			}
		}
		del := c.action == "SaveSingleTaskForDeletingDnsHost"
		if c.action != "SaveSingleTaskForSynchronizingDnsHost" {
			it.effect = func(s *Server) {
				d := s.domains[key]
				switch {
				case d == nil:
				case del:
					delete(d.hosts, host)
				default:
					if d.hosts == nil {
						d.hosts = make(map[string][]string)
					}
					d.hosts[host] = ips
				}
			}
		}
	}
	s.mu.Unlock()
	t := s.createTask(c.action, []taskItem{it}, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

func (s *Server) queryDNSHost(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	dom := s.domainByInstance(c.p["InstanceId"])
	if dom == nil {
		return nil, errInvalid("InstanceId")
	}
	names := make([]string, 0, len(dom.hosts))
	for h := range dom.hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	list := make([]map[string]any, 0, len(names))
	for _, h := range names {
		list = append(list, map[string]any{"DnsName": h, "IpList": append([]string{}, dom.hosts[h]...)})
	}
	return s.stateAnswer(c, map[string]any{"DnsHostList": list})
}

// changeDSRecord adds, changes, deletes or synchronises (no change) a DS
// record of the domain, by KeyTag; Digest must be hexadecimal.
func (s *Server) changeDSRecord(c *actionCall) (any, *gatewayError) {
	var rec dsRecord
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"KeyTag", &rec.keyTag}, {"Algorithm", &rec.algorithm}, {"DigestType", &rec.digestType}} {
		if v := c.p[f.name]; v != "" {
			n, ok := wireInt(v)
			if !ok || n < 0 || n > 65535 {
				return nil, errInvalid(f.name)
			}
			*f.dst = n
		}
	}
	if c.p["Digest"] != "" {
		if _, err := hex.DecodeString(c.p["Digest"]); err != nil {
			return nil, errInvalid("Digest")
		}
		rec.digest = strings.ToUpper(c.p["Digest"])
	}
	name := c.p["DomainName"]
	var change func(dom *domain)
	switch c.action {
	case "SaveSingleTaskForAddingDSRecord", "SaveSingleTaskForModifyingDSRecord":
		change = func(dom *domain) {
			if dom.ds == nil {
				dom.ds = make(map[int64]dsRecord)
			}
			dom.ds[rec.keyTag] = rec
		}
	case "SaveSingleTaskForDeletingDSRecord":
		change = func(dom *domain) { delete(dom.ds, rec.keyTag) }
	default:
		change = func(*domain) {}
	}
	items := s.domainItems([]string{name}, change)
	if items[0].failMsg == "" {
		s.mu.Lock()
		exists := false
		if dom := s.domains[wire.CanonicalName(name)]; dom != nil {
			_, exists = dom.ds[rec.keyTag]
		}
		s.mu.Unlock()
		switch {
		case c.action == "SaveSingleTaskForAddingDSRecord" && exists:
			items[0].failMsg = MsgDSRecordExists
		case (c.action == "SaveSingleTaskForModifyingDSRecord" || c.action == "SaveSingleTaskForDeletingDSRecord") && !exists:
			items[0].failMsg = MsgDSRecordNotFound
		}
	}
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

func (s *Server) queryDSRecord(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	dom := s.domains[wire.CanonicalName(c.p["DomainName"])]
	if dom == nil {
		return nil, errDomainNotInAccount
	}
	tags := make([]int64, 0, len(dom.ds))
	for k := range dom.ds {
		tags = append(tags, k)
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i] < tags[j] })
	list := make([]map[string]any, 0, len(tags))
	for _, k := range tags {
		r := dom.ds[k]
		list = append(list, map[string]any{"KeyTag": r.keyTag, "Algorithm": r.algorithm, "DigestType": r.digestType, "Digest": r.digest})
	}
	return s.stateAnswer(c, map[string]any{"DSRecordList": list})
}
