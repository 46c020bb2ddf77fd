package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// simTry calls action on the simulator through Call (reads as reads) and
// returns the answer as a map.
func simTry(c *Client, action string, params map[string]string) (map[string]any, error) {
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	read := strings.HasPrefix(action, "Query") || strings.HasPrefix(action, "List") || strings.HasPrefix(action, "Check")
	var out map[string]any
	_, err := c.Call(context.Background(), &CallRequest{Action: action, Params: v, Idempotent: read}, &out)
	return out, err
}

func simCall(t *testing.T, c *Client, action string, params map[string]string) map[string]any {
	t.Helper()
	m, err := simTry(c, action, params)
	require.NoError(t, err, action)
	return m
}

// simRefused checks that action is refused with InvalidParameter.
func simRefused(t *testing.T, c *Client, action string, params map[string]string) *APIError {
	t.Helper()
	_, err := simTry(c, action, params)
	var ae *APIError
	require.ErrorAs(t, err, &ae, action)
	assert.Equal(t, "InvalidParameter", ae.Code, action)
	return ae
}

// simWait waits for the task a task write answered.
func simWait(t *testing.T, c *Client, answer map[string]any) *TaskReport {
	t.Helper()
	no, _ := answer["TaskNo"].(string)
	require.NotEmpty(t, no, "no TaskNo in %v", answer)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := c.Tasks.Wait(ctx, no, &WaitOptions{PollInterval: time.Millisecond})
	require.NoError(t, err)
	return r
}

// simList returns the list at the dotted path of an answer.
func simList(t *testing.T, m map[string]any, path string) []map[string]any {
	t.Helper()
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		cur = cur.(map[string]any)[k]
	}
	var out []map[string]any
	for _, it := range cur.([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func simNum(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case json.Number:
		n, _ := x.Int64()
		return n
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return -1
}

// A new registrant profile is listed unverified, and orders and contact
// changes refuse it until its real-name verification has passed; its
// failures are listed, it can be the default, and once deleted it is gone.
func TestSimulatorRegistrantProfiles(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddAvailable("new.com")
	m := simCall(t, c, "SaveRegistrantProfile", map[string]string{
		"Email": "li@example.com", "RegistrantName": "Li Lei", "RegistrantType": "1", "Country": "CN",
	})
	id := strconv.FormatInt(simNum(m["RegistrantProfileId"]), 10)
	require.NotEqual(t, "0", id)

	list := simList(t, simCall(t, c, "QueryRegistrantProfiles", map[string]string{"PageNum": "1", "PageSize": "10", "RegistrantProfileId": id}), "RegistrantProfiles.RegistrantProfile")
	require.Len(t, list, 1)
	assert.Equal(t, "Li Lei", list[0]["RegistrantName"])
	assert.Equal(t, "li@example.com", list[0]["Email"])
	assert.Equal(t, alidomaintest.RealNameNotAudited, list[0]["RealNameStatus"])

	order := map[string]string{"DomainName": "new.com", "RegistrantProfileId": id}
	ae := simRefused(t, c, "SaveSingleTaskForCreatingOrderActivate", order)
	assert.Contains(t, ae.Message, "real-name verification")

	simCall(t, c, "RegistrantProfileRealNameVerification", map[string]string{
		"RegistrantProfileID": id, "IdentityCredentialType": "SFZ", "IdentityCredentialNo": "110101199001011234", "IdentityCredential": "aW1hZ2U=",
	})
	st, ok := sim.RegistrantProfileRealName(simNum(m["RegistrantProfileId"]))
	require.True(t, ok)
	assert.Equal(t, alidomaintest.RealNameAuditing, st)
	info := simCall(t, c, "QueryRegistrantProfileRealNameVerificationInfo", map[string]string{"RegistrantProfileId": id})
	assert.Equal(t, "SFZ", info["IdentityCredentialType"])
	assert.Empty(t, info["IdentityCredential"], "the document without FetchImage")

	sim.SetRegistrantProfileRealName(simNum(m["RegistrantProfileId"]), alidomaintest.RealNameFailed, "the photo is blurred")
	reasons := simList(t, simCall(t, c, "QueryFailReasonForRegistrantProfileRealNameVerification", map[string]string{"RegistrantProfileID": id}), "Data")
	require.Len(t, reasons, 1)
	assert.Equal(t, "the photo is blurred", reasons[0]["FailReason"])
	simRefused(t, c, "SaveSingleTaskForCreatingOrderActivate", order)

	sim.SetRegistrantProfileRealName(simNum(m["RegistrantProfileId"]), alidomaintest.RealNameSucceed, "")
	r := simWait(t, c, simCall(t, c, "SaveSingleTaskForCreatingOrderActivate", order))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	_, held := sim.Domain("new.com")
	assert.True(t, held)

	simCall(t, c, "SetDefaultRegistrantProfile", map[string]string{"RegistrantProfileId": id})
	def := simList(t, simCall(t, c, "QueryRegistrantProfiles", map[string]string{"PageNum": "1", "PageSize": "10", "DefaultRegistrantProfile": "true"}), "RegistrantProfiles.RegistrantProfile")
	require.Len(t, def, 1)
	assert.Equal(t, simNum(m["RegistrantProfileId"]), simNum(def[0]["RegistrantProfileId"]))

	simCall(t, c, "DeleteRegistrantProfile", map[string]string{"RegistrantProfileId": id})
	list = simList(t, simCall(t, c, "QueryRegistrantProfiles", map[string]string{"PageNum": "1", "PageSize": "10"}), "RegistrantProfiles.RegistrantProfile")
	assert.Empty(t, list)
	simRefused(t, c, "SaveSingleTaskForCreatingOrderActivate", order)
}

// A contact change by a verified profile or by a new contact applies, per
// domain, when its detail succeeds; QueryContactInfo shows it. A domain
// outside the account, or a detail made to fail, changes nothing.
func TestSimulatorContacts(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddDomain("a.com", simExpiry)
	sim.AddDomain("b.com", simExpiry)
	sim.AddRegistrantProfile(7) // verified, with the sample contact
	m := simCall(t, c, "SaveRegistrantProfile", map[string]string{"Email": "wang@example.com", "RegistrantName": "Wang Fang", "City": "Beijing"})
	id := strconv.FormatInt(simNum(m["RegistrantProfileId"]), 10)

	byProfile := map[string]string{"ContactType": "admin", "DomainName.1": "a.com", "DomainName.2": "gone.com", "RegistrantProfileId": id}
	simRefused(t, c, "SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId", byProfile)
	sim.SetRegistrantProfileRealName(simNum(m["RegistrantProfileId"]), alidomaintest.RealNameSucceed, "")
	r := simWait(t, c, simCall(t, c, "SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId", byProfile))
	assert.Equal(t, TaskCounts{Succeeded: 1, Failed: 1, Total: 2}, r.Counts)
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, "gone.com", r.Failed()[0].DomainName)

	admin := simCall(t, c, "QueryContactInfo", map[string]string{"DomainName": "a.com", "ContactType": "admin"})
	assert.Equal(t, "Wang Fang", admin["RegistrantName"])
	assert.Equal(t, "Beijing", admin["City"])
	reg := simCall(t, c, "QueryContactInfo", map[string]string{"DomainName": "a.com", "ContactType": "registrant"})
	assert.Equal(t, "Test Registrant", reg["RegistrantName"], "another contact type is unchanged")

	sim.FailTasks("SaveBatchTaskForUpdatingContactInfoByNewContact", "b.com", "the registry refused the contact")
	r = simWait(t, c, simCall(t, c, "SaveBatchTaskForUpdatingContactInfoByNewContact", map[string]string{
		"ContactType": "tech", "RegistrantType": "2", "DomainName.1": "a.com", "DomainName.2": "b.com",
		"RegistrantName": "Ops Team", "RegistrantOrganization": "Example Ltd", "Email": "ops@example.com",
	}))
	assert.Equal(t, TaskCounts{Succeeded: 1, Failed: 1, Total: 2}, r.Counts)
	tech := simCall(t, c, "QueryContactInfo", map[string]string{"DomainName": "a.com", "ContactType": "tech"})
	assert.Equal(t, "Ops Team", tech["RegistrantName"])
	assert.Equal(t, "ops@example.com", tech["Email"])
	tech = simCall(t, c, "QueryContactInfo", map[string]string{"DomainName": "b.com", "ContactType": "tech"})
	assert.Equal(t, "Test Registrant", tech["RegistrantName"], "a failed detail changes nothing")

	r = simWait(t, c, simCall(t, c, "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID", map[string]string{
		"DomainName.1": "b.com", "RegistrantProfileId": id, "TransferOutProhibited": "false",
	}))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	reg = simCall(t, c, "QueryContactInfo", map[string]string{"DomainName": "b.com", "ContactType": "registrant"})
	assert.Equal(t, "Wang Fang", reg["RegistrantName"])
}

// Glue records and DS records are created, changed and deleted by tasks;
// QueryDnsHost and QueryDSRecord show each step, and a change the state
// does not allow fails its detail.
func TestSimulatorGlueAndDSRecords(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddDomain("example.com", simExpiry, alidomaintest.InstanceID("S100"))
	hosts := func() []map[string]any {
		return simList(t, simCall(t, c, "QueryDnsHost", map[string]string{"InstanceId": "S100"}), "DnsHostList")
	}
	r := simWait(t, c, simCall(t, c, "SaveSingleTaskForCreatingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns1", "Ip.1": "192.0.2.1", "Ip.2": "2001:db8::1"}))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	assert.Equal(t, "CREATE_DNSHOST", r.Details[0].TaskType)
	h := hosts()
	require.Len(t, h, 1)
	assert.Equal(t, "ns1", h[0]["DnsName"])
	assert.Equal(t, []any{"192.0.2.1", "2001:db8::1"}, h[0]["IpList"])

	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForCreatingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns1", "Ip.1": "192.0.2.9"}))
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, alidomaintest.MsgDNSHostExists, r.Failed()[0].FailReason)

	simWait(t, c, simCall(t, c, "SaveSingleTaskForModifyingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns1", "Ip.1": "192.0.2.3"}))
	assert.Equal(t, []any{"192.0.2.3"}, hosts()[0]["IpList"])
	simWait(t, c, simCall(t, c, "SaveSingleTaskForDeletingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns1"}))
	assert.Empty(t, hosts())
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForModifyingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns1", "Ip.1": "192.0.2.3"}))
	assert.Equal(t, 1, r.Counts.Failed, "modifying a deleted host")
	simRefused(t, c, "SaveSingleTaskForCreatingDnsHost", map[string]string{"InstanceId": "S100", "DnsName": "ns2", "Ip.1": "not-an-ip"})

	ds := func() []map[string]any {
		return simList(t, simCall(t, c, "QueryDSRecord", map[string]string{"DomainName": "example.com"}), "DSRecordList")
	}
	rec := map[string]string{"DomainName": "example.com", "KeyTag": "2371", "Algorithm": "13", "DigestType": "2", "Digest": "1f987cc6583e92df0890718c42"}
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForAddingDSRecord", rec))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	got := ds()
	require.Len(t, got, 1)
	assert.Equal(t, int64(2371), simNum(got[0]["KeyTag"]))
	assert.Equal(t, int64(13), simNum(got[0]["Algorithm"]))
	assert.Equal(t, "1F987CC6583E92DF0890718C42", got[0]["Digest"])
	rec["Algorithm"] = "8"
	simWait(t, c, simCall(t, c, "SaveSingleTaskForModifyingDSRecord", rec))
	assert.Equal(t, int64(8), simNum(ds()[0]["Algorithm"]))
	simWait(t, c, simCall(t, c, "SaveSingleTaskForDeletingDSRecord", map[string]string{"DomainName": "example.com", "KeyTag": "2371"}))
	assert.Empty(t, ds())
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForDeletingDSRecord", map[string]string{"DomainName": "example.com", "KeyTag": "2371"}))
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, alidomaintest.MsgDSRecordNotFound, r.Failed()[0].FailReason)
}

// The transfer code task's detail carries the code in its TaskResult, and
// nothing else does: not the client's debug log, not the report printed.
// A pending transfer out is approved or cancelled by tasks, and a transfer
// out by code needs the code last issued.
func TestSimulatorTransferOut(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, sim := simClient(t, nil, func(o *Options) { o.Logger = logger })
	sim.AddDomain("out.com", simExpiry)
	info := func() map[string]any {
		return simCall(t, c, "QueryTransferOutInfo", map[string]string{"DomainName": "out.com"})
	}
	assert.Equal(t, int64(alidomaintest.TransferOutNone), simNum(info()["Status"]))

	r := simWait(t, c, simCall(t, c, "SaveSingleTaskForQueryingTransferAuthorizationCode", map[string]string{"DomainName": "out.com"}))
	require.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	code := r.Details[0].TaskResult
	require.Len(t, code, 16)
	assert.NotContains(t, logs.String(), code)
	assert.NotContains(t, fmt.Sprintf("%v %+v", r, r.Details), code)
	assert.NotEmpty(t, info()["TransferAuthorizationCodeSendDate"])
	assert.Greater(t, logs.Len(), 0, "the debug log was written")

	approve := map[string]string{"DomainName": "out.com"}
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForApprovingTransferOut", approve))
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, alidomaintest.MsgNoPendingTransferOut, r.Failed()[0].FailReason)

	sim.RequestTransferOut("out.com")
	assert.Equal(t, int64(alidomaintest.TransferOutPending), simNum(info()["Status"]))
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForApprovingTransferOut", approve))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	assert.Equal(t, int64(alidomaintest.TransferOutApproved), simNum(info()["Status"]))

	r = simWait(t, c, simCall(t, c, "SaveBatchTaskForTransferOutByAuthorizationCode", map[string]string{
		"TransferOutParamList.1.DomainName": "out.com", "TransferOutParamList.1.AuthorizationCode": "not-the-code",
	}))
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, alidomaintest.MsgAuthCodeMismatch, r.Failed()[0].FailReason)
	r = simWait(t, c, simCall(t, c, "SaveSingleTaskForTransferOutByAuthorizationCode", map[string]string{"DomainName": "out.com", "AuthorizationCode": code}))
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	assert.Equal(t, int64(alidomaintest.TransferOutPending), simNum(info()["Status"]))
	simWait(t, c, simCall(t, c, "SaveSingleTaskForCancelingTransferOut", approve))
	assert.Equal(t, int64(alidomaintest.TransferOutCancelled), simNum(info()["Status"]))
	assert.NotContains(t, logs.String(), code)
}

// Transfers ordered in are listed with their progress: a wrong code waits
// for a new one (re-entered, the transfer completes), a mail check waits
// for its token, and a transfer in progress can be cancelled.
func TestSimulatorTransferIn(t *testing.T) {
	var offset atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	c, sim := simClient(t, []alidomaintest.Option{alidomaintest.WithClock(clock)})
	sim.AddRegistrantProfile(1)
	sim.AddTransferable("a.com", "code-a", simExpiry, alidomaintest.InstanceID("S-A"))
	sim.AddTransferable("b.com", "code-b", simExpiry)

	feas := simCall(t, c, "CheckTransferInFeasibility", map[string]string{"DomainName": "a.com", "TransferAuthorizationCode": "code-a"})
	assert.Equal(t, true, feas["CanTransfer"])
	feas = simCall(t, c, "CheckTransferInFeasibility", map[string]string{"DomainName": "a.com", "TransferAuthorizationCode": "wrong"})
	assert.Equal(t, false, feas["CanTransfer"])

	r := simWait(t, c, simCall(t, c, "SaveBatchTaskForCreatingOrderTransfer", map[string]string{
		"OrderTransferParam.1.DomainName": "a.com", "OrderTransferParam.1.AuthorizationCode": "wrong", "OrderTransferParam.1.RegistrantProfileId": "1",
		"OrderTransferParam.2.DomainName": "b.com", "OrderTransferParam.2.AuthorizationCode": "code-b", "OrderTransferParam.2.RegistrantProfileId": "1",
	}))
	assert.Equal(t, TaskCounts{Succeeded: 1, Failed: 1, Total: 2}, r.Counts)
	status := func() map[string]string {
		out := map[string]string{}
		for _, it := range simList(t, simCall(t, c, "QueryTransferInList", map[string]string{"PageNum": "1", "PageSize": "20"}), "Data.TransferInInfo") {
			out[it["DomainName"].(string)] = it["SimpleTransferInStatus"].(string)
		}
		return out
	}
	assert.Equal(t, map[string]string{"a.com": "PASSWORD_VERIFICATION", "b.com": "SUCCESS"}, status())

	ae := simRefused(t, c, "TransferInReenterTransferAuthorizationCode", map[string]string{"DomainName": "a.com", "TransferAuthorizationCode": "still-wrong"})
	assert.NotContains(t, ae.Error(), "still-wrong")
	simCall(t, c, "TransferInReenterTransferAuthorizationCode", map[string]string{"DomainName": "a.com", "TransferAuthorizationCode": "code-a"})
	assert.Equal(t, map[string]string{"a.com": "SUCCESS", "b.com": "SUCCESS"}, status())
	byID := simCall(t, c, "QueryTransferInByInstanceId", map[string]string{"InstanceId": "S-A"})
	assert.Equal(t, "a.com", byID["DomainName"])
	assert.NotEmpty(t, byID["TransferAuthorizationCodeSubmissionDate"])
	_, held := sim.Domain("a.com")
	assert.True(t, held, "the transfer completed with the re-entered code")
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindTransfer, "a.com"))

	// A slow transfer with a mail check, then cancelled.
	sim2 := alidomaintest.NewServer(alidomaintest.WithClock(clock), alidomaintest.WithTaskDuration(5*time.Minute))
	t.Cleanup(sim2.Close)
	c2, err := New(c.Options(), func(o *Options) {
		o.Endpoint = sim2.URL
		o.Credentials = StaticCredentials(sim2.AccessKeyID, sim2.AccessKeySecret)
	})
	require.NoError(t, err)
	sim2.AddRegistrantProfile(1)
	sim2.AddTransferable("c.com", "code-c", simExpiry)
	sim2.RequireTransferInMailCheck("c.com", "owner@example.com", "mail-token")
	order := simCall(t, c2, "SaveSingleTaskForCreatingOrderTransfer", map[string]string{"DomainName": "c.com", "AuthorizationCode": "code-c", "RegistrantProfileId": "1"})
	item := func() map[string]any {
		l := simList(t, simCall(t, c2, "QueryTransferInList", map[string]string{"PageNum": "1", "PageSize": "20", "DomainName": "c."}), "Data.TransferInInfo")
		require.Len(t, l, 1)
		return l[0]
	}
	assert.Equal(t, "AUTHORIZATION", item()["SimpleTransferInStatus"])
	assert.Equal(t, true, item()["NeedMailCheck"])
	simCall(t, c2, "TransferInResendMailToken", map[string]string{"DomainName": "c.com"})
	assert.Equal(t, 2, sim2.TransferInMailsSent("c.com"))
	ok := simCall(t, c2, "TransferInCheckMailToken", map[string]string{"Token": "mail-token"})
	assert.Equal(t, []any{"c.com"}, ok["SuccessList"].(map[string]any)["SuccessDomain"])
	assert.Equal(t, "PENDING", item()["SimpleTransferInStatus"])

	cancel := simCall(t, c2, "SaveSingleTaskForCancelingTransferIn", map[string]string{"DomainName": "c.com"})
	offset.Store(int64(6 * time.Minute)) // every detail is final; still inside the signature's window
	r = simWait(t, c2, cancel)
	assert.Equal(t, TaskCounts{Succeeded: 1, Total: 1}, r.Counts)
	r = simWait(t, c2, order)
	require.Len(t, r.Failed(), 1)
	assert.Equal(t, alidomaintest.MsgTransferInCancelled, r.Failed()[0].FailReason)
	it := item()
	assert.Equal(t, "FAIL", it["SimpleTransferInStatus"])
	assert.Equal(t, "clientCancelled", it["ResultCode"])
	_, held = sim2.Domain("c.com")
	assert.False(t, held)
}

// Mailbox verification: submitted mailboxes are listed unverified, the
// mailed token verifies one, a wrong token is refused, and deleted ones are
// gone.
func TestSimulatorEmailVerification(t *testing.T) {
	c, sim := simClient(t, nil)
	m := simCall(t, c, "SubmitEmailVerification", map[string]string{"Email": "a@example.com,not-a-mailbox"})
	assert.Len(t, simList(t, m, "SuccessList"), 1)
	assert.Len(t, simList(t, m, "FailList"), 1)
	m = simCall(t, c, "SubmitEmailVerification", map[string]string{"Email": "a@example.com"})
	assert.Len(t, simList(t, m, "ExistList"), 1)

	list := simList(t, simCall(t, c, "ListEmailVerification", map[string]string{"PageNum": "1", "PageSize": "10", "VerificationStatus": "0"}), "Data")
	require.Len(t, list, 1)
	assert.Equal(t, "a@example.com", list[0]["Email"])

	first, ok := sim.EmailVerificationToken("a@example.com")
	require.True(t, ok)
	m = simCall(t, c, "ResendEmailVerification", map[string]string{"Email": "a@example.com,b@example.com"})
	assert.Len(t, simList(t, m, "SuccessList"), 1)
	assert.Len(t, simList(t, m, "FailList"), 1)
	token, _ := sim.EmailVerificationToken("a@example.com")
	require.NotEqual(t, first, token, "a resent mail carries a new token")

	ae := simRefused(t, c, "VerifyEmail", map[string]string{"Token": first})
	assert.NotContains(t, ae.Error(), first)
	simCall(t, c, "VerifyEmail", map[string]string{"Token": token})
	q := simCall(t, c, "QueryEmailVerification", map[string]string{"Email": "a@example.com"})
	assert.Equal(t, int64(alidomaintest.EmailVerified), simNum(q["VerificationStatus"]))
	assert.NotEmpty(t, q["VerificationTime"])

	simCall(t, c, "EmailVerified", map[string]string{"Email": "c@example.com"})
	list = simList(t, simCall(t, c, "ListEmailVerification", map[string]string{"PageNum": "1", "PageSize": "10", "VerificationStatus": "1"}), "Data")
	assert.Len(t, list, 2)

	m = simCall(t, c, "DeleteEmailVerification", map[string]string{"Email": "a@example.com"})
	assert.Len(t, simList(t, m, "SuccessList"), 1)
	_, err := simTry(c, "QueryEmailVerification", map[string]string{"Email": "a@example.com"})
	var apiErr *APIError
	assert.True(t, errors.As(err, &apiErr))
}
