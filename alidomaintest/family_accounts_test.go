package alidomaintest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// familyRequests are the parameters the actions of the profile, contact,
// host, transfer and email families need beyond the catalog's required
// ones in TestAllActionsAnswerValidRequest (with familyBefore's state).
func familyRequests(srv *Server) map[string]map[string]string {
	srv.AddRegistrantProfile(99)
	srv.AddRegistrantProfile(97) // its verification restarts: not profile 1, which the orders use
	return map[string]map[string]string{
		"RegistrantProfileRealNameVerification":      {"RegistrantProfileID": "97"},
		"DeleteRegistrantProfile":                    {"RegistrantProfileId": "99"},
		"QueryDnsHost":                               {"InstanceId": "S1"},
		"SaveSingleTaskForCreatingDnsHost":           {"InstanceId": "S1", "DnsName": "ns1", "Ip.1": "192.0.2.1"},
		"SaveSingleTaskForModifyingDnsHost":          {"InstanceId": "S1", "DnsName": "ns1", "Ip.1": "192.0.2.2"},
		"SaveSingleTaskForDeletingDnsHost":           {"InstanceId": "S1", "DnsName": "ns1"},
		"SaveSingleTaskForSynchronizingDnsHost":      {"InstanceId": "S1"},
		"SaveSingleTaskForAddingDSRecord":            {"Digest": "ABCD"},
		"SaveSingleTaskForModifyingDSRecord":         {"Digest": "ABCD"},
		"SaveSingleTaskForUpdatingContactInfo":       {"ContactType": "registrant"},
		"QueryTransferInByInstanceId":                {"InstanceId": "S-T1"},
		"TransferInReenterTransferAuthorizationCode": {"DomainName": "re.com", "TransferAuthorizationCode": "good"},
		"TransferInResendMailToken":                  {"DomainName": "mail.com"},
		"TransferInRefetchWhoisEmail":                {"DomainName": "mail.com"},
	}
}

// familyBefore sets up, before each call of action, the state the call
// uses up (a profile it deletes, a token it spends, a transfer it revives).
func familyBefore(srv *Server, action string) {
	exp := time.Now().Add(200 * 24 * time.Hour)
	switch action {
	case "DeleteRegistrantProfile":
		srv.AddRegistrantProfile(99)
	case "QueryTransferInByInstanceId":
		srv.AddTransferable("t1.com", "code", exp, InstanceID("S-T1"))
		srv.AddRegistrantProfile(98)
		srv.createOrderTask(KindTransfer, []orderItem{{name: "t1.com", authCode: "code", profile: 98}}, "127.0.0.1", srv.now())
	case "TransferInReenterTransferAuthorizationCode", "TransferInResendMailToken", "TransferInRefetchWhoisEmail":
		name := "re.com"
		if action != "TransferInReenterTransferAuthorizationCode" {
			name = "mail.com"
			srv.RequireTransferInMailCheck(name, "owner@example.com", "tok")
		}
		srv.mu.Lock()
		delete(srv.domains, name)
		srv.mu.Unlock()
		srv.AddTransferable(name, "good", exp)
		srv.AddRegistrantProfile(98)
		srv.createOrderTask(KindTransfer, []orderItem{{name: name, authCode: "wrong", profile: 98}}, "127.0.0.1", srv.now())
	case "TransferInCheckMailToken":
		srv.RequireTransferInMailCheck("mail.com", "owner@example.com", "x")
	case "VerifyEmail":
		srv.AddEmailVerification("v@example.com", false)
		srv.mu.Lock()
		srv.emails.byAddr["v@example.com"].token = "x"
		srv.mu.Unlock()
	}
}

// The families' answers keep the catalog's shape in XML too: a list of
// strings is its elements repeated, a wrapper holds its items.
func TestFamilyAnswersXML(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	srv.AddDomain("example.com", time.Now().Add(400*24*time.Hour), InstanceID("S7"))
	srv.AddRegistrantProfile(5)
	c.ok("SaveSingleTaskForCreatingDnsHost", map[string]string{"InstanceId": "S7", "DnsName": "ns1", "Ip.1": "192.0.2.1", "Ip.2": "192.0.2.2"})
	xmlOf := func(action string, p map[string]string) string {
		resp, body := c.do(action, call{params: p, pre: func(v url.Values) { v.Set("Format", "XML") }})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", action, resp.StatusCode, body)
		}
		return string(body)
	}
	for _, tc := range []struct{ action, want string }{
		{"QueryDnsHost", "<DnsHostList><DnsName>ns1</DnsName><IpList>192.0.2.1</IpList><IpList>192.0.2.2</IpList></DnsHostList>"},
		{"QueryRegistrantProfiles", "<RegistrantProfiles><RegistrantProfile><Address>"},
		{"QueryRegistrantProfiles", "<RealNameStatus>SUCCEED</RealNameStatus><RegistrantName>Test Registrant</RegistrantName>"},
	} {
		p := map[string]string{"InstanceId": "S7", "PageNum": "1", "PageSize": "5"}
		if got := xmlOf(tc.action, p); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %s lacks %s", tc.action, got, tc.want)
		}
	}
}

// A request signed wrongly is refused with the string to sign, whose
// mailed tokens and identity documents are masked like transfer codes.
func TestSignatureMismatchMasksFamilySecrets(t *testing.T) {
	srv := newTestServer(t)
	c := newCaller(t, srv)
	for action, p := range map[string]map[string]string{
		"VerifyEmail":                           {"Token": "tok-SECRET-1"},
		"TransferInCheckMailToken":              {"Token": "tok-SECRET-1"},
		"RegistrantProfileRealNameVerification": {"RegistrantProfileID": "1", "IdentityCredentialType": "SFZ", "IdentityCredentialNo": "tok-SECRET-1", "IdentityCredential": "tok-SECRET-1"},
	} {
		resp, body := c.do(action, call{params: p, secret: "wrong"})
		m := checkErr(t, resp, body, 400, "SignatureDoesNotMatch")
		if msg, _ := m["Message"].(string); strings.Contains(msg, "SECRET") || !strings.Contains(msg, "%252A%252A%252A%252A%252A%252A") {
			t.Errorf("%s: %s", action, msg)
		}
	}
}
