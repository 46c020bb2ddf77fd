// Package alidomaintest provides a local fake of the Alibaba Cloud Domain API
// (RPC style, version 2018-01-29) for use in tests, in the spirit of
// net/http/httptest and cloud.google.com/go/pubsub/pstest.
//
// A Server listens on the loopback interface and behaves like the real
// endpoint for the operations the SDK uses: it verifies every request the way
// the API gateway does (signature V2 over the query and form body, or V3
// ACS3-HMAC-SHA256 headers; timestamp window, nonce replay, security token,
// URL length, an optional rate limit) and answers with the gateway's error codes and
// bodies, in JSON or XML as asked by the Format parameter. It keeps a small
// in-memory account of domains and order tasks:
//
//   - SaveBatchTaskForCreatingOrder{Redeem,Renew,Transfer,Activate} and their
//     SaveSingleTask twins create a task of the order's type (ORDER_REDEEM,
//     ORDER_RENEW, ORDER_ACTIVATE; transfer-in's is an assumption, see
//     DefaultTransferTaskType) with one detail per domain, and book it: see
//     Server.Orders (orders that took effect) and Server.Submissions;
//   - an order the gateway would refuse (a domain twice in one batch, a
//     date in seconds, a boolean other than true/false, a negative or
//     unknown registrant profile, a malformed name, years outside 1..10) is
//     refused as a whole, HTTP 400 MissingParameter or InvalidParameter
//     naming the parameter, with no task and nothing booked;
//   - a domain's status (Server.AddDomain derives it from the expiration
//     date: needs redemption, needs renewal or normal) decides which orders
//     it takes: redemption only in redemption, renewal otherwise;
//   - renewals need the domain's current expiration date and move it by the
//     years ordered; transfers need a domain and code given to
//     Server.AddTransferable; registrations need a name given to
//     Server.AddAvailable and a profile given to Server.AddRegistrantProfile;
//   - QueryTaskList and QueryTaskDetailList report tasks and their details;
//   - QueryDomainList and QueryDomainByDomainName report the domains added
//     with Server.AddDomain (or brought in by orders); SetupDomainAutoRenew
//     turns auto-renewal on or off;
//   - CheckDomain and QueryDomainRealTimePrice quote the prices given to
//     Server.SetPrice.
//   - registrant profiles (family_profiles.go): SaveRegistrantProfile
//     creates one not yet verified, RegistrantProfileRealNameVerification
//     puts it in audit, Server.SetRegistrantProfileRealName decides the
//     audit (a failure's reason is listed); orders and contact changes
//     naming an unverified profile are refused;
//   - contacts (family_contacts.go): the contact updates by profile or by
//     new contact change a domain's contact when their detail succeeds, as
//     QueryContactInfo shows;
//   - glue and DS records (family_hosts.go), read with QueryDnsHost and
//     QueryDSRecord;
//   - transfer out and in (family_transfer.go): the transfer code task's
//     successful detail carries the new code in its TaskResult, and nothing
//     else shows it; Server.RequestTransferOut makes a transfer out pending
//     for approval or cancellation; QueryTransferInList reports the
//     transfer orders' progress, with code re-entry, cancellation and the
//     mail check of Server.RequireTransferInMailCheck;
//   - mailbox verification (family_email.go): Server.EmailVerificationToken
//     is the mailed token VerifyEmail takes.
//
// # Every action of the API
//
// The Server knows every action of the internal catalog (the 132 actions
// of Domain 2018-01-29) and nothing else: an action outside it is 404
// InvalidAction.NotFound. Each action is served in one of two ways:
//
//   - a state-aware handler, listed in the actions table (actions.go for
//     the orders, domains and tasks above; one file per family for the
//     others, such as family_dns.go), which reads and changes the Server's
//     account;
//   - otherwise the generic handler (generic.go), which answers from the
//     catalog: an answer of the action's shape with plausible values,
//     merged with what Server.SetAnswer set; page and cursor lists page
//     through their list; a task write creates a task with one detail per
//     domain the request names, which succeeds unless Server.FailTasks
//     says otherwise.
//
// Every action's parameters are checked against the catalog first
// (validate.go): a missing required parameter is MissingParameter naming
// it, a value not of its type, enum or range, or a list beyond its limit
// is InvalidParameter naming it.
//
// To give a family state, write family_<name>.go with its handlers and
// register them from an init function (a task write creates its task with
// s.createTask, whose items may carry the change to make on success):
//
//	func init() {
//		actions["SaveBatchTaskForModifyingDomainDns"] = actionDef{handle: (*Server).modifyDNS}
//	}
//
// A handler gets the merged parameters (actionCall) after the catalog's
// gateway checks have passed, takes s.mu for the state it touches, and
// returns an answer value (a struct with json and xml tags, or an ordered
// answer built with the helpers of generic.go) or a *gatewayError.
// TestActionTableIsInCatalog refuses a table entry the catalog lacks.
//
// # Domain settings, groups, searches and task history
//
// These families are modelled with state (family_state.go and the files it
// names); every task write among them creates one detail per domain, which
// fails for a domain the account lacks or as FailTasks says, and changes the
// domain only once it succeeds:
//
//   - name servers (SaveBatchTaskForModifyingDomainDns; NameServers sets
//     them, DefaultNameServers otherwise): DnsList in QueryDomainByDomainName,
//     QueryDomainList (also its Dns filter), QueryAdvancedDomainList and
//     ScrollDomainList; a domain whose update lock is on refuses the change
//     (MsgUpdateProhibited);
//   - transfer and update prohibition locks and WHOIS privacy (the
//     SaveBatchTask and SaveSingleTask writes; TransferLocked, UpdateLocked,
//     WhoisPrivacy): QueryDomainByDomainName's TransferProhibitionLock,
//     UpdateProhibitionLock and DomainNameProxyService;
//   - remarks (SaveBatchDomainRemark, by instance id), domain groups
//     (SaveDomainGroup, QueryDomainGroupList, DeleteDomainGroup,
//     UpdateDomainToDomainGroup; AddDomainGroup, Group) and resource groups
//     (ChangeResourceGroup; ResourceGroup, DefaultResourceGroupID otherwise),
//     shown in the domain answers and used by their filters;
//   - ScrollDomainList and QueryAdvancedDomainList over the whole account,
//     with their keyword, suffix, length, form, status, type, group, date and
//     premium filters; the scroll's cursor ends with an empty ScrollId;
//   - QueryTaskInfoHistory and QueryTaskDetailHistory with their cursors,
//     CancelTask (MsgTaskCancelled), PollTaskResult and AcknowledgeTaskResult,
//     over every task, paid orders included;
//   - QueryChangeLogList: the changes the families above made, newest first.
//
// Domain names are compared in one canonical form everywhere (IDNA ASCII,
// lower case): 例子.cn and xn--fsqu00a.cn are one domain.
//
// Server.AddDemoAccount fills a Server with a documented account for demos
// (the one `alidomain --simulate` runs on): about thirty domains in every
// state, with groups, name servers, locks, privacy, prices, names to
// transfer in and to register, and registrant profiles.
//
// Faults can be scripted per action with Server.Inject to exercise retry and
// "outcome unknown" paths deterministically: throttling, 5xx answers, dropped
// or reset connections, malformed, truncated, huge or slow bodies, delays,
// errors inside an HTTP 200. Server.Requests counts an action's requests
// that passed the gateway, Server.Performed those the action carried out:
// for any write, paid or not, how many times it took effect.
//
// Two fakes of the credential services run beside it, for testing how a
// program gets its credentials: NewMetadataServer is an ECS instance
// metadata service (IMDSv2 tokens and IMDSv1, role discovery, credentials
// that rotate, scripted failures), and NewSTSServer is STS (AssumeRole,
// checked with this package's own signature verification, and
// AssumeRoleWithOIDC). The temporary credentials they issue are accepted by
// every CredentialSink given in their options' IssueTo, such as a Server, so
// that a test runs the whole path from the credentials to a paid order.
//
// Typical use with the SDK:
//
//	srv := alidomaintest.NewServer()
//	defer srv.Close()
//	srv.AddDomain("example.com", expires, alidomaintest.NeedsRedemption())
//	client, err := alidomain.New(alidomain.Options{
//		Endpoint:    srv.URL,
//		Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
//	})
//	...
//	srv.Inject("SaveBatchTaskForCreatingOrderRedeem", alidomaintest.CommitThenDrop())
//	// the next redeem is performed, but the client gets no answer
//	...
//	if srv.Submissions("example.com") > 1 { ... } // submitted again, not reconciled
//
// This package does not import the SDK's root package; its signature
// verification is written independently of the client's signer so that each
// checks the other.
//
// A Server, a MetadataServer and an STSServer are safe for concurrent use.
package alidomaintest
