package alidomaintest

import (
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
