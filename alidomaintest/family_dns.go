package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"
	"strconv"
	"strings"
)

// Name servers: SaveBatchTaskForModifyingDomainDns changes the name servers
// QueryDomainByDomainName, QueryDomainList, QueryAdvancedDomainList and
// ScrollDomainList show.

// MsgUpdateProhibited is the ErrorMsg of a name server detail for a domain
// whose update prohibition lock is on.
const MsgUpdateProhibited = "the domain's update prohibition lock is on"

func init() {
	actions["SaveBatchTaskForModifyingDomainDns"] = actionDef{handle: (*Server).modifyDomainDNS}
}

// domainChange is one domain's part of a task write of these families.
type domainChange struct {
	// check returns why the detail fails ("" for none), seen when the task
	// is created. s.mu is held.
	check func(d *domain) string
	// apply changes the domain when the detail succeeds and returns what
	// the change log says of it. s.mu is held.
	apply func(d *domain) string
}

// domainTaskWrite creates the task of a task write naming the domains (a
// batch refuses one named twice): one detail per domain, failing with
// MsgDomainNotFound for a domain the account lacks or with what ch.check
// says, else applying ch.apply when it succeeds and logging the change
// under op.
func (s *Server) domainTaskWrite(c *actionCall, names []string, op string, ch domainChange) (any, *gatewayError) {
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		key := wire.CanonicalName(n)
		if seen[key] {
			return nil, errDuplicateDomain("DomainName." + strconv.Itoa(i+1))
		}
		seen[key] = true
	}
	ip := clientIP(c.p, c.r)
	items := make([]taskItem, 0, len(names))
	s.mu.Lock()
	s.settle(c.now)
	at := s.finalAt(c.now)
	for _, n := range names {
		key := wire.CanonicalName(n)
		it := taskItem{name: n}
		switch d := s.domains[key]; {
		case d == nil:
			it.failMsg = MsgDomainNotFound
		case ch.check != nil:
			it.failMsg = ch.check(d)
		}
		if it.failMsg == "" {
			it.effect = func(s *Server) {
				if d := s.domains[key]; d != nil {
					s.logChange(d.name, op, ch.apply(d), ip, at)
				}
			}
		}
		items = append(items, it)
	}
	s.mu.Unlock()
	t := s.createTask(c.action, items, ip, c.now)
	return submitResponse{RequestID: c.reqID, TaskNo: t.no}, nil
}

// taskDomains returns the domains a batch (DomainName.N) or single
// (DomainName) task write names.
func taskDomains(c *actionCall) []string {
	if v := c.p["DomainName"]; v != "" {
		return []string{v}
	}
	var names []string
	for n := 1; c.p["DomainName."+strconv.Itoa(n)] != ""; n++ {
		names = append(names, c.p["DomainName."+strconv.Itoa(n)])
	}
	return names
}

// modifyDomainDNS sets the domains' name servers: Alibaba Cloud's
// (DefaultNameServers) with AliyunDns true, else DomainNameServer.N (at
// least one, each a host name). A domain whose update prohibition lock is
// on fails with MsgUpdateProhibited.
func (s *Server) modifyDomainDNS(c *actionCall) (any, *gatewayError) {
	aliyun, ok := wireBool(c.p["AliyunDns"])
	if !ok {
		return nil, errInvalid("AliyunDns")
	}
	ns := append([]string(nil), DefaultNameServers...)
	if !aliyun {
		ns = ns[:0]
		for n := 1; c.p["DomainNameServer."+strconv.Itoa(n)] != ""; n++ {
			name := "DomainNameServer." + strconv.Itoa(n)
			v := strings.TrimSuffix(strings.TrimSpace(c.p[name]), ".")
			if !wellFormedName(v) {
				return nil, errInvalid(name)
			}
			ns = append(ns, strings.ToLower(v))
		}
		if len(ns) == 0 {
			return nil, errMissing("DomainNameServer.1")
		}
	}
	return s.domainTaskWrite(c, taskDomains(c), "CHG_DNS", domainChange{
		check: func(d *domain) string {
			if d.fam.updateLock {
				return MsgUpdateProhibited
			}
			return ""
		},
		apply: func(d *domain) string {
			d.fam.dns = append([]string{}, ns...)
			return "name servers: " + strings.Join(ns, ",")
		},
	})
}
