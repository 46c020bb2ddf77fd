package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// domainState reads a domain back from sim through the typed layer.
func domainState(t *testing.T, sim *alidomaintest.Server, name string) *alidomain.QueryDomainByDomainNameResponse {
	t.Helper()
	c, err := alidomain.New(alidomain.Options{Endpoint: sim.URL, Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.API.QueryDomainByDomainName(context.Background(), &alidomain.QueryDomainByDomainNameRequest{DomainName: name})
	if err != nil {
		t.Fatalf("QueryDomainByDomainName %s: %v", name, err)
	}
	return res
}

// TestBulkChangesReadBack: dns set, lock and privacy change what the
// simulator's QueryDomainByDomainName shows (DnsList, the two locks,
// DomainNameProxyService) for the domains named and no others; a domain
// the service refuses keeps its state and exits 1.
func TestBulkChangesReadBack(t *testing.T) {
	sim := demoSim(t)
	ns := func(name string) []string { return domainState(t, sim, name).DNSList.DNS }
	example := []string{"ns1.example.net", "ns2.example.net"}

	before := ns("acme-04.com")
	if !slices.Equal(before, []string{"ns1.example-dns.net", "ns2.example-dns.net"}) {
		t.Fatalf("acme-04.com starts on %v", before)
	}
	r := runIn(t, sim, false, "dns", "set", "--ns", "ns1.example.net,ns2.example.net.", "acme-01.com", "acme-04.com", "--json")
	expectCode(t, r, exitOK)
	for _, d := range []string{"acme-01.com", "acme-04.com"} {
		if got := ns(d); !slices.Equal(got, example) {
			t.Errorf("%s on %v after dns set, want %v", d, got, example)
		}
	}
	if got := ns("acme-05.com"); !slices.Equal(got, before) {
		t.Errorf("acme-05.com (not named) moved to %v", got)
	}
	r = runIn(t, sim, false, "dns", "set", "--aliyun", "acme-04.com")
	expectCode(t, r, exitOK)
	if got := ns("acme-04.com"); !slices.Equal(got, alidomaintest.DefaultNameServers) {
		t.Errorf("acme-04.com on %v after --aliyun, want %v", got, alidomaintest.DefaultNameServers)
	}
	// acme-08.com has the update lock: its name servers cannot change.
	old08 := ns("acme-08.com")
	r = runIn(t, sim, false, "dns", "set", "--ns", "ns1.example.net,ns2.example.net", "acme-08.com", "acme-02.com", "--json")
	expectCode(t, r, exitFailed)
	if ds := domainsOf(t, decode(t, r)); ds["acme-08.com"]["status"] != stFailed || ds["acme-02.com"]["status"] != stSucceeded {
		t.Errorf("update-locked domain: %v", ds)
	}
	if got := ns("acme-08.com"); !slices.Equal(got, old08) {
		t.Errorf("update-locked acme-08.com moved from %v to %v", old08, got)
	}

	// Locks: acme-06.com to acme-08.com start with the transfer lock,
	// acme-08.com also with the update lock.
	lock := func(name string) (transfer, update string) {
		s := domainState(t, sim, name)
		return s.TransferProhibitionLock, s.UpdateProhibitionLock
	}
	if tr, up := lock("acme-08.com"); tr != "OPEN" || up != "OPEN" {
		t.Fatalf("acme-08.com starts with locks %s/%s", tr, up)
	}
	expectCode(t, runIn(t, sim, false, "lock", "off", "acme-06.com", "acme-07.com"), exitOK)
	expectCode(t, runIn(t, sim, false, "lock", "on", "acme-01.com"), exitOK)
	expectCode(t, runIn(t, sim, false, "lock", "off", "--update", "acme-08.com"), exitOK)
	for name, want := range map[string][2]string{
		"acme-06.com": {"CLOSE", "CLOSE"},
		"acme-07.com": {"CLOSE", "CLOSE"},
		"acme-01.com": {"OPEN", "CLOSE"},
		"acme-08.com": {"OPEN", "CLOSE"}, // --update leaves the transfer lock
		"acme-02.com": {"CLOSE", "CLOSE"},
	} {
		if tr, up := lock(name); tr != want[0] || up != want[1] {
			t.Errorf("%s: transfer lock %s, update lock %s; want %s, %s", name, tr, up, want[0], want[1])
		}
	}
	// With its update lock off, acme-08.com's name servers can change.
	expectCode(t, runIn(t, sim, false, "dns", "set", "--ns", "ns1.example.net,ns2.example.net", "acme-08.com"), exitOK)
	if got := ns("acme-08.com"); !slices.Equal(got, example) {
		t.Errorf("acme-08.com on %v once unlocked", got)
	}

	// Privacy: acme-09.com to acme-11.com start with it.
	privacy := func(name string) bool { return domainState(t, sim, name).DomainNameProxyService }
	if !privacy("acme-09.com") || privacy("acme-01.com") {
		t.Fatal("the demo account's privacy is not as documented")
	}
	expectCode(t, runIn(t, sim, false, "privacy", "off", "acme-09.com"), exitOK)
	expectCode(t, runIn(t, sim, false, "privacy", "on", "acme-01.com", "acme-02.com"), exitOK)
	for name, want := range map[string]bool{"acme-09.com": false, "acme-10.com": true, "acme-01.com": true, "acme-02.com": true, "acme-03.com": false} {
		if got := privacy(name); got != want {
			t.Errorf("%s: privacy %v, want %v", name, got, want)
		}
	}
}

// TestBulkValidatedBeforeSending: a request the typed layer refuses (more
// name servers than DomainNameServer takes) is a usage error, with
// nothing sent.
func TestBulkValidatedBeforeSending(t *testing.T) {
	sim := demoSim(t)
	servers := make([]string, 14)
	for i := range servers {
		servers[i] = fmt.Sprintf("ns%d.example.net", i+1)
	}
	for _, format := range []string{"table", "json"} {
		r := runIn(t, sim, false, "dns", "set", "--ns", strings.Join(servers, ","), "acme-01.com", "-o", format)
		expectCode(t, r, exitUsage)
		if !strings.Contains(r.stdout+r.stderr, "DomainNameServer") || !strings.Contains(r.stdout+r.stderr, "at most 13") {
			t.Errorf("-o %s: the error does not name the limit:\nstdout:\n%s\nstderr:\n%s", format, r.stdout, r.stderr)
		}
	}
	if n := sim.Requests(actModifyDNS); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
	if got := domainState(t, sim, "acme-01.com").DNSList.DNS; !slices.Equal(got, alidomaintest.DefaultNameServers) {
		t.Errorf("acme-01.com moved to %v", got)
	}
}
