package alidomaintest_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// A task write (the name server change, modelled with state), called
// through the SDK's Client.Call, creates a task that Tasks.Wait follows to
// the end: one detail per domain, the one FailTasks named failed with its
// reason, in JSON and in XML.
func TestSDKWaitsForGenericTask(t *testing.T) {
	srv := alidomaintest.NewServer(alidomaintest.WithTaskDuration(300 * time.Millisecond))
	defer srv.Close()
	srv.AddDomain("a.example.com", time.Now().AddDate(1, 0, 0))
	srv.AddDomain("b.example.com", time.Now().AddDate(1, 0, 0))
	const action = "SaveBatchTaskForModifyingDomainDns"
	srv.FailTasks(action, "b.example.com", "the registry refused the name servers")
	for _, format := range []string{"JSON", "XML"} {
		client, err := alidomain.New(alidomain.Options{
			Endpoint:    srv.URL,
			Credentials: alidomain.StaticCredentials(srv.AccessKeyID, srv.AccessKeySecret),
			Format:      format,
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var out struct{ TaskNo string }
		_, err = client.Call(ctx, &alidomain.CallRequest{Action: action, Params: url.Values{
			"DomainName.1": {"a.example.com"}, "DomainName.2": {"b.example.com"},
			"AliyunDns": {"false"}, "DomainNameServer.1": {"ns1.example.net"},
		}}, &out)
		if err != nil || out.TaskNo == "" {
			t.Fatalf("%s: TaskNo %q, %v", format, out.TaskNo, err)
		}
		report, err := client.Tasks.Wait(ctx, out.TaskNo, &alidomain.WaitOptions{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		failed := report.Failed()
		if len(report.Details) != 2 || len(failed) != 1 || failed[0].DomainName != "b.example.com" ||
			failed[0].FailReason != "the registry refused the name servers" || report.Details[0].TaskType != "CHG_DNS" {
			t.Errorf("%s: report %+v", format, report)
		}
	}
}
