package alidomaintest

import (
	"fmt"
	"time"
)

// DemoRegistrantProfileID is the demo account's verified registrant
// profile (see Server.AddDemoAccount): registrations and transfers in name it.
const DemoRegistrantProfileID = 20001

// DemoUnverifiedProfileID is the demo account's registrant profile whose
// real-name verification failed: orders naming it are refused.
const DemoUnverifiedProfileID = 20002

// DemoTransfer is a domain held at another registrar in the demo account,
// with the authorization code that transfers it in.
type DemoTransfer struct {
	DomainName        string
	AuthorizationCode string
}

// DemoTransfers returns the demo account's domains held elsewhere and
// their codes (codes that exist only in the simulator).
func DemoTransfers() []DemoTransfer {
	return []DemoTransfer{
		{"acme-transfer.com", "DEMO-EPP-7Q2X"},
		{"acme-transfer.net", "DEMO-EPP-K9M4"},
		{"acme-transfer.org", "DEMO-EPP-Z3T8"},
	}
}

// DemoAvailable returns the names free to register in the demo account.
func DemoAvailable() []string {
	return []string{"acme-new.com", "acme-new.net", "acme-new.org", "新域名.cn"}
}

// AddDemoAccount fills the Server with the demo account that
// `alidomain --simulate` runs on: a portfolio in every state, dated from
// the Server's clock (WithClock). It holds 30 domains:
//
//   - 8 expiring within 30 days: acme-shop.com (3 days), acme-blog.net (9),
//     acme-mail.com (12), 例子.cn (16), acme-api.io (21), acme-docs.org
//     (25), 中文网站.com (27), acme-status.dev (29); the first four need
//     renewal (QueryNeedsRenewal), the others are normal;
//   - acme.vip (premium, 40 days, 12,800 CNY), acme-legacy.xyz (45 days,
//     no price), acme-cdn.net (52 days, on its own name servers
//     ns1.acme-cdn.net and ns2.acme-cdn.net, with glue records and a DS
//     record);
//   - 5 in their redemption period: acme-old.com, acme-old.net,
//     acme-archive.org, 旧域名.com, and acme-expired.info, whose redemption
//     the registry refuses;
//   - acme-01.com to acme-14.com, expiring in 2 to 11 months: one in three
//     in group 1001 (web), one in three in 1002 (mail), one in four with
//     auto-renewal; acme-04.com and acme-05.com on the name servers
//     ns1.example-dns.net and ns2.example-dns.net; acme-06.com to
//     acme-08.com with the transfer lock, acme-08.com also with the update
//     lock (a name server change of it fails); acme-09.com to acme-11.com
//     with WHOIS privacy; acme-12.com with a remark; acme-13.com and
//     acme-14.com in resource group rg-acme-prod; a transfer out of
//     acme-14.com awaiting approval.
//
// Besides the domains: groups 1001 and 1002; the domains of DemoTransfers,
// transferable with their codes; the names of DemoAvailable, free to
// register; registrant profile DemoRegistrantProfileID (verified, the
// default) and
// DemoUnverifiedProfileID (real-name verification failed, with its
// reason); mailboxes registrant@example.com (verified) and
// hostmaster@acme-shop.com (waiting for its token). Every domain but
// acme-legacy.xyz has prices for every order kind in CNY and USD (a
// redemption costs 6 times a renewal).
func (s *Server) AddDemoAccount() {
	now := s.now()
	day := 24 * time.Hour
	s.AddDomainGroup(1001, "web")
	s.AddDomainGroup(1002, "mail")
	web := Group("1001", "web")
	mail := Group("1002", "mail")
	// Expiring within 30 days: what "renew --expiring 30d" orders.
	expiring := []struct {
		name string
		days int
		opts []DomainOption
	}{
		{"acme-shop.com", 3, []DomainOption{web, NeedsRenewal()}},
		{"acme-blog.net", 9, []DomainOption{web, NeedsRenewal()}},
		{"acme-mail.com", 12, []DomainOption{mail, NeedsRenewal()}},
		{"例子.cn", 16, []DomainOption{web, NeedsRenewal()}},
		{"acme-api.io", 21, []DomainOption{Normal()}},
		{"acme-docs.org", 25, []DomainOption{Normal()}},
		{"中文网站.com", 27, []DomainOption{web, Normal()}},
		{"acme-status.dev", 29, []DomainOption{Normal()}},
	}
	for i, d := range expiring {
		s.AddDomain(d.name, now.Add(time.Duration(d.days)*day), d.opts...)
		s.demoPrice(d.name, float64(69+10*i))
	}
	// Expiring in 30 to 60 days: one premium, one without a price, one on
	// its own name servers.
	s.AddDomain("acme.vip", now.Add(40*day), Premium(), Normal())
	s.demoPrice("acme.vip", 12800)
	s.AddDomain("acme-legacy.xyz", now.Add(45*day), Normal())
	s.AddDomain("acme-cdn.net", now.Add(52*day), mail, Normal(),
		NameServers("ns1.acme-cdn.net", "ns2.acme-cdn.net"), demoHostsAndDS())
	s.demoPrice("acme-cdn.net", 79)
	// In their redemption period (expired 35 to 60 days ago).
	for i, name := range []string{"acme-old.com", "acme-old.net", "acme-archive.org", "旧域名.com"} {
		s.AddDomain(name, now.Add(-time.Duration(35+8*i)*day), NeedsRedemption())
		s.demoPrice(name, float64(79+10*i))
	}
	s.AddDomain("acme-expired.info", now.Add(-50*day), NeedsRedemption(),
		FailRedeem("the registry refused the redemption"))
	s.demoPrice("acme-expired.info", 59)
	// Normal domains, expiring in 2 to 11 months, with the settings of the
	// families the simulator models.
	for i := 0; i < 14; i++ {
		n := i + 1
		name := fmt.Sprintf("acme-%02d.com", n)
		opts := []DomainOption{Normal()}
		switch i % 3 {
		case 0:
			opts = append(opts, web)
		case 1:
			opts = append(opts, mail)
		}
		if i%4 == 0 {
			opts = append(opts, AutoRenew())
		}
		switch {
		case n == 4 || n == 5:
			opts = append(opts, NameServers("ns1.example-dns.net", "ns2.example-dns.net"))
		case n >= 6 && n <= 8:
			opts = append(opts, TransferLocked())
			if n == 8 {
				opts = append(opts, UpdateLocked())
			}
		case n >= 9 && n <= 11:
			opts = append(opts, WhoisPrivacy())
		case n == 12:
			opts = append(opts, Remark("billing: web team"))
		case n >= 13:
			opts = append(opts, ResourceGroup("rg-acme-prod"))
		}
		s.AddDomain(name, now.Add(time.Duration(60+21*i)*day), opts...)
		s.demoPrice(name, 69)
	}
	s.RequestTransferOut("acme-14.com")
	// Held elsewhere, transferable with their codes.
	for _, t := range DemoTransfers() {
		s.AddTransferable(t.DomainName, t.AuthorizationCode, now.Add(200*day))
		s.demoPrice(t.DomainName, 65)
	}
	// Free to register.
	for _, name := range DemoAvailable() {
		s.AddAvailable(name)
		s.demoPrice(name, 55)
	}
	s.AddRegistrantProfile(DemoRegistrantProfileID)
	s.mu.Lock()
	s.regs.byID[DemoRegistrantProfileID].isDefault = true
	s.mu.Unlock()
	s.AddRegistrantProfile(DemoUnverifiedProfileID)
	s.SetRegistrantProfileRealName(DemoUnverifiedProfileID, RealNameFailed, "the identity document is unreadable")
	s.AddEmailVerification("registrant@example.com", true)
	s.AddEmailVerification("hostmaster@acme-shop.com", false)
}

// demoHostsAndDS gives acme-cdn.net the glue records of its name servers
// and one DS record, as QueryDnsHost and QueryDSRecord show them.
func demoHostsAndDS() DomainOption {
	return func(d *domain) {
		d.hosts = map[string][]string{
			"ns1.acme-cdn.net": {"192.0.2.53"},
			"ns2.acme-cdn.net": {"198.51.100.53"},
		}
		d.ds = map[int64]dsRecord{
			12345: {keyTag: 12345, algorithm: 13, digestType: 2,
				digest: "2BB183AF5F22588179A53B0A98631FAD1A292118E6D8A9E8B6A1B4BF06E2E3D4"},
		}
	}
}

// demoPrice sets a domain's prices for every order kind, in CNY and USD
// (a redemption costs 6 times a renewal).
func (s *Server) demoPrice(name string, cny float64) {
	for _, act := range priceActions {
		p := cny
		if act == PriceRestore {
			p = cny * 6
		}
		s.SetPrice(name, act, p, "CNY")
		s.SetPrice(name, act, float64(int(p/7*100))/100, "USD")
	}
}
