package alidomaintest

import (
	"testing"
	"time"
)

// TestPerformed counts what each kind of write carried out: a fault in the
// action's place (throttle, 503, reset, in-body error) and the action's own
// refusal count as requests but not as performed; a fault after commit
// (drop, 500, nonce used, malformed body) is performed; the gateway's
// refusals count in neither.
func TestPerformed(t *testing.T) {
	const group, dns = "SaveDomainGroup", "SaveBatchTaskForModifyingDomainDns"
	srv := newTestServer(t)
	srv.AddDomain("example.com", time.Now().AddDate(1, 0, 0))
	c := newCaller(t, srv)
	groupCall := call{params: map[string]string{"DomainGroupName": "g"}}
	dnsCall := call{params: map[string]string{"DomainName.1": "example.com", "AliyunDns": "true"}}

	for _, a := range []string{group, dns} {
		srv.Inject(a, Throttle(1), ServiceUnavailable(), ResetBeforeCommit(), InBodyError("X", "y"),
			CommitThenDrop(), ServerErrorAfterCommit(), NonceUsedAfterCommit(), MalformedBody())
	}
	for range 8 {
		for _, x := range []struct {
			action string
			cl     call
		}{{group, groupCall}, {dns, dnsCall}} {
			_, _, _ = c.send(x.cl, c.build(x.action, x.cl)) // errors are the point
		}
	}
	// Answered normally, then refused by the action (no name) and by the
	// gateway (a wrong signature).
	c.ok(group, groupCall.params)
	c.ok(dns, dnsCall.params)
	c.apiErr(group, call{params: map[string]string{"DomainGroupName": " "}}, 400, "MissingParameter")
	c.apiErr(group, call{params: groupCall.params, secret: "wrong"}, 400, "SignatureDoesNotMatch")

	if got := srv.Requests(group); got != 10 {
		t.Errorf("Requests(%s) = %d, want 10", group, got)
	}
	if got := srv.Requests(dns); got != 9 {
		t.Errorf("Requests(%s) = %d, want 9", dns, got)
	}
	// 4 after commit + 1 answered.
	for _, a := range []string{group, dns} {
		if got := srv.Performed(a); got != 5 {
			t.Errorf("Performed(%s) = %d, want 5", a, got)
		}
	}
	// The effects agree: 5 groups, 5 name-server tasks.
	groups := items(t, c.ok("QueryDomainGroupList", nil), "DomainGroup")
	if len(groups) != 5 {
		t.Errorf("%d groups, want 5", len(groups))
	}
	tasks := 0
	for _, it := range items(t, c.ok("QueryTaskList", nil), "TaskInfo") {
		if it["TaskType"] == "CHG_DNS" {
			tasks++
		}
	}
	if tasks != 5 {
		t.Errorf("%d CHG_DNS tasks, want 5", tasks)
	}
	if srv.Performed("QueryTaskList") != 1 || srv.Performed("DeleteDomainGroup") != 0 {
		t.Errorf("Performed: QueryTaskList %d, DeleteDomainGroup %d; want 1, 0", srv.Performed("QueryTaskList"), srv.Performed("DeleteDomainGroup"))
	}
}
